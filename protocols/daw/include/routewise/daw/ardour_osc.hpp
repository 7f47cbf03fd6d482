#pragma once
// Ardour's OSC surface protocol (libs/surfaces/osc): the messages a mirror sends and the feedback
// it receives, as values. The dialect translates; it owns no model and no socket.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "routewise/daw/mixer_event.hpp"
#include "routewise/daw/osc_message.hpp"

namespace routewise::ardour {

inline constexpr std::uint16_t default_port = 3819;

// /set_surface bits (osc.h).
namespace strip_type {
inline constexpr int audio_tracks = 1, midi_tracks = 2, audio_busses = 4, midi_busses = 8,
                     vcas = 16, master = 32, monitor = 64, foldback = 128;
}
namespace feedback {
inline constexpr int buttons = 1, continuous = 2, ssid_in_path = 4, heartbeat = 8, master = 16,
                     timecode = 64, meters = 128;
}

struct SurfaceSettings {
  int bank_size = 0;  // 0: every strip
  int strip_types = strip_type::audio_tracks | strip_type::midi_tracks | strip_type::audio_busses |
                    strip_type::midi_busses | strip_type::foldback;
  int feedback = feedback::buttons | feedback::continuous | feedback::heartbeat | feedback::master |
                 feedback::timecode | feedback::meters;
  int gainmode = 0;  // 0: dB
  int send_page_size = 0;
  int plugin_page_size = 0;
  int reply_port = 0;  // 0: reply to the sender's port
};

using Control = MixerControl;
using routewise::Heartbeat;
using routewise::ListEnd;
using routewise::ListEntry;
using routewise::MasterEvent;
using routewise::SendList;
using routewise::StripEvent;
using routewise::StripsChanged;
using Event = MixerEvent;

std::optional<Control> control_from_name(std::string_view name);
std::string_view control_name(Control c);

// Feedback and replies from Ardour as events; nothing for messages the mirror does not use.
// Pan arrives as Routewise pan (-1 left .. +1 right), converted from Ardour's position.
std::optional<Event> decode(const OscMessage& message);

OscMessage set_surface(const SurfaceSettings& settings);
OscMessage strip_list();
// A control change for one strip (ssid as first argument) or for the master; pan in Routewise
// units.
OscMessage strip_control(int ssid, Control control, double value);
OscMessage strip_rename(int ssid, const std::string& name);
// /strip/sends: Ardour answers with the strip's aux sends (target, name, index, level position,
// active).
OscMessage strip_sends_query(int ssid);
// /strip/send/gain: one send's level in dB (send_index is 1-based among the strip's sends).
OscMessage send_gain(int ssid, int send_index, double gain_db);
OscMessage master_control(Control control, double value);
// /transport_play, /transport_stop, /rec_enable_toggle, /rewind, /ffwd (no arguments).
OscMessage transport(TransportControl control);
// The same paths carry the transport state as feedback (f 0/1).
OscMessage transport_feedback(TransportControl control, bool on);

// What Ardour sends as feedback (used by the simulator and by tests).
OscMessage strip_feedback(int ssid, Control control, double value, bool ssid_in_path);
OscMessage strip_name_feedback(int ssid, const std::string& name, bool ssid_in_path);
OscMessage master_feedback(Control control, double value);

// Pan: Ardour's OSC position 1.0 is hard left (inverted azimuth); Routewise's pan -1 is hard left.
inline double pan_from_position(double position_0_1) {
  return 1.0 - 2.0 * position_0_1;
}
inline double position_from_pan(double pan) {
  return (1.0 - pan) / 2.0;
}

}  // namespace routewise::ardour
