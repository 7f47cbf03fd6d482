#pragma once
// A plain text table whose columns fit their widest cell (UTF-8 aware).

#include <string>
#include <vector>

namespace routewise::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace routewise::cli
