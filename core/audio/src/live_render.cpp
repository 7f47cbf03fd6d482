#include "routewise/audio/live_render.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <utility>

#include "routewise/audio/render_session.hpp"

namespace routewise {
namespace {

std::unique_ptr<RenderEngine> make_engine(const RouteGraph& graph, const EngineSettings& settings) {
  return std::make_unique<RenderEngine>(graph, settings);
}

}  // namespace

LiveRender::LiveRender(const RouteGraph& graph, LiveRenderSettings settings)
    : settings_(std::move(settings)), mono_(settings_.engine.block_frames) {
  if (settings_.sources_dir && !std::filesystem::is_directory(*settings_.sources_dir))
    throw std::invalid_argument(settings_.sources_dir->string() + ": not a folder");
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
    if (!engine_->source(n, 0)) continue;
    if (settings_.sources_dir) {
      if (!players_.contains(id)) open_file(graph.nodes[n]);
    } else if (!generators_.contains(id)) {
      SignalSpec spec = settings_.signal;
      spec.seed = static_cast<std::uint32_t>(std::hash<std::string>{}(id));
      generators_.emplace(id, SignalGenerator(spec, settings_.engine.sample_rate_hz));
    }
  }
}

void LiveRender::note(std::string text) {
  std::lock_guard lock(mutex_);
  notes_.push_back(std::move(text));
}

std::vector<std::string> LiveRender::notes() const {
  std::lock_guard lock(mutex_);
  return notes_;
}

void LiveRender::open_file(const Node& node) {
  FilePlayer& player = players_[node.id];  // an empty player (silence) unless the file opens
  if (node.kind != NodeKind::track) return;
  try {
    const auto path = find_source_file(*settings_.sources_dir, node);
    if (!path) {
      note("'" + node.name + "': no source file in " + settings_.sources_dir->string() +
           " (silent)");
      return;
    }
    player.path = path->string();
    player.reader = std::make_unique<AudioFileReader>(player.path);
    const AudioFileInfo& info = player.reader->info();
    if (info.sample_rate_hz != settings_.engine.sample_rate_hz)
      note("'" + node.name + "': " + player.path + " is at " +
           std::to_string(static_cast<int>(info.sample_rate_hz)) + " Hz, played at " +
           std::to_string(static_cast<int>(settings_.engine.sample_rate_hz)) + " Hz");
    player.interleaved.resize(settings_.engine.block_frames *
                              static_cast<std::size_t>(std::max(info.channels, 1)));
  } catch (const std::exception& e) {  // AudioFileError, or a folder that cannot be listed
    player.reader.reset();
    note("'" + node.name + "': " + e.what() + " (silent)");
  }
}

void LiveRender::fill_sources() {
  const std::size_t block = settings_.engine.block_frames;
  for (const Strip& strip : strips_) {
    if (!engine_->source(strip.node, 0)) continue;
    const int channels = engine_->channel_count(strip.node);
    if (!settings_.sources_dir) {
      // One signal per node, on each of its channels (a stereo track of a mono recording).
      generators_.at(strip.node_id).fill(mono_.data(), block);
      for (int c = 0; c < channels; ++c)
        std::copy(mono_.begin(), mono_.end(), engine_->source(strip.node, c));
      continue;
    }
    FilePlayer& player = players_.at(strip.node_id);
    if (!player.reader) {
      for (int c = 0; c < channels; ++c) std::fill_n(engine_->source(strip.node, c), block, 0.0f);
      continue;
    }
    const auto file_channels = static_cast<std::size_t>(player.reader->info().channels);
    std::size_t got = 0;
    try {
      for (int restarts = 0; got < block && restarts < 2;) {
        const std::size_t n =
            player.reader->read(player.interleaved.data() + got * file_channels, block - got);
        got += n;
        if (n == 0) {  // the end: from the top again
          player.reader = std::make_unique<AudioFileReader>(player.path);
          ++restarts;
        }
      }
    } catch (const AudioFileError& e) {
      note(std::string(e.what()) + " (silent from now)");
      player.reader.reset();
    }
    std::fill(player.interleaved.begin() + static_cast<std::ptrdiff_t>(got * file_channels),
              player.interleaved.end(), 0.0f);
    // A mono file feeds every channel; a stereo file on a mono track is folded to mono.
    for (int c = 0; c < channels; ++c) {
      float* out = engine_->source(strip.node, c);
      for (std::size_t i = 0; i < block; ++i) {
        const float* frame = player.interleaved.data() + i * file_channels;
        out[i] = channels == 1 && file_channels > 1
                     ? 0.5f * (frame[0] + frame[1])
                     : frame[std::min(static_cast<std::size_t>(c), file_channels - 1)];
      }
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
    fill_sources();
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
