// libFuzzer target for one session importer (chosen at build time), then the analysis over what
// it produced. Built as fuzz_import_rpp, fuzz_import_ardour, fuzz_import_dawproject and
// fuzz_import_ableton.
#include <cstdint>
#include <string>

#include "routewise/analysis/analyze.hpp"
#include "routewise/sessions/session_import.hpp"

#ifndef ROUTEWISE_FUZZ_IMPORTER
#error "define ROUTEWISE_FUZZ_IMPORTER (rpp, ardour, dawproject or ableton)"
#endif

namespace {
#define ROUTEWISE_IMPORTER_rpp 1
#define ROUTEWISE_IMPORTER_ardour 2
#define ROUTEWISE_IMPORTER_dawproject 3
#define ROUTEWISE_IMPORTER_ableton 4
#define ROUTEWISE_CAT(a, b) a##b
#define ROUTEWISE_PICK(x) ROUTEWISE_CAT(ROUTEWISE_IMPORTER_, x)

routewise::ImportResult import(const std::string& bytes) {
#if ROUTEWISE_PICK(ROUTEWISE_FUZZ_IMPORTER) == 1
  return routewise::import_rpp(bytes, "fuzz");
#elif ROUTEWISE_PICK(ROUTEWISE_FUZZ_IMPORTER) == 2
  return routewise::import_ardour(bytes, "fuzz");
#elif ROUTEWISE_PICK(ROUTEWISE_FUZZ_IMPORTER) == 3
  auto zip = routewise::import_dawproject_zip(bytes, "fuzz");
  return zip.graph ? zip : routewise::import_dawproject_xml(bytes, "fuzz");
#else
  return routewise::import_ableton(bytes, "fuzz");
#endif
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto result = import(std::string(reinterpret_cast<const char*>(data), size));
  if (result.graph) (void)routewise::analyze(*result.graph);
  return 0;
}
