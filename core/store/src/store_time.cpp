// Times as the store keeps them: ISO-8601 UTC with milliseconds, so that text order is time order.
#include <charconv>
#include <chrono>
#include <ctime>

#include "routewise/store/store.hpp"

namespace routewise {
namespace {

// Reads exactly `digits` decimal digits at `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t digits, int& out) {
  if (pos + digits > s.size()) return false;
  const char* first = s.data() + pos;
  for (std::size_t i = 0; i < digits; ++i)
    if (first[i] < '0' || first[i] > '9') return false;
  std::from_chars(first, first + digits, out);
  pos += digits;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

// Seconds since the epoch, or nothing when the text is not an ISO-8601 time.
std::optional<std::pair<std::int64_t, int>> parse_iso8601(std::string_view s) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!read_digits(s, pos, 4, year) || !expect(s, pos, '-') || !read_digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, day))
    return std::nullopt;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return std::nullopt;
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, hour) || !expect(s, pos, ':') || !read_digits(s, pos, 2, minute))
      return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_digits(s, pos, 2, second)) return std::nullopt;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        std::size_t digits = 0;
        int scale = 100;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (digits++ < 3) millis += (s[pos] - '0') * scale, scale /= 10;
          ++pos;
        }
        if (digits == 0 || digits > 9) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos < s.size() && s[pos] == 'Z') {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      const int sign = s[pos++] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!read_digits(s, pos, 2, oh)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!read_digits(s, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (pos != s.size()) return std::nullopt;
  const auto date = std::chrono::year_month_day{std::chrono::year{year},
                                                std::chrono::month{static_cast<unsigned>(month)},
                                                std::chrono::day{static_cast<unsigned>(day)}};
  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t seconds = days * 86400 + std::int64_t{hour} * 3600 +
                               std::int64_t{minute} * 60 + second -
                               std::int64_t{offset_minutes} * 60;
  return std::pair{seconds, millis};
}

std::string format_utc(std::int64_t seconds, int millis) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

// Clocks of other machines may run a little ahead; a day ahead is a wrong clock or a wrong date.
constexpr std::int64_t future_tolerance_seconds = 86400;

}  // namespace

std::string utc_now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  return format_utc(ms.count() / 1000, static_cast<int>(ms.count() % 1000));
}

std::string checked_utc_time(std::string_view text, std::string_view field) {
  const auto parsed = parse_iso8601(text);
  const std::string quoted = "\"" + std::string(text.substr(0, 64)) + "\"";
  if (!parsed)
    throw StoreError(std::string(field) + ": " + quoted +
                     " is not an ISO-8601 time (for example 2026-11-20T10:00:00Z)");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (parsed->first > now + future_tolerance_seconds)
    throw StoreError(std::string(field) + ": " + quoted +
                     " is in the future; check the date or the clock of the machine that made it");
  return format_utc(parsed->first, parsed->second);
}

}  // namespace routewise
