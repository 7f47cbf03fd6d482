#pragma once
// A DAW's OSC dialect as data and pure functions: how to connect, how to ask for everything again,
// how feedback reads as mixer events and how a change is written. The live mixer holds the model.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "routewise/daw/mixer_event.hpp"
#include "routewise/daw/osc_message.hpp"
#include "routewise/model/fader_law.hpp"

namespace routewise {

struct OscDialect {
  std::string_view name;
  std::uint16_t default_daw_port;
  std::uint16_t default_listen_port;  // 0: any; REAPER sends to a port set in its preferences
  std::vector<OscMessage> (*connect)(std::uint16_t reply_port);
  std::vector<OscMessage> (*refresh)();
  std::vector<OscMessage> (
      *ping)();  // something cheap the DAW answers: a quiet DAW is not a gone one
  std::optional<MixerEvent> (*decode)(const OscMessage& message);
  std::optional<OscMessage> (*control)(int ssid, MixerControl control, double value);
  std::optional<OscMessage> (*query_sends)(
      int ssid);  // nothing: the dialect cannot read send levels
  std::optional<OscMessage> (*send_level)(int ssid, int send_index, double level_db);
  bool sends_heartbeat;
  // The master strip's fader and mute; nothing where the dialect has no such address.
  std::optional<OscMessage> (*master_control)(MixerControl control, double value) = nullptr;
  // A plugin's bypass by its 1-based slot on the strip; nothing where the dialect cannot.
  std::optional<OscMessage> (*plugin_bypass)(int ssid, int slot, bool bypassed) = nullptr;
  std::optional<OscMessage> (*transport)(TransportControl control) = nullptr;
  FaderLaw fader_law = FaderLaw::ardour;  // what a surface's fader travel follows
  std::string_view product = "Ardour";    // the DAW's name as people write it
};

const OscDialect& ardour_dialect();
// REAPER with its Default.ReaperOSC pattern file: dB volume addresses, one bank holding every
// track.
const OscDialect& reaper_dialect();
const OscDialect* dialect_named(std::string_view name);

}  // namespace routewise
