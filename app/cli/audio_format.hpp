#pragma once
// Formatting shared by the audio commands (render, meter, nulltest).

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <string>

namespace routewise::cli {

// "-12.00", "-inf" or "" (absent).
inline std::string db_text(double value, int decimals = 2) {
  if (std::isinf(value)) return value < 0 ? "-inf" : "+inf";
  return fmt::format("{:.{}f}", value, decimals);
}
inline std::string db_text(const std::optional<double>& value, int decimals = 1) {
  return value ? db_text(*value, decimals) : "";
}
// JSON has no infinity: silence (and an absent figure) is written as null.
inline nlohmann::json json_db(double value) {
  return std::isfinite(value) ? nlohmann::json(std::round(value * 1e4) / 1e4) : nlohmann::json();
}
inline nlohmann::json json_db(const std::optional<double>& value) {
  return value ? json_db(*value) : nlohmann::json();
}

// Prints "label: 42%" on one terminal line; nothing when stderr is not a terminal.
void show_progress(const char* label, double fraction);

}  // namespace routewise::cli
