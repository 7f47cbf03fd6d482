#pragma once
// The value ranges of the route-map format, shared by its reader and by check_route_graph so
// that a graph the store or an importer accepts is one the reader reads back.

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "routewise/model/fader_law.hpp"
#include "routewise/model/units.hpp"

namespace routewise::ranges {

struct Range {
  double low;
  double high;
  const char* unit;
};
inline constexpr Range fader{-std::numeric_limits<double>::infinity(), max_fader_db, "dB"};
inline constexpr Range trim{-96.0, 48.0, "dB"};
inline constexpr Range plugin_gain{-96.0, 48.0, "dB"};
inline constexpr Range level{-std::numeric_limits<double>::infinity(), max_meter_dbfs, "dBFS"};
inline constexpr Range pan{-1.0, 1.0, ""};
inline constexpr Range latency{0.0, 10'000'000.0, "samples"};
inline constexpr Range sample_rate{8000.0, 768000.0, "Hz"};
inline constexpr Range tempo{1.0, 999.0, "bpm"};
inline constexpr int min_channels = 1;
inline constexpr int max_channels = 64;

inline bool within(double value, const Range& r) {
  return !std::isnan(value) && value >= r.low && value <= r.high;
}

inline std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

inline std::string format_range(const Range& r) {
  const std::string unit = r.unit[0] ? std::string(" ") + r.unit : "";
  return format_number(r.low) + ".." + (r.high > 0 ? "+" : "") + format_number(r.high) + unit;
}

// "7e+30 dBFS is out of range (-inf..+48 dBFS)"
inline std::string out_of_range(double value, const Range& r) {
  return format_number(value) + (r.unit[0] ? " " : "") + r.unit + " is out of range (" +
         format_range(r) + ")";
}

// Names and ids must say something: empty or only blanks is no name.
inline bool is_blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n\v\f") == std::string::npos;
}

inline bool is_colour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (std::size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

}  // namespace routewise::ranges
