#pragma once
// Opening the database the user meant: --db, else $ROUTEWISE_DB, else the XDG default.

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "routewise/store/store.hpp"

namespace routewise::cli {

inline std::string db_option_help() {
  return "database file (default: $ROUTEWISE_DB, else " + default_store_path().string() + ")";
}

// Prints the error and returns nothing when the database cannot be used.
inline std::unique_ptr<Store> open_store(const std::string& db,
                                         Store::Access access = Store::Access::read_write) {
  try {
    return std::make_unique<Store>(db.empty() ? default_store_path() : std::filesystem::path(db),
                                   access);
  } catch (const StoreError& e) {
    std::cerr << e.what() << "\n";
    return nullptr;
  }
}

}  // namespace routewise::cli
