#include <gtest/gtest.h>

#include <cmath>

#include "import_test_support.hpp"
#include "rpp_tokenizer.hpp"

namespace routewise {
using namespace routewise::testing;

TEST(RppTokens, QuotesOfEveryKindAndBareTokensWithQuoteCharacters) {
  EXPECT_EQ(import::rpp_tokens(R"(NAME "Lead Vox")"),
            (std::vector<std::string>{"NAME", "Lead Vox"}));
  EXPECT_EQ(import::rpp_tokens(R"(NAME '"hey')"), (std::vector<std::string>{"NAME", "\"hey"}));
  EXPECT_EQ(import::rpp_tokens(R"(NAME hey")"), (std::vector<std::string>{"NAME", "hey\""}));
  EXPECT_EQ(import::rpp_tokens("NAME `it's \"both\"`"),
            (std::vector<std::string>{"NAME", "it's \"both\""}));
  EXPECT_EQ(import::rpp_tokens("AUXRECV 0 0 1 0 0 0 0 0 0 -1:U 0 -1 ''").back(), "");
  EXPECT_EQ(import::rpp_tokens("NAME \"unterminated quote").back(), "unterminated quote");
  EXPECT_TRUE(import::rpp_tokens("   ").empty());
}

TEST(ImportRpp, FilmTemplateHas120TracksAnd90ReceivesAnd104TracksWithoutMasterSend) {
  const auto r = import_session_file(fixture("reaper/film-template-120trk-aux-sends-r6.04.rpp"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(r.format, SessionFormat::reaper_rpp);
  EXPECT_EQ(g.nodes.size(), 122u);                 // 120 tracks, master, one hardware output
  EXPECT_EQ(count_edges(g, EdgeKind::send), 91u);  // 90 AUXRECV + MASTERHWOUT
  EXPECT_EQ(count_edges(g, EdgeKind::direct_output), 16u);  // 120 - 104 with MAINSEND 0
  EXPECT_EQ(count_edges(g, EdgeKind::sidechain), 0u);       // every AUXRECV uses channels 1/2
  EXPECT_EQ(count_nodes(g, NodeKind::bus), 0u);             // no folders
  EXPECT_EQ(g.session.sample_rate_hz, 44100);               // SAMPLERATE 44100 0 0
  std::size_t plugins = 0;
  for (const Node& n : g.nodes) plugins += n.plugins.size();
  EXPECT_EQ(plugins, 5u);
  EXPECT_TRUE(has_note(r, "REAPER does not store plugin latency: 5 plugins"));
}

TEST(ImportRpp, PerlenceFolderReceivesHardwareOutputAndTrickyNames) {
  const auto r = import_session_file(fixture("reaper/perlence-folder-sends-hwout-vst-r5.50.rpp"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(count_nodes(g, NodeKind::track) + count_nodes(g, NodeKind::bus) +
                count_nodes(g, NodeKind::aux_return),
            10u);
  EXPECT_EQ(count_nodes(g, NodeKind::bus), 1u);  // ISBUS 1 1: "|Beep Boop"
  const Node* boop = node_named(g, "Boop");
  const Node* folder = node_named(g, "|Beep Boop");
  ASSERT_TRUE(boop && folder);
  const auto boop_out = std::find_if(g.edges.begin(), g.edges.end(), [&](const Edge& e) {
    return e.from == boop->id && e.kind == EdgeKind::direct_output;
  });
  ASSERT_NE(boop_out, g.edges.end());
  EXPECT_EQ(boop_out->to, folder->id);  // a folder child sums into its folder
  EXPECT_EQ(count_nodes(g, NodeKind::hardware_output),
            2u);  // HWOUT (mono out 1) and MASTERHWOUT (1/2)
  EXPECT_EQ(g.session.sample_rate_hz, 44100);
  EXPECT_TRUE(node_named(g, "\"hey") && node_named(g, "hey\"") && node_named(g, "<") &&
              node_named(g, ">"));
  EXPECT_TRUE(node_named(
      g,
      "0123456789 "
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_'{|}~"));
  const Node* synth = node_named(g, "Synth");
  ASSERT_TRUE(synth);
  ASSERT_EQ(synth->plugins.size(), 1u);
  EXPECT_EQ(synth->plugins[0].name, "VSTi: ReaSynth (Cockos)");
  EXPECT_EQ(node_named(g, "Boop")->plugins[0].name, "JS: loser/3BandEQ");
}

TEST(ImportRpp, SmallSendReceiveProjectMatchesItsHandCheckedRouteMap) {
  const auto r = import_session_file(fixture("reaper/rppp-send-receive-auxvolenv-r6.25.rpp"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(*r.graph, expected("rppp-send-receive.json"));
}

TEST(ImportRpp, UltraschallTemplatesNestedChunksAndHardwareOutputs) {
  auto r = import_session_file(fixture("reaper/ultraschall-studiolink-soundboard-hwout-r6.25.rpp"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track) + count_nodes(*r.graph, NodeKind::aux_return),
            3u);
  const Node* studiolink = node_named(*r.graph, "StudioLink");
  ASSERT_TRUE(studiolink);
  std::size_t receives = 0, hw_sends = 0;
  for (const Edge& e : r.graph->edges) {
    if (e.kind == EdgeKind::send && e.to == studiolink->id) ++receives;
    if (e.kind == EdgeKind::send && e.from != "master" && e.to.rfind("hw-out", 0) == 0) ++hw_sends;
  }
  EXPECT_EQ(receives, 2u);  // the N-1 mix-minus
  EXPECT_EQ(hw_sends, 3u);
  EXPECT_EQ(node_named(*r.graph, "Soundboard")->channel_count, 4);
  r = import_session_file(fixture("reaper/ultraschall-soundboard-hwout-nested-chunks-r6.25.rpp"));
  ASSERT_TRUE(r.graph) << first_error(r);
  // 3 project tracks; the 20 <TRACK chunks inside <EXTENSIONS>/<SWSSNAPSHOT> are SWS snapshots, not
  // routing.
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 3u);
  // Soundboard's HWOUT; the bare "MASTERHWOUT" line (line 68) names no output: a note, no send.
  EXPECT_EQ(count_edges(*r.graph, EdgeKind::send), 1u);
  EXPECT_TRUE(has_note(r, "names no output channel")) << r.diagnostics.warnings.size();
  EXPECT_EQ(r.coverage.categories.at("outputs").found - r.coverage.categories.at("outputs").mapped,
            1u);
  EXPECT_EQ(count_edges(*r.graph, EdgeKind::direct_output), 3u);
  EXPECT_EQ(node_named(*r.graph, "Soundboard")->plugins.size(), 3u);
}

TEST(ImportRpp, YargTemplateOnReaper7HasAFolderAndFaderLevels) {
  const auto r = import_session_file(fixture("reaper/yarg-folder-24trk-r7.42-linux.rpp"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(count_nodes(g, NodeKind::track) + count_nodes(g, NodeKind::bus), 24u);
  EXPECT_EQ(count_nodes(g, NodeKind::bus), 1u);
  EXPECT_EQ(count_edges(g, EdgeKind::send), 1u);  // no AUXRECV or HWOUT; only MASTERHWOUT
  std::size_t non_unity = 0;
  for (const Node& n : g.nodes)
    non_unity += n.kind != NodeKind::master && std::fabs(n.fader_db) > 1e-9;
  EXPECT_EQ(non_unity, 5u);
  EXPECT_EQ(g.session.daw_version, "7.42/linux-x86_64");
}

TEST(ImportRpp, ReceiveIntoChannelsThreeAndFourIsASidechainKey) {
  const std::string rpp = R"rpp(<REAPER_PROJECT 0.1 "7.0" 1
  SAMPLERATE 48000 0 0
  <TRACK
    NAME Kick
    MAINSEND 1 0
  >
  <TRACK
    NAME Bass
    MAINSEND 1 0
    AUXRECV 0 3 1 0 0 0 0 0 2 -1:U 0 -1 ''
    <FXCHAIN
      BYPASS 0 0 0
      <VST "VST: ReaComp (Cockos)" reacomp.dll 0 "" 1919247213
        ZGF0YQ==
      >
    >
  >
>
)rpp";
  const auto r = import_rpp(rpp, "sc");
  ASSERT_TRUE(r.graph) << first_error(r);
  ASSERT_EQ(count_edges(*r.graph, EdgeKind::sidechain), 1u);
  const auto key = std::find_if(r.graph->edges.begin(), r.graph->edges.end(),
                                [](const Edge& e) { return e.kind == EdgeKind::sidechain; });
  EXPECT_EQ(key->plugin, "VST: ReaComp (Cockos)");
  EXPECT_EQ(key->tap, TapPoint::pre_fader);
  EXPECT_TRUE(node_named(*r.graph, "Bass")->plugins[0].sidechain_input);
  EXPECT_TRUE(has_note(r, "channels 3/4 of 'Bass'"));
}

}  // namespace routewise

namespace routewise {

// Ultraschall's ducking template (REAPER 5.35): the two speakers reach the 4-channel Soundboard
// track on channels 3/4, where ReaComp ducks the jingles under them. The chain starts with an
// instrument (the Soundboard player), which never takes a key.
TEST(ImportRpp, AKeyIntoChannelsThreeAndFourGoesToTheCompressorNotTheInstrumentAndCountsOnce) {
  const auto r = import_session_file(testing::repo_fixture(
      "reaper/ultraschall-soundboard-ducking-sidechain-ch3-4-reacomp-r5.35.rpp"));
  ASSERT_TRUE(r.graph) << testing::first_error(r);
  const Node* board = testing::node_named(*r.graph, "Soundboard");
  ASSERT_TRUE(board);
  EXPECT_EQ(board->kind, NodeKind::track) << "receives only keys and hosts an instrument";
  std::size_t keys = 0;
  for (const Edge& e : r.graph->edges)
    if (e.kind == EdgeKind::sidechain && e.to == board->id) {
      ++keys;
      EXPECT_EQ(e.plugin, "VST: ReaComp (Cockos)");
    }
  EXPECT_EQ(keys, 2u);
  for (const Plugin& p : board->plugins)
    EXPECT_EQ(p.sidechain_input, p.name == "VST: ReaComp (Cockos)") << p.name;
  EXPECT_EQ(r.coverage.categories.at("sidechains").found, 2u);
  EXPECT_EQ(r.coverage.categories.count("sends"), 0u) << "a key is not also a send";
  EXPECT_TRUE(testing::has_note(r,
                                "receive into channels 3/4 of 'Soundboard' imported as a "
                                "sidechain key to 'VST: ReaComp (Cockos)'"));
}

}  // namespace routewise
