#pragma once
// A generic MIDI controller driven by learned mappings: control events go to the mixer (through
// soft takeover where the control has no motor); buttons and motorised controls get feedback.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "routewise/live/live_mixer.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/model/surface_mapping.hpp"
#include "routewise/surfaces/control_surface.hpp"
#include "routewise/surfaces/midi_mapping.hpp"

namespace routewise {

enum class MappedParameter { fader, send, mute, solo, pan, bypass };

struct GenericMapping {
  MidiControl control;
  std::string strip;  // the strip's name on the DAW's mixer
  MappedParameter parameter = MappedParameter::fader;
  std::string argument;  // send: the bus's name; bypass: the plugin's 1-based slot
  bool soft_takeover = true;
};

// A stored row as a mapping; nothing, and `error` says which field, when it does not read.
std::optional<GenericMapping> mapping_from_row(const SurfaceMapping& row, std::string& error);
SurfaceMapping row_from_mapping(const GenericMapping& m, const std::string& profile);
std::optional<MappedParameter> mapped_parameter_named(std::string_view name);
std::string_view to_string(MappedParameter p);

class GenericSurface final : public ControlSurface, private LiveMixer::Listener {
 public:
  using Sink = std::function<void(const MidiBytes& message)>;
  GenericSurface(LiveMixer& mixer, std::vector<GenericMapping> mappings, Sink feedback,
                 FaderLaw law = FaderLaw::ardour);
  ~GenericSurface() override;
  GenericSurface(const GenericSurface&) = delete;
  GenericSurface& operator=(const GenericSurface&) = delete;
  void connected(int /*port*/) override {}
  void disconnected(int /*port*/) override {}
  void on_midi(int /*port*/, const MidiBytes& message, Clock::time_point /*now*/) override {
    on_midi(message);
  }
  void on_midi(const MidiBytes& message);
  // The parameter's value now, 0..1 (nothing when its strip is not on the mixer).
  std::optional<double> current(std::size_t mapping) const;
  bool engaged(std::size_t mapping) const { return pickups_.at(mapping).engaged(); }

 private:
  void value_changed(const LiveMixer::ValueChange& change) override;
  const LiveStrip* strip_of(const GenericMapping& m) const;
  void apply(std::size_t index, double value);
  void send_feedback(std::size_t index);
  LiveMixer& mixer_;
  std::vector<GenericMapping> mappings_;
  std::vector<Pickup> pickups_;
  std::vector<bool> bypassed_;  // the DAW sends no bypass feedback: what was sent last
  Sink feedback_;
  FaderLaw law_;
  MidiControlDecoder decoder_;
};

}  // namespace routewise
