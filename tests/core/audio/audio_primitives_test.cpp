// Delay lines, test signals and audio files: the building blocks of rendering and measurement.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "../../support/temp_dir.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/delay_line.hpp"
#include "routewise/audio/test_signal.hpp"
#include "routewise/model/units.hpp"

namespace routewise {
namespace {

std::vector<float> delayed_impulse(double delay, std::size_t frames, std::size_t block) {
  DelayLine line(delay, block);
  std::vector<float> x(frames, 0.0f);
  x[0] = 1.0f;
  for (std::size_t i = 0; i < frames; i += block)
    line.process(&x[i], &x[i], std::min(block, frames - i));
  return x;
}

TEST(DelayLine, IntegerDelaysAreExactCopies) {
  for (double d : {0.0, 1.0, 37.0, 4096.0, 65000.0}) {
    const auto y = delayed_impulse(d, 70000, 128);
    EXPECT_EQ(y[static_cast<std::size_t>(d)], 1.0f) << d;
    double sum = 0.0;
    for (float v : y) sum += std::fabs(v);
    EXPECT_EQ(sum, 1.0) << d;
  }
}

TEST(DelayLine, FractionalDelayShiftsASineByThatMuch) {
  // A 1 kHz sine delayed by d samples must equal the sine evaluated d samples earlier. From 16
  // samples up the kernel is a full 32-tap windowed sinc: 0.1% accuracy. Below, a causal kernel
  // cannot be centred and shrinks: about 3% at a quarter sample, better as the delay grows.
  for (auto [d, tolerance] : {std::pair{0.25, 0.03}, std::pair{0.5, 0.01}, std::pair{3.7, 1e-3},
                              std::pair{72.4, 1e-3}, std::pair{1000.9, 1e-3}}) {
    DelayLine line(d, 64);
    const double w = 2.0 * std::numbers::pi * 1000.0 / 48000.0;
    std::vector<float> x(4096), y(4096);
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<float>(std::sin(w * static_cast<double>(i)));
    for (std::size_t i = 0; i < x.size(); i += 64) line.process(&x[i], &y[i], 64);
    double worst = 0.0;
    for (std::size_t i = 2048; i < y.size(); ++i)
      worst = std::max(worst, std::fabs(y[i] - std::sin(w * (static_cast<double>(i) - d))));
    EXPECT_LT(worst, tolerance) << d;
  }
  EXPECT_THROW(DelayLine(-1.0, 64), std::invalid_argument);
  EXPECT_THROW(DelayLine(std::nan(""), 64), std::invalid_argument);
}

TEST(TestSignal, SineMlsAndNoiseHaveTheirLevels) {
  SignalSpec sine;
  sine.kind = SignalKind::sine;
  sine.level_dbfs = -12.0;
  sine.frequency_hz = 997.0;
  SignalGenerator g(sine, 48000.0);
  std::vector<float> x(48000);
  g.fill(x.data(), x.size());
  float peak = 0.0f;
  for (float v : x) peak = std::max(peak, std::fabs(v));
  EXPECT_NEAR(amplitude_to_db(peak), -12.0, 0.01);

  for (SignalKind kind : {SignalKind::pink_noise, SignalKind::white_noise}) {
    SignalSpec noise;
    noise.kind = kind;
    noise.level_dbfs = -20.0;
    SignalGenerator n(noise, 48000.0);
    std::vector<float> y(480000);
    n.fill(y.data(), y.size());
    double sum = 0.0;
    for (float v : y) sum += static_cast<double>(v) * v;
    EXPECT_NEAR(10.0 * std::log10(sum / static_cast<double>(y.size())), -20.0, 0.5)
        << static_cast<int>(kind);
  }
}

TEST(TestSignal, MlsHasFullPeriodAndTwoValuedAutocorrelation) {
  for (int order : {2, 5, 10, 16, 20, 24}) {
    const auto seq = mls_sequence(order);
    ASSERT_EQ(seq.size(), (std::size_t{1} << order) - 1);
    double sum = 0.0;
    for (float v : seq) sum += v;
    EXPECT_EQ(std::fabs(sum), 1.0) << order;  // balanced: one more of one value than the other
    if (order > 12) continue;
    // Circular autocorrelation is N at lag 0 and −1 at every other lag.
    const std::size_t n = seq.size();
    for (std::size_t lag = 1; lag < n; lag += std::max<std::size_t>(1, n / 50)) {
      double c = 0.0;
      for (std::size_t i = 0; i < n; ++i) c += seq[i] * seq[(i + lag) % n];
      EXPECT_EQ(c, -1.0) << order << " lag " << lag;
    }
  }
}

TEST(TestSignal, ParsesSpecsAndNamesWhatIsWrong) {
  EXPECT_EQ(parse_signal("sine:997@-12").spec->frequency_hz, 997.0);
  EXPECT_EQ(parse_signal("sine:997@-12").spec->level_dbfs, -12.0);
  EXPECT_EQ(parse_signal("mls:18").spec->mls_order, 18);
  EXPECT_EQ(parse_signal("impulse").spec->level_dbfs, 0.0);
  EXPECT_NE(parse_signal("saw").error.find("unknown signal 'saw'"), std::string::npos);
  EXPECT_NE(parse_signal("sine:abc").error.find("'abc'"), std::string::npos);
  EXPECT_NE(parse_signal("pink@+6").error.find("dBFS"), std::string::npos);
  EXPECT_NE(parse_signal("mls:40").error.find("2 and 24"), std::string::npos);
}

TEST(AudioFile, RoundTripsWavAiffAndFlac) {
  testing::TempDir dir;
  AudioData data;
  data.sample_rate_hz = 44100.0;
  data.channels.assign(2, std::vector<float>(10000));
  for (std::size_t i = 0; i < 10000; ++i) {
    data.channels[0][i] = static_cast<float>(0.5 * std::sin(0.01 * static_cast<double>(i)));
    data.channels[1][i] = static_cast<float>(-0.25 * std::cos(0.02 * static_cast<double>(i)));
  }
  for (auto [name, tolerance] :
       {std::pair{"a.wav", 0.0}, std::pair{"a.aiff", 0.0}, std::pair{"a.flac", 1.0 / 8388608.0}}) {
    const std::string path = (dir / name).string();
    write_audio_file(path, data);
    const AudioData back = read_audio_file(path);
    EXPECT_EQ(back.sample_rate_hz, 44100.0) << name;
    ASSERT_EQ(back.channels.size(), 2u) << name;
    ASSERT_EQ(back.frames(), 10000u) << name;
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < 10000; ++i)
        worst = std::max(worst,
                         static_cast<double>(std::fabs(back.channels[c][i] - data.channels[c][i])));
    EXPECT_LE(worst, tolerance) << name;
  }
  EXPECT_EQ(AudioFileReader((dir / "a.flac").string()).info().format, "FLAC 24-bit");
}

TEST(AudioFile, BadFilesGiveErrorsThatNameTheFile) {
  testing::TempDir dir;
  const std::string missing = (dir / "missing.wav").string();
  try {
    AudioFileReader reader(missing);
    FAIL();
  } catch (const AudioFileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(missing, 0), 0u) << e.what();
  }
  const std::string garbage = (dir / "garbage.wav").string();
  std::ofstream(garbage) << "RIFF this is not really a wave file at all";
  EXPECT_THROW(AudioFileReader{garbage}, AudioFileError);
  // A WAV cut in the middle of its header.
  AudioData data{48000.0, {std::vector<float>(1000, 0.1f)}, {}};
  const std::string cut = (dir / "cut.wav").string();
  write_audio_file(cut, data);
  std::filesystem::resize_file(cut, 20);
  EXPECT_THROW(AudioFileReader{cut}, AudioFileError);
  EXPECT_THROW(AudioFileWriter((dir / "x.mp3").string(), 48000.0, 2), AudioFileError);
  EXPECT_THROW(AudioFileWriter((dir / "no" / "such" / "dir.wav").string(), 48000.0, 2),
               AudioFileError);
}

TEST(AudioFile, TruncatedDataReadsWhatIsThere) {
  testing::TempDir dir;
  AudioData data{48000.0, {std::vector<float>(10000, 0.25f)}, {}};
  const std::string path = (dir / "short.wav").string();
  write_audio_file(path, data);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4000);
  const AudioData back = read_audio_file(path);
  EXPECT_EQ(back.frames(), 9000u);  // the 1000 frames that were cut off are gone, the rest intact
  for (float v : back.channels[0]) ASSERT_EQ(v, 0.25f);
}

// 24- and 16-bit FLAC and PCM are read as integers and scaled by Routewise (libFLAC directly for
// FLAC): every integer must come back as exactly the float libsndfile's own path gives, k / 2^23.
TEST(AudioFile, IntegerSamplesReadBackExactlyAndSeekLandsOnTheFrame) {
  testing::TempDir dir;
  AudioData data;
  data.sample_rate_hz = 48000.0;
  data.channels.assign(2, std::vector<float>(100000));
  std::uint32_t state = 12345;
  for (auto& channel : data.channels)
    for (float& v : channel) {
      state = state * 1664525u + 1013904223u;
      const auto k = static_cast<std::int32_t>(state >> 8) - (1 << 23);  // any 24-bit value
      v = static_cast<float>(k) / 8388608.0f;
    }
  for (auto [name, encoding] :
       {std::pair{"a.flac", AudioEncoding::pcm24}, std::pair{"a.wav", AudioEncoding::pcm24},
        std::pair{"b.flac", AudioEncoding::pcm16}}) {
    const std::string path = (dir / name).string();
    write_audio_file(path, data, encoding);
    const AudioData back = read_audio_file(path);
    ASSERT_EQ(back.frames(), 100000u) << name;
    std::size_t wrong = 0;
    for (int c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < 100000; ++i) {
        const float v = back.channels[c][i], want = data.channels[c][i];
        // 16 bits: a multiple of 2^-15 within one step of what was written
        wrong += encoding == AudioEncoding::pcm24 ? v != want
                                                  : std::fabs(v - want) > 1.0f / 32768.0f ||
                                                        v * 32768.0f != std::round(v * 32768.0f);
      }
    EXPECT_EQ(wrong, 0u) << name;
    const AudioData& expected = back;
    AudioFileReader reader(path);
    reader.seek(77777);
    float frame[2];
    ASSERT_EQ(reader.read(frame, 1), 1u) << name;
    EXPECT_EQ(frame[0], expected.channels[0][77777]) << name;
    EXPECT_EQ(frame[1], expected.channels[1][77777]) << name;
  }
}

// A FLAC export cut short (a full disk) reads what is there, like a WAV; one damaged in the middle
// would shift or corrupt everything after it, so it is an error that names the file and where.
TEST(AudioFile, FlacCutShortReadsWhatIsThereAndDamageInsideIsAnError) {
  testing::TempDir dir;
  AudioData data{48000.0, {std::vector<float>(200000)}, {}};
  for (std::size_t i = 0; i < data.channels[0].size(); ++i)
    data.channels[0][i] =
        static_cast<float>(0.3 * std::sin(0.001 * static_cast<double>(i * i % 9973)));
  const std::string path = (dir / "whole.flac").string();
  write_audio_file(path, data, AudioEncoding::pcm24);
  const auto size = std::filesystem::file_size(path);
  const std::string cut = (dir / "cut.flac").string();
  std::filesystem::copy_file(path, cut);
  std::filesystem::resize_file(cut, size / 2);
  const AudioData back = read_audio_file(cut);
  EXPECT_GT(back.frames(), 40000u);
  EXPECT_LT(back.frames(), 160000u);
  for (std::size_t i = 0; i < back.frames(); ++i)
    ASSERT_NEAR(back.channels[0][i], data.channels[0][i], 1.0 / 8388608.0) << i;
  const std::string damaged = (dir / "damaged.flac").string();
  std::filesystem::copy_file(path, damaged);
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.write("\xff\x00\xff\x00\xff\x00\xff\x00", 8);
  }
  try {
    read_audio_file(damaged);
    FAIL() << "a FLAC file damaged in the middle was read without a word";
  } catch (const AudioFileError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(damaged, 0), 0u) << what;
    EXPECT_NE(what.find("damaged FLAC stream after frame"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace routewise
