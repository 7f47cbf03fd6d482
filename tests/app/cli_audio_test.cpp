// routewise render / meter / nulltest as a user runs them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <tuple>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace routewise {
namespace {

using testing::run_cli;

const std::string sessions = std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/";

// A mono 32-bit float WAV written byte by byte, so that it can hold what no writer of ours
// would write: NaN and infinity.
void write_float_wav(const std::string& path, const std::vector<float>& samples) {
  std::ofstream out(path, std::ios::binary);
  const auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  const auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  const auto bytes = static_cast<std::uint32_t>(samples.size() * 4);
  out << "RIFF";
  u32(36 + bytes);
  out << "WAVEfmt ";
  u32(16);
  u16(3);  // IEEE float
  u16(1);
  u32(48000);
  u32(48000 * 4);
  u16(4);
  u16(32);
  out << "data";
  u32(bytes);
  out.write(reinterpret_cast<const char*>(samples.data()), bytes);
}

// One second of 1 kHz at 48 kHz: every 24th sample is a zero crossing.
std::vector<float> sine_1k() {
  std::vector<float> x(48000);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(0.5 * std::sin(2.0 * 3.14159265358979323846 * 1000.0 * i / 48000.0));
  return x;
}

TEST(CliAudio, EveryAudioCommandHasHelp) {
  for (const char* command : {"render", "meter", "nulltest"}) {
    const auto run = run_cli(std::string(command) + " --help");
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.output.find("Usage"), std::string::npos) << command;
  }
}

TEST(CliAudio, RenderThenNulltestReportsTheFaultySessionsBleed) {
  testing::TempDir dir;
  const std::string out = (dir / "render").string();
  const auto render =
      run_cli("render " + sessions + "pop-song-faulty.json --stems --seconds 6 --out " + out);
  ASSERT_EQ(render.exit_code, 0) << render.output;
  EXPECT_NE(render.output.find("mix.wav"), std::string::npos) << render.output;
  EXPECT_NE(render.output.find("VOX.wav"), std::string::npos) << render.output;
  EXPECT_TRUE(std::filesystem::exists(out + "/sources/lead_vox.wav"));

  const std::string stems = out + "/stems/BASS.wav " + out + "/stems/DRUMS.wav " + out +
                            "/stems/GTRS.wav " + out + "/stems/KEYS.wav " + out + "/stems/VOX.wav";
  const auto null = run_cli("nulltest --mix " + out + "/mix.wav " + stems + " --sources " + out +
                            "/sources --session " + sessions + "pop-song-faulty.json");
  EXPECT_EQ(null.exit_code, 1) << null.output;
  EXPECT_NE(null.output.find("DOES NOT NULL"), std::string::npos) << null.output;
  EXPECT_NE(null.output.find("BLEED: the mix contains VOX/Lead Vox"), std::string::npos)
      << null.output;

  const auto json = run_cli("nulltest --format json --mix " + out + "/mix.wav " + stems);
  EXPECT_EQ(json.exit_code, 1);
  const auto parsed = nlohmann::json::parse(json.output);
  EXPECT_FALSE(parsed["nulls"].get<bool>());
  EXPECT_EQ(parsed["bands"].size(), 10u);
}

TEST(CliAudio, CleanSessionNullsWithExitCodeZero) {
  testing::TempDir dir;
  const std::string out = (dir / "r").string();
  ASSERT_EQ(run_cli("render " + sessions +
                    "pop-song-clean.json --stems --seconds 4 --format aiff --out " + out)
                .exit_code,
            0);
  const auto null = run_cli("nulltest --mix " + out + "/mix.aiff " + out + "/stems/BASS.aiff " +
                            out + "/stems/DRUMS.aiff " + out + "/stems/GTRS.aiff " + out +
                            "/stems/KEYS.aiff " + out + "/stems/VOX.aiff");
  EXPECT_EQ(null.exit_code, 0) << null.output;
  EXPECT_NE(null.output.find("NULLS"), std::string::npos) << null.output;

  // The mix peaks above full scale: an integer export (FLAC) clips, and render says so.
  const auto flac =
      run_cli("render " + sessions + "pop-song-clean.json --seconds 4 --format flac --out " + out);
  EXPECT_EQ(flac.exit_code, 0) << flac.output;
  EXPECT_NE(flac.output.find("FLAC holds integers: it is clipped"), std::string::npos)
      << flac.output;
}

TEST(CliAudio, MeterReadsAGeneratedSine) {
  testing::TempDir dir;
  // A track with no session stem: render a one-track session and meter its mix.
  const std::string session = (dir / "one.json").string();
  std::ofstream(session) << R"({"format": "routewise-route-map", "version": 1,
    "session": {"name": "one", "sample_rate_hz": 48000},
    "nodes": [
      {"id": "t", "name": "Tone", "kind": "track", "channels": 1, "pan": -1,
       "outputs": [{"target": "m"}]},
      {"id": "m", "name": "Master", "kind": "master", "channels": 2}]})";
  const std::string out = (dir / "r").string();
  const auto render =
      run_cli("render " + session + " --signal sine:997@-12 --seconds 5 --out " + out);
  ASSERT_EQ(render.exit_code, 0) << render.output;
  const auto meter = run_cli("meter --format json " + out + "/mix.wav");
  ASSERT_EQ(meter.exit_code, 0) << meter.output;
  const auto j = nlohmann::json::parse(meter.output)[0];
  EXPECT_NEAR(j["peak_dbfs"].get<double>(), -12.0, 0.01);
  EXPECT_NEAR(j["true_peak_dbtp"].get<double>(), -12.0, 0.05);
  EXPECT_NEAR(j["seconds"].get<double>(), 5.0, 1e-6);
}

TEST(CliAudio, BadInputGivesClearErrors) {
  testing::TempDir dir;
  auto run = run_cli("render " + sessions + "pop-song-clean.json --signal saw --out " +
                     (dir / "x").string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("unknown signal 'saw'"), std::string::npos) << run.output;
  run =
      run_cli("render " + sessions + "pop-song-clean.json --block 8 --out " + (dir / "x").string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("block size 8"), std::string::npos) << run.output;
  run = run_cli("render " + sessions + "pop-song-clean.json --sources " + dir.path().string() +
                " --out " + (dir / "x").string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("no source file matches"), std::string::npos) << run.output;
  const std::string junk = (dir / "junk.wav").string();
  std::ofstream(junk) << "not audio";
  run = run_cli("meter " + junk);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find(junk), std::string::npos) << run.output;
  run = run_cli("nulltest --mix " + junk + " " + junk);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find(junk), std::string::npos) << run.output;
}

TEST(CliAudio, NanAndInfiniteSamplesAreNamedAndNeverNullOrMeterAsSilence) {
  testing::TempDir dir;
  const std::string clean = (dir / "clean.wav").string();
  const std::string damaged = (dir / "damaged.wav").string();
  std::vector<float> x = sine_1k();
  write_float_wav(clean, x);
  // At zero crossings, so that reading them as silence leaves the file equal to the clean one:
  // only the count can tell them apart.
  x[12000] = std::numeric_limits<float>::quiet_NaN();
  x[24000] = std::numeric_limits<float>::infinity();
  write_float_wav(damaged, x);

  auto run = run_cli("meter " + damaged);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("2 samples are NaN or infinite, the first at 0.250 s (frame 12000)"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("nan"), std::string::npos) << run.output;
  run = run_cli("meter --format json " + damaged + " " + clean);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const auto meters = nlohmann::json::parse(run.output.substr(run.output.find('[')));
  EXPECT_EQ(meters[0]["non_finite_samples"], 2);
  EXPECT_EQ(meters[1]["non_finite_samples"], 0);
  EXPECT_NEAR(meters[0]["peak_dbfs"].get<double>(), -6.02, 0.01);
  EXPECT_EQ(run_cli("meter " + clean).exit_code, 0);

  run = run_cli("nulltest --mix " + damaged + " " + clean);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("DOES NOT NULL (1 file with NaN or infinite samples"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("damaged      " + damaged + ": 2 samples"), std::string::npos)
      << run.output;
  run = run_cli("nulltest --format json --mix " + clean + " " + damaged);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const auto null = nlohmann::json::parse(run.output);
  EXPECT_FALSE(null["nulls"].get<bool>());
  ASSERT_EQ(null["damaged"].size(), 1u);
  EXPECT_EQ(run_cli("nulltest --mix " + clean + " " + clean).exit_code, 0);

  // A render from a damaged recording finishes, names it and exits 1.
  const std::string session = (dir / "one.json").string();
  std::ofstream(session) << R"({"format": "routewise-route-map", "version": 1,
    "session": {"name": "one", "sample_rate_hz": 48000},
    "nodes": [
      {"id": "t", "name": "Tone", "kind": "track", "channels": 1, "outputs": [{"target": "m"}]},
      {"id": "m", "name": "Master", "kind": "master", "channels": 2}]})";
  std::filesystem::create_directories(dir / "src");
  std::filesystem::copy_file(damaged, dir / "src" / "t.wav");
  run = run_cli("render " + session + " --sources " + (dir / "src").string() + " --out " +
                (dir / "r").string());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("damaged: " + (dir / "src" / "t.wav").string() + ": 2 samples"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run_cli("meter " + (dir / "r" / "mix.wav").string()).exit_code, 0);
}

TEST(CliAudio, StemsWhoseFileNamesMeetAreWrittenApart) {
  testing::TempDir dir;
  const std::string session = (dir / "stems.json").string();
  std::ofstream(session) << R"({"format": "routewise-route-map", "version": 1,
    "session": {"name": "s", "sample_rate_hz": 48000,
                "stems": {"Drums 1": "a", "Drums?1": "b", "drums_1": "c"}},
    "nodes": [
      {"id": "t1", "name": "T1", "kind": "track", "channels": 1, "outputs": [{"target": "a"}]},
      {"id": "t2", "name": "T2", "kind": "track", "channels": 1, "outputs": [{"target": "b"}]},
      {"id": "t3", "name": "T3", "kind": "track", "channels": 1, "outputs": [{"target": "c"}]},
      {"id": "a", "name": "A", "kind": "bus", "channels": 2, "outputs": [{"target": "m"}]},
      {"id": "b", "name": "B", "kind": "bus", "channels": 2, "outputs": [{"target": "m"}]},
      {"id": "c", "name": "C", "kind": "bus", "channels": 2, "outputs": [{"target": "m"}]},
      {"id": "m", "name": "Master", "kind": "master", "channels": 2}]})";
  const std::string out = (dir / "r").string();
  const auto run = run_cli("render " + session + " --stems --seconds 1 --out " + out);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::size_t stems = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out + "/stems")) {
    (void)entry;
    ++stems;
  }
  EXPECT_EQ(stems, 3u) << run.output;
  EXPECT_NE(run.output.find("is written as 'Drums_1-2'"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("is written as 'drums_1-3'"), std::string::npos) << run.output;
  // Each file holds its own stem and the three sum to the mix.
  const auto null = run_cli("nulltest --mix " + out + "/mix.wav " + out + "/stems/Drums_1.wav " +
                            out + "/stems/Drums_1-2.wav " + out + "/stems/drums_1-3.wav");
  EXPECT_EQ(null.exit_code, 0) << null.output;
}

// An example session with its master fader at `fader_db`, written into `dir`; returns its path.
std::string with_master_fader(const std::filesystem::path& dir, const std::string& example,
                              double fader_db) {
  auto map = nlohmann::json::parse(std::ifstream(sessions + example));
  for (auto& node : map["nodes"])
    if (node["kind"] == "master") node["fader_db"] = fader_db;
  const std::string session = (dir / ("master-" + example)).string();
  std::ofstream(session) << map.dump();
  return session;
}

// A mix engineer rides the master: the stems (taken before it) sum to the mix only after the
// master's gain. That is its own verdict line, not a failed null and not 24 sources "in no stem".
TEST(CliAudio, AMasterFaderTheStemsLackIsReportedAsAGainAndTheStemsStillNull) {
  testing::TempDir dir;
  // The third: a limiter on the master, stood in for by a plugin that lowers the level by 1.2 dB
  // with 64 samples of latency; the stems null after its gain, and the export compensates the
  // latency as a DAW's does (the offset stays the SSL insert's 0.4 samples).
  for (const auto& [name, fader_db, inverted, limiter] :
       {std::tuple{"clean", -3.5, false, false}, std::tuple{"inverted", 0.0, true, false},
        std::tuple{"limited", -1.2, false, true}}) {
    auto map = nlohmann::json::parse(std::ifstream(sessions + "pop-song-clean.json"));
    for (auto& node : map["nodes"])
      if (node["kind"] == "master" && limiter) {
        node["plugins"] = nlohmann::json::array(
            {{{"name", "Limiter"}, {"latency_samples", 64}, {"gain_db", fader_db}}});
      } else if (node["kind"] == "master") {
        node["fader_db"] = fader_db;
        node["polarity_inverted"] = inverted;
      }
    const std::string session = (dir / (std::string(name) + ".json")).string();
    std::ofstream(session) << map.dump();
    const std::string out = (dir / name).string();
    ASSERT_EQ(run_cli("render " + session + " --stems --seconds 4 --out " + out).exit_code, 0);
    std::string stems;
    for (const char* stem : {"BASS", "DRUMS", "GTRS", "KEYS", "VOX"})
      stems += " " + out + "/stems/" + stem + ".wav";
    const auto run = run_cli("nulltest --mix " + out + "/mix.wav" + stems + " --sources " + out +
                             "/sources --session " + session);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    if (limiter) {
      EXPECT_NE(run.output.find("NULLS after a -1.20 dB gain"), std::string::npos) << run.output;
      EXPECT_NE(run.output.find("the mix is 1.20 dB below the stem sum"), std::string::npos)
          << run.output;
      EXPECT_NE(run.output.find("lags the stem sum by 0.400 samples"), std::string::npos)
          << run.output;
    } else if (!inverted) {
      EXPECT_NE(run.output.find("NULLS after a -3.50 dB gain"), std::string::npos) << run.output;
      EXPECT_NE(run.output.find("the mix is 3.50 dB below the stem sum"), std::string::npos)
          << run.output;
    } else {
      EXPECT_NE(run.output.find("NULLS after a +0.00 dB, inverted gain"), std::string::npos)
          << run.output;
      EXPECT_NE(run.output.find("the mix is the stem sum inverted"), std::string::npos)
          << run.output;
    }
    EXPECT_EQ(run.output.find("BLEED"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("No bleed"), std::string::npos) << run.output;
    // The 0.4-sample offset is named for what it is.
    EXPECT_NE(run.output.find("0.400 samples: the fractional part of 'SSL G-Comp''s 72.4-sample "
                              "round trip"),
              std::string::npos)
        << run.output;
    const auto json = nlohmann::json::parse(
        run_cli("nulltest --format json --mix " + out + "/mix.wav" + stems).output);
    EXPECT_NEAR(json["gain_db"].get<double>(), fader_db, 0.01);
    EXPECT_EQ(json["polarity_inverted"].get<bool>(), inverted);
    EXPECT_GT(std::fabs(json["correlation"].get<double>()), 0.9999) << "at the fitted offset";
  }
}

// The faulty session with its master ridden still shows exactly its fault: the vocal reverb
// return that reaches the mix outside every stem.
TEST(CliAudio, ARiddenMasterDoesNotHideTheFaultySessionsLeak) {
  testing::TempDir dir;
  const std::string session = with_master_fader(dir.path(), "pop-song-faulty.json", -3.5);
  const std::string out = (dir / "r").string();
  ASSERT_EQ(run_cli("render " + session + " --stems --seconds 6 --out " + out).exit_code, 0);
  const std::string stems = out + "/stems/BASS.wav " + out + "/stems/DRUMS.wav " + out +
                            "/stems/GTRS.wav " + out + "/stems/KEYS.wav " + out + "/stems/VOX.wav";
  const auto run = run_cli("nulltest --mix " + out + "/mix.wav " + stems + " --sources " + out +
                           "/sources --session " + session);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  // The master's gain is told from the stems that agree on it (the faults pull the others).
  EXPECT_TRUE(
      std::regex_search(run.output, std::regex("DOES NOT NULL after a -3\\.5[0-9] dB gain")))
      << run.output;
  // Exactly the vocal leak: four vocal sources in the mix outside every stem, nothing else.
  std::size_t bleeds = 0;
  for (std::size_t at = run.output.find("BLEED: "); at != std::string::npos;
       at = run.output.find("BLEED: ", at + 1)) {
    ++bleeds;
    const std::string vocal = "BLEED: the mix contains VOX/";
    EXPECT_EQ(run.output.compare(at, vocal.size(), vocal), 0) << run.output.substr(at, 80);
  }
  EXPECT_EQ(bleeds, 4u) << run.output;
}

// A source the stems hold twice (Kick In also sent to a "print" bus exported as a stem of its
// own, which the master never hears): the residual holds it with its sign turned, which is the
// stems' excess, not something the mix has outside every stem.
TEST(CliAudio, ASourceInTheStemsTwiceIsSaidSoNotBlamedOnTheMix) {
  testing::TempDir dir;
  auto map = nlohmann::json::parse(std::ifstream(sessions + "pop-song-clean.json"));
  for (auto& node : map["nodes"])
    if (node["id"] == "kick_in")
      node["sends"].push_back(
          {{"target", "kick_print"}, {"level_db", -23.0}, {"tap", "post-fader"}});
  map["nodes"].push_back(
      {{"id", "kick_print"}, {"name", "Kick Print"}, {"kind", "bus"}, {"channels", 2}});
  map["session"]["stems"]["PRINT"] = "kick_print";
  const std::string session = (dir / "twice.json").string();
  std::ofstream(session) << map.dump();
  const std::string out = (dir / "r").string();
  ASSERT_EQ(run_cli("render " + session + " --stems --seconds 4 --out " + out).exit_code, 0);
  std::string stems;
  for (const char* stem : {"BASS", "DRUMS", "GTRS", "KEYS", "PRINT", "VOX"})
    stems += " " + out + "/stems/" + stem + ".wav";
  const auto run = run_cli("nulltest --mix " + out + "/mix.wav" + stems + " --sources " + out +
                           "/sources --session " + session);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("BLEED: DRUMS/Kick In is in the stems twice: PRINT stem contains it at "
                            "-26.0 dB (the mix has it once)"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("that is in no stem"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("BLEED: PRINT stem contains"), std::string::npos) << "said once";
}

// DAWs offer "stems via master": the stems go through the master's gain, so they sum to the mix a
// ridden master makes. Without it, render says the master's gain is in the mix only.
TEST(CliAudio, StemsViaTheMasterSumToTheRiddenMixWithoutAGain) {
  testing::TempDir dir;
  const std::string session = with_master_fader(dir.path(), "pop-song-clean.json", -3.5);
  for (const bool via_master : {false, true}) {
    const std::string out = (dir / (via_master ? "via" : "before")).string();
    const auto render = run_cli("render " + session + " --seconds 3 --out " + out +
                                (via_master ? " --stems-via-master" : " --stems"));
    ASSERT_EQ(render.exit_code, 0) << render.output;
    EXPECT_NE(render.output.find(via_master ? "stems go through the master's gain (-3.50 dB)"
                                            : "stems are taken before the master, whose gain "
                                              "(-3.50 dB) is in the mix only"),
              std::string::npos)
        << render.output;
    std::string stems;
    for (const char* stem : {"BASS", "DRUMS", "GTRS", "KEYS", "VOX"})
      stems += " " + out + "/stems/" + stem + ".wav";
    const auto json = nlohmann::json::parse(
        run_cli("nulltest --format json --mix " + out + "/mix.wav" + stems).output);
    EXPECT_TRUE(json["nulls"].get<bool>());
    EXPECT_NEAR(json["gain_db"].get<double>(), via_master ? 0.0 : -3.5, 0.01);
  }
}

// A mix over the -1 dBTP ceiling (or over full scale) is said so when it is rendered.
TEST(CliAudio, AMixOverTheTruePeakCeilingIsFlaggedByRender) {
  testing::TempDir dir;
  const std::string session = with_master_fader(dir.path(), "pop-song-clean.json", 12.0);
  const auto render = run_cli("render " + session + " --seconds 2 --out " + (dir / "r").string());
  ASSERT_EQ(render.exit_code, 0) << render.output;
  EXPECT_NE(render.output.find("the mix peaks at +"), std::string::npos) << render.output;
  EXPECT_NE(render.output.find("over full scale"), std::string::npos) << render.output;
  const auto meter = run_cli("meter " + (dir / "r" / "mix.wav").string());
  EXPECT_EQ(meter.exit_code, 0) << meter.output;
  EXPECT_NE(meter.output.find("mix.wav peaks at +"), std::string::npos) << meter.output;
  EXPECT_NE(meter.output.find("over full scale"), std::string::npos) << meter.output;
}

}  // namespace
}  // namespace routewise
