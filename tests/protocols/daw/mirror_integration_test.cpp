// The mirror against the built-in DAW simulator over real UDP sockets on 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "../../support/live_link.hpp"
#include "../../support/mirror_rig.hpp"
#include "routewise/daw/daw_simulator.hpp"
#include "routewise/daw/port_watch.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using ardour::Control;
using testing::Clock;
using testing::raw_socket;
using testing::Rig;
using testing::send_raw;
using testing::session_with;

}  // namespace

TEST(MirrorIntegration, NegotiatesAndSyncsA128TrackSession) {
  Rig rig(128);
  const auto took = rig.run_until([&] { return rig.mirror->synced(); });
  ASSERT_TRUE(rig.mirror->synced()) << "state " << to_string(rig.mirror->state());
  EXPECT_LT(took, 2000ms);
  EXPECT_EQ(rig.sim->surfaces(), 1u);
  EXPECT_EQ(rig.mirror->strips().size(), 128u);
  EXPECT_TRUE(rig.mirror->mismatches().empty());
  const RouteGraph live = rig.mirror->graph();
  const RouteGraph& daw = rig.sim->session();
  for (std::size_t i = 1; i < daw.nodes.size(); ++i) {
    EXPECT_EQ(live.nodes[i].name, daw.nodes[i].name);
    EXPECT_NEAR(live.nodes[i].fader_db, daw.nodes[i].fader_db, 1e-4) << daw.nodes[i].name;
    EXPECT_EQ(live.nodes[i].mute, daw.nodes[i].mute) << daw.nodes[i].name;
  }
}

TEST(MirrorIntegration, DawChangesArriveAndLocalChangesReachTheDawWithoutEcho) {
  Rig rig(8);
  rig.run_until([&] { return rig.mirror->synced(); });
  ASSERT_TRUE(rig.mirror->synced());
  rig.changes.clear();

  rig.sim->set_gain_db(3, -7.5);
  const auto took = rig.run_until([&] { return !rig.changes.empty(); }, 1000ms);
  EXPECT_LT(took, 100ms);
  ASSERT_EQ(rig.changes.size(), 1u);
  EXPECT_EQ(rig.changes[0].node_id, "t3");
  EXPECT_NEAR(rig.changes[0].value, -7.5, 1e-4);
  EXPECT_EQ(rig.changes[0].origin, rig.mirror->daw());

  rig.changes.clear();
  ASSERT_TRUE(rig.mirror->set("t5", Control::gain_db, -3.0));
  ASSERT_TRUE(rig.mirror->set("t6", Control::mute, 1));
  rig.run_until(
      [&] { return rig.sim->strip(6).mute && std::fabs(rig.sim->strip(5).fader_db + 3) < 1e-4; },
      1000ms);
  rig.run_until([] { return false; }, 150ms);  // time for the DAW's confirmations to come back
  EXPECT_NEAR(rig.sim->strip(5).fader_db, -3.0, 1e-4);
  EXPECT_TRUE(rig.sim->strip(6).mute);
  // Everyone else hears of our two changes once; the DAW's confirmations are never news.
  ASSERT_EQ(rig.changes.size(), 2u);
  for (const LiveMixer::ValueChange& c : rig.changes)
    EXPECT_EQ(c.origin, rig.mirror->writer()) << c.node_id;
  EXPECT_FALSE(rig.mirror->set("no-such-node", Control::gain_db, 0));
}

TEST(MirrorIntegration, DawRestartIsNoticedAndResyncedWithinTwoSeconds) {
  Rig rig(128, 500ms);
  rig.run_until([&] { return rig.mirror->synced(); });
  ASSERT_TRUE(rig.mirror->synced());
  const std::uint16_t port = rig.sim->port();
  rig.sim.reset();  // the DAW quits
  rig.run_until([&] { return rig.mirror->state() == LinkState::lost; }, 3000ms);
  ASSERT_EQ(rig.mirror->state(), LinkState::lost);
  RouteGraph restarted = session_with(128);
  restarted.nodes[10].fader_db = -33;  // something changed while it was down
  rig.sim = std::make_unique<DawSimulator>(restarted, Rig::sim_options(port));
  const auto took = rig.run_until([&] { return rig.mirror->synced(); }, 5000ms);
  ASSERT_TRUE(rig.mirror->synced());
  EXPECT_LT(took, 2000ms);
  EXPECT_EQ(rig.mirror->resyncs(), 1u);
  EXPECT_NEAR(rig.mirror->graph().nodes[10].fader_db, -33, 1e-4);
}

TEST(MirrorIntegration, MalformedFloodIsCountedAndChangesNothing) {
  Rig rig(16);
  rig.run_until([&] { return rig.mirror->synced(); });
  const RouteGraph before = rig.mirror->graph();
  const int fd = raw_socket("127.0.0.1");
  send_raw(fd, rig.sim->port(), std::vector<std::uint8_t>(20000, 0));
  rig.run_until([] { return false; }, 50ms);
  EXPECT_EQ(rig.sim->stats().oversized, 1u);
  std::vector<std::uint8_t> junk(64);
  std::size_t sent_junk = 0;
  for (int i = 0; i < 20000; ++i) {
    for (std::size_t k = 0; k < junk.size(); ++k)
      junk[k] = static_cast<std::uint8_t>(i * 31 + k * 7);
    send_raw(fd, rig.mirror->listen_port(), junk);
    send_raw(fd, rig.sim->port(), junk);
    ++sent_junk;
    if (i % 500 == 0) rig.run_until([] { return false; }, 1ms);
  }
  rig.run_until([] { return false; }, 300ms);
  ::close(fd);
  EXPECT_TRUE(rig.mirror->synced());
  EXPECT_GT(rig.mirror->stats().malformed, sent_junk / 2);  // some may be dropped by the kernel
  EXPECT_GT(rig.sim->stats().malformed, sent_junk / 2);
  const RouteGraph after = rig.mirror->graph();
  for (std::size_t i = 0; i < before.nodes.size(); ++i)
    EXPECT_EQ(after.nodes[i].fader_db, before.nodes[i].fader_db);
}

TEST(MirrorIntegration, PeerOutsideTheAllowListChangesNothing) {
  SimulatorOptions o = Rig::sim_options(0);
  o.endpoint.allow = {parse_cidr("127.0.0.1/32")};
  DawSimulator sim(session_with(4), o);
  const int stranger = raw_socket("127.0.0.2");
  send_raw(stranger, sim.port(), encode_osc(ardour::strip_control(1, Control::gain_db, -40)));
  send_raw(stranger, sim.port(), encode_osc(ardour::strip_control(2, Control::mute, 1)));
  sim.poll(100ms);
  ::close(stranger);
  EXPECT_EQ(sim.stats().not_allowed, 2u);
  EXPECT_NEAR(sim.strip(1).fader_db, -1.0, 1e-9);
  EXPECT_FALSE(sim.strip(2).mute);
  const int friendly = raw_socket("127.0.0.1");
  send_raw(friendly, sim.port(), encode_osc(ardour::strip_control(1, Control::gain_db, -40)));
  sim.poll(100ms);
  ::close(friendly);
  EXPECT_NEAR(sim.strip(1).fader_db, -40, 1e-4);
}

TEST(MirrorIntegration, NewTrackInTheDawIsPickedUpAsAStructuralChange) {
  Rig rig(4);
  rig.run_until([&] { return rig.mirror->synced(); });
  const auto version = rig.mirror->structure_version();
  rig.sim->add_track("Tambourine");
  rig.run_until([&] { return rig.mirror->strips().size() == 5; }, 2000ms);
  ASSERT_EQ(rig.mirror->strips().size(), 5u);
  EXPECT_GT(rig.mirror->structure_version(), version);
  const auto mismatches = rig.mirror->mismatches();
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_NE(mismatches[0].find("'Tambourine' is on the DAW's mixer but not in the session file"),
            std::string::npos);
}

}  // namespace routewise

namespace routewise {

TEST(MirrorIntegration, SendLevelsAreReadWrittenAndFollowed) {
  RouteGraph g = session_with(3);
  Node plate;
  plate.id = "plate";
  plate.name = "Plate";
  plate.kind = NodeKind::aux_return;
  g.nodes.push_back(plate);
  for (const char* from : {"t1", "t2"}) {
    Edge e;
    e.kind = EdgeKind::send;
    e.from = from;
    e.to = "plate";
    e.level_db = from[1] == '1' ? -9.0 : -12.0;
    g.edges.push_back(e);
  }
  canonicalize_edges(g);
  SimulatorOptions so = Rig::sim_options(0);
  DawSimulator sim(g, so);
  DawLinkOptions mo;
  mo.daw_port = sim.port();
  mo.send_poll_interval = 200ms;
  RouteGraph topology = g;
  for (Edge& e : topology.edges) e.level_db = 0;  // the session file is out of date
  testing::LiveLink mirror(topology, mo);
  std::vector<LiveMixer::ValueChange> changes;
  mirror.on_change([&](const LiveMixer::ValueChange& c) { changes.push_back(c); });
  const auto run = [&](auto done, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    while (!done() && Clock::now() - start < limit) {
      sim.poll(2ms);
      mirror.poll(2ms);
    }
  };
  const auto send_level = [&](const std::string& from) -> double {
    for (const Edge& e : mirror.graph().edges)
      if (e.kind == EdgeKind::send && e.from == from) return e.level_db;
    return NAN;
  };
  run([&] { return mirror.synced() && std::fabs(send_level("t2") + 12) < 0.01; }, 3000ms);
  EXPECT_NEAR(send_level("t1"), -9.0, 0.01);
  EXPECT_NEAR(send_level("t2"), -12.0, 0.01);

  changes.clear();
  sim.set_send_db(1, 1, -20.0);  // changed in the DAW: picked up by the next read
  run([&] { return !changes.empty(); }, 2000ms);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].control, MixerControl::send_level);
  EXPECT_EQ(changes[0].target_node_id, "plate");
  EXPECT_NEAR(changes[0].value, -20.0, 0.01);
  EXPECT_EQ(changes[0].origin, mirror.daw());

  ASSERT_TRUE(mirror.set_send("t2", "plate", -6.5));
  run([&] { return std::fabs(sim.session().edges[1].level_db + 6.5) < 0.01; }, 1000ms);
  const auto sent =
      std::find_if(sim.session().edges.begin(), sim.session().edges.end(),
                   [](const Edge& e) { return e.from == "t2" && e.kind == EdgeKind::send; });
  EXPECT_NEAR(sent->level_db, -6.5, 0.01);
  EXPECT_FALSE(mirror.set_send("t3", "plate", -6));  // t3 has no send
}

}  // namespace routewise

namespace routewise {

// A closed port stays closed however often it is asked, and reads open once something listens.
TEST(PortWatch, AClosedPortNeverLooksOpenAndAnOpenOneDoes) {
  std::uint16_t port = 0;
  {
    OscEndpoint probe(OscEndpointOptions{});  // a port free again once this closes
    port = probe.port();
  }
  PortWatch watch(make_peer("127.0.0.1", port));
  for (int i = 0; i < 20; ++i) {
    watch.tick(Clock::now());
    std::this_thread::sleep_for(5ms);
    EXPECT_FALSE(watch.open_since()) << "tick " << i;
  }
  EXPECT_TRUE(watch.seen_closed());
  OscEndpointOptions listening;
  listening.port = port;
  OscEndpoint daw(listening);
  for (int i = 0; i < 3; ++i) {
    watch.tick(Clock::now());
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_TRUE(watch.open_since());
}

// A DAW the mirror watches start (its port refused, then open) is set up only after the start
// grace, not the instant its port opens; one already running when the mirror starts is set up at
// once.
TEST(MirrorStartup, ADawSeenStartingIsGivenItsGraceAndARunningOneIsNot) {
  std::uint16_t port = 0;
  {
    OscEndpoint probe(OscEndpointOptions{});  // a port free again once this closes
    port = probe.port();
  }
  DawLinkOptions options;
  options.daw_port = port;
  options.daw_start_grace = 600ms;
  testing::LiveLink mirror(session_with(4), options);
  mirror.poll(300ms);  // nothing listens: refused
  EXPECT_EQ(mirror.state(), LinkState::connecting);

  DawSimulator sim(session_with(4), Rig::sim_options(port));
  const auto started = Clock::now();
  const auto pump_until_synced = [&](testing::LiveLink& m) {
    while (!m.synced() && Clock::now() - started < 5s) {
      sim.poll(1ms);
      m.poll(2ms);
    }
    return m.synced();
  };
  ASSERT_TRUE(pump_until_synced(mirror));
  const auto took = Clock::now() - started;
  EXPECT_GE(took, 550ms) << "set up before the grace was over";
  EXPECT_LT(took, 1600ms);

  // The simulator is running now: a new mirror connects without waiting.
  testing::LiveLink second(session_with(4), options);
  const auto second_started = Clock::now();
  ASSERT_TRUE(pump_until_synced(second));
  EXPECT_LT(Clock::now() - second_started, 500ms);
}

}  // namespace routewise
