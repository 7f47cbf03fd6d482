// libFuzzer target: bytes as an exported database (`routewise db export`) imported into a real
// SQLite store; a bad file must be refused with an error and leave the store consistent.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "routewise/store/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One database per process, reused: imports are transactions, so a refused one changes nothing.
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("fuzz_store_" + std::to_string(::getpid()) + ".db");
  static routewise::Store store(path);
  bool added = false;
  try {
    const auto counts = store.import_json(std::string(reinterpret_cast<const char*>(data), size));
    added = counts.snapshots + counts.latencies + counts.mappings > 0;
  } catch (const std::exception&) {
  }
  if (!store.integrity_check().empty()) std::abort();  // an import broke the database
  // The backup writer: what was just stored comes out as an export that is JSON and imports.
  if (added) {
    const auto out = store.export_json();
    if (!nlohmann::json::accept(out.json) || !out.unreadable.empty()) std::abort();
  }
  return 0;
}
