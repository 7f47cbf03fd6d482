// What a local process other than the DAW can make the link do: nothing (feedback is heard from
// the DAW's own port only); and what a misbehaving DAW can make it do: a bounded amount (no
// strips beyond any mixer's size, a layout re-read at most once a second however often it is
// announced).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "../../support/live_link.hpp"
#include "../../support/mirror_rig.hpp"
#include "routewise/daw/osc_endpoint.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using testing::Clock;

TEST(DawLinkGuard, FeedbackFromAnotherPortOnTheDawsHostIsCountedAndChangesNothing) {
  testing::Rig rig(4);
  rig.run_until([&] { return rig.mirror->complete(); });
  ASSERT_TRUE(rig.mirror->complete());
  const std::string name = rig.mirror->strips().at(2).name;
  const double gain = rig.mirror->strips().at(2).gain_db;
  rig.changes.clear();
  // Another process on 127.0.0.1 (the DAW's host), speaking the DAW's dialect perfectly.
  OscEndpoint stranger{OscEndpointOptions{}};
  const OscPeer link = make_peer("127.0.0.1", rig.mirror->listen_port());
  for (int i = 0; i < 50; ++i) {
    stranger.send(link, {"/strip/name", {std::int32_t{2}, std::string("Hacked")}});
    stranger.send(link, {"/strip/gain", {std::int32_t{2}, -40.0f}});
    stranger.send(link, {"/strip/mute", {std::int32_t{3}, 1.0f}});
  }
  rig.run_until([] { return false; }, 200ms);
  EXPECT_EQ(rig.mirror->strips().at(2).name, name);
  EXPECT_DOUBLE_EQ(rig.mirror->strips().at(2).gain_db, gain);
  EXPECT_FALSE(rig.mirror->strips().at(3).mute);
  EXPECT_TRUE(rig.changes.empty());
  EXPECT_GE(rig.mirror->link().not_from_daw(), 100u) << "the stranger's messages are counted";
  // The DAW itself is still heard.
  rig.sim->set_gain_db(2, -9.0);
  rig.run_until([&] { return std::fabs(rig.mirror->strips().at(2).gain_db + 9.0) < 1e-3; }, 1000ms);
  EXPECT_NEAR(rig.mirror->strips().at(2).gain_db, -9.0, 1e-3);
}

// A "DAW" of the test's own on a port the link is pointed at: it can say anything.
struct RogueDaw {
  OscEndpoint endpoint{OscEndpointOptions{}};
  std::size_t received = 0;
  void poll() {
    endpoint.poll(1ms, [this](const OscPeer&, const OscMessage&) { ++received; });
  }
};

// The rogue DAW and a link pointed at it, with the link's address to send to.
struct RogueRig {
  RogueDaw daw;
  testing::LiveLink mirror{RouteGraph{}, options(daw.endpoint.port())};
  OscPeer link = make_peer("127.0.0.1", mirror.listen_port());
  static DawLinkOptions options(std::uint16_t daw_port) {
    DawLinkOptions o;
    o.daw_port = daw_port;
    return o;
  }
};

TEST(DawLinkGuard, StripNumbersBeyondAnyMixerAreNoStrips) {
  RogueRig rig;
  RogueDaw& daw = rig.daw;
  testing::LiveLink& mirror = rig.mirror;
  const OscPeer& link = rig.link;
  for (int ssid = 1; ssid <= 30000; ssid += 3) {
    daw.endpoint.send(link, {"/strip/name", {std::int32_t{ssid}, "Ghost " + std::to_string(ssid)}});
    if (ssid % 300 == 1) {
      mirror.poll(0ms);
      daw.poll();
    }
  }
  for (int i = 0; i < 50; ++i) {
    mirror.poll(2ms);
    daw.poll();
  }
  EXPECT_GT(mirror.strips().size(), 100u) << "the strips below the bound are mirrored";
  EXPECT_LE(mirror.strips().size(), 4096u / 3 + 1);
  EXPECT_GT(mirror.unknown_messages(), 0u);
}

TEST(DawLinkGuard, ALayoutAnnouncedAThousandTimesIsReadAgainOnceASecond) {
  RogueRig rig;
  RogueDaw& daw = rig.daw;
  testing::LiveLink& mirror = rig.mirror;
  const OscPeer& link = rig.link;
  daw.endpoint.send(link, {"/strip/name", {std::int32_t{1}, std::string("Kick")}});
  daw.endpoint.send(link, {"/strip/gain", {std::int32_t{1}, -3.0f}});
  for (int i = 0; i < 400 && !mirror.synced(); ++i) {
    mirror.poll(1ms);
    daw.poll();
  }
  ASSERT_TRUE(mirror.synced());
  const auto start = Clock::now();
  const std::size_t before = daw.received;
  while (Clock::now() - start < 1500ms) {
    for (int i = 0; i < 20; ++i) daw.endpoint.send(link, {"/strip/list", {}});
    mirror.poll(1ms);
    daw.poll();
  }
  for (int i = 0; i < 20; ++i) {
    mirror.poll(1ms);
    daw.poll();
  }
  // Ardour's refresh is one message: in 1.5 s at most two re-reads, beside the link's own pokes
  // and send queries (a few), however many announcements came (about 30 000 here).
  EXPECT_LE(daw.received - before, 20u) << "the link multiplied a peer's traffic";
}

}  // namespace
}  // namespace routewise
