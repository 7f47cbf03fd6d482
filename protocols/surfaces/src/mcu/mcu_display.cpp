#include "routewise/surfaces/mcu_display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace routewise::mcu {
std::string abbreviate(std::string_view name, std::size_t width) {
  // Characters go, the last first, class by class until the name fits: spaces and punctuation,
  // lower-case vowels, upper-case vowels, lower-case consonants, upper-case consonants. Digits
  // stay (they tell "Tom 1" from "Tom 2"). The classes and their order are the ones Ardour's own
  // Mackie surface uses (PBD::short_version), 's' and 'S' included among what it never drops, so
  // the same session reads the same on the same hardware.
  const std::string_view classes[] = {" \t\n\"',<.>/?:;[{}]~`!@#$%^&*()_-+=", "aeiou", "AEIOU",
                                      "bcdfghjklmnpqrtvwxyz", "BCDFGHJKLMNPQRTVWXYZ"};
  // Leading and trailing blanks first (Ardour would keep leading ones and show them).
  const auto first = name.find_first_not_of(' ');
  std::string out(first == std::string_view::npos
                      ? std::string_view()
                      : name.substr(first, name.find_last_not_of(' ') - first + 1));
  for (std::string_view drop : classes) {
    while (out.size() > width) {
      const auto at = out.find_last_of(drop);
      if (at == std::string::npos) break;
      out.erase(at, 1);
    }
  }
  if (out.size() > width) out.resize(width);  // digits alone are too long: their start shows
  return out;
}

std::string lcd_row(const std::vector<std::string>& cells) {
  std::string row;
  for (std::size_t i = 0; i < static_cast<std::size_t>(strips_per_unit); ++i) {
    std::string cell = i < cells.size() ? cells[i] : std::string();
    cell.resize(lcd_strip_width - 1, ' ');
    row += cell;
    row += ' ';
  }
  return row;
}

std::string db_cell(double db) {
  if (!std::isfinite(db) || db < -99.5) return "-inf";
  return fmt::format("{:+.1f}", db);
}

std::string pan_cell(double pan) {
  const int percent = static_cast<int>(std::lround(std::clamp(pan, -1.0, 1.0) * 100.0));
  if (percent == 0) return "  C";
  return percent < 0 ? fmt::format("<{}", -percent) : fmt::format("{}>", percent);
}

std::vector<MidiBytes> lcd_update(Model model, const std::string& shown,
                                  const std::string& wanted) {
  std::vector<MidiBytes> out;
  const std::size_t size = std::min<std::size_t>(wanted.size(), std::size_t{2} * lcd_width);
  std::size_t i = 0;
  while (i < size) {
    if (i < shown.size() && shown[i] == wanted[i]) {
      ++i;
      continue;
    }
    // Extend over changes and short equal gaps, within one row's length (the unit takes up to
    // 100 data bytes in one message).
    std::size_t end = i + 1;
    for (std::size_t j = end; j < size && j < end + 4 && j < i + lcd_width; ++j)
      if (j >= shown.size() || shown[j] != wanted[j]) end = j + 1;
    out.push_back(lcd(model, static_cast<int>(i), wanted.substr(i, end - i)));
    i = end;
  }
  return out;
}

double meter_deflection(double db) {
  if (!std::isfinite(db) || db < -70.0) return 0.0;
  if (db < -60.0) return (db + 70.0) * 0.25;
  if (db < -50.0) return (db + 60.0) * 0.5 + 2.5;
  if (db < -40.0) return (db + 50.0) * 0.75 + 7.5;
  if (db < -30.0) return (db + 40.0) * 1.5 + 15.0;
  if (db < -20.0) return (db + 30.0) * 2.0 + 30.0;
  if (db < 6.0) return (db + 20.0) * 2.5 + 50.0;
  return 115.0;
}

int meter_segment(double db) {
  return static_cast<int>(std::lround(meter_deflection(db) / 115.0 * 12.0));
}

bool meter_overloads(double db) {
  return meter_deflection(db) > 100.0;
}

}  // namespace routewise::mcu
