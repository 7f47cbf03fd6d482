// The routewise CLI as a user runs it: exit codes, one-line errors, --help on every command.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include "../support/run_cli.hpp"
#include "routewise/store/store.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

namespace fs = std::filesystem;

using routewise::testing::CliRun;
CliRun run(const std::string& args) {
  return routewise::testing::run_cli(args);
}

class Cli : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("routewise_cli_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& content) {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  static std::string session(const std::string& name) {
    return std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/" + name;
  }
};

const std::string header =
    R"({"format":"routewise-route-map","version":1,"session":{"name":"t","sample_rate_hz":48000},"nodes":)";

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Names come from people's files and from the DAW: a name that is a terminal escape sequence
// (clear the screen, retitle the window) is shown, not obeyed.
TEST_F(Cli, ControlCharactersInNamesAreShownNotSentToTheTerminal) {
  const std::string file = write("escape.rpp",
                                 "<REAPER_PROJECT 0.1 \"6.25/linux-x86_64\" 0\n"
                                 "  <TRACK\n"
                                 "    NAME \"Kick\x1b[2J\x1b]0;pwned\x07\"\n"
                                 "  >\n"
                                 ">\n");
  const auto r = run("show " + file);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << "an escape reached the terminal";
  EXPECT_EQ(r.output.find('\x07'), std::string::npos);
  EXPECT_NE(r.output.find("Kick\\x1B[2J\\x1B]0;pwned\\x07"), std::string::npos) << r.output;
}

TEST_F(Cli, HelpOnEveryCommandExitsZero) {
  for (const char* cmd : {"",
                          "validate ",
                          "show ",
                          "analyze ",
                          "graph ",
                          "import ",
                          "snapshot ",
                          "history ",
                          "diff ",
                          "latency ",
                          "latency list ",
                          "latency add ",
                          "latency trend ",
                          "db ",
                          "db check ",
                          "sim ",
                          "mirror ",
                          "db export ",
                          "db import ",
                          "db vacuum "}) {
    const CliRun r = run(std::string(cmd) + "--help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << cmd;
  }
}

TEST_F(Cli, UnknownCommandOrOptionIsAUsageError) {
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  EXPECT_EQ(run("analyze --format pdf x.json").exit_code, 2);
  EXPECT_EQ(run("").exit_code, 2);
}

TEST_F(Cli, ValidateAcceptsTheExampleSessions) {
  for (const char* s : {"pop-song-faulty.json", "pop-song-clean.json"}) {
    const CliRun r = run("validate " + session(s));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("valid route map"), std::string::npos);
  }
}

TEST_F(Cli, MissingFileIsOneClearLine) {
  const CliRun r = run("validate " + (dir / "nope.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.output), 1u);
  EXPECT_NE(r.output.find("nope.json: no such file"), std::string::npos);
}

TEST_F(Cli, NotJsonGivesLineAndColumn) {
  const CliRun r = run("validate " + write("bad.json", "{\n  \"format\": oops\n}"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.output), 1u);
  EXPECT_NE(r.output.find("line 2"), std::string::npos) << r.output;
}

TEST_F(Cli, WrongTypesAbsurdValuesEmptyNamesAndDuplicatesAreInputErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([{"id":"a","name":"A","kind":"track","fader_db":"loud"}])",
       "nodes[0].fader_db: expected a number"},
      {R"([{"id":"a","name":"A","kind":"track","fader_db":1e308}])", "out of range"},
      {R"([{"id":"a","name":"","kind":"track"}])", "nodes[0].name: is empty"},
      {R"([{"id":"a","name":"A","kind":"track"},{"id":"a","name":"B","kind":"bus"}])",
       "duplicate node id"},
      {R"([{"id":"a","name":"A","kind":"track","sends":[{"target":"Verb"}]}])",
       "unknown node \"Verb\""},
  };
  for (const auto& [nodes, expected] : cases) {
    for (const char* cmd : {"validate", "show", "analyze"}) {
      const CliRun r = run(std::string(cmd) + " " + write("case.json", header + nodes + "}"));
      EXPECT_EQ(r.exit_code, 2) << cmd << " " << nodes;
      EXPECT_NE(r.output.find(expected), std::string::npos) << cmd << ": " << r.output;
    }
  }
}

TEST_F(Cli, NanLiteralIsRejected) {
  const CliRun r =
      run("validate " +
          write("nan.json", header + R"([{"id":"a","name":"A","kind":"track","fader_db":NaN}]})"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not valid JSON"), std::string::npos);
}

TEST_F(Cli, FiftyMegabytesOfGarbageFailsFastWithOneLine) {
  const fs::path p = dir / "garbage.json";
  {
    std::ofstream out(p, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (int mb = 0; mb < 50; ++mb) {
      for (std::size_t i = 0; i < block.size(); ++i)
        block[i] = static_cast<char>((i * 31 + mb) % 256);
      out << block;
    }
  }
  const CliRun r = run("analyze " + p.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.output), 1u);
}

TEST_F(Cli, CycleIsAnInputErrorForValidateAndAFindingForAnalyze) {
  const std::string file =
      write("loop.json", header +
                             R"([{"id":"bus","name":"Bus","kind":"bus","outputs":[{"target":"fx"}]},
          {"id":"fx","name":"FX","kind":"aux-return","outputs":[{"target":"bus"}]}]})");
  CliRun r = run("validate " + file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("audio loop 'Bus' → 'FX' → 'Bus'"), std::string::npos) << r.output;
  r = run("analyze " + file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("[feedback-loop]"), std::string::npos);
  EXPECT_EQ(run("analyze --fail-on never " + file).exit_code, 0);
  r = run("show " + file);
  EXPECT_EQ(r.exit_code, 0);
}

TEST_F(Cli, AnalyzeJsonIsParseableAndExitCodeFollowsFailOn) {
  const CliRun r = run("analyze --format json --fail-on never " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.front(), '{');
}

TEST_F(Cli, ShowListsEveryNode) {
  const CliRun r = run("show " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("Kick In"), std::string::npos);
  EXPECT_NE(r.output.find("SSL G-Comp"), std::string::npos);
}

TEST_F(Cli, GraphWritesDotSvgAndPng) {
  CliRun r = run("graph --format dot " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("digraph", 0), 0u);
  const std::string svg = (dir / "map.svg").string(), png = (dir / "map.png").string();
  EXPECT_EQ(run("graph " + session("pop-song-faulty.json") + " -o " + svg).exit_code, 0);
  EXPECT_GT(fs::file_size(svg), 10000u);
  EXPECT_EQ(run("graph --format png " + session("pop-song-faulty.json") + " -o " + png).exit_code,
            0);
  EXPECT_GT(fs::file_size(png), 10000u);
  r = run("graph --format png " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("needs -o"), std::string::npos);
}

TEST_F(Cli, MarkdownReportWritesTheRouteMapBesideIt) {
  const std::string md = (dir / "report.md").string();
  const CliRun r =
      run("analyze --format markdown -o " + md + " " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 1) << r.output;  // the faulty session has an error
  std::ifstream in(md);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("![Route map of Pop Song — Mix v3 (faulty)](report.svg)"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "report.svg"));
}

TEST_F(Cli, ConfigFileChangesThresholdsAndBadConfigIsAnInputError) {
  const std::string good = write("rw.toml",
                                 "ignore = [\"stem-bleed\"]\n[gain-staging]\ndrums_max_dbfs = 0\n"
                                 "min_headroom_db = -10\n");
  CliRun r = run("analyze --config " + good + " " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 0) << r.output;  // the only error finding is ignored
  EXPECT_EQ(r.output.find("[stem-bleed]"), std::string::npos);
  EXPECT_EQ(r.output.find("[gain-staging]"), std::string::npos);
  const std::string bad = write("bad.toml", "[gain-staging]\nloudness = 3\n");
  r = run("analyze --config " + bad + " " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("bad.toml: line 2: gain-staging.loudness: unknown threshold"),
            std::string::npos)
      << r.output;
}

TEST_F(Cli, StemsDeclaredForASessionFileThatHasNone) {
  const std::string ardour = std::string(ROUTEWISE_FIXTURES_DIR) +
                             "/ardour/ardour7.3-demo-buses-aux-sends-generated.ardour";
  CliRun r = run("analyze " + ardour);
  EXPECT_EQ(r.output.find("[stem-bleed]"), std::string::npos) << "no stems, no stem bleed";
  r = run("analyze --stem 'Drums=Drum Bus' --stem 'Vocals=vox bus' " + ardour);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("'Lead Vox' belongs to the Vocals stem but feeds 'Plate'"),
            std::string::npos)
      << r.output;
  // The same from the config file; --stem adds to it.
  const std::string config = write("stems.toml", "[stems]\nDrums = \"Drum Bus\"\n");
  r = run("analyze --config " + config + " --stem 'Vocals=Vox Bus' --format json " + ardour);
  EXPECT_NE(r.output.find("stem-bleed"), std::string::npos) << r.output;

  r = run("analyze --stem 'Drums=Drum Buss' " + ardour);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(".ardour: stems.Drums: no node named 'Drum Buss' (buses: "),
            std::string::npos)
      << r.output;
  r = run("mirror --stem 'Drums=Drum Bus' --duration 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("stems need --session"), std::string::npos) << r.output;
  r = run("analyze --stem Drums " + ardour);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--stem 'Drums': expected NAME=BUS"), std::string::npos) << r.output;
  const std::string bad = write("bad-stems.toml", "[stems]\nDrums = 1\n");
  r = run("analyze --config " + bad + " " + ardour);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("bad-stems.toml: line 2: stems.Drums: expected the name or id"),
            std::string::npos)
      << r.output;
}

TEST_F(Cli, FailOnWarningCountsWarnings) {
  EXPECT_EQ(run("analyze --fail-on warning " + session("pop-song-clean.json")).exit_code, 0);
  EXPECT_EQ(run("analyze --fail-on info " + session("pop-song-clean.json")).exit_code, 0);
  EXPECT_EQ(run("analyze --fail-on error " + session("pop-song-faulty.json")).exit_code, 1);
}

TEST_F(Cli, SnapshotHistoryDiffAndDbCommandsOnARealDatabase) {
  const std::string db = (dir / "rw.db").string();
  CliRun r = run("snapshot --db " + db + " --label before " + session("pop-song-faulty.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.substr(0, 2), "1\n");
  r = run("snapshot --db " + db + " " + session("pop-song-faulty.json"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("unchanged since snapshot 1"), std::string::npos);
  ASSERT_EQ(
      run("snapshot --db " + db + " --label after " + session("pop-song-clean.json")).exit_code, 0);
  r = run("history --db " + db);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("before"), std::string::npos);
  EXPECT_NE(r.output.find("after"), std::string::npos);
  r = run("diff --db " + db + " 1 2");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("'Vox Plate' output master → vox_stem"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("'Drum Bus' fader: -13 dB → -2 dB"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("resolved error [stem-bleed]"), std::string::npos);
  r = run("diff --db " + db + " --format json 1 " + session("pop-song-clean.json"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("\"format\": \"routewise-diff\""), std::string::npos);
  EXPECT_EQ(run("diff --db " + db + " 1 99").exit_code, 2);
  r = run("db check --db " + db);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("ok (schema version " + std::to_string(routewise::store_schema_version) +
                          ", 2 snapshots, every route map reads back)"),
            std::string::npos)
      << r.output;
  const std::string backup = (dir / "backup.json").string();
  EXPECT_EQ(run("db export --db " + db + " -o " + backup).exit_code, 0);
  r = run("db import --db " + (dir / "copy.db").string() + " " + backup);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("imported 2 snapshots"), std::string::npos) << r.output;
  EXPECT_EQ(run("db vacuum --db " + db).exit_code, 0);
}

TEST_F(Cli, LatencyAddListTrendAndTheEnvironmentDatabase) {
  const std::string env = "ROUTEWISE_DB=" + (dir / "env.db").string() + " ";
  const auto run_env = [&](const std::string& args) {
    return routewise::testing::run_cli(args, env);
  };
  EXPECT_EQ(run_env("latency add 'mix_bus>ssl' --samples 72.4 --buffer 256 --method mls --at "
                    "2026-11-20T10:00:00.000Z")
                .exit_code,
            0);
  EXPECT_EQ(
      run_env("latency add 'mix_bus>ssl' --samples 75.0 --method mls --at 2026-11-26T10:00:00.000Z")
          .exit_code,
      0);
  CliRun r = run_env("latency trend 'mix_bus>ssl'");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("latest drift +0.054 ms"), std::string::npos) << r.output;
  r = run_env("latency list");
  EXPECT_NE(r.output.find("72.400"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "env.db"));
  r = run_env("latency add x --samples -4");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("out of range"), std::string::npos);
}

TEST_F(Cli, NotADatabaseIsAnInputErrorAndStaysUntouched) {
  const std::string path = write("notes.db", "not a database at all, just text\n");
  const CliRun r = run("history --db " + path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not a Routewise database"), std::string::npos) << r.output;
  std::ifstream in(path);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
            "not a database at all, just text\n");
}

TEST_F(Cli, ImportWritesAValidRouteMapAndEveryCommandReadsSessionFiles) {
  const std::string fixtures = ROUTEWISE_FIXTURES_DIR;
  const std::string out = (dir / "ardour.json").string();
  CliRun r = run("import " + fixtures +
                 "/ardour/ardour7.3-demo-buses-aux-sends-generated.ardour -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("20 nodes, 23 edges"), std::string::npos) << r.output;
  EXPECT_EQ(run("validate " + out).exit_code, 0);
  for (const char* f :
       {"/reaper/film-template-120trk-aux-sends-r6.04.rpp",
        "/ardour/vpo-orchestra-34routes-aux-sends-lv2-a6.9.ardour",
        "/dawproject/bitwig5.1.6-canon-fx-send.dawproject",
        "/ableton/live9.7-24trk-group-2returns-vst.als",
        "/ableton/live8.1-16trk-group-2returns.als", "/ableton/live12-1trk-automation.als"}) {
    EXPECT_NE(run("analyze --fail-on never " + fixtures + f).exit_code, 2) << f;
    EXPECT_EQ(run("show " + fixtures + f).exit_code, 0) << f;
    EXPECT_EQ(run("graph --format dot " + fixtures + f).exit_code, 0) << f;
  }
  r = run("import " + fixtures + "/dawproject/bitwig-legacy-0.1-json-sends.dawproject");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("obsolete DAWproject 0.1"), std::string::npos);
  r = run("import " + fixtures + "/reaper/film-template-120trk-aux-sends-r6.04.rpp");
  EXPECT_NE(r.output.find("note: "), std::string::npos);  // what could not be mapped is said
}

TEST_F(Cli, ImportCoverageForEveryFormat) {
  const std::string fixtures = ROUTEWISE_FIXTURES_DIR;
  const CliRun r =
      run("import --coverage " + fixtures + "/ableton/live9.7-24trk-group-2returns-vst.als");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Ableton Live set"), std::string::npos);
  EXPECT_NE(r.output.find("sends     54           54      100%"), std::string::npos) << r.output;
  for (const char* f : {"/reaper/yarg-folder-24trk-r7.42-linux.rpp",
                        "/ardour/ardour2-bookpoint-sends-subgroup.ardour",
                        "/dawproject/bitwig5.1.6-canon-fx-send.dawproject",
                        "/ableton/live8.1-16trk-group-2returns.als"}) {
    const CliRun c = run("import --coverage " + fixtures + f);
    EXPECT_EQ(c.exit_code, 0) << f << c.output;
    EXPECT_NE(c.output.find("tracks"), std::string::npos) << f;
  }
}

}  // namespace
