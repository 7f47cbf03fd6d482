#include <gtest/gtest.h>

#include <algorithm>

#include "../../support/temp_dir.hpp"
#include "import_test_support.hpp"

namespace routewise {
using namespace routewise::testing;

TEST(ImportArdour, Ardour73DemoMatchesItsHandCheckedRouteMap) {
  const auto r =
      import_session_file(fixture("ardour/ardour7.3-demo-buses-aux-sends-generated.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(r.format, SessionFormat::ardour_xml);
  EXPECT_EQ(*r.graph, expected("ardour7.3-demo.json"));
  // What SOURCES.md says Ardour saved: 7 tracks, 2 group buses, 2 returns, 4 aux sends.
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 7u);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::bus), 2u);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::aux_return), 2u);
  EXPECT_EQ(count_edges(*r.graph, EdgeKind::send), 4u);
  EXPECT_NEAR(node_named(*r.graph, "Kick")->fader_db, -3.0, 1e-6);
  EXPECT_NEAR(node_named(*r.graph, "Drum Bus")->fader_db, 2.0, 1e-6);
}

// Ardour 7.5 and later keep every connection to a port outside the session as <ExtConnection>:
// the master's outputs to the sound card were dropped, with coverage at 100 %. MIDI ports carry no
// audio: the MIDI keyboard is no hardware input of the mix.
TEST(ImportArdour, Ardour8HardwareConnectionsAreReadFromExtConnectionAndMidiIsNoAudio) {
  const auto r = import_session_file(
      repo_fixture("ardour/logicalardour-midi-synths-extconnection-a8.4.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  ASSERT_EQ(count_nodes(g, NodeKind::hardware_output), 1u);
  EXPECT_EQ(count_nodes(g, NodeKind::hardware_input), 0u) << "a MIDI keyboard became audio";
  const Node* card = nullptr;
  for (const Node& n : g.nodes)
    if (n.kind == NodeKind::hardware_output) card = &n;
  EXPECT_EQ(card->name,
            "Built-in Audio Analog Stereo:playback_FL + Built-in Audio Analog Stereo:playback_FR");
  EXPECT_EQ(card->channel_count, 2);
  const Node* master = node_named(g, "Master");
  ASSERT_NE(master, nullptr);
  EXPECT_TRUE(std::any_of(g.edges.begin(), g.edges.end(), [&](const Edge& e) {
    return e.kind == EdgeKind::direct_output && e.from == master->id && e.to == card->id;
  }));
  // Both MIDI tracks reach the master through their instruments' audio outputs.
  for (const char* track : {"Dance Drums", "Ace Fluid Synth Session"}) {
    const Node* t = node_named(g, track);
    ASSERT_NE(t, nullptr) << track;
    EXPECT_TRUE(std::any_of(g.edges.begin(), g.edges.end(), [&](const Edge& e) {
      return e.kind == EdgeKind::direct_output && e.from == t->id && e.to == master->id;
    })) << track;
  }
  const auto hw = r.coverage.categories.find("hardware I/O");
  ASSERT_NE(hw, r.coverage.categories.end());
  EXPECT_EQ(hw->second.found, 2u);
  EXPECT_EQ(hw->second.mapped, 2u);
}

TEST(ImportArdour, Ardour8EmptyTemplatePlaysThroughTheSoundCard) {
  const auto r = import_session_file(
      repo_fixture("ardour/logicalardour-empty-template-extconnection-a8.4.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::master), 1u);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::hardware_output), 1u);
  EXPECT_EQ(count_edges(*r.graph, EdgeKind::direct_output), 1u);
}

TEST(ImportArdour, VirtualPlayingOrchestraHasThirtyAuxSendsIntoThreeReverbs) {
  const auto r =
      import_session_file(fixture("ardour/vpo-orchestra-34routes-aux-sends-lv2-a6.9.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(count_nodes(g, NodeKind::track), 30u);
  EXPECT_EQ(count_nodes(g, NodeKind::aux_return), 3u);
  EXPECT_EQ(count_nodes(g, NodeKind::master), 1u);
  EXPECT_EQ(count_edges(g, EdgeKind::send), 30u);
  std::size_t plugins = 0;
  for (const Node& n : g.nodes) plugins += n.plugins.size();
  EXPECT_EQ(plugins, 33u);
  EXPECT_TRUE(has_note(r, "33 plugins without a stored latency"));
}

TEST(ImportArdour, Ardour2LegacySendsAndSubgroup) {
  const auto r = import_session_file(fixture("ardour/ardour2-bookpoint-sends-subgroup.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(g.session.daw_version, "2.0.0");
  EXPECT_EQ(count_nodes(g, NodeKind::track) + count_nodes(g, NodeKind::bus) +
                count_nodes(g, NodeKind::aux_return) + count_nodes(g, NodeKind::master),
            10u);
  const Node* reverb = node_named(g, "Reverb");
  const Node* vocals = node_named(g, "Vocals");
  ASSERT_TRUE(reverb && vocals);
  std::size_t into_reverb = 0;
  for (const Edge& e : g.edges) into_reverb += e.kind == EdgeKind::send && e.to == reverb->id;
  EXPECT_EQ(into_reverb, 5u);
  for (const char* v : {"Vocal1", "Vocal2"}) {
    const Node* n = node_named(g, v);
    ASSERT_TRUE(n);
    EXPECT_TRUE(std::any_of(g.edges.begin(), g.edges.end(), [&](const Edge& e) {
      return e.from == n->id && e.to == vocals->id && e.kind == EdgeKind::direct_output;
    })) << v;
  }
  std::size_t plugins = 0;
  for (const Node& n : g.nodes) plugins += n.plugins.size();
  EXPECT_EQ(plugins, 19u);
}

TEST(ImportArdour, ThirtyTwoTracksAndTheTemplates) {
  auto r = import_session_file(fixture("ardour/ardour3-32tracks.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 32u);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::master), 1u);
  r = import_session_file(fixture("ardour/ardour6-2track-template.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 2u);
  EXPECT_TRUE(has_note(r, "48000 Hz assumed"));
  r = import_session_file(fixture("ardour/podcast-n-minus-1-studiolink-a5.3.ardour"));
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_EQ(count_nodes(*r.graph, NodeKind::track), 3u);
  const Node* studiolink = node_named(*r.graph, "StudioLink");
  ASSERT_TRUE(studiolink);
  EXPECT_EQ(studiolink->kind, NodeKind::bus);
  EXPECT_EQ(studiolink->plugins.size(), 1u);
  std::size_t into = 0;
  for (const Edge& e : r.graph->edges)
    into += e.to == studiolink->id && e.kind == EdgeKind::direct_output;
  EXPECT_GE(into, 2u);  // the mix-minus is built from port connections
}

TEST(ImportArdour, SendToAMissingRouteIsANoteNotASilentDrop) {
  const std::string xml = R"(<?xml version="1.0"?>
<Session version="7003" name="S" sample-rate="48000"><Routes>
  <Route id="1" name="Vox"><PresentationInfo flags="AudioTrack"/>
    <Processor id="5" name="Amp" type="amp" active="1"><Controllable name="gaincontrol" value="0.5"/></Processor>
    <Processor id="6" name="Verb" type="intsend" target="99" active="1"><Controllable name="gaincontrol" value="1"/></Processor>
  </Route></Routes></Session>)";
  const auto r = import_ardour(xml, "S");
  ASSERT_TRUE(r.graph) << first_error(r);
  EXPECT_TRUE(has_note(r, "targets route id 99, which is not in the session"));
  EXPECT_NEAR(r.graph->nodes[0].fader_db, -6.0206, 1e-3);
}

}  // namespace routewise

namespace routewise {

// Made with real Ardour 7.3 (the script beside it): the monitor section, its listen sends, a VCA
// and a deactivated route, which the import once read as a cue mix fed by three sends, dropped
// without a word, and passed as a live track.
TEST(ImportArdour, MonitorSectionListenSendsVcasAndADeactivatedRouteAreReadForWhatTheyAre) {
  const auto r = import_session_file(
      testing::repo_fixture("ardour/ardour7.3-monitor-section-vca-deactivated-made-here.ardour"));
  ASSERT_TRUE(r.graph) << testing::first_error(r);
  const RouteGraph& g = *r.graph;
  EXPECT_EQ(testing::count_nodes(g, NodeKind::cue_mix), 0u) << "the monitor section is no cue mix";
  EXPECT_FALSE(testing::node_named(g, "Monitor"));
  EXPECT_EQ(testing::count_edges(g, EdgeKind::send), 0u) << "listen sends are not mix routing";
  EXPECT_EQ(testing::count_nodes(g, NodeKind::track), 3u);
  EXPECT_TRUE(testing::node_named(g, "Spare Gtr")->mute) << "deactivated: passes no audio";
  EXPECT_FALSE(testing::node_named(g, "Snare")->mute);
  const auto& monitor = r.coverage.categories.at("monitor sends");
  EXPECT_EQ(monitor.found, 3u);
  EXPECT_EQ(monitor.mapped, 0u);
  const auto& vcas = r.coverage.categories.at("VCAs");
  EXPECT_EQ(vcas.found, 1u);
  EXPECT_TRUE(testing::has_note(r, "VCA 'Drums VCA' at -4.0 dB scales 'Kick', 'Snare'"));
  EXPECT_TRUE(testing::has_note(r, "'Spare Gtr' is deactivated"));
  // Nothing the analysis says runs through the monitor section.
  for (const Edge& e : g.edges) EXPECT_NE(e.to, "monitor");
}

}  // namespace routewise

namespace routewise {

// Made with real Ardour 7.3: a port send from Kick into the sidechain input of Bass's ACE
// Compressor, which the import once dropped as "connected nowhere".
TEST(ImportArdour, APortSendIntoAPluginsSidechainIsThatPluginsKey) {
  const auto r = import_session_file(testing::repo_fixture(
      "ardour/ardour7.3-port-send-into-ace-compressor-sidechain-made-here.ardour"));
  ASSERT_TRUE(r.graph) << testing::first_error(r);
  const RouteGraph& g = *r.graph;
  const Node* kick = testing::node_named(g, "Kick");
  const Node* bass = testing::node_named(g, "Bass");
  ASSERT_TRUE(kick && bass);
  ASSERT_EQ(testing::count_edges(g, EdgeKind::sidechain), 1u);
  for (const Edge& e : g.edges)
    if (e.kind == EdgeKind::sidechain) {
      EXPECT_EQ(e.from, kick->id);
      EXPECT_EQ(e.to, bass->id);
      EXPECT_EQ(e.plugin, "ACE Compressor");
      EXPECT_EQ(e.tap, TapPoint::post_fader);  // the send sits after Kick's fader
    }
  EXPECT_EQ(testing::count_edges(g, EdgeKind::send), 0u);
  EXPECT_TRUE(bass->plugins.at(0).sidechain_input);
  EXPECT_EQ(r.coverage.categories.at("sidechains").found, 1u);
  EXPECT_EQ(r.coverage.categories.at("sidechains").mapped, 1u);
  EXPECT_EQ(r.coverage.categories.count("sends"), 0u);
  EXPECT_FALSE(testing::has_note(r, "connected nowhere"));
}

}  // namespace routewise

namespace routewise {

// The Ardour 7.3 session made here, with its sound card's capture port renamed as PulseAudio's
// JACK bridge names them ("client:front/left"): a '/' in a hardware port once dropped the input.
TEST(ImportArdour, AHardwarePortWithASlashInItsNameIsStillHardware) {
  std::string xml = testing::read_bytes(testing::repo_fixture(
      "ardour/ardour7.3-port-send-into-ace-compressor-sidechain-made-here.ardour"));
  for (std::size_t at = xml.find("system:capture_1"); at != std::string::npos;
       at = xml.find("system:capture_1", at))
    xml.replace(at, 16, "PulseAudio JACK Source:front/left");
  const auto r = import_ardour(xml, "slash");
  ASSERT_TRUE(r.graph) << testing::first_error(r);
  const Node* in = testing::node_named(*r.graph, "PulseAudio JACK Source:front/left");
  ASSERT_TRUE(in) << "the renamed capture port is a hardware input";
  EXPECT_EQ(in->kind, NodeKind::hardware_input);
  EXPECT_FALSE(testing::has_note(r, "which is no route or hardware port"));
}

}  // namespace routewise
