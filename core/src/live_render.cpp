#include "routewise/core/live_render.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <utility>

namespace routewise {
namespace {

std::unique_ptr<RenderEngine> make_engine(const RouteGraph& graph, const EngineSettings& settings) {
  return std::make_unique<RenderEngine>(graph, settings);
}

}  // namespace

LiveRender::LiveRender(const RouteGraph& graph, LiveRenderSettings settings) : settings_(settings) {
  adopt(make_engine(graph, settings_.engine));
  worker_ = std::thread([this] { run(); });
}

LiveRender::~LiveRender() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

std::optional<std::string> LiveRender::set_graph(const RouteGraph& graph) {
  std::unique_ptr<RenderEngine> engine;
  try {
    engine = make_engine(graph, settings_.engine);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  std::lock_guard lock(mutex_);
  pending_ = std::move(engine);
  return std::nullopt;
}

std::map<std::string, LiveMeterReading> LiveRender::take_readings() {
  std::lock_guard lock(mutex_);
  return std::exchange(readings_, {});
}

double LiveRender::seconds_played() const {
  return static_cast<double>(frames_played_.load()) / settings_.engine.sample_rate_hz;
}

void LiveRender::adopt(std::unique_ptr<RenderEngine> engine) {
  engine_ = std::move(engine);
  strips_.clear();
  const RouteGraph& graph = engine_->graph();
  for (NodeIndex n = 0; n < graph.nodes.size(); ++n) {
    const std::string& id = graph.nodes[n].id;
    strips_.push_back({id, n,
                       LiveMeter(engine_->channel_count(n), settings_.engine.sample_rate_hz,
                                 settings_.rms_window_ms)});
    if (engine_->source(n, 0) && !generators_.contains(id)) {
      SignalSpec spec = settings_.signal;
      spec.seed = static_cast<std::uint32_t>(std::hash<std::string>{}(id));
      generators_.emplace(id, SignalGenerator(spec, settings_.engine.sample_rate_hz));
    }
  }
}

void LiveRender::publish() {
  std::lock_guard lock(mutex_);
  for (Strip& strip : strips_) {
    const LiveMeterReading now = strip.meter.take();
    auto [it, fresh] = readings_.try_emplace(strip.node_id, now);
    if (fresh) continue;
    // Not looked at since the last block: peaks keep their maximum, RMS is the latest window.
    it->second.peak_dbfs = std::max(it->second.peak_dbfs, now.peak_dbfs);
    it->second.true_peak_dbtp = std::max(it->second.true_peak_dbtp, now.true_peak_dbtp);
    it->second.rms_dbfs = now.rms_dbfs;
  }
}

void LiveRender::run() {
  using clock = std::chrono::steady_clock;
  const std::size_t block = settings_.engine.block_frames;
  const auto block_time = std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>(static_cast<double>(block) / settings_.engine.sample_rate_hz));
  auto next = clock::now();
  std::vector<float> mono(block);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // Paced to real time: wait out the rest of this block's time unless told to stop.
      if (wake_.wait_until(lock, next, [this] { return stop_; })) return;
      if (pending_) {
        auto engine = std::move(pending_);
        lock.unlock();
        adopt(std::move(engine));
      }
    }
    for (const Strip& strip : strips_) {
      if (!engine_->source(strip.node, 0)) continue;
      // One signal per node, on each of its channels (a stereo track of a mono recording).
      generators_.at(strip.node_id).fill(mono.data(), block);
      for (int c = 0; c < engine_->channel_count(strip.node); ++c)
        std::copy(mono.begin(), mono.end(), engine_->source(strip.node, c));
    }
    engine_->process(block);
    for (Strip& strip : strips_) {
      const float* channels[2] = {
          engine_->output(strip.node, 0),
          engine_->output(strip.node, engine_->channel_count(strip.node) - 1)};
      strip.meter.add(channels, block);
    }
    publish();
    frames_played_ += block;
    next += block_time;
    // After a stall (a debugger, a suspended laptop) play on from now rather than catch up.
    if (clock::now() - next > 20 * block_time) next = clock::now();
  }
}

}  // namespace routewise
