#pragma once
// Plays a route graph through the engine in real time on a thread of its own, a generated signal
// on every track, with every node metered as a mixer's meters are. A mirrored mixer gets RMS and
// true peak this way, which a DAW's OSC does not send (Ardour's sends one level per strip).

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "routewise/audio/audio_file.hpp"
#include "routewise/audio/live_meter.hpp"
#include "routewise/audio/render_engine.hpp"
#include "routewise/audio/test_signal.hpp"

namespace routewise {

struct LiveRenderSettings {
  EngineSettings engine{48000.0, 1024, PanLaw::constant_power_3db};
  SignalSpec signal;  // on every track and hardware input, each with a seed of its own
  // Instead of the signal: each track's audio file here, looped, found as `routewise render
  // --sources` finds it (by node id or name); a track with none is silent and named in notes().
  std::optional<std::filesystem::path> sources_dir;
  double rms_window_ms = 300.0;
};

class LiveRender {
 public:
  // Starts playing at once. Throws std::invalid_argument naming what cannot be rendered (a
  // feedback loop, bad settings).
  explicit LiveRender(const RouteGraph& graph, LiveRenderSettings settings = {});
  ~LiveRender();
  LiveRender(const LiveRender&) = delete;
  LiveRender& operator=(const LiveRender&) = delete;

  // From the next block on, play this graph (a fader moved, a send changed). Returns why it
  // cannot be rendered, the previous graph playing on, or nothing.
  std::optional<std::string> set_graph(const RouteGraph& graph);
  // Each node's meter since the last call, by node id; empty before the first block.
  std::map<std::string, LiveMeterReading> take_readings();
  double seconds_played() const;
  // What the listener should know: tracks without a source file, files that do not read or run
  // at another sample rate.
  std::vector<std::string> notes() const;

 private:
  struct Strip {
    std::string node_id;
    NodeIndex node;
    LiveMeter meter;
  };
  // A track's file, read a block at a time and started again at its end.
  struct FilePlayer {
    std::string path;
    std::unique_ptr<AudioFileReader> reader;
    std::vector<float> interleaved;
  };
  void run();
  void adopt(std::unique_ptr<RenderEngine> engine);  // worker thread
  void publish();                                    // worker thread
  void fill_sources();                               // worker thread
  void open_file(const Node& node);                  // worker thread
  void note(std::string text);

  LiveRenderSettings settings_;
  // Worker thread only.
  std::unique_ptr<RenderEngine> engine_;
  std::vector<Strip> strips_;
  std::map<std::string, SignalGenerator> generators_;  // by node id: the signal runs on
  std::map<std::string, FilePlayer> players_;          // by node id (with sources_dir)
  std::vector<float> mono_;
  // Shared, under mutex_.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::unique_ptr<RenderEngine> pending_;
  std::map<std::string, LiveMeterReading> readings_;
  std::vector<std::string> notes_;
  bool stop_ = false;
  std::atomic<std::uint64_t> frames_played_{0};
  std::thread worker_;
};

}  // namespace routewise
