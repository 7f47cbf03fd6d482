// libFuzzer target: bytes as a raw MIDI stream (running status, SysEx, real-time bytes mixed in)
// through the stream parser, then every message as a Mackie Control unit would send it to the
// surface logic, as a host would send it to the software MCU, and as a generic controller's
// input to the decoder and the learner; the text form of a control name too.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "routewise/surfaces/mcu_surface.hpp"
#include "routewise/surfaces/midi_mapping.hpp"
#include "routewise/surfaces/midi_message.hpp"
#include "routewise/surfaces/surface_sim.hpp"

namespace {

// One live mixer for the whole run, with strips to bank over and the DAW reachable, so that what
// the surface makes of the bytes is written into it.
routewise::LiveMixer& mixer() {
  static routewise::LiveMixer m{routewise::RouteGraph{}};
  static const bool ready = [] {
    m.set_link(routewise::LinkState::live, nullptr);
    for (int i = 1; i <= 20; ++i) m.name_strip(i, "Strip " + std::to_string(i), "AT", nullptr);
    return true;
  }();
  (void)ready;
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace routewise;
  (void)parse_midi_control(std::string_view(reinterpret_cast<const char*>(data), size));
  mcu::Surface surface(
      mixer(), [](int, const MidiBytes&) {},
      mcu::SurfaceOptions{{mcu::Model::mcu, mcu::Model::mcu_xt}, FaderLaw::ardour, {}, {}, {}});
  mcu::SurfaceSim unit({mcu::Model::mcu, mcu::Model::logic_xt}, [](int, const MidiBytes&) {});
  MidiControlDecoder decoder({MidiControl{MidiControlKind::cc14, 1, 7}});
  MidiLearn learn;
  MidiParser parser(1024);
  int n = 0;
  parser.feed(data, size, [&](const MidiBytes& m) {
    const int which = n++ % 2;
    (void)mcu::decode(m);
    surface.on_midi(which, m);
    unit.receive(which, m);
    (void)decoder.feed(m);
    learn.feed(m);
  });
  surface.tick();
  return 0;
}
