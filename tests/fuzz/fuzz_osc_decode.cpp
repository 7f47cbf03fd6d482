// libFuzzer target: bytes as a UDP datagram, decoded as OSC (bundles included) and every message
// read by both DAW dialects, as the mirror does with what arrives on its socket.
#include <cstddef>
#include <cstdint>

#include "routewise/daw/osc_dialect.hpp"
#include "routewise/daw/osc_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto messages = routewise::decode_osc(data, size);
  if (!messages) return 0;
  for (const routewise::OscMessage& message : *messages) {
    (void)routewise::ardour_dialect().decode(message);
    (void)routewise::reaper_dialect().decode(message);
  }
  return 0;
}
