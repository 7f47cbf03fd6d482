#pragma once
// REAPER's .RPP text: nested "<CHUNK args" ... ">" blocks of "KEY args" lines. Tokens are split on
// whitespace; a token may be quoted with ", ' or ` (REAPER picks a quote that the text lacks).

#include <string>
#include <string_view>
#include <vector>

namespace routewise::import {

std::vector<std::string> rpp_tokens(std::string_view line);

struct RppLine {
  enum class Type { open, close, key } type;
  std::size_t number;               // 1-based line number
  std::vector<std::string> tokens;  // open: chunk name first; key: key first
};

// Calls `each(const RppLine&)` for every non-empty line. `wants_tokens(chunk_path_depth, top)`
// style filtering is left to the caller: lines inside chunks it ignores are cheap to skip.
template <typename Each>
void for_each_rpp_line(std::string_view text, Each&& each) {
  std::size_t number = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    std::size_t start = 0;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    line.remove_prefix(start);
    if (line.empty()) continue;
    if (line == ">") {
      each(RppLine{RppLine::Type::close, number, {}});
    } else if (line.front() == '<') {
      each(RppLine{RppLine::Type::open, number, rpp_tokens(line.substr(1))});
    } else {
      each(RppLine{RppLine::Type::key, number, rpp_tokens(line)});
    }
  }
}

}  // namespace routewise::import
