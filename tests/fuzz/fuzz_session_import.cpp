// libFuzzer target: every session importer on arbitrary bytes, then the analysis over what came out.
#include <cstdint>
#include <string>

#include "routewise/analysis/analyze.hpp"
#include "routewise/protocols/session_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  routewise::ImportResult results[] = {
      routewise::import_rpp(bytes, "fuzz"),
      routewise::import_ardour(bytes, "fuzz"),
      routewise::import_dawproject_xml(bytes, "fuzz"),
      routewise::import_dawproject_zip(bytes, "fuzz"),
  };
  for (const auto& r : results)
    if (r.graph) (void)routewise::analyze(*r.graph);
  return 0;
}
