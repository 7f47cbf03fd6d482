// `routewise measure` on real JACK loops (a dummy server of the test's own and a client that
// delays by a known amount), checked against the known delay and against jack_delay on the same
// loop; the stored takes feed `latency list` and the analysis of the session they belong to.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "../support/child_process.hpp"
#include "../support/jack_server.hpp"
#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace routewise {
namespace {

using testing::ChildProcess;
using testing::run_cli;

constexpr double period = 256.0;  // the server's period: a loop through another client adds one

class MeasureJack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::JackServer(48000, static_cast<int>(period));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ready()) << "jackd did not start: " << testing::read_bytes(server_->log());
  }

  // A loop client named `name`; waits until its ports exist.
  std::unique_ptr<ChildProcess> loop(const std::string& name, double delay, bool invert = false,
                                     double noise_dbfs = -1000.0) {
    std::vector<std::string> argv{ROUTEWISE_DELAY_LOOP_CLIENT,
                                  "--name",
                                  name,
                                  "--delay",
                                  std::to_string(delay),
                                  "--noise-dbfs",
                                  std::to_string(noise_dbfs)};
    if (invert) argv.push_back("--invert");
    auto child = std::make_unique<ChildProcess>(argv, (dir_ / (name + ".log")).string());
    for (int i = 0; i < 100; ++i) {
      if (std::system(("jack_lsp 2>/dev/null | grep -q '^" + name + ":out$'").c_str()) == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return child;
  }

  nlohmann::json measure(const std::string& name, const std::string& extra) {
    const auto run =
        run_cli("measure --format json --out " + name + ":in --in " + name + ":out " + extra,
                "ROUTEWISE_DB=" + (dir_ / "rw.db").string() + " ");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    const auto start = run.output.find('{');
    return nlohmann::json::parse(run.output.substr(start == std::string::npos ? 0 : start));
  }

  // jack_delay's last reading on the same loop after `seconds`.
  double jack_delay(const std::string& name, int seconds) {
    const auto run = testing::run_command("timeout " + std::to_string(seconds) + " jack_delay -O " +
                                          name + ":in -I " + name + ":out");
    const auto last = testing::last_jack_delay_reading(run.output);
    EXPECT_TRUE(last) << run.output;
    return last.value_or(NAN);
  }

  testing::TempDir dir_;
  static testing::JackServer* server_;
};

testing::JackServer* MeasureJack::server_ = nullptr;

TEST_F(MeasureJack, KnownIntegerAndFractionalDelaysWithinTwoHundredthsOfASample) {
  for (double delay : {0.0, 100.3, 4095.5, 65000.0}) {
    auto client = loop("known", delay);
    const auto max = std::to_string(static_cast<int>(delay) + 2048);
    const auto j = measure("known", "--repeats 1 --no-sine-check --no-store --max-latency " + max);
    EXPECT_NEAR(j["mean_samples"].get<double>(), delay + period, 0.02) << delay;
    EXPECT_FALSE(j["takes"][0]["inverted"].get<bool>());
    EXPECT_GT(j["takes"][0]["snr_db"].get<double>(), 40.0);
  }
}

TEST_F(MeasureJack, AgreesWithJackDelayOnTheSameLoop) {
  auto client = loop("shared", 1234.56);
  const auto j = measure("shared", "--repeats 2 --max-latency 4096 --no-store");
  const double ours = j["mean_samples"].get<double>();
  const double reference = jack_delay("shared", 3);
  EXPECT_NEAR(ours, reference, 0.02);
  EXPECT_NEAR(ours, 1234.56 + period, 0.02);
  EXPECT_LT(j["spread_samples"].get<double>(), 0.005);
  EXPECT_LT(j["sine_null_residual_db"].get<double>(), -40.0);
}

TEST_F(MeasureJack, SweepFindsAnInvertedLoopAtTenDbSnr) {
  // The stimulus is −6 dBFS RMS; noise at −16 dBFS RMS is 10 dB below it.
  auto client = loop("noisy", 777.77, true, -16.0);
  const auto j =
      measure("noisy", "--method both --repeats 2 --max-latency 2048 --no-store --no-sine-check");
  for (const auto& take : j["takes"]) {
    EXPECT_NEAR(take["latency_samples"].get<double>(), 777.77 + period, 0.02) << take.dump();
    EXPECT_TRUE(take["inverted"].get<bool>());
  }
}

TEST_F(MeasureJack, StoredTakesFeedTheSessionsAnalysis) {
  // The example session's SSL G-Comp insert on the Mix Bus claims 72.4 samples (1.5 ms, inside
  // the 2 ms bus budget). Measured on a loop of 100 samples (+ one period) it is over budget.
  auto client = loop("ssl", 100.0);
  const std::string session =
      std::string(ROUTEWISE_SOURCE_DIR) + "/resources/sessions/pop-song-faulty.json";
  const std::string env = "ROUTEWISE_DB=" + (dir_ / "rw.db").string() + " ";
  auto run = run_cli(
      "measure --out ssl:in --in ssl:out --repeats 2 --no-sine-check --max-latency 2048 "
      "--insert 'SSL G-Comp' --session " +
          session,
      env);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("stored 2 take(s) under 'mix_bus>ssl_comp'"), std::string::npos)
      << run.output;
  run = run_cli("latency list", env);
  EXPECT_NE(run.output.find("mix_bus>ssl_comp"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("356.000"), std::string::npos) << run.output;

  run = run_cli("analyze --fail-on never " + session, env);
  EXPECT_NE(run.output.find("'SSL G-Comp' round trip: measured 356.000 samples"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("[insert-latency-budget]"), std::string::npos) << run.output;
  run = run_cli("analyze --fail-on never --no-measured " + session, env);
  EXPECT_EQ(run.output.find("[insert-latency-budget]"), std::string::npos) << run.output;
}

TEST_F(MeasureJack, BadPortsAndNoServerAreClearErrors) {
  auto run = run_cli("measure --out nosuch:in --in nosuch:out --no-store");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("JACK port 'nosuch:in' does not exist"), std::string::npos)
      << run.output;
  run = run_cli("measure --out a:in --in a:out --no-store", "JACK_DEFAULT_SERVER=no_such_server ");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("no JACK server is running"), std::string::npos) << run.output;
  run = run_cli("measure --list");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.output.find("system:playback_1"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace routewise
