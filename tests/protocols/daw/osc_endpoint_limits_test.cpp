// The endpoint's rate limit over real sockets on 127.0.0.1: a bundle is charged for every message
// it holds, and a sweep over many source addresses (all of 127/8 is this machine) leaves bounded
// state behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "../../support/mirror_rig.hpp"
#include "routewise/daw/osc_endpoint.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;

std::vector<std::uint8_t> bundle_of(int count) {
  // #bundle, immediate time tag, then `count` elements of one /ping message each.
  std::vector<std::uint8_t> out = {'#', 'b', 'u', 'n', 'd', 'l', 'e', 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const std::vector<std::uint8_t> ping = encode_osc(OscMessage{"/ping", {}});
  for (int i = 0; i < count; ++i) {
    const auto n = static_cast<std::uint32_t>(ping.size());
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<std::uint8_t>(n >> shift));
    out.insert(out.end(), ping.begin(), ping.end());
  }
  return out;
}

std::size_t drain(OscEndpoint& endpoint) {
  std::size_t delivered = 0;
  for (int i = 0; i < 20; ++i)
    delivered += endpoint.poll(10ms, [](const OscPeer&, const OscMessage&) {});
  return delivered;
}

TEST(OscEndpointLimits, ABundleCountsAsTheMessagesItHolds) {
  OscEndpointOptions options;
  options.max_messages_per_second = 100;
  OscEndpoint endpoint(options);
  const int fd = testing::raw_socket("127.0.0.1");
  const auto datagram = bundle_of(250);
  ASSERT_LT(datagram.size(), options.max_datagram_bytes);
  testing::send_raw(fd, endpoint.port(), datagram);
  testing::send_raw(fd, endpoint.port(), datagram);
  const std::size_t delivered = drain(endpoint);
  ::close(fd);
  // One second of burst is 100 messages (and a few more refill during the 200 ms drain).
  EXPECT_LE(delivered, 130u);
  EXPECT_GE(delivered, 100u);
  EXPECT_EQ(endpoint.stats().messages, delivered);
  // The first bundle's messages past the burst, and the second bundle, refused before it was
  // decoded, as one.
  EXPECT_EQ(endpoint.stats().rate_limited, 250u - delivered + 1);
}

TEST(OscEndpointLimits, ManySourceAddressesLeaveBoundedStateAndShareOneBucket) {
  OscEndpointOptions options;
  options.max_rate_peers = 64;
  options.max_messages_per_second = 1000;
  OscEndpoint endpoint(options);
  const auto ping = encode_osc(OscMessage{"/ping", {}});
  constexpr int sources = 600;
  for (int i = 0; i < sources; ++i) {
    const std::string address =
        "127.0." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250);
    const int fd = testing::raw_socket(address.c_str());
    for (int k = 0; k < 5; ++k) testing::send_raw(fd, endpoint.port(), ping);
    ::close(fd);
    if (i % 50 == 0) endpoint.poll(0ms, [](const OscPeer&, const OscMessage&) {});
  }
  const std::size_t delivered = drain(endpoint);
  EXPECT_LE(endpoint.rate_peers(), options.max_rate_peers);
  // The peers beyond the bound share one bucket of 1000 a second: everything the first 64 sent,
  // at most the shared second's worth (plus what refills meanwhile) of the rest.
  EXPECT_GE(endpoint.stats().messages, 64u * 5);
  EXPECT_EQ(endpoint.stats().datagrams, static_cast<std::uint64_t>(sources) * 5);
  EXPECT_EQ(endpoint.stats().messages + endpoint.stats().rate_limited, endpoint.stats().datagrams);
  EXPECT_GT(delivered, 0u);
}

TEST(OscEndpointLimits, IdlePeersAreForgottenWhenTheTableIsFull) {
  OscEndpointOptions options;
  options.max_rate_peers = 8;
  options.max_messages_per_second = 1000;  // a bucket refills in a second
  OscEndpoint endpoint(options);
  const auto ping = encode_osc(OscMessage{"/ping", {}});
  const auto send_from = [&](const std::string& address) {
    const int fd = testing::raw_socket(address.c_str());
    testing::send_raw(fd, endpoint.port(), ping);
    ::close(fd);
    drain(endpoint);
  };
  for (int i = 1; i <= 8; ++i) send_from("127.0.2." + std::to_string(i));
  EXPECT_EQ(endpoint.rate_peers(), 8u);
  std::this_thread::sleep_for(1100ms);  // every bucket has refilled: the peers may be forgotten
  send_from("127.0.3.1");
  EXPECT_EQ(endpoint.rate_peers(), 1u) << "the idle peers were dropped, the new one has its own";
}

}  // namespace
}  // namespace routewise
