// A million random and malformed datagrams at the mirror (label `slow`): the model and the store
// are untouched, everything is counted, and the mirror still follows the DAW right after.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../../support/mirror_rig.hpp"
#include "../../support/temp_dir.hpp"
#include "routewise/store/store.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using testing::Rig;

TEST(MirrorFlood, MillionRandomDatagramsChangeNothingAndTheMirrorStaysResponsive) {
  Rig rig(16);
  rig.run_until([&] { return rig.mirror->synced(); });
  ASSERT_TRUE(rig.mirror->synced());
  const RouteGraph before = rig.mirror->graph();
  testing::TempDir dir;
  Store store(dir / "rw.db");
  store.add_snapshot(before, {"mirror", "connect", "", ""}, {});

  const int fd = testing::raw_socket("127.0.0.1");
  std::mt19937 random(20261126);
  std::vector<std::uint8_t> datagram;
  // Malformed on purpose: a known address with a broken type tag string or truncated arguments.
  const std::string address = "/strip/gain";
  constexpr int total = 1'000'000;
  for (int i = 0; i < total; ++i) {
    datagram.resize(1 + random() % 512);
    for (auto& b : datagram) b = static_cast<std::uint8_t>(random());
    if (i % 10 == 0 && datagram.size() > 16) {
      std::copy(address.begin(), address.end(), datagram.begin());
      datagram[address.size()] = 0;  // then random bytes where the type tags should be
    }
    testing::send_raw(fd, rig.mirror->listen_port(), datagram);
    if (i % 200 == 0) {  // both peers keep running, as their live loops would
      rig.sim->poll(0ms);
      rig.mirror->poll(0ms);
    }
  }
  rig.run_until([] { return false; }, 300ms);
  ::close(fd);
  const auto& stats = rig.mirror->stats();
  // What reached the socket was refused and counted: malformed, or over the per-peer rate (the
  // kernel drops the rest when the socket buffer is full).
  const std::uint64_t refused = stats.malformed + stats.oversized + stats.rate_limited;
  EXPECT_GT(refused, static_cast<std::uint64_t>(total) / 10)
      << "datagrams " << stats.datagrams << ", malformed " << stats.malformed << ", rate-limited "
      << stats.rate_limited;
  // The rate limit is per host, so a flood from 127.0.0.1 also drowns the DAW's heartbeats on
  // the same machine: the mirror may have declared it gone. It must be back in sync promptly,
  // with every strip's name and level read again (not live with the gaps the flood left).
  rig.run_until([&] { return rig.mirror->complete(); }, 5000ms);
  ASSERT_TRUE(rig.mirror->complete())
      << "resyncs " << rig.mirror->resyncs() << "; "
      << (rig.mirror->mismatches().empty() ? "" : rig.mirror->mismatches().front());
  const RouteGraph after = rig.mirror->graph();
  ASSERT_EQ(after.nodes.size(), before.nodes.size());
  for (std::size_t i = 0; i < before.nodes.size(); ++i) {
    EXPECT_EQ(after.nodes[i].fader_db, before.nodes[i].fader_db) << i;
    EXPECT_EQ(after.nodes[i].mute, before.nodes[i].mute) << i;
    EXPECT_EQ(after.nodes[i].name, before.nodes[i].name) << i;
  }
  EXPECT_TRUE(store.integrity_check().empty());
  EXPECT_EQ(store.history().size(), 1u);

  // Still following the DAW: once the host's rate-limit bucket has refilled (one second; during
  // the flood the limiter drops the DAW's messages from this host too), a change made there
  // arrives promptly — on an idle machine within a few ms, the bound leaves room for a loaded one.
  rig.run_until([] { return false; }, 1000ms);
  rig.sim->set_gain_db(3, -21.5);
  const auto took = rig.run_until(
      [&] { return std::fabs(rig.mirror->graph().nodes[3].fader_db + 21.5) < 1e-3; }, 1000ms);
  EXPECT_LT(took, 500ms) << took.count() << " ms; resyncs " << rig.mirror->resyncs()
                         << ", rate-limited " << rig.mirror->stats().rate_limited
                         << ", sim rate-limited " << rig.sim->stats().rate_limited;
}

}  // namespace
}  // namespace routewise
