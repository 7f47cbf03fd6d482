#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include "../../support/temp_dir.hpp"

#include "import_test_support.hpp"
#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/route_map_render.hpp"

namespace routewise {
using namespace routewise::testing;

namespace {
std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
}  // namespace

// Counts taken from the XML by hand (see the comments): tracks by element, group membership,
// returns, send slots and the slots above Live's -inf floor.
TEST(ImportAbleton, Live97SetWithGroupTwoReturnsAndPlugins) {
  const auto r = import_session_file(fixture("ableton/live9.7-24trk-group-2returns-vst.als"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(r.format, SessionFormat::ableton_als);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(g.session.daw_version, "Ableton Live 9.7.1");
  EXPECT_EQ(count_nodes(g, NodeKind::track), 24u);      // 15 <AudioTrack> + 9 <MidiTrack>
  EXPECT_EQ(count_nodes(g, NodeKind::bus), 1u);         // 1 <GroupTrack> "Bass"
  EXPECT_EQ(count_nodes(g, NodeKind::aux_return), 2u);  // A-Reverb, B-Delay
  EXPECT_EQ(count_nodes(g, NodeKind::master), 1u);
  EXPECT_EQ(count_edges(g, EdgeKind::send), 6u);  // 54 slots, 6 above -inf
  const Node* bass = node_named(g, "Bass");
  ASSERT_TRUE(bass);
  std::size_t into_group = 0;
  for (const Edge& e : g.edges) into_group += e.kind == EdgeKind::direct_output && e.to == bass->id;
  EXPECT_EQ(into_group, 2u);  // AudioOut/GroupTrack x2 (15-cool808, 16-cool808)
  EXPECT_EQ(count_nodes(g, NodeKind::hardware_output), 1u);  // master -> AudioOut/External/S0
  EXPECT_TRUE(node_named(g, "fx stems")->mute);              // Speaker off
  EXPECT_NEAR(node_named(g, "audio samp")->fader_db, 0.0, 1e-9);
  for (const char* category : {"tracks", "outputs", "sends"}) {
    const auto& c = r.coverage.categories.at(category);
    EXPECT_EQ(c.mapped, c.found) << category;  // 100% of tracks, outputs and sends
  }
  EXPECT_EQ(r.coverage.categories.at("tracks").found, 28u);
  EXPECT_EQ(r.coverage.categories.at("sends").found, 54u);
}

TEST(ImportAbleton, Live81SetReadsValuesFromAutomationDefaults) {
  const auto r = import_session_file(fixture("ableton/live8.1-16trk-group-2returns.als"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(count_nodes(g, NodeKind::track), 16u);  // 5 audio + 11 MIDI
  EXPECT_EQ(count_nodes(g, NodeKind::bus), 1u);
  EXPECT_EQ(count_nodes(g, NodeKind::aux_return), 2u);
  EXPECT_EQ(count_edges(g, EdgeKind::send), 0u);  // 38 slots, all at -inf
  std::size_t into_group = 0;
  for (const Edge& e : g.edges)
    into_group += e.kind == EdgeKind::direct_output && e.to == g.nodes[0].id;
  EXPECT_EQ(into_group, 4u);  // AudioOut/GroupTrack x4
  for (const char* category : {"tracks", "outputs", "sends"})
    EXPECT_EQ(r.coverage.categories.at(category).mapped, r.coverage.categories.at(category).found)
        << category;
  EXPECT_EQ(g.nodes[1].name, "2 Audio");  // Live 8 leaves default names unsaved
}

TEST(ImportAbleton, Live12MainTrackAndOneAudioTrack) {
  const auto r = import_session_file(fixture("ableton/live12-1trk-automation.als"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(r.graph->session.daw_version, "Ableton Live 12.0b16");
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 1u);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::master), 1u);  // <MainTrack> since Live 12
  const Node* audio = node_named(*r.graph, "1-Audio");
  ASSERT_TRUE(audio);
  EXPECT_TRUE(std::any_of(r.graph->edges.begin(), r.graph->edges.end(), [&](const Edge& e) {
    return e.from == audio->id && e.to == "master";
  }));  // AudioOut/Main
}

// Racks keep their devices in chains of their own (Branches/*Branch/DeviceChain/…/Devices); the
// Live 9.7 set's "piano" holds an Instrument Rack with a Glue Compressor inside, "15-cool808" a
// rack with a Compressor and, beside it, OTT (Multiband Dynamics): all of them take a key.
TEST(ImportAbleton, DevicesInsideRacksAreReadAndEveryDeviceWithASidechainTakesAKey) {
  const auto r = import_session_file(fixture("ableton/live9.7-24trk-group-2returns-vst.als"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const auto plugin = [&](const std::string& track, const std::string& name) -> const Plugin* {
    const Node* n = node_named(*r.graph, track);
    if (!n) return nullptr;
    for (const Plugin& p : n->plugins)
      if (p.name == name) return &p;
    return nullptr;
  };
  const Plugin* glue = plugin("piano", "Grand Piano \u203a GlueCompressor");
  ASSERT_TRUE(glue) << "the compressor inside the piano's rack";
  EXPECT_TRUE(glue->sidechain_input);
  const Plugin* comp = plugin("15-cool808", "InstrumentGroupDevice \u203a Compressor2");
  ASSERT_TRUE(comp);
  EXPECT_TRUE(comp->sidechain_input);
  ASSERT_TRUE(plugin("15-cool808", "OTT"));
  EXPECT_TRUE(plugin("15-cool808", "OTT")->sidechain_input);  // Multiband Dynamics
  EXPECT_FALSE(plugin("15-cool808", "Saturator")->sidechain_input);
  EXPECT_TRUE(plugin("junio chords", "AutoFilter")->sidechain_input);
  // 127 devices: 30 at the top of the chains, 97 inside racks (counted in the XML by hand).
  EXPECT_EQ(r.coverage.categories.at("plugins").found, 127u);
  EXPECT_EQ(r.coverage.categories.at("plugins").mapped, 127u);
}

// Live and other tools also save a set as plain XML: the same set uncompressed reads the same.
TEST(ImportAbleton, AnUncompressedSetReadsLikeTheCompressedOne) {
  testing::TempDir dir;
  const std::string packed = read_bytes(fixture("ableton/live9.7-24trk-group-2returns-vst.als"));
  z_stream z{};
  inflateInit2(&z, 16 + MAX_WBITS);
  std::string plain(16u << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  z.next_out = reinterpret_cast<Bytef*>(plain.data());
  z.avail_out = static_cast<uInt>(plain.size());
  ASSERT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  plain.resize(z.total_out);
  inflateEnd(&z);
  ASSERT_EQ(plain.rfind("<?xml", 0), 0u);
  const auto path = dir / "plain.als";
  {
    std::ofstream out(path, std::ios::binary);
    out << plain;
  }
  const auto a = import_session_file(fixture("ableton/live9.7-24trk-group-2returns-vst.als"));
  const auto b = import_session_file(path);
  ASSERT_TRUE(b.graph) << first_error(b);
  EXPECT_EQ(b.format, SessionFormat::ableton_als);
  ASSERT_TRUE(a.graph);
  RouteGraph named = *b.graph;
  named.session.name = a.graph->session.name;  // the file's name
  EXPECT_TRUE(named == *a.graph);
}

TEST(ImportAbleton, GzipBombTruncationAndNonLiveXml) {
  const std::string bomb = gzip(std::string(300u * 1024 * 1024, ' '));
  auto r = import_ableton(bomb, "bomb");
  EXPECT_FALSE(r.graph);
  EXPECT_NE(first_error(r).find("gzip bomb"), std::string::npos) << first_error(r);
  const std::string real = read_bytes(fixture("ableton/live12-1trk-automation.als"));
  r = import_ableton(real.substr(0, real.size() / 2), "cut");
  EXPECT_FALSE(r.graph);
  EXPECT_NE(first_error(r).find("truncated"), std::string::npos) << first_error(r);
  r = import_ableton(gzip("<Other/>"), "other");
  EXPECT_NE(first_error(r).find("not an Ableton Live set"), std::string::npos);
  r = import_ableton(gzip("<Ableton><LiveSet><Tracks><AudioTrack Id=\"1\""), "broken");
  EXPECT_NE(first_error(r).find("not well-formed XML"), std::string::npos);
}

TEST(ImportCoverage, EveryFixtureReportsItsCategoriesAndAnalyzesAndDraws) {
  std::size_t files = 0;
  for (const auto& folder : {"reaper", "ardour", "dawproject", "ableton"})
    for (const auto& entry : std::filesystem::directory_iterator(fixture(folder))) {
      const std::string f = entry.path().string();
      if (f.find("legacy-0.1-json") != std::string::npos) continue;  // refused by design
      ++files;
      const auto r = import_session_file(f);
      ASSERT_TRUE(r.graph) << f << ": " << first_error(r);
      ASSERT_TRUE(r.coverage.categories.contains("tracks")) << f;
      for (const auto& [category, c] : r.coverage.categories)
        EXPECT_LE(c.mapped, c.found) << f << " " << category;
      const auto findings = analyze(*r.graph);
      const Rendered svg = render_dot(route_map_dot(*r.graph, findings), "svg");
      EXPECT_TRUE(svg.data) << f << ": " << svg.error;
    }
  EXPECT_EQ(files, 17u);  // 6 REAPER, 6 Ardour, 2 DAWproject (zip and plain XML), 3 Ableton
  for (const char* f : {"reaper/film-template-120trk-aux-sends-r6.04.rpp",
                        "ardour/ardour7.3-demo-buses-aux-sends-generated.ardour",
                        "dawproject/bitwig5.1.6-canon-fx-send.dawproject",
                        "ableton/live9.7-24trk-group-2returns-vst.als"}) {
    const auto r = import_session_file(fixture(f));
    ASSERT_TRUE(r.graph) << f;
    ASSERT_TRUE(r.coverage.categories.contains("tracks")) << f;
    EXPECT_GT(r.coverage.categories.at("tracks").found, 0u) << f;
    for (const auto& [category, c] : r.coverage.categories)
      EXPECT_LE(c.mapped, c.found) << f << " " << category;
  }
  const auto rpp = import_session_file(fixture("reaper/film-template-120trk-aux-sends-r6.04.rpp"));
  EXPECT_EQ(rpp.coverage.categories.at("tracks").found, 120u);
  EXPECT_EQ(rpp.coverage.categories.at("sends").mapped, 90u);
}

}  // namespace routewise
