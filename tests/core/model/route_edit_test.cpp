// Hand edits of outputs and keys over a route map, and the errors for edits that do not apply.
#include <gtest/gtest.h>

#include <algorithm>

#include "../../support/graph_builder.hpp"
#include "routewise/model/route_edit.hpp"

namespace routewise {
namespace {

using testing::GraphBuilder;

RouteGraph session() {
  GraphBuilder b;
  b.node("kick", NodeKind::track, "Kick In");
  b.node("bass", NodeKind::track, "Bass DI");
  b.node("drums", NodeKind::bus, "Drums");
  Node& bass_bus = b.node("bass_bus", NodeKind::bus, "Bass Bus");
  bass_bus.plugins.push_back({"Pro-C 2", 0.0, 0.0, false, true});
  b.master();
  b.output("kick", "drums");
  b.output("bass", "bass_bus");
  b.output("drums", "master");
  b.output("bass_bus", "master");
  return b.build();
}

std::size_t edges(const RouteGraph& g, EdgeKind kind, const std::string& from,
                  const std::string& to) {
  return static_cast<std::size_t>(std::count_if(g.edges.begin(), g.edges.end(), [&](const Edge& e) {
    return e.kind == kind && e.from == from && e.to == to;
  }));
}

TEST(RouteEdit, OutputsConnectAndDisconnectAndAnExtraOutputIsNotPrimary) {
  RouteGraph g = session();
  ASSERT_FALSE(apply_edit(g, {RouteEditKind::connect_output, "kick", "master", ""}));
  EXPECT_EQ(edges(g, EdgeKind::direct_output, "kick", "master"), 1u);
  const auto extra = std::find_if(g.edges.begin(), g.edges.end(), [](const Edge& e) {
    return e.from == "kick" && e.to == "master";
  });
  EXPECT_FALSE(extra->primary);  // Drums stays the kick's primary output
  ASSERT_FALSE(apply_edit(g, {RouteEditKind::disconnect_output, "kick", "drums", ""}));
  EXPECT_EQ(edges(g, EdgeKind::direct_output, "kick", "drums"), 0u);
  EXPECT_EQ(describe_edit(g, {RouteEditKind::connect_output, "kick", "master", ""}),
            "Kick In → Master: output connected");
}

TEST(RouteEdit, AKeyGoesToANamedPluginAndReplacesTheOneBefore) {
  RouteGraph g = session();
  ASSERT_FALSE(apply_edit(g, {RouteEditKind::set_key, "kick", "bass_bus", "Pro-C 2"}));
  ASSERT_EQ(edges(g, EdgeKind::sidechain, "kick", "bass_bus"), 1u);
  ASSERT_FALSE(apply_edit(g, {RouteEditKind::set_key, "kick", "bass_bus", "Pro-C 2"}));
  EXPECT_EQ(edges(g, EdgeKind::sidechain, "kick", "bass_bus"), 1u);  // replaced, not doubled
  ASSERT_FALSE(apply_edit(g, {RouteEditKind::remove_key, "kick", "bass_bus", ""}));
  EXPECT_EQ(edges(g, EdgeKind::sidechain, "kick", "bass_bus"), 0u);
}

TEST(RouteEdit, EditsThatDoNotApplyAreRefusedByNameAndChangeNothing) {
  const RouteGraph before = session();
  RouteGraph g = before;
  const auto refused = [&](const RouteEdit& edit, const std::string& words) {
    const auto error = apply_edit(g, edit);
    ASSERT_TRUE(error.has_value()) << words;
    EXPECT_NE(error->find(words), std::string::npos) << *error;
    EXPECT_EQ(g.edges.size(), before.edges.size());
  };
  refused({RouteEditKind::connect_output, "kick", "nowhere", ""}, "no node 'nowhere'");
  refused({RouteEditKind::connect_output, "kick", "kick", ""}, "'Kick In' cannot feed itself");
  refused({RouteEditKind::connect_output, "kick", "drums", ""}, "already connected");
  refused({RouteEditKind::disconnect_output, "kick", "master", ""}, "no output to disconnect");
  refused({RouteEditKind::set_key, "kick", "drums", "Pro-C 2"}, "'Drums' has no plugin 'Pro-C 2'");
  refused({RouteEditKind::remove_key, "kick", "bass_bus", ""}, "no key to remove");
}

}  // namespace
}  // namespace routewise
