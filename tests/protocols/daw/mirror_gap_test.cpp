// A sync cut short by lost datagrams: the mirror goes live with the gaps said, keeps asking for
// them with back-off, and never shows the session file's values (or zero) as if the DAW sent them.
// The test plays the DAW on a real socket so it decides exactly what gets lost.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "../../support/live_link.hpp"
#include "../../support/mirror_rig.hpp"
#include "routewise/daw/ardour_osc.hpp"
#include "routewise/daw/osc_endpoint.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using ardour::Control;
using testing::Clock;

// Answers /set_surface, /refresh and pings with what `answer` says for each strip.
struct FakeDaw {
  OscEndpoint endpoint{OscEndpointOptions{}};
  OscPeer reply_to{};
  bool alive = true;
  int refreshes = 0;
  std::function<bool(int ssid)> send_gain = [](int) { return true; };
  double gain_db[5] = {0, -1, -2, -3, -4};

  void answer() {
    for (int ssid = 1; ssid <= 4; ++ssid) {
      endpoint.send(reply_to,
                    ardour::strip_name_feedback(ssid, "Track " + std::to_string(ssid), false));
      if (send_gain(ssid))
        endpoint.send(reply_to,
                      ardour::strip_feedback(ssid, Control::gain_db, gain_db[ssid], false));
    }
  }
  void poll() {
    endpoint.poll(1ms, [&](const OscPeer& from, const OscMessage& m) {
      if (!alive) return;
      if (m.path == "/set_surface") {
        reply_to = from;
        reply_to.address.sin_port = htons(static_cast<std::uint16_t>(*m.number(6)));
        answer();
      } else if (m.path == "/refresh") {
        ++refreshes;
        answer();
      } else if (m.path == "/transport_frame") {  // the mirror's ping
        endpoint.send(reply_to, OscMessage{"/transport_frame", {std::int64_t{0}}});
      }
    });
  }
};

// A short settle and liveness timeout, so the test's DAW is found gone (or quiet) quickly.
DawLinkOptions quick_options(const FakeDaw& daw) {
  DawLinkOptions options;
  options.daw_port = daw.endpoint.port();
  options.settle = 100ms;
  options.liveness_timeout = 600ms;
  return options;
}

template <typename Done>
bool run_until(FakeDaw& daw, testing::LiveLink& mirror, Done done,
               std::chrono::milliseconds limit) {
  const auto start = Clock::now();
  while (!done() && Clock::now() - start < limit) {
    daw.poll();
    mirror.poll(2ms);
  }
  return done();
}

TEST(MirrorGaps, ASyncMissingLevelsGoesLiveSaysSoAndFillsTheGapsLater) {
  FakeDaw daw;
  daw.send_gain = [](int ssid) { return ssid <= 2; };  // the levels of 3 and 4 are "lost"
  testing::LiveLink mirror(testing::session_with(4), quick_options(daw));

  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.synced(); }, 3000ms));
  EXPECT_FALSE(mirror.complete());
  const auto said = mirror.mismatches();
  ASSERT_EQ(said.size(), 2u);
  EXPECT_EQ(said[0], "strip 3 'Track 3' has not reported its level since the last sync");
  // Strips without a level from the DAW keep the session file's, not a made-up 0 dB.
  EXPECT_DOUBLE_EQ(mirror.graph().nodes[3].fader_db, -3.0);

  // The DAW answers the next re-request in full: the gaps close without a reconnect.
  const int before = daw.refreshes;
  daw.gain_db[3] = -9;
  daw.send_gain = [](int) { return true; };
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.complete(); }, 3000ms))
      << "re-requests " << daw.refreshes;
  EXPECT_GT(daw.refreshes, before);
  EXPECT_EQ(mirror.resyncs(), 0u);
  EXPECT_TRUE(mirror.mismatches().empty());
  EXPECT_DOUBLE_EQ(mirror.graph().nodes[3].fader_db, -9.0);

  // Complete: no more re-requests.
  const int settled = daw.refreshes;
  run_until(
      daw, mirror, [] { return false; }, 1500ms);
  EXPECT_EQ(daw.refreshes, settled);
}

TEST(MirrorGaps, AResyncKeepsTheLastKnownLevelsUntilTheDawSendsThemAgain) {
  FakeDaw daw;
  daw.gain_db[3] = -9;
  testing::LiveLink mirror(testing::session_with(4), quick_options(daw));
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.complete(); }, 3000ms));

  daw.alive = false;  // gone: the mirror notices
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.state() == LinkState::lost; }, 3000ms));
  daw.alive = true;  // back, but its levels are lost on the way again
  daw.send_gain = [](int ssid) { return ssid != 3; };
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.synced(); }, 5000ms));
  EXPECT_EQ(mirror.resyncs(), 1u);
  EXPECT_FALSE(mirror.complete());
  EXPECT_DOUBLE_EQ(mirror.graph().nodes[3].fader_db, -9.0);  // last known, not the file's -3
  EXPECT_EQ(mirror.graph().nodes[3].name, "Track 3");
}

TEST(MirrorGaps, EveryStripBlankedIsTheDawClosingItsSessionNotAnEmptyMixer) {
  FakeDaw daw;
  testing::LiveLink mirror(testing::session_with(4), quick_options(daw));
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.complete(); }, 3000ms));
  // Ardour blanks every strip's name as it quits; it then stays silent until it answers again.
  daw.alive = false;
  for (int ssid = 1; ssid <= 4; ++ssid)
    daw.endpoint.send(daw.reply_to, ardour::strip_name_feedback(ssid, " ", false));
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.strips().empty(); }, 1000ms));
  EXPECT_EQ(mirror.state(), LinkState::lost) << "an empty mixer was mirrored as live";
  daw.alive = true;
  ASSERT_TRUE(run_until(
      daw, mirror, [&] { return mirror.complete(); }, 3000ms));
  EXPECT_EQ(mirror.resyncs(), 1u);
  EXPECT_EQ(mirror.strips().size(), 4u);
  EXPECT_EQ(mirror.graph().nodes[2].name, "Track 2");
}

}  // namespace
}  // namespace routewise
