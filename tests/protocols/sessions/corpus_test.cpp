// The real-session corpus kept in this repository (tests/protocols/sessions/fixtures, origins and
// licences in SOURCES.md there): each file's routing summary, checked by hand against the file
// (the counts in the comments are of its elements and lines), and a coverage that lists whatever
// the summary does not hold.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "import_test_support.hpp"

namespace routewise {
namespace {

using namespace routewise::testing;

struct Expected {
  const char* file;
  const char* daw_version;
  std::map<NodeKind, std::size_t> nodes;
  std::size_t outputs, sends, sidechains;
  const char* why;  // where the counts come from
};

const Expected corpus[] = {
    {"reaper/ultraschall-soundboard-ducking-sidechain-ch3-4-reacomp-r5.35.rpp",
     "5.35/OSX64",
     {{NodeKind::master, 1}, {NodeKind::track, 3}, {NodeKind::hardware_output, 1}},
     3,
     1,
     2,
     "3 top-level <TRACK, each MAINSEND 1; 1 HWOUT (Soundboard); 2 AUXRECV into channels 3/4 "
     "keying ReaComp; the bare MASTERHWOUT names no output"},
    {"reaper/atk-ambisonic-4ch-nested-folders-r4.602.rpp",
     "4.602/OSX",
     {{NodeKind::master, 1},
      {NodeKind::bus, 4},
      {NodeKind::track, 1},
      {NodeKind::hardware_output, 1}},
     5,
     1,
     0,
     "ISBUS 1 1 x4 (folders) and one track closing them (ISBUS 2 -4); MASTERHWOUT 0 to 1/2"},
    {"reaper/ambix-16ch-track-to-2ch-master-crlf-r5.40.rpp",
     "5.40/x64",
     {{NodeKind::master, 1}, {NodeKind::track, 1}, {NodeKind::hardware_output, 1}},
     1,
     1,
     0,
     "one NCHAN 16 track, MAINSEND 1; MASTERHWOUT 0 to 1/2"},
    {"ableton/envelop-7instr-racks-ext-out-pairs-S3-S7-live9.2.2.als",
     "Ableton Live 9.2.2",
     {{NodeKind::master, 1},
      {NodeKind::track, 15},
      {NodeKind::aux_return, 2},
      {NodeKind::hardware_output, 6}},
     18,
     0,
     0,
     "5 <AudioTrack> + 10 <MidiTrack>, 2 <ReturnTrack>; 17 AudioOutputRouting targets (11 "
     "Master, External S0 and S3..S7) and the master's to S0; every send at -inf; the one "
     "Compressor2 sidechain is off"},
    {"ableton/danielbayley-default-set-uncompressed-live9.1.7.als",
     "Ableton Live 9.1.7",
     {{NodeKind::master, 1},
      {NodeKind::track, 2},
      {NodeKind::aux_return, 1},
      {NodeKind::hardware_output, 1}},
     4,
     0,
     0,
     "plain XML; 1 <AudioTrack>, 1 <MidiTrack>, 1 <ReturnTrack> out to the master, the master "
     "to External S0; 3 send slots at -inf"},
    {"ableton/dawtool-1audio-tempo120-live10.1.7.als",
     "Ableton Live 10.1.7",
     {{NodeKind::master, 1}, {NodeKind::track, 1}, {NodeKind::hardware_output, 1}},
     2,
     0,
     0,
     "1 <AudioTrack> to the master, the master to External S0"},
    {"ardour/logicalardour-midi-synths-extconnection-a8.4.ardour",
     "",
     {{NodeKind::master, 1}, {NodeKind::track, 2}, {NodeKind::hardware_output, 1}},
     3,
     0,
     0,
     "two MIDI tracks with instruments into the master; the master's ExtConnections to the "
     "sound card; the MIDI keyboard's ExtConnections are MIDI, no audio"},
    {"ardour/logicalardour-empty-template-extconnection-a8.4.ardour",
     "",
     {{NodeKind::master, 1}, {NodeKind::hardware_output, 1}},
     1,
     0,
     0,
     "the master alone, its ExtConnections to the sound card"},
    {"ardour/ardour7.3-monitor-section-vca-deactivated-made-here.ardour",
     "",
     {{NodeKind::master, 1}, {NodeKind::track, 3}, {NodeKind::hardware_input, 3}},
     6,
     0,
     0,
     "3 tracks into the master, their inputs from system:capture_1..3; the master's outputs go "
     "to the monitor section, which is not imported, nor are its 3 listen sends; 1 VCA named"},
    {"ardour/ardour7.3-port-send-into-ace-compressor-sidechain-made-here.ardour",
     "",
     {{NodeKind::master, 1},
      {NodeKind::track, 2},
      {NodeKind::hardware_input, 2},
      {NodeKind::hardware_output, 1}},
     5,
     0,
     1,
     "Kick and Bass into the master, the master to system:playback_1/2, inputs from "
     "system:capture_1/2; Kick's port send into the SC IO of Bass's ACE Compressor"},
};

TEST(Corpus, EveryRealFileReadsAsCheckedByHandAndItsCoverageListsWhatItLeftOut) {
  for (const Expected& x : corpus) {
    SCOPED_TRACE(std::string(x.file) + " (" + x.why + ")");
    const ImportResult r = import_session_file(repo_fixture(x.file));
    ASSERT_TRUE(r.graph) << first_error(r);
    const RouteGraph& g = *r.graph;
    if (*x.daw_version) {
      EXPECT_EQ(g.session.daw_version, x.daw_version);
    }
    std::size_t nodes = 0;
    for (const auto& [kind, count] : x.nodes) {
      EXPECT_EQ(count_nodes(g, kind), count) << to_string(kind);
      nodes += count;
    }
    EXPECT_EQ(g.nodes.size(), nodes) << "no node of another kind";
    EXPECT_EQ(count_edges(g, EdgeKind::direct_output), x.outputs);
    EXPECT_EQ(count_edges(g, EdgeKind::send), x.sends);
    EXPECT_EQ(count_edges(g, EdgeKind::sidechain), x.sidechains);
    // What a category found and did not map is listed by name: coverage never hides a drop.
    std::size_t unmapped = 0;
    for (const auto& [category, c] : r.coverage.categories) unmapped += c.found - c.mapped;
    EXPECT_EQ(r.coverage.unmapped.size(), unmapped);
  }
}

}  // namespace
}  // namespace routewise
