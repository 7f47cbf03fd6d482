// routewise render / meter / nulltest as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace routewise {
namespace {

using testing::run_cli;

const std::string sessions = std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/";

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

}  // namespace
}  // namespace routewise
