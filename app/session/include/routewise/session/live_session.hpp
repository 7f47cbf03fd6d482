#pragma once
// The live loop, written once: a DAW link keeping a live mixer in step with the DAW, any number of
// control surfaces on it, optionally the built-in DAW simulator as the peer, one poll serving
// them all, the rules run over the live graph once the mixer has been still for a moment, their
// findings shown on the surfaces, and hooks for what a front end does when the mixer settles
// (store a snapshot, redraw). The CLI commands and the desktop app are thin users of it.
// [main-thread]: everything here runs on the thread that calls poll().

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/finding.hpp"
#include "routewise/daw/daw_link.hpp"
#include "routewise/daw/daw_simulator.hpp"
#include "routewise/live/live_mixer.hpp"
#include "routewise/surfaces/surface_host.hpp"

namespace routewise {

struct LiveSessionOptions {
  DawLinkOptions daw;
  // Serve the topology with the built-in Ardour simulator on a free port of 127.0.0.1 and link
  // to it (daw's host and port are then ignored).
  bool simulate = false;
  AnalysisConfig analysis;
  // The rules run once the mixer has been this still after a change...
  std::chrono::milliseconds analysis_quiet{300};
  // ...and, when set, also this often (meters move without telling anyone).
  std::optional<std::chrono::milliseconds> analysis_refresh;
  // A change of layout counts as settled (on_settled "structure change") after this long quiet.
  std::chrono::milliseconds structure_quiet{1000};
  // ...and at most once in this long (each is a stored snapshot: a process renaming a strip every
  // second must not write a snapshot every second).
  std::chrono::milliseconds structure_min_interval{30000};
};

class LiveSession final : private LiveMixer::Listener {
 public:
  using Clock = std::chrono::steady_clock;
  // Throws OscError when a socket cannot be opened.
  LiveSession(RouteGraph topology, LiveSessionOptions options);
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  // Serves the DAW, the simulator and every surface for up to `timeout` (0: one round).
  void poll(std::chrono::milliseconds timeout);

  LiveMixer& mixer() { return mixer_; }
  const LiveMixer& mixer() const { return mixer_; }
  DawLink& link() { return *link_; }
  const DawLink& link() const { return *link_; }
  SurfaceHost& surfaces() { return surfaces_; }
  DawSimulator* simulator() { return simulator_.get(); }
  const LiveSessionOptions& options() const { return options_; }

  // The latest findings over the live graph (empty until the first analysis).
  const std::vector<Finding>& findings() const { return findings_; }
  // Runs the rules now (and shows the findings on the surfaces).
  const std::vector<Finding>& analyze_now();
  void on_findings(std::function<void(const std::vector<Finding>&)> listener) {
    findings_listener_ = std::move(listener);
  }
  // The mixer settled: "connect" (first live), "resync" (live again after a loss) or "structure
  // change" (strips or sends changed, then quiet for structure_quiet).
  void on_settled(std::function<void(const std::string& why)> listener) {
    settled_listener_ = std::move(listener);
  }
  // The link went live, was lost, or is connecting again.
  void on_link(std::function<void(LinkState)> listener) { link_listener_ = std::move(listener); }

 private:
  void value_changed(const LiveMixer::ValueChange& change) override;
  void structure_changed() override;
  void link_changed(LinkState state) override;
  void run_due(Clock::time_point now);
  void show_findings();

  LiveSessionOptions options_;
  std::unique_ptr<DawSimulator> simulator_;  // before the link, which sends to it
  LiveMixer mixer_;
  std::unique_ptr<DawLink> link_;
  SurfaceHost surfaces_;
  std::vector<Finding> findings_;
  std::function<void(const std::vector<Finding>&)> findings_listener_;
  std::function<void(const std::string&)> settled_listener_;
  std::function<void(LinkState)> link_listener_;
  Clock::time_point analysis_due_ = Clock::time_point::max(),
                    refresh_due_ = Clock::time_point::max(),
                    structure_due_ = Clock::time_point::max(),
                    last_structure_settle_ = Clock::time_point::min();
  bool ever_live_ = false;
  std::optional<std::string> settled_pending_;  // connect or resync, told on the next poll
};

}  // namespace routewise
