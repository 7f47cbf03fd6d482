#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cmath>
#include <cstring>

#include "routewise/daw/ardour_osc.hpp"
#include "routewise/daw/osc_endpoint.hpp"
#include "routewise/daw/osc_message.hpp"
#include "routewise/model/fader_law.hpp"

namespace routewise {

TEST(OscMessage, EncodeDecodeRoundTripWithEveryArgumentType) {
  const OscMessage m{"/strip/gain",
                     {std::int32_t{3}, -6.5f, std::string("Kick"), std::int64_t{48000}, 0.25}};
  const auto bytes = encode_osc(m);
  EXPECT_EQ(bytes.size() % 4, 0u);
  const auto back = decode_osc(bytes.data(), bytes.size());
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ(back->front(), m);
  EXPECT_EQ(back->front().types(), "ifshd");
  EXPECT_EQ(describe(m), "/strip/gain ifshd 3 -6.5 'Kick' 48000 0.25");
}

TEST(OscMessage, BundlesAreFlattenedAndArdourReplyPathsAccepted) {
  const auto a = encode_osc({"/strip/mute", {std::int32_t{1}, 1.0f}});
  const auto b = encode_osc({"#reply", {std::string("end_route_list"), std::int64_t{48000}}});
  std::vector<std::uint8_t> bundle = {'#', 'b', 'u', 'n', 'd', 'l', 'e', 0, 0, 0, 0, 0, 0, 0, 0, 1};
  for (const auto* part : {&a, &b}) {
    const std::uint32_t size = htonl(static_cast<std::uint32_t>(part->size()));
    const auto* p = reinterpret_cast<const std::uint8_t*>(&size);
    bundle.insert(bundle.end(), p, p + 4);
    bundle.insert(bundle.end(), part->begin(), part->end());
  }
  const auto messages = decode_osc(bundle.data(), bundle.size());
  ASSERT_TRUE(messages);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[1].path, "#reply");
}

TEST(OscMessage, MalformedDatagramsAreRefused) {
  const auto good = encode_osc({"/strip/gain", {std::int32_t{1}, 0.5f}});
  EXPECT_FALSE(decode_osc(good.data(), good.size() - 4));  // truncated argument
  EXPECT_FALSE(decode_osc(good.data(), 3));                // not a multiple of four
  const std::uint8_t no_slash[] = {'x', 'y', 0, 0, ',', 0, 0, 0};
  EXPECT_FALSE(decode_osc(no_slash, sizeof no_slash));
  std::vector<std::uint8_t> bad_type = good;
  bad_type[12 + 1] = 'Q';  // the type tag after ",": the path "/strip/gain" pads to 12 bytes
  EXPECT_FALSE(decode_osc(bad_type.data(), bad_type.size()));
  std::vector<std::uint8_t> lying_bundle = {'#', 'b', 'u', 'n', 'd', 'l', 'e', 0, 0, 0,
                                            0,   0,   0,   0,   0,   1,   0,   0, 1, 0};
  EXPECT_FALSE(decode_osc(lying_bundle.data(), lying_bundle.size()));
  std::vector<std::uint8_t> random(512);
  for (std::size_t i = 0; i < random.size(); ++i)
    random[i] = static_cast<std::uint8_t>(i * 37 + 11);
  EXPECT_FALSE(decode_osc(random.data(), random.size()));
}

TEST(FaderTaper, ArdourReferencePointsAndEdges) {
  // Reference table in ../shared/docs/protocols.md section 1.8 (Ardour's own formula).
  EXPECT_NEAR(ardour_db_to_position(0.0), 0.7818, 1e-4);
  EXPECT_NEAR(ardour_db_to_position(-6.0), 0.6070, 1e-4);
  EXPECT_NEAR(ardour_db_to_position(-20.0), 0.3253, 1e-4);
  EXPECT_NEAR(ardour_db_to_position(-60.0), 0.0395, 1e-4);
  EXPECT_NEAR(ardour_position_to_db(0.5), -10.47, 0.01);
  EXPECT_NEAR(ardour_position_to_db(1.0), 6.0206, 1e-3);
  EXPECT_TRUE(std::isinf(ardour_position_to_db(0.0)));
  EXPECT_DOUBLE_EQ(ardour_db_to_position(-INFINITY), 0.0);
  EXPECT_DOUBLE_EQ(ardour_db_to_position(40.0), 1.0);  // above max gain: clamped
  EXPECT_DOUBLE_EQ(ardour_db_to_position(-500.0), 0.0);
  EXPECT_NEAR(ardour_position_to_db(7.0), 6.0206, 1e-3);  // out of range: clamped
  for (double db : {-59.0, -30.0, -10.0, -3.0, 0.0, 3.0, 6.0})
    EXPECT_NEAR(ardour_position_to_db(ardour_db_to_position(db)), db, 1e-9);
  EXPECT_DOUBLE_EQ(ardour_trim_db_to_position(0.0), 0.5);
  EXPECT_DOUBLE_EQ(ardour_trim_position_to_db(1.0), 20.0);
  EXPECT_DOUBLE_EQ(ardour_trim_db_to_position(99.0), 1.0);
}

TEST(ArdourOsc, DecodesEveryStripAddressForm) {
  using ardour::Control;
  const auto gain = [](const OscMessage& m) {
    return std::get<ardour::StripEvent>(*ardour::decode(m));
  };
  EXPECT_EQ(gain({"/strip/gain", {std::int32_t{3}, -6.0f}}).ssid, 3);
  EXPECT_EQ(gain({"/strip/gain/4", {-6.0f}}).ssid, 4);
  EXPECT_EQ(gain({"/strip/5/gain", {-6.0f}}).ssid, 5);
  EXPECT_TRUE(
      std::isinf(gain({"/strip/gain", {std::int32_t{1}, -200.0f}}).value));  // failure echo / -inf
  const auto name = gain({"/strip/name", {std::int32_t{1}, std::string("Kick")}});
  EXPECT_EQ(name.control, Control::name);
  EXPECT_EQ(name.text, "Kick");
  EXPECT_TRUE(std::holds_alternative<ardour::Heartbeat>(*ardour::decode({"/heartbeat", {1.0f}})));
  EXPECT_TRUE(std::holds_alternative<ardour::StripsChanged>(*ardour::decode({"/strip/list", {}})));
  const auto entry = std::get<ardour::ListEntry>(
      *ardour::decode({"#reply",
                       {std::string("AT"), std::string("Kick"), std::int32_t{1}, std::int32_t{2},
                        std::int32_t{0}, std::int32_t{1}, std::int32_t{1}, std::int32_t{0}}}));
  EXPECT_EQ(entry.name, "Kick");
  EXPECT_TRUE(entry.solo);
  EXPECT_EQ(std::get<ardour::ListEnd>(
                *ardour::decode({"/reply", {std::string("end_route_list"), std::int64_t{44100}}}))
                .sample_rate,
            44100);
  EXPECT_EQ(std::get<ardour::MasterEvent>(*ardour::decode({"/master/gain", {-1.5f}})).value, -1.5);
  EXPECT_FALSE(ardour::decode({"/strip/gain", {std::int32_t{0}, 1.0f}}));  // ssids start at 1
  EXPECT_FALSE(ardour::decode({"/strip/gain", {std::int32_t{1}, std::string("loud")}}));
  EXPECT_FALSE(ardour::decode({"/strip/warp", {std::int32_t{1}, 1.0f}}));
  // Transport state as Ardour's global feedback sends it (f 0/1).
  const auto play = ardour::decode({"/transport_play", {1.0f}});
  ASSERT_TRUE(play && std::holds_alternative<TransportEvent>(*play));
  EXPECT_EQ(std::get<TransportEvent>(*play).control, TransportControl::play);
  EXPECT_TRUE(std::get<TransportEvent>(*play).on);
  EXPECT_FALSE(std::get<TransportEvent>(*ardour::decode({"/rec_enable_toggle", {0.0f}})).on);
  EXPECT_FALSE(ardour::decode({"/transport_stop", {}}));  // a command, not feedback
  EXPECT_EQ(
      std::get<Timecode>(*ardour::decode({"/position/smpte", {std::string("01:02:03:04")}})).text,
      "01:02:03:04");
  // Fader-position gain modes: positions arrive as dB through Ardour's taper.
  const auto fader =
      std::get<StripEvent>(*ardour::decode({"/strip/fader", {std::int32_t{2}, 0.7818f}}));
  EXPECT_EQ(fader.control, ardour::Control::gain_db);
  EXPECT_NEAR(fader.value, 0.0, 0.01);
}

TEST(ArdourOsc, NumbersThatAreNoStripIdOrIndexAreRefused) {
  const OscMessage m{"/x", {std::int64_t{1} << 40, 7.0, 2.5f, std::string("7"), std::nanf("")}};
  EXPECT_FALSE(m.whole(0));  // beyond an int
  EXPECT_EQ(m.whole(1), 7);
  EXPECT_FALSE(m.whole(2));
  EXPECT_FALSE(m.whole(3));
  EXPECT_FALSE(m.whole(4));
  EXPECT_FALSE(m.whole(9));
  // Found by fuzzing: a 64-bit strip id of 1.7e15 was converted to int (undefined behaviour).
  const std::uint8_t datagram[] = {'/', 's', 't', 'r', 'i', 'p', '/', 's', 'o', 'l',
                                   'o', 0,   ',', 'h', 's', 0,   0,   6,   0,   3,
                                   'L', 1,   8,   3,   'L', 'V', 0,   0};
  const auto decoded = decode_osc(datagram, sizeof datagram);
  ASSERT_TRUE(decoded && decoded->size() == 1);
  EXPECT_FALSE(ardour::decode(decoded->front()));
  EXPECT_FALSE(ardour::decode({"/strip/gain", {2.5f, -6.0f}}));
  EXPECT_FALSE(ardour::decode(
      {"/strip/sends",
       {std::int32_t{1}, 1e12, std::string("Plate"), std::int32_t{1}, 0.5f, std::int32_t{1}}}));
  EXPECT_EQ(std::get<ardour::StripEvent>(*ardour::decode({"/strip/gain", {3.0f, -6.0f}})).ssid, 3);
}

TEST(ArdourOsc, EncodesSurfaceSetupAndControls) {
  ardour::SurfaceSettings s;
  s.reply_port = 9000;
  const OscMessage setup = ardour::set_surface(s);
  EXPECT_EQ(setup.path, "/set_surface");
  EXPECT_EQ(setup.types(), "iiiiiii");
  EXPECT_EQ(*setup.number(2), 1 + 2 + 8 + 16 + 64 + 128);  // with /position/smpte
  EXPECT_EQ(*setup.number(6), 9000);
  EXPECT_EQ(ardour::strip_control(2, ardour::Control::mute, 1).types(), "ii");
  EXPECT_EQ(describe(ardour::strip_control(2, ardour::Control::gain_db, -INFINITY)),
            "/strip/gain if 2 -193");
  EXPECT_DOUBLE_EQ(ardour::pan_from_position(1.0), -1.0);  // Ardour: 1.0 is hard left
  EXPECT_DOUBLE_EQ(ardour::position_from_pan(1.0), 0.0);
}

TEST(Cidr, ParsesAndMatches) {
  const Cidr loopback = parse_cidr("127.0.0.0/8");
  EXPECT_TRUE(loopback.contains(0x7F000001));
  EXPECT_FALSE(loopback.contains(0xC0A80001));
  EXPECT_TRUE(parse_cidr("127.0.0.1").contains(0x7F000001));
  EXPECT_FALSE(parse_cidr("127.0.0.1").contains(0x7F000002));
  EXPECT_TRUE(parse_cidr("0.0.0.0/0").contains(0x08080808));
  EXPECT_THROW(parse_cidr("localhost"), OscError);
  EXPECT_THROW(parse_cidr("10.0.0.0/33"), OscError);
  EXPECT_THROW(parse_cidr("10.0.0.0/x"), OscError);
}

}  // namespace routewise
