// The mirror in the REAPER dialect against a scripted REAPER on 127.0.0.1 that answers the way the
// Default.ReaperOSC pattern file says: names, dB volumes, mutes, pans per /track/N/.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "../../support/live_link.hpp"
#include "routewise/daw/osc_dialect.hpp"
#include "routewise/daw/reaper_simulator.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;

struct FakeReaper {
  OscEndpoint endpoint{OscEndpointOptions{}};
  std::vector<OscMessage> received;
  std::optional<OscPeer> device;  // REAPER sends to the device address from its preferences
  std::vector<std::pair<std::string, double>> tracks{{"Kick", -3}, {"Bass", -6}, {"Vox", 0}};

  void poll() {
    endpoint.poll(2ms, [this](const OscPeer&, const OscMessage& m) {
      received.push_back(m);
      if (m.path == "/action" && m.number(0) == 41743.0 && device) send_all();
    });
  }
  void send_all() {
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      const std::string base = "/track/" + std::to_string(i + 1) + "/";
      endpoint.send(*device, {base + "name", {tracks[i].first}});
      endpoint.send(*device, {base + "volume/db", {static_cast<float>(tracks[i].second)}});
      endpoint.send(*device, {base + "volume", {0.7f}});  // normalised: not mirrored
      endpoint.send(*device, {base + "mute", {0.0f}});
      endpoint.send(*device, {base + "pan", {0.25f}});
    }
  }
};

// Tracks t1..tN named "Track N" with fader -(N % 24) dB, so every strip is told apart by its level.
RouteGraph tracks_session(const std::string& name, int tracks) {
  RouteGraph g;
  g.session.name = name;
  for (int i = 1; i <= tracks; ++i) {
    Node n;
    n.id = "t" + std::to_string(i);
    n.name = "Track " + std::to_string(i);
    n.fader_db = -static_cast<double>(i % 24);
    g.nodes.push_back(n);
  }
  return g;
}

// Both peers take turns in this thread until done() or the limit; a null reaper is one that quit.
template <class Done>
std::chrono::steady_clock::duration run_until(testing::LiveLink& mirror, ReaperSimulator* reaper,
                                              Done done, std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (!done() && std::chrono::steady_clock::now() - start < limit) {
    if (reaper) reaper->poll(2ms);
    mirror.poll(2ms);
  }
  return std::chrono::steady_clock::now() - start;
}

}  // namespace

TEST(ReaperMirror, SyncsByRefreshActionAndWritesDbAddresses) {
  FakeReaper reaper;
  DawLinkOptions options;
  options.dialect = &reaper_dialect();
  options.daw_port = reaper.endpoint.port();
  options.settle = 100ms;
  testing::LiveLink mirror(RouteGraph{}, options);
  reaper.device = make_peer("127.0.0.1", mirror.listen_port());
  for (int i = 0; i < 500 && !mirror.synced(); ++i) {
    reaper.poll();
    mirror.poll(2ms);
  }
  ASSERT_TRUE(mirror.synced());
  ASSERT_FALSE(reaper.received.empty());
  EXPECT_EQ(reaper.received[0].path, "/device/track/count");
  ASSERT_EQ(mirror.strips().size(), 3u);
  EXPECT_EQ(mirror.strips().at(1).name, "Kick");
  EXPECT_NEAR(mirror.strips().at(2).gain_db, -6, 1e-6);
  EXPECT_NEAR(mirror.strips().at(3).pan, -0.5, 1e-6);  // REAPER pan 0.25: left of centre

  reaper.received.clear();
  ASSERT_TRUE(mirror.set(mirror.strips().at(2).node_id, MixerControl::gain_db, -12));
  ASSERT_TRUE(mirror.set(mirror.strips().at(1).node_id, MixerControl::mute, 1));
  for (int i = 0; i < 20; ++i) reaper.poll();
  ASSERT_GE(reaper.received.size(), 2u);
  EXPECT_EQ(describe(reaper.received[0]), "/track/2/volume/db f -12");
  EXPECT_EQ(describe(reaper.received[1]), "/track/1/mute f 1");
}

TEST(ReaperMirror, SyncsA128TrackSessionFromTheReaperSimulatorAndChangesGoBothWays) {
  const RouteGraph g = tracks_session("Big", 128);
  ReaperSimulatorOptions so;
  so.endpoint.port = 0;
  ReaperSimulator reaper(g, so);
  DawLinkOptions options;
  options.dialect = &reaper_dialect();
  options.daw_port = reaper.port();
  options.settle = 200ms;
  testing::LiveLink mirror(g, options);
  reaper.set_device_port(mirror.listen_port());  // REAPER's preferences: where the device listens
  std::vector<LiveMixer::ValueChange> changes;
  mirror.on_change([&](const LiveMixer::ValueChange& c) { changes.push_back(c); });
  const auto run = [&](auto done, std::chrono::milliseconds limit) {
    return run_until(mirror, &reaper, done, limit);
  };
  EXPECT_LT(run([&] { return mirror.synced(); }, 3000ms), 2000ms);
  ASSERT_TRUE(mirror.synced());
  ASSERT_EQ(mirror.strips().size(), 128u);
  EXPECT_TRUE(mirror.mismatches().empty());
  EXPECT_NEAR(mirror.strips().at(100).gain_db, -4.0, 1e-4);  // track 100: -(100 % 24)

  changes.clear();
  reaper.set_gain_db(7, -33);
  run([&] { return !changes.empty(); }, 1000ms);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].node_id, "t7");
  EXPECT_EQ(changes[0].origin, mirror.daw());

  changes.clear();
  ASSERT_TRUE(mirror.set("t9", MixerControl::gain_db, -2.5));
  run([&] { return std::fabs(reaper.track(9).fader_db + 2.5) < 1e-4; }, 1000ms);
  run([] { return false; }, 150ms);  // time for REAPER's confirmation to come back
  EXPECT_NEAR(reaper.track(9).fader_db, -2.5, 1e-4);
  ASSERT_EQ(changes.size(), 1u);  // ours, once: the confirmation is no news
  EXPECT_EQ(changes[0].origin, mirror.writer());
}

TEST(ReaperDialect, DecodesTrackFeedbackAndIgnoresTheUnpublishedTaper) {
  const OscDialect& d = reaper_dialect();
  const auto gain = std::get<StripEvent>(*d.decode({"/track/7/volume/db", {-4.5f}}));
  EXPECT_EQ(gain.ssid, 7);
  EXPECT_DOUBLE_EQ(gain.value, -4.5);
  EXPECT_TRUE(std::isinf(std::get<StripEvent>(*d.decode({"/track/1/volume/db", {-150.0f}})).value));
  EXPECT_FALSE(d.decode({"/track/1/volume", {0.5f}}));
  EXPECT_FALSE(d.decode({"/track/0/mute", {1.0f}}));
  EXPECT_FALSE(d.decode({"/track/x/mute", {1.0f}}));
  EXPECT_TRUE(std::holds_alternative<Heartbeat>(*d.decode({"/track/3/vu", {0.2f}})));
  EXPECT_FALSE(d.control(1, MixerControl::trim_db, 3));  // the default pattern file has no trim
}

TEST(ReaperMirror, RestartedReaperIsNoticedAndResynced) {
  RouteGraph g = tracks_session("Restart", 128);
  ReaperSimulatorOptions so;
  so.endpoint.port = 0;
  auto reaper = std::make_unique<ReaperSimulator>(g, so);
  const std::uint16_t port = reaper->port();
  DawLinkOptions options;
  options.dialect = &reaper_dialect();
  options.daw_port = port;
  options.settle = 200ms;
  options.liveness_timeout = 600ms;
  testing::LiveLink mirror(g, options);
  reaper->set_device_port(mirror.listen_port());
  const auto run = [&](auto done, std::chrono::milliseconds limit) {
    return run_until(mirror, reaper.get(), done, limit);
  };
  run([&] { return mirror.synced(); }, 3000ms);
  ASSERT_TRUE(mirror.synced());
  reaper.reset();  // REAPER quits: no VU, no answer to the refresh pokes
  run([&] { return mirror.state() == LinkState::lost; }, 3000ms);
  ASSERT_EQ(mirror.state(), LinkState::lost);
  g.nodes[41].fader_db = -17;  // changed while the mirror could not see it
  so.endpoint.port = port;
  reaper = std::make_unique<ReaperSimulator>(g, so);
  reaper->set_device_port(mirror.listen_port());
  EXPECT_LT(run([&] { return mirror.synced(); }, 5000ms), 2000ms);
  ASSERT_TRUE(mirror.synced());
  EXPECT_EQ(mirror.resyncs(), 1u);
  EXPECT_NEAR(mirror.strips().at(42).gain_db, -17, 1e-4);
}

}  // namespace routewise
