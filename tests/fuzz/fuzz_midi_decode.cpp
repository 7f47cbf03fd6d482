// libFuzzer target: bytes as a raw MIDI stream (running status, SysEx, real-time bytes mixed in)
// through the stream parser, then every message as a Mackie Control unit would send it to the
// surface logic, as a host would send it to the software MCU, and as a generic controller's
// input to the decoder and the learner; the text form of a control name too.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "routewise/protocols/mcu_surface.hpp"
#include "routewise/protocols/midi_mapping.hpp"
#include "routewise/protocols/midi_message.hpp"
#include "routewise/protocols/surface_sim.hpp"

namespace {

// One mirror for the whole run (it owns a UDP socket on 127.0.0.1; nobody answers it).
routewise::Mirror& mirror() {
  static routewise::Mirror m(routewise::RouteGraph{}, [] {
    routewise::MirrorOptions o;
    o.daw_port = 9;
    return o;
  }());
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace routewise;
  (void)parse_midi_control(std::string_view(reinterpret_cast<const char*>(data), size));
  mcu::Surface surface(
      mirror(), [](int, const MidiBytes&) {},
      mcu::SurfaceOptions{
          {mcu::Model::mcu, mcu::Model::mcu_xt}, mcu::FaderLaw::ardour, {}, {}, {}});
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
