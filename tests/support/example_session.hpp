#pragma once
// The example sessions in resources/sessions, loaded for tests.

#include <gtest/gtest.h>

#include <string>

#include "routewise/model/route_map_json.hpp"

namespace routewise::testing {

inline RouteGraph load_example(const std::string& name) {
  const auto file = read_text_file(
      std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/" + name, max_input_file_bytes);
  EXPECT_TRUE(file.content) << file.error;
  auto result = parse_route_map(file.content.value_or(""));
  EXPECT_TRUE(result.diagnostics.errors.empty());
  EXPECT_TRUE(result.diagnostics.warnings.empty());
  return result.graph.value_or(RouteGraph{});
}

}  // namespace routewise::testing
