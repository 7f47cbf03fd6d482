#pragma once
// The Routewise database a view reads and writes: opened (created, with its folder, when
// missing) with an error that names the file when it is not one.

#include <QString>
#include <filesystem>
#include <memory>

#include "routewise/store/store.hpp"

namespace routewise::gui {

inline std::unique_ptr<Store> open_store_file(const std::filesystem::path& path, QString& error) {
  try {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    return std::make_unique<Store>(path);
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
    return nullptr;
  }
}

}  // namespace routewise::gui
