#include <gtest/gtest.h>

#include "../support/findings.hpp"
#include "../support/graph_builder.hpp"

namespace routewise {
using testing::figure;
using testing::findings_of;
using testing::GraphBuilder;

namespace {
RouteGraph parallel(bool crush_pdc, double latency) {
  GraphBuilder b;
  b.node("drums", NodeKind::bus, "Drum Bus");
  Node& crush = b.node("crush", NodeKind::bus, "Drum Crush");
  crush.plugins.push_back({"Lookahead", latency, 0, false, false});
  crush.pdc_enabled = crush_pdc;
  b.node("stem", NodeKind::stem_bus, "DRUMS");
  b.master();
  b.track("kick");
  b.output("kick", "drums");
  b.output("drums", "stem");
  b.send("drums", "crush", 0);
  b.output("crush", "stem");
  b.output("stem", "master");
  return b.build();
}
}  // namespace

TEST(PdcAsymmetry, UncompensatedParallelCompressionCombFilters) {
  const auto f = findings_of(parallel(false, 256), "pdc-asymmetry");
  ASSERT_EQ(f.size(), 1u);  // one rejoin, reported once although 'Kick' also splits upstream
  EXPECT_DOUBLE_EQ(figure(f[0], "delta", "samples")->value, 256);
  EXPECT_NEAR(figure(f[0], "delta", "ms")->value, 5.3333, 1e-3);
  EXPECT_NEAR(figure(f[0], "first notch")->value, 93.75, 1e-9);
  EXPECT_NEAR(figure(f[0], "notch spacing")->value, 187.5, 1e-9);
  EXPECT_EQ(f[0].nodes.front(), "drums");
  EXPECT_NE(f[0].fix.find("switch plugin delay compensation on for 'Drum Crush'"),
            std::string::npos);
}

TEST(PdcAsymmetry, CompensatedLatencyIsAligned) {
  EXPECT_TRUE(findings_of(parallel(true, 256), "pdc-asymmetry").empty());
  EXPECT_TRUE(findings_of(parallel(false, 0), "pdc-asymmetry").empty());
}

TEST(PdcAsymmetry, UnreportedHardwareInsertOnOneBranch) {
  GraphBuilder b(44100);
  b.track("bass");
  b.node("di", NodeKind::bus, "Bass DI");
  b.node("amp", NodeKind::hardware_insert, "Amp Reamp");
  b.node("bass_bus", NodeKind::bus, "Bass Bus");
  b.output("bass", "di");
  b.send("bass", "amp_host", 0);
  b.bus("amp_host");
  b.insert("amp_host", "amp", 441, false);
  b.output("amp", "bass_bus");
  b.output("di", "bass_bus");
  const auto f = findings_of(b.build(), "pdc-asymmetry");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(figure(f[0], "delta", "ms")->value, 10.0, 1e-9);
  EXPECT_NEAR(figure(f[0], "first notch")->value, 50.0, 1e-9);
  EXPECT_NE(f[0].message.find("hardware insert"), std::string::npos);
}

}  // namespace routewise
