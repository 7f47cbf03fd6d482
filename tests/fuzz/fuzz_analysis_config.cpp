// libFuzzer target: analysis configuration files (TOML and JSON).
#include <cstdint>
#include <string_view>

#include "routewise/analysis/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)routewise::parse_analysis_config(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
