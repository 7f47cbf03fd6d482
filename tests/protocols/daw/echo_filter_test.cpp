// The DAW's confirmations of local changes, known as such: in order, within two seconds, bounded.
#include "routewise/daw/echo_filter.hpp"

#include <gtest/gtest.h>

namespace routewise {
namespace {

using Clock = EchoFilter::Clock;
using namespace std::chrono_literals;

TEST(EchoFilter, AFastMoveIsConfirmedInOrderAndAnOlderEchoDoesNotCountTwice) {
  EchoFilter f;
  const auto t = Clock::now();
  for (double db : {-10.0, -9.0, -8.0}) f.sent(3, MixerControl::gain_db, db, t);
  EXPECT_TRUE(f.is_echo(3, MixerControl::gain_db, -9.0, t));    // settles -10 and -9
  EXPECT_FALSE(f.is_echo(3, MixerControl::gain_db, -10.0, t));  // gone with it
  EXPECT_TRUE(f.is_echo(3, MixerControl::gain_db, -8.004, t));  // within the wire's rounding
  EXPECT_TRUE(f.empty());
}

TEST(EchoFilter, OtherStripsAndControlsAndOtherValuesAreNews) {
  EchoFilter f;
  const auto t = Clock::now();
  f.sent(1, MixerControl::mute, 1.0, t);
  EXPECT_FALSE(f.is_echo(2, MixerControl::mute, 1.0, t));
  EXPECT_FALSE(f.is_echo(1, MixerControl::solo, 1.0, t));
  EXPECT_FALSE(f.is_echo(1, MixerControl::mute, 0.0, t));  // the DAW refused, or changed it
  EXPECT_TRUE(f.is_echo(1, MixerControl::mute, 1.0, t));
}

TEST(EchoFilter, SendsOlderThanTwoSecondsAreForgottenAndADawThatNeverAnswersGrowsNothing) {
  EchoFilter f;
  const auto t = Clock::now();
  f.sent(1, MixerControl::pan, 0.5, t);
  EXPECT_FALSE(f.is_echo(1, MixerControl::pan, 0.5, t + 2100ms));
  EXPECT_TRUE(f.empty());
  for (int i = 0; i < 1000; ++i) f.sent(1, MixerControl::pan, i / 1000.0, t);
  EXPECT_FALSE(f.is_echo(1, MixerControl::pan, 0.5, t));  // only the newest 64 are kept
  EXPECT_TRUE(f.is_echo(1, MixerControl::pan, 0.999, t));
}

}  // namespace
}  // namespace routewise
