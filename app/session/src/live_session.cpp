#include "routewise/session/live_session.hpp"

#include <algorithm>

#include "routewise/analysis/surface_findings.hpp"

namespace routewise {
namespace {

std::unique_ptr<DawSimulator> simulator_for(const RouteGraph& topology, bool simulate) {
  if (!simulate) return nullptr;
  SimulatorOptions options;
  options.endpoint.port = 0;  // a free one
  return std::make_unique<DawSimulator>(topology, options);
}

DawLinkOptions linked_to(DawLinkOptions options, const DawSimulator* simulator) {
  if (simulator) {
    options.daw_host = "127.0.0.1";
    options.daw_port = simulator->port();
    options.dialect = &ardour_dialect();
  }
  return options;
}

}  // namespace

LiveSession::LiveSession(RouteGraph topology, LiveSessionOptions options)
    : options_(std::move(options)),
      simulator_(simulator_for(topology, options_.simulate)),
      mixer_(std::move(topology)),
      link_(std::make_unique<DawLink>(mixer_, linked_to(options_.daw, simulator_.get()))),
      surfaces_(mixer_) {
  mixer_.add_listener(*this);
  if (options_.analysis_refresh) refresh_due_ = Clock::now() + *options_.analysis_refresh;
}

LiveSession::~LiveSession() {
  mixer_.remove_listener(*this);
}

void LiveSession::poll(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  // With the simulator in this thread, neither side may wait long on its own socket.
  const auto slice = simulator_ ? std::chrono::milliseconds(2) : std::chrono::milliseconds(50);
  do {
    if (simulator_) simulator_->poll(std::chrono::milliseconds(0));
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    surfaces_.poll(std::clamp(left, std::chrono::milliseconds(0), slice), link_->socket_fd(),
                   [this] { link_->poll(std::chrono::milliseconds(0)); });
    if (simulator_) simulator_->poll(std::chrono::milliseconds(0));
    run_due(Clock::now());
  } while (Clock::now() < until);
}

void LiveSession::value_changed(const LiveMixer::ValueChange& /*change*/) {
  analysis_due_ = Clock::now() + options_.analysis_quiet;  // once the mixer is still again
}

void LiveSession::structure_changed() {
  const auto now = Clock::now();
  analysis_due_ = now + options_.analysis_quiet;
  if (link_ && link_->synced() && structure_due_ == Clock::time_point::max())
    // A burst of renames or new tracks: once, and not sooner than the interval after the last.
    structure_due_ = last_structure_settle_ == Clock::time_point::min()
                         ? now + options_.structure_quiet
                         : std::max(now + options_.structure_quiet,
                                    last_structure_settle_ + options_.structure_min_interval);
}

void LiveSession::link_changed(LinkState state) {
  if (state == LinkState::live) {
    settled_pending_ = ever_live_ ? "resync" : "connect";
    ever_live_ = true;
    structure_due_ = Clock::time_point::max();  // what changed while syncing is in this one
    analysis_due_ = Clock::now();
  }
  if (link_listener_) link_listener_(state);
}

void LiveSession::run_due(Clock::time_point now) {
  if (settled_pending_) {
    const std::string why = *std::exchange(settled_pending_, std::nullopt);
    analyze_now();
    if (settled_listener_) settled_listener_(why);
  }
  if (now >= structure_due_) {
    structure_due_ = Clock::time_point::max();
    // A DAW that went away meanwhile is settled on resync, not half gone.
    if (link_->synced()) {
      last_structure_settle_ = now;
      analyze_now();
      if (settled_listener_) settled_listener_("structure change");
    }
  }
  if (now >= analysis_due_ || now >= refresh_due_) analyze_now();
}

const std::vector<Finding>& LiveSession::analyze_now() {
  const auto now = Clock::now();
  analysis_due_ = Clock::time_point::max();
  if (options_.analysis_refresh) refresh_due_ = now + *options_.analysis_refresh;
  findings_ = analyze(mixer_.graph(), options_.analysis);
  show_findings();
  if (findings_listener_) findings_listener_(findings_);
  return findings_;
}

void LiveSession::show_findings() {
  const SurfaceFindings shown = surface_findings(findings_);
  surfaces_.set_overloads(shown.overloads);
  surfaces_.set_markers(shown.markers);
}

}  // namespace routewise
