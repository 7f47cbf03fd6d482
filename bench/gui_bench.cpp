// routewise-gui's mixer under load: a session of 128 strips or more served by the built-in
// simulator with meters moving at 30 updates a second, mirrored live, every strip on screen at
// once. Each frame does what the mixer's 30 fps meter timer does: every strip's meter set from the
// model and painted (meters are all that changes from frame to frame); figures are the frame
// times (p50/p99/max) and the frame rate p99 allows. Every tenth frame the whole window is
// painted too, as a resize or a scroll across all strips would. Qt's offscreen platform paints with
// the same raster engine as a desktop session without GPU compositing.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "mixer_model.hpp"
#include "mixer_view.hpp"
#include "routewise/model/route_map_json.hpp"
#include "session_link.hpp"
#include "synthetic_session.hpp"

namespace routewise {
namespace {

using Clock = std::chrono::steady_clock;

void mixer_frames(benchmark::State& state) {
  const auto file = std::filesystem::temp_directory_path() / "routewise-gui-bench.json";
  std::ofstream(file) << write_route_map(
      bench::synthetic_session(static_cast<std::size_t>(state.range(0))));
  gui::SessionLink link;
  gui::ConnectionSettings settings;
  settings.session_file = QString::fromStdString(file.string());
  if (const QString error = link.connect_to(settings); !error.isEmpty()) {
    state.SkipWithError(error.toStdString().c_str());
    return;
  }
  const auto until = Clock::now() + std::chrono::seconds(20);
  while (!link.daw()->complete() && Clock::now() < until)
    QApplication::processEvents(QEventLoop::AllEvents, 5);
  if (!link.daw()->complete()) {
    state.SkipWithError("the mirror did not sync within 20 s");
    return;
  }
  gui::MixerModel model(link);
  gui::MixerView view(model, link);
  QApplication::processEvents();
  // Every strip on screen: the window as wide as the strips, not a scrolled part of them.
  const QSize all = view.widget()->sizeHint();
  view.resize(all.width() + 4, std::max(all.height(), 600) + 4);
  view.show();
  QApplication::processEvents();
  // Arg 1: engine meters (the session played through the engine on a thread of its own: peak,
  // RMS and true peak per strip) instead of the DAW's one level.
  const bool engine = state.range(1) != 0;
  if (engine) {
    if (const QString error = view.set_engine_meters(true); !error.isEmpty()) {
      state.SkipWithError(error.toStdString().c_str());
      return;
    }
  }
  const double played_before = view.engine_seconds_played();

  // Rendered into images, not onto the screen: the offscreen screen would clip a window this
  // wide to its own 800 px and paint only what is on it.
  QImage window_image(view.size(), QImage::Format_ARGB32_Premultiplied);
  QImage meter_image(view.strips().front()->meter()->size(), QImage::Format_ARGB32_Premultiplied);
  const auto frame_period = std::chrono::microseconds(33333);
  std::vector<double> frame_ms, full_ms;
  double wall_s = 0.0;
  for (auto _ : state) {
    const auto start = Clock::now();
    auto next = start;
    while (Clock::now() - start < std::chrono::seconds(10)) {
      // The live load between frames: OSC in, the model updated, the rules on changes.
      while (Clock::now() < next) QApplication::processEvents(QEventLoop::AllEvents, 2);
      next += frame_period;
      // A frame as the meter timer makes it: every meter set and painted (only meters change).
      const auto t0 = Clock::now();
      view.update_meters();
      for (gui::StripWidget* strip : view.strips()) strip->meter()->render(&meter_image);
      const auto t1 = Clock::now();
      frame_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      // Every tenth frame, the whole window at once (what a resize or a scroll across it costs).
      if (frame_ms.size() % 10 == 0) {
        view.render(&window_image);
        full_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t1).count());
      }
    }
    wall_s += std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(wall_s);
  }
  std::sort(frame_ms.begin(), frame_ms.end());
  std::sort(full_ms.begin(), full_ms.end());
  const auto at = [](const std::vector<double>& v, double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  state.counters["strips"] = static_cast<double>(view.strips().size());
  state.counters["frames"] = static_cast<double>(frame_ms.size());
  state.counters["meters_p50_ms"] = at(frame_ms, 0.50);
  state.counters["meters_p99_ms"] = at(frame_ms, 0.99);
  state.counters["meters_max_ms"] = frame_ms.back();
  state.counters["fps_at_p99"] = 1000.0 / at(frame_ms, 0.99);
  state.counters["full_p50_ms"] = at(full_ms, 0.50);
  state.counters["full_max_ms"] = full_ms.back();
  state.counters["window_px"] = view.width();
  // The engine kept up with real time beside the GUI: audio seconds played per wall second.
  if (engine)
    state.counters["engine_x_realtime"] = (view.engine_seconds_played() - played_before) /
                                          (static_cast<double>(frame_ms.size()) / 30.0);
  std::filesystem::remove(file);
}
BENCHMARK(mixer_frames)
    ->Args({160, 0})
    ->Args({160, 1})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace routewise

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication application(argc, argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
