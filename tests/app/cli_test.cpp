// The routewise CLI as a user runs it: exit codes, one-line errors, --help on every command.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code;
  std::string output;  // stdout and stderr together
};

CliRun run(const std::string& args) {
  const std::string command = std::string(ROUTEWISE_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer;
  while (const std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
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

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_F(Cli, HelpOnEveryCommandExitsZero) {
  for (const char* cmd : {"", "validate ", "show ", "analyze "}) {
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
      {R"([{"id":"a","name":"A","kind":"track","fader_db":"loud"}])", "nodes[0].fader_db: expected a number"},
      {R"([{"id":"a","name":"A","kind":"track","fader_db":1e308}])", "out of range"},
      {R"([{"id":"a","name":"","kind":"track"}])", "nodes[0].name: is empty"},
      {R"([{"id":"a","name":"A","kind":"track"},{"id":"a","name":"B","kind":"bus"}])", "duplicate node id"},
      {R"([{"id":"a","name":"A","kind":"track","sends":[{"target":"Verb"}]}])", "unknown node \"Verb\""},
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
  const CliRun r = run("validate " + write("nan.json", header + R"([{"id":"a","name":"A","kind":"track","fader_db":NaN}]})"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not valid JSON"), std::string::npos);
}

TEST_F(Cli, FiftyMegabytesOfGarbageFailsFastWithOneLine) {
  const fs::path p = dir / "garbage.json";
  {
    std::ofstream out(p, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (int mb = 0; mb < 50; ++mb) {
      for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((i * 31 + mb) % 256);
      out << block;
    }
  }
  const CliRun r = run("analyze " + p.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.output), 1u);
}

TEST_F(Cli, CycleIsAnInputErrorForValidateAndAFindingForAnalyze) {
  const std::string file = write("loop.json", header +
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
