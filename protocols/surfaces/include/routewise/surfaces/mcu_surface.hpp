#pragma once
// A Mackie Control unit and its extenders driven from the live mixer: the coordinator between the
// MCU wire (mcu_protocol), the touch rule (mcu_fader), the LCD layout and meter scale
// (mcu_display), the bank window (mcu_bank) and the mixer. Transport-agnostic: MIDI arrives
// through on_midi and leaves through the sink, so the same code runs over RtMidi, in tests and in
// benchmarks.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "routewise/live/live_mixer.hpp"
#include "routewise/surfaces/control_surface.hpp"
#include "routewise/surfaces/mcu_fader.hpp"
#include "routewise/surfaces/mcu_protocol.hpp"

namespace routewise::mcu {

enum class Assign { pan, send, trim };  // what the V-Pots (or the faders, flipped) control

struct SurfaceOptions {
  std::vector<Model> units{Model::mcu};  // the main unit first, then extenders left to right
  FaderLaw law = FaderLaw::ardour;
  std::chrono::milliseconds meter_interval{100};  // Ardour's MCU meter tick
  std::chrono::milliseconds meter_hold{250};      // resend a lit meter before the unit decays it
  std::chrono::milliseconds value_display{1000};  // a moved control's value stays on the LCD
  // A unit whose port is open but that has not answered the device query is asked again this
  // often (the first query can be lost while a port connection is still being made).
  std::chrono::milliseconds query_interval{1000};
  // Everything a unit shows (LCD, motors, LEDs, rings, displays) is sent to it again this often,
  // so that a message lost on the way (JACK drops MIDI now and then, e.g. while its graph changes)
  // is put right within this time. About 300 bytes per unit: 5 % of a DIN MIDI cable at 2 s.
  std::chrono::milliseconds repaint_interval{2000};
  std::chrono::milliseconds tick_interval{10};  // LCD refresh, as Ardour's MCU surface
};

class Surface final : public ControlSurface, private LiveMixer::Listener {
 public:
  using Sink = std::function<void(int unit, const MidiBytes& message)>;

  Surface(LiveMixer& mixer, Sink sink, SurfaceOptions options = {});
  ~Surface() override;
  Surface(const Surface&) = delete;
  Surface& operator=(const Surface&) = delete;

  // The unit's port was (re)opened: ask it who it is; it goes online when it answers.
  void connected(int unit) override;
  void disconnected(int unit) override;
  void on_midi(int unit, const MidiBytes& message, Clock::time_point now) override;
  void on_midi(int unit, const MidiBytes& message) { on_midi(unit, message, Clock::now()); }
  // Meters, the LCD, value displays and session layout changes; call every few milliseconds.
  void tick(Clock::time_point now) override;
  void tick() { tick(Clock::now()); }
  std::chrono::milliseconds tick_interval() const override { return options_.tick_interval; }

  // Nodes the gain-staging rule or a true-peak reading flags: their overload LED is lit.
  void set_overloads(std::set<std::string> node_ids) override;
  // Short finding markers ("!FB", "!LAT") shown in the lower LCD row instead of the value.
  void set_markers(std::map<std::string, std::string> marker_by_node) override;

  bool online(int unit) const { return units_.at(static_cast<std::size_t>(unit)).online; }
  int bank_offset() const { return bank_; }
  Assign assign() const { return assign_; }
  bool flipped() const { return flip_; }
  // Readable events: units going online or offline, handshake errors.
  void on_event(std::function<void(const std::string&)> listener) override {
    events_ = std::move(listener);
  }

 private:
  void value_changed(const LiveMixer::ValueChange& change) override;
  void structure_changed() override { layout_changed_ = true; }
  struct Unit {
    Model model;
    bool online = false;
    bool port_open = false;
    int queries_unanswered = 0;
    Clock::time_point next_query{}, next_repaint{};
    std::array<MotorFader, strips_per_unit> faders;
    std::string lcd_shown;  // empty: unknown, everything is written
    std::map<std::uint8_t, Led> leds;
    std::array<int, strips_per_unit> ring_shown{}, meter_shown{};
    std::array<Clock::time_point, strips_per_unit> meter_sent{};
    std::array<bool, strips_per_unit> overload_shown{};
  };
  int surface_strips() const { return static_cast<int>(units_.size()) * strips_per_unit; }
  const LiveStrip* strip_at(int surface_strip) const;      // what a physical strip shows now
  int surface_strip_of(const std::string& node_id) const;  // -1 when not shown
  void go_online(int unit);
  void query(int unit, Clock::time_point now);
  void refresh_unit(int unit);
  void repaint(int unit);
  void refresh_strip(int surface_strip);
  void send(int unit, const MidiBytes& m) { sink_(unit, m); }
  void send_led(int unit, std::uint8_t note_number, Led state);
  void send_fader(int surface_strip);
  void send_master_fader();
  void send_ring(int surface_strip);
  void update_lcd(int unit, Clock::time_point now);
  void update_meters(int unit, Clock::time_point now);
  void update_displays();  // timecode and assignment, on the main unit
  void handle_sysex(int unit, const Sysex& s);
  void handle_button(int unit, const Button& b, Clock::time_point now);
  void handle_fader(int unit, const FaderMove& f, Clock::time_point now);
  void handle_rotation(int unit, const Rotation& r, Clock::time_point now);
  void rebank(int offset);
  void apply(const LiveStrip& s, MixerControl control, double value);
  // The parameter a fader (flipped or not) or a V-Pot controls, as 0..1 and back.
  double normalized(const LiveStrip& s, bool fader) const;
  void set_normalized(const LiveStrip& s, bool fader, double value_0_1);
  std::string value_text(const LiveStrip& s, bool fader) const;
  void say(const std::string& text) const {
    if (events_) events_(text);
  }

  LiveMixer& mixer_;
  Sink sink_;
  SurfaceOptions options_;
  std::vector<Unit> units_;
  MotorFader master_;
  std::vector<int> order_;  // the DAW's strips (positions) in mixer order
  bool layout_changed_ = true;
  int bank_ = 0;
  Assign assign_ = Assign::pan;
  bool flip_ = false, shift_ = false;
  std::string selected_;
  std::set<std::string> overloads_;
  std::map<std::string, std::string> markers_;
  struct ValueDisplay {
    std::string text;
    Clock::time_point until;
    bool fader;  // the fader's parameter (else the V-Pot's)
  };
  std::map<int, ValueDisplay> value_display_;  // by surface strip
  Clock::time_point next_meter_{};
  std::array<int, 10> timecode_shown_{};
  std::array<int, 2> assignment_shown_{};
  std::function<void(const std::string&)> events_;
};

}  // namespace routewise::mcu
