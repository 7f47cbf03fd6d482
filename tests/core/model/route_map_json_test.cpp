#include "routewise/model/route_map_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace routewise {
namespace {

std::string doc(const std::string& nodes, const std::string& extra_session = "") {
  return R"({"format":"routewise-route-map","version":1,"session":{"name":"t","sample_rate_hz":48000)" +
         extra_session + R"(},"nodes":)" + nodes + "}";
}

std::string first_error(const RouteMapLoad& load) {
  if (load.diagnostics.errors.empty()) return "";
  const auto& d = load.diagnostics.errors.front();
  return d.where + ": " + d.message;
}

}  // namespace

TEST(RouteMapJson, ReadsAMinimalSession) {
  const auto load = parse_route_map(doc(
      R"([{"id":"kick","name":"Kick","kind":"track","fader_db":-3,"outputs":[{"target":"m"}]},
          {"id":"m","name":"Master","kind":"master","fader_db":0}])"));
  ASSERT_TRUE(load.graph) << first_error(load);
  EXPECT_EQ(load.graph->nodes.size(), 2u);
  ASSERT_EQ(load.graph->edges.size(), 1u);
  EXPECT_EQ(load.graph->edges[0].from, "kick");
  EXPECT_TRUE(load.graph->edges[0].primary);
  EXPECT_DOUBLE_EQ(load.graph->nodes[0].fader_db, -3);
}

TEST(RouteMapJson, UnknownSendTargetNamesTheJsonPath) {
  const auto load = parse_route_map(doc(
      R"([{"id":"a","name":"A","kind":"track"},{"id":"b","name":"B","kind":"track"},
          {"id":"c","name":"C","kind":"track"},
          {"id":"v","name":"Vox","kind":"track","sends":[{"target":"a","level_db":-3},{"target":"Verb","level_db":-9}]}])"));
  EXPECT_FALSE(load.graph);
  EXPECT_EQ(first_error(load), "nodes[3].sends[1].target: unknown node \"Verb\"");
}

TEST(RouteMapJson, AbsurdDbIsOutOfRange) {
  const auto load =
      parse_route_map(doc(R"([{"id":"a","name":"A","kind":"track","fader_db":1e308}])"));
  EXPECT_EQ(first_error(load), "nodes[0].fader_db: 1e+308 dB is out of range (-inf..+24 dB)");
}

TEST(RouteMapJson, MinusInfinityIsWrittenAndReadAsAString) {
  const auto load =
      parse_route_map(doc(R"([{"id":"a","name":"A","kind":"track","fader_db":"-inf"}])"));
  ASSERT_TRUE(load.graph) << first_error(load);
  EXPECT_TRUE(std::isinf(load.graph->nodes[0].fader_db));
  EXPECT_NE(write_route_map(*load.graph).find(R"("fader_db": "-inf")"), std::string::npos);
}

TEST(RouteMapJson, NanAsTextIsAWrongType) {
  const auto load =
      parse_route_map(doc(R"([{"id":"a","name":"A","kind":"track","trim_db":"NaN"}])"));
  EXPECT_EQ(first_error(load), "nodes[0].trim_db: expected a number, got string");
}

TEST(RouteMapJson, BareNanIsNotJson) {
  const auto load = parse_route_map(doc(R"([{"id":"a","name":"A","kind":"track","trim_db":NaN}])"));
  EXPECT_NE(first_error(load).find("not valid JSON"), std::string::npos);
  EXPECT_NE(first_error(load).find("line 1"), std::string::npos);
}

TEST(RouteMapJson, WrongTypesAreNamed) {
  const auto load =
      parse_route_map(doc(R"([{"id":"a","name":"A","kind":"track","mute":"yes","channels":2.5}])"));
  ASSERT_EQ(load.diagnostics.errors.size(), 2u);
  EXPECT_EQ(load.diagnostics.errors[0].where, "nodes[0].channels");
  EXPECT_EQ(load.diagnostics.errors[1].message, "expected true or false, got string");
}

TEST(RouteMapJson, EmptyNameAndDuplicateIdAreErrors) {
  auto load = parse_route_map(doc(R"([{"id":"a","name":"  ","kind":"track"}])"));
  EXPECT_EQ(first_error(load), "nodes[0].name: is empty");
  load = parse_route_map(
      doc(R"([{"id":"a","name":"A","kind":"track"},{"id":"a","name":"B","kind":"bus"}])"));
  EXPECT_EQ(first_error(load), "nodes[1].id: duplicate node id \"a\"");
}

TEST(RouteMapJson, UnknownFieldsAreWarningsNotErrors) {
  const auto load = parse_route_map(doc(R"([{"id":"a","name":"A","kind":"track","volume":3}])"));
  ASSERT_TRUE(load.graph);
  ASSERT_EQ(load.diagnostics.warnings.size(), 1u);
  EXPECT_EQ(load.diagnostics.warnings[0].where, "nodes[0].volume");
}

TEST(RouteMapJson, NewerVersionIsAClearError) {
  const auto load =
      parse_route_map(R"({"format":"routewise-route-map","version":7,"session":{},"nodes":[]})");
  EXPECT_EQ(first_error(load),
            "version: route map version 7 is newer than this program reads (1); upgrade routewise");
}

TEST(RouteMapJson, OtherJsonIsNotARouteMap) {
  EXPECT_EQ(
      first_error(parse_route_map(R"({"format":"something","version":1})")),
      "format: \"something\" is not a routewise route map (expected \"routewise-route-map\")");
  EXPECT_EQ(first_error(parse_route_map("[1,2,3]")), "(top level): expected an object, got array");
}

TEST(RouteMapJson, UnknownKindAndTapAreNamed) {
  auto load = parse_route_map(doc(R"([{"id":"a","name":"A","kind":"vca"}])"));
  EXPECT_EQ(first_error(load), "nodes[0].kind: \"vca\" is not a node kind");
  load = parse_route_map(
      doc(R"([{"id":"a","name":"A","kind":"track","sends":[{"target":"a","tap":"sideways"}]}])"));
  EXPECT_EQ(first_error(load),
            "nodes[0].sends[0].tap: \"sideways\" is not pre-fx, pre-fader or post-fader");
}

TEST(RouteMapJson, UnknownStemBusIsAnError) {
  const auto load = parse_route_map(
      doc(R"([{"id":"a","name":"A","kind":"track"}])", R"(,"stems":{"VOCALS":"vox_stem"})"));
  EXPECT_EQ(first_error(load), "session.stems.VOCALS: unknown node \"vox_stem\"");
}

TEST(RouteMapJson, DeepNestingIsRefusedWithoutRecursing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(first_error(parse_route_map(deep)), ": JSON nested deeper than 64 levels");
}

TEST(RouteMapJson, GarbageIsNotJson) {
  std::string garbage(5 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 7919) % 251);
  const auto load = parse_route_map(garbage);
  EXPECT_FALSE(load.graph);
  EXPECT_NE(first_error(load).find("not valid JSON"), std::string::npos);
}

TEST(RouteMapJson, SampleRateIsRequiredAndRanged) {
  auto load = parse_route_map(
      R"({"format":"routewise-route-map","version":1,"session":{"name":"x"},"nodes":[]})");
  EXPECT_EQ(first_error(load), "session.sample_rate_hz: missing");
  load = parse_route_map(
      R"({"format":"routewise-route-map","version":1,"session":{"sample_rate_hz":5},"nodes":[]})");
  EXPECT_EQ(first_error(load), "session.sample_rate_hz: 5 Hz is out of range (8000..+768000 Hz)");
}

TEST(ReadTextFile, MissingFileAndSizeLimit) {
  EXPECT_EQ(read_text_file("/nonexistent/x.json", 100).error, "no such file");
  const auto path = std::filesystem::temp_directory_path() / "routewise_size_test.json";
  std::ofstream(path) << std::string(2000, ' ');
  const auto result = read_text_file(path, 1000);
  EXPECT_FALSE(result.content);
  EXPECT_FALSE(result.error.empty());
  EXPECT_TRUE(read_text_file(path, 4000).content);
  std::filesystem::remove(path);
}

}  // namespace routewise

namespace routewise {

TEST(RouteMapJson, NumberTooLargeForADoubleIsAnErrorNotACrash) {
  const auto load = parse_route_map(
      R"({"format":"routewise-route-map","version":1,"session":{"sample_rate_hz":48000},"nodes":[{"id":"a","name":"A","kind":"track","fader_db":1e999}]})");
  EXPECT_FALSE(load.graph);
  ASSERT_FALSE(load.diagnostics.errors.empty());
  EXPECT_NE(load.diagnostics.errors[0].message.find("number overflow"), std::string::npos)
      << load.diagnostics.errors[0].message;
}

}  // namespace routewise
