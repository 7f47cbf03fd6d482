// The live mixer as both protocol sides meet it: who is told what, refusals, names matched to the
// session's nodes, sends by the node they feed, the live graph and its cache.
#include "routewise/live/live_mixer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "../../support/graph_builder.hpp"
#include "routewise/model/graph_check.hpp"

namespace routewise {
namespace {

struct Recorder : LiveMixer::Listener {
  std::vector<LiveMixer::ValueChange> values;
  int structures = 0, transports = 0;
  std::vector<LinkState> links;
  bool carries = false;
  std::vector<MixerRequest> requests;
  void value_changed(const LiveMixer::ValueChange& c) override { values.push_back(c); }
  void structure_changed() override { ++structures; }
  void transport_changed() override { ++transports; }
  void link_changed(LinkState s) override { links.push_back(s); }
  bool requested(const MixerRequest& r) override {
    requests.push_back(r);
    return carries;
  }
};

RouteGraph session() {
  testing::GraphBuilder b;
  b.node("kick", NodeKind::track, "Kick");
  b.node("snare", NodeKind::track, "Snare");
  b.node("verb", NodeKind::aux_return, "Verb");
  b.master();
  b.output("kick", "master");
  b.output("snare", "master");
  b.output("verb", "master");
  b.send("snare", "verb", -12.0);
  return b.build();
}

// A mixer as a DAW link leaves it after a sync: three strips named, the DAW reachable.
struct Synced {
  LiveMixer mixer{session()};
  Recorder daw, surface, gui;
  Synced() {
    mixer.add_listener(daw);
    mixer.add_listener(surface);
    mixer.add_listener(gui);
    mixer.set_link(LinkState::live, &daw);
    mixer.name_strip(1, "Kick", "AT", &daw);
    mixer.name_strip(2, "Snare", "AT", &daw);
    mixer.name_strip(3, "Verb", "B", &daw);
    for (Recorder* r : {&daw, &surface, &gui}) {
      r->values.clear();
      r->structures = 0;
    }
  }
  ~Synced() {
    mixer.remove_listener(daw);
    mixer.remove_listener(surface);
    mixer.remove_listener(gui);
  }
};

TEST(LiveMixer, AChangeReachesEveryListenerButItsOrigin) {
  Synced s;
  ASSERT_TRUE(s.mixer.set("kick", MixerControl::gain_db, -6.0, &s.surface));
  EXPECT_TRUE(s.surface.values.empty()) << "the writer heard its own change";
  ASSERT_EQ(s.daw.values.size(), 1u);
  ASSERT_EQ(s.gui.values.size(), 1u);
  EXPECT_EQ(s.daw.values[0].node_id, "kick");
  EXPECT_EQ(s.daw.values[0].control, MixerControl::gain_db);
  EXPECT_DOUBLE_EQ(s.daw.values[0].value, -6.0);
  EXPECT_EQ(s.daw.values[0].origin, &s.surface);
  EXPECT_DOUBLE_EQ(s.mixer.strip("kick")->gain_db, -6.0);
  // What the DAW reports goes to the surface and the GUI, never back to the DAW.
  ASSERT_TRUE(s.mixer.set("snare", MixerControl::mute, 1.0, &s.daw));
  EXPECT_EQ(s.daw.values.size(), 1u);
  ASSERT_EQ(s.surface.values.size(), 1u);
  EXPECT_EQ(s.surface.values[0].origin, &s.daw);
  EXPECT_TRUE(s.mixer.strip("snare")->mute);
}

TEST(LiveMixer, ALocalWriteIsPassedOnEvenAtTheValueHeld) {
  Synced s;
  s.mixer.set("kick", MixerControl::gain_db, -3.0, &s.daw);
  s.daw.values.clear();
  // The hand puts the fader where the mixer has it; the DAW may hold another value by now.
  ASSERT_TRUE(s.mixer.set("kick", MixerControl::gain_db, -3.0, &s.surface));
  EXPECT_EQ(s.daw.values.size(), 1u);
}

TEST(LiveMixer, LocalChangesAreRefusedWhileTheDawCannotBeReached) {
  Synced s;
  s.mixer.set_link(LinkState::lost, &s.daw);
  ASSERT_EQ(s.surface.links.back(), LinkState::lost);
  EXPECT_FALSE(s.mixer.writable());
  EXPECT_FALSE(s.mixer.set("kick", MixerControl::gain_db, -20.0, &s.surface));
  EXPECT_DOUBLE_EQ(s.mixer.strip("kick")->gain_db, 0.0);
  EXPECT_TRUE(s.daw.values.empty());
  s.mixer.set_link(LinkState::syncing, &s.daw);
  EXPECT_TRUE(s.mixer.set("kick", MixerControl::gain_db, -20.0, &s.surface));
  EXPECT_FALSE(s.mixer.set("no-such-node", MixerControl::gain_db, 0.0, &s.surface));
}

TEST(LiveMixer, StripsAreMatchedByNameAndKeepTheirNodeThroughARename) {
  Synced s;
  EXPECT_EQ(s.mixer.strip_at(2)->node_id, "snare");
  EXPECT_TRUE(s.mixer.mismatches().empty());
  s.mixer.name_strip(2, "Snare Top", "", &s.daw);
  EXPECT_EQ(s.surface.structures, 1);
  EXPECT_EQ(s.mixer.strip_at(2)->node_id, "snare");  // the same strip, a new name
  EXPECT_EQ(s.mixer.strip_at(2)->type, "AT");
  EXPECT_EQ(s.mixer.graph().nodes[1].name, "Snare Top");
  // A strip the session does not have is mirrored without routing, and said.
  s.mixer.name_strip(4, "Room", "AT", &s.daw);
  EXPECT_EQ(s.mixer.strip_at(4)->node_id, "strip-4");
  ASSERT_EQ(s.mixer.mismatches().size(), 1u);
  EXPECT_NE(s.mixer.mismatches()[0].find("'Room' is on the DAW's mixer but not in the session"),
            std::string::npos);
  s.mixer.remove_strip(4, &s.daw);
  EXPECT_EQ(s.gui.structures, 3);
  EXPECT_EQ(s.mixer.strip_at(4), nullptr);
}

TEST(LiveMixer, AValueBeforeItsStripsNameIsKeptAndToldToNobody) {
  LiveMixer mixer(session());
  Recorder gui;
  mixer.add_listener(gui);
  mixer.set_link(LinkState::syncing, nullptr);
  mixer.set_at(1, MixerControl::gain_db, -9.0, nullptr);
  EXPECT_TRUE(gui.values.empty());
  EXPECT_EQ(mixer.strip("kick"), nullptr);
  mixer.name_strip(1, "Kick", "AT", nullptr);
  ASSERT_NE(mixer.strip("kick"), nullptr);
  EXPECT_TRUE(mixer.strip("kick")->has_gain);
  EXPECT_DOUBLE_EQ(mixer.graph().nodes[0].fader_db, -9.0);
  mixer.remove_listener(gui);
}

TEST(LiveMixer, SendsAreAddressedByTheNodeTheyFeedAndMovedLevelsAreNews) {
  Synced s;
  s.mixer.set_sends(2, {LiveSend{{}, "Verb", 1, -10.0, true}}, &s.daw);
  ASSERT_EQ(s.mixer.strip("snare")->sends.size(), 1u);
  EXPECT_EQ(s.mixer.strip("snare")->sends[0].target_node_id, "verb");
  ASSERT_EQ(s.gui.values.size(), 1u);  // first listed: its level is news
  s.mixer.set_sends(2, {LiveSend{{}, "Verb", 1, -10.0, true}}, &s.daw);
  EXPECT_EQ(s.gui.values.size(), 1u);  // read again, unchanged: nothing
  s.mixer.set_sends(2, {LiveSend{{}, "Verb", 1, -4.0, true}}, &s.daw);
  ASSERT_EQ(s.gui.values.size(), 2u);
  EXPECT_EQ(s.gui.values[1].control, MixerControl::send_level);
  EXPECT_EQ(s.gui.values[1].target_node_id, "verb");
  // A local send move goes to the DAW by the node it feeds.
  s.daw.values.clear();
  EXPECT_TRUE(s.mixer.set_send("snare", "verb", -2.0, &s.surface));
  ASSERT_EQ(s.daw.values.size(), 1u);
  EXPECT_EQ(s.daw.values[0].target_node_id, "verb");
  EXPECT_FALSE(s.mixer.set_send("snare", "master", -2.0, &s.surface));  // no such send
  // The live graph carries the DAW's level, held to the fader ceiling.
  s.mixer.set_sends(2, {LiveSend{{}, "Verb", 1, 40.0, false}}, &s.daw);
  const RouteGraph& g = s.mixer.graph();
  const auto send = std::find_if(g.edges.begin(), g.edges.end(), [](const Edge& e) {
    return e.kind == EdgeKind::send && e.from == "snare" && e.to == "verb";
  });
  ASSERT_NE(send, g.edges.end());
  EXPECT_DOUBLE_EQ(send->level_db, 24.0);
  EXPECT_TRUE(send->mute);
}

TEST(LiveMixer, TheLiveGraphIsBuiltAgainOnlyAfterAChange) {
  Synced s;
  const RouteGraph* first = &s.mixer.graph();
  const auto version = s.mixer.version();
  EXPECT_EQ(&s.mixer.graph(), first);
  EXPECT_EQ(s.mixer.version(), version);
  s.mixer.set("kick", MixerControl::gain_db, 30.0, &s.daw);
  EXPECT_GT(s.mixer.version(), version);
  EXPECT_DOUBLE_EQ(s.mixer.graph().nodes[0].fader_db, 24.0);  // held to the route map's range
  s.mixer.set_meter("kick", -14.5);
  EXPECT_DOUBLE_EQ(s.mixer.graph().nodes[0].measured.peak_dbfs.value_or(0), -14.5);
  EXPECT_TRUE(s.gui.values.size() == 1u) << "a meter reading is state, not news";
}

TEST(LiveMixer, TheMasterAndTheTransport) {
  Synced s;
  EXPECT_EQ(s.mixer.master_node_id(), "master");
  s.mixer.set("master", MixerControl::gain_db, -1.5, &s.daw);
  s.mixer.set("master", MixerControl::mute, 1.0, &s.daw);
  EXPECT_EQ(s.mixer.master_gain_db(), -1.5);
  EXPECT_EQ(s.mixer.master_mute(), true);
  EXPECT_EQ(s.surface.values.size(), 2u);
  s.mixer.set_transport(TransportControl::play, true, &s.daw);
  s.mixer.set_transport(TransportControl::play, true, &s.daw);  // repeated: no news
  s.mixer.set_timecode("00:00:01:00", &s.daw);
  EXPECT_TRUE(s.mixer.playing());
  EXPECT_EQ(s.surface.transports, 2);
  EXPECT_EQ(s.daw.transports, 0);
}

TEST(LiveMixer, RequestsAreCarriedByWhoeverCan) {
  Synced s;
  EXPECT_FALSE(s.mixer.request(TransportRequest{TransportControl::play}, &s.surface));
  s.daw.carries = true;
  EXPECT_TRUE(s.mixer.request(PluginBypassRequest{"kick", 1, true}, &s.surface));
  EXPECT_TRUE(s.surface.requests.empty());
  ASSERT_FALSE(s.daw.requests.empty());
  EXPECT_EQ(std::get<PluginBypassRequest>(s.daw.requests.back()).slot, 1);
}

TEST(LiveMixer, AListenerRemovedWhileTheOthersAreToldHearsNoMore) {
  Synced s;
  struct Remover : LiveMixer::Listener {
    LiveMixer* mixer;
    LiveMixer::Listener* other;
    void value_changed(const LiveMixer::ValueChange&) override { mixer->remove_listener(*other); }
  } remover;
  remover.mixer = &s.mixer;
  remover.other = &s.gui;
  s.mixer.remove_listener(s.gui);
  s.mixer.add_listener(remover);
  s.mixer.add_listener(s.gui);  // after the remover: removed before its turn
  s.mixer.set("kick", MixerControl::pan, 0.5, &s.daw);
  EXPECT_TRUE(s.gui.values.empty());
  s.mixer.remove_listener(remover);
}

}  // namespace
}  // namespace routewise

namespace routewise {
namespace {

TEST(LiveMixer, ValuesNoRouteMapHoldsNeverReachTheGraph) {
  // What a spoofing or broken peer may send: the live graph is what the store keeps and the rules
  // read, so it must stay one the route-map reader accepts.
  Synced s;
  s.mixer.set_at(1, MixerControl::gain_db, -6.0, &s.daw);
  s.mixer.set_at(1, MixerControl::gain_db, std::nan(""), &s.daw);
  s.mixer.set_at(1, MixerControl::gain_db, std::numeric_limits<double>::infinity(), &s.daw);
  s.mixer.set_at(1, MixerControl::pan, std::nan(""), &s.daw);
  s.mixer.set_at(1, MixerControl::trim_db, -std::numeric_limits<double>::infinity(), &s.daw);
  EXPECT_FALSE(s.mixer.set("kick", MixerControl::gain_db, std::nan(""), &s.gui));
  s.mixer.set_meter("kick", 1e30);
  s.mixer.set_meter("snare", -12.0);
  s.mixer.set_meter("snare", std::nan(""));
  s.mixer.set_sends(2, {LiveSend{"", "Verb", 1, std::nan(""), true}}, &s.daw);
  s.mixer.name_strip(3, "\t", "", &s.daw);
  s.mixer.name_strip(3, "", "", &s.daw);

  const RouteGraph& g = s.mixer.graph();
  EXPECT_DOUBLE_EQ(g.nodes[0].fader_db, -6.0);
  EXPECT_DOUBLE_EQ(g.nodes[0].pan, 0.0);
  EXPECT_DOUBLE_EQ(g.nodes[0].trim_db, 0.0);
  EXPECT_FALSE(g.nodes[0].measured.peak_dbfs.has_value()) << "+1e30 dBFS is no reading";
  ASSERT_TRUE(g.nodes[1].measured.peak_dbfs.has_value());
  EXPECT_DOUBLE_EQ(*g.nodes[1].measured.peak_dbfs, -12.0);
  EXPECT_EQ(g.nodes[2].name, "Verb") << "a blank rename keeps the name held";
  for (const Edge& e : g.edges) EXPECT_FALSE(std::isnan(e.level_db));
  EXPECT_TRUE(check_route_graph(g).ok());
  EXPECT_EQ(s.gui.structures, 0);
}

}  // namespace
}  // namespace routewise
