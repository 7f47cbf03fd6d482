// The live loop written once, against the built-in simulator over real OSC on 127.0.0.1: it goes
// live and says so once, re-analyses after the mixer has been still, and a change of layout in the
// DAW settles into one "structure change" however many names it brings.
#include "routewise/session/live_session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "../support/example_session.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

template <typename Done>
bool run(LiveSession& session, Done done, std::chrono::milliseconds limit) {
  const auto until = Clock::now() + limit;
  while (!done() && Clock::now() < until) session.poll(5ms);
  return done();
}

bool has_rule(const std::vector<Finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule_id == rule; });
}

struct Writer : LiveMixer::Listener {};

TEST(LiveSession, GoesLiveOnceAnalysesAndSettlesALayoutChangeOnce) {
  LiveSessionOptions options;
  options.simulate = true;
  options.analysis_quiet = 50ms;
  options.structure_quiet = 200ms;
  LiveSession session(testing::load_example("pop-song-faulty.json"), options);
  ASSERT_NE(session.simulator(), nullptr);
  std::vector<std::string> settled;
  std::vector<LinkState> links;
  int analyses = 0;
  session.on_settled([&](const std::string& why) { settled.push_back(why); });
  session.on_link([&](LinkState s) { links.push_back(s); });
  session.on_findings([&](const std::vector<Finding>&) { ++analyses; });

  ASSERT_TRUE(run(
      session, [&] { return session.link().complete(); }, 5000ms));
  run(
      session, [&] { return !settled.empty(); }, 1000ms);
  ASSERT_EQ(settled, std::vector<std::string>{"connect"});
  EXPECT_EQ(links.back(), LinkState::live);
  EXPECT_TRUE(has_rule(session.findings(), "stem-bleed"))
      << "the faulty session's bleed is found on the live graph";

  // A local change: the rules run again once the mixer is still, not on every step.
  Writer hand;
  const int before = analyses;
  const std::string kick = session.mixer().strips().begin()->second.node_id;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(session.mixer().set(kick, MixerControl::gain_db, -i * 0.5, &hand));
    session.poll(2ms);
  }
  run(
      session, [&] { return analyses > before; }, 1000ms);
  EXPECT_EQ(analyses, before + 1);

  // Three new tracks in the DAW: one structure change, after the quiet time.
  for (const char* name : {"Shaker", "Tambourine", "Clap"}) session.simulator()->add_track(name);
  run(
      session, [&] { return settled.size() > 1; }, 3000ms);
  run(
      session, [] { return false; }, 300ms);
  ASSERT_EQ(settled, (std::vector<std::string>{"connect", "structure change"}));
  EXPECT_NE(std::find_if(session.mixer().strips().begin(), session.mixer().strips().end(),
                         [](const auto& s) { return s.second.name == "Clap"; }),
            session.mixer().strips().end());
}

TEST(LiveSession, RenamesEverySoOftenSettleAtMostOncePerInterval) {
  // Each settle is a stored snapshot: a process renaming a strip often must not write one each
  // time.
  LiveSessionOptions options;
  options.simulate = true;
  options.structure_quiet = 100ms;
  options.structure_min_interval = 1500ms;
  LiveSession session(testing::load_example("pop-song-clean.json"), options);
  std::vector<std::string> settled;
  session.on_settled([&](const std::string& why) { settled.push_back(why); });
  ASSERT_TRUE(run(
      session, [&] { return !settled.empty(); }, 5000ms));
  const auto start = LiveSession::Clock::now();
  for (int i = 0; i < 12; ++i) {  // every 250 ms for 3 s: twelve settles without the interval
    session.simulator()->rename(1, "Kick " + std::to_string(i));
    run(
        session, [] { return false; }, 250ms);
  }
  const double seconds = std::chrono::duration<double>(LiveSession::Clock::now() - start).count();
  const auto changes = std::count(settled.begin(), settled.end(), "structure change");
  EXPECT_GE(changes, 1);
  EXPECT_LE(changes, static_cast<long>(seconds / 1.5) + 1) << "over " << seconds << " s";
  // The last name still arrives in the mirror: only the settles are spaced out.
  EXPECT_EQ(session.mixer().strip_at(1)->name, "Kick 11");
}

TEST(LiveSession, ADawThatNeverAnswersLeavesTheMixerRefusingLocalChanges) {
  LiveSessionOptions options;
  options.daw.daw_port = 9;  // discard: nobody answers
  LiveSession session(testing::load_example("pop-song-clean.json"), options);
  session.poll(200ms);
  EXPECT_EQ(session.link().state(), LinkState::connecting);
  Writer hand;
  EXPECT_FALSE(session.mixer().set("kick", MixerControl::gain_db, -3.0, &hand));
}

}  // namespace
}  // namespace routewise
