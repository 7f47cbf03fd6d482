#include "rpp_tokenizer.hpp"

namespace routewise::import {

std::vector<std::string> rpp_tokens(std::string_view line) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    const char c = line[i];
    if (c == '"' || c == '\'' || c == '`') {
      const std::size_t close = line.find(c, i + 1);
      if (close == std::string_view::npos) {  // unterminated: the rest of the line
        tokens.emplace_back(line.substr(i + 1));
        break;
      }
      tokens.emplace_back(line.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      std::size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
      tokens.emplace_back(line.substr(i, end - i));
      i = end;
    }
  }
  return tokens;
}

}  // namespace routewise::import
