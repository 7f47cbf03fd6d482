// libFuzzer target: route-map JSON parsing and, when it parses, the write/parse round trip.
#include <cstdint>
#include <string_view>

#include "routewise/model/route_map_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto load = routewise::parse_route_map(text);
  if (load.graph) {
    const auto again = routewise::parse_route_map(routewise::write_route_map(*load.graph));
    if (!again.graph || !(*again.graph == *load.graph)) __builtin_trap();  // round trip must hold
  }
  return 0;
}
