#include "routewise/protocols/mcu_display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace routewise::mcu {
namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

}  // namespace

std::string abbreviate(std::string_view name, std::size_t width) {
  // Trim and squeeze spaces first: short names stay readable as typed.
  std::string trimmed;
  for (char c : name) {
    if (c == ' ' && (trimmed.empty() || trimmed.back() == ' ')) continue;
    trimmed.push_back(c);
  }
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  if (trimmed.size() <= width) return trimmed;

  // A trailing number ("Tom 3", "Vox 12") is what tells strips apart: it is kept whole.
  std::size_t digits = trimmed.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(trimmed[digits - 1]))) --digits;
  const std::string number = trimmed.substr(digits);
  const std::string body = trimmed.substr(0, digits);

  std::string squeezed;  // words run together, each starting with a capital
  bool word_start = true;
  for (char c : body) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80) {
      word_start = true;
      continue;
    }
    if (!word_start && is_vowel(c)) continue;
    squeezed.push_back(word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                  : c);
    word_start = false;
  }
  const std::size_t room = width > number.size() ? width - number.size() : 0;
  if (squeezed.size() > room) squeezed.resize(room);
  std::string out = squeezed + number;
  if (out.size() > width) out = out.substr(out.size() - width);  // a huge number: its tail
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
  const std::size_t size = std::min<std::size_t>(wanted.size(), 2 * lcd_width);
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
