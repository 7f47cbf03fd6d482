#pragma once
// A plain text table whose columns fit their widest cell (UTF-8 aware).

#include <string>
#include <vector>

namespace routewise::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  // Cells are printed safely (see terminal_text.hpp): names come from people's files.
  void add(std::vector<std::string> row);
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace routewise::cli
