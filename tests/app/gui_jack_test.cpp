// The desktop app's views that need JACK, each on a dummy JACK server of the test's own.
// Latency: the loop client returns its input a known number of samples later; takes run while
// the event loop keeps running, are stored in a real database, listed and plotted; a cancelled job
// stops after the take under way; a missing port fails with its name and stores nothing.
// Surfaces: a software Mackie Control and extender on JACK MIDI ports, driven from the window's
// own mirror of the built-in simulator, previewed byte for byte; MIDI learn from a controller.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTimer>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "../support/jack_server.hpp"
#include "../support/qt_wait.hpp"
#include "../support/sim_hardware.hpp"
#include "../support/temp_dir.hpp"
#include "latency_view.hpp"
#include "routewise/surfaces/mcu_fader.hpp"
#include "surfaces_view.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
using testing::wait_for;

constexpr int period_frames = 256;  // a loop through another JACK client adds one period
constexpr double loop_delay_samples = 1000.25;

// A view with the test's content, for docs/screenshots (build/screenshots/NAME).
void save_screenshot(QWidget& view, const char* name) {
  view.resize(1200, 760);
  wait_for([] { return false; }, 100ms);
  const std::filesystem::path dir = ROUTEWISE_SCREENSHOT_DIR;
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(view.grab().save(QString::fromStdString((dir / name).string()))) << name;
}

gui::ConnectionSettings faulty_session() {
  gui::ConnectionSettings settings;
  settings.session_file =
      QStringLiteral(ROUTEWISE_SOURCE_DIR "/resources/sessions/pop-song-faulty.json");
  return settings;
}

TEST(GuiLatency, TakesOfAKnownLoopAreStoredListedAndPlottedWithoutBlockingAndCanBeCancelled) {
  testing::JackServer server(48000, period_frames);
  ASSERT_TRUE(server.ready()) << testing::read_bytes(server.log());
  testing::TempDir dir;
  testing::ChildProcess loop({ROUTEWISE_DELAY_LOOP_CLIENT, "--name", "guiloop", "--delay",
                              std::to_string(loop_delay_samples)},
                             (dir / "loop.log").string());
  ASSERT_TRUE(wait_for(
      [] { return std::system("jack_lsp 2>/dev/null | grep -q '^guiloop:out$'") == 0; }, 5000ms))
      << testing::read_bytes(dir / "loop.log");

  gui::SessionLink link;
  gui::LatencyView view(link);
  ASSERT_TRUE(view.open_store(dir / "rw.db").isEmpty());
  EXPECT_EQ(view.table().rowCount(), 0);
  QSignalSpy finished(&view, &gui::LatencyView::jobFinished);
  QSignalSpy stored(&view, &gui::LatencyView::takeStored);

  // Three MLS takes; a timer on the UI thread keeps firing while they run.
  int ticks = 0;
  QTimer timer;
  QObject::connect(&timer, &QTimer::timeout, [&] { ++ticks; });
  timer.start(20);
  gui::LatencyJob job;
  job.out_port = "guiloop:in";
  job.in_port = "guiloop:out";
  job.repeats = 3;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(view.start(job).isEmpty()) << view.status().text().toStdString();
  EXPECT_TRUE(view.running());
  EXPECT_FALSE(view.start(job).isEmpty()) << "a second job while one runs";
  ASSERT_TRUE(wait_for([&] { return finished.count() == 1; }, 60000ms));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_FALSE(view.running());
  EXPECT_GT(ticks, static_cast<int>(seconds * 1000 / 20 / 2))
      << "the UI thread was blocked: " << ticks << " ticks in " << seconds << " s";
  const std::string summary = finished.at(0).at(0).toString().toStdString();
  EXPECT_NE(summary.find("3 take(s)"), std::string::npos) << summary;
  EXPECT_EQ(stored.count(), 3);
  EXPECT_EQ(view.progress().value(), 3);
  ASSERT_EQ(view.table().rowCount(), 3);
  const double expected = loop_delay_samples + period_frames;
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(view.table().item(r, 2)->text().toStdString(), "guiloop:in -> guiloop:out");
    EXPECT_NEAR(view.table().item(r, 4)->text().toDouble(), expected, 0.02);
    EXPECT_EQ(view.table().item(r, 6)->text().toStdString(), "mls");
  }
  EXPECT_EQ(view.plot().point_count(), 3u);
  save_screenshot(view, "latency-live.png");
  {
    Store store(dir / "rw.db");
    const auto rows = store.latencies("guiloop:in -> guiloop:out");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_NEAR(rows.front().latency_samples, expected, 0.02);
    EXPECT_EQ(rows.front().sample_rate_hz, 48000);
    EXPECT_EQ(rows.front().buffer_size, period_frames);
  }

  // Cancelled after the first take of twenty: the take under way finishes, no more start.
  job.repeats = 20;
  ASSERT_TRUE(view.start(job).isEmpty());
  ASSERT_TRUE(wait_for([&] { return stored.count() == 4; }, 30000ms));
  view.cancel();
  ASSERT_TRUE(wait_for([&] { return finished.count() == 2; }, 30000ms));
  const std::string cancelled = finished.at(1).at(0).toString().toStdString();
  EXPECT_NE(cancelled.find("cancelled"), std::string::npos) << cancelled;
  EXPECT_LE(stored.count(), 5);
  EXPECT_EQ(view.table().rowCount(), stored.count());

  // A port that does not exist: the job fails naming it, and nothing is stored.
  job.out_port = "nobody:in";
  job.repeats = 2;
  ASSERT_TRUE(view.start(job).isEmpty());
  ASSERT_TRUE(wait_for([&] { return finished.count() == 3; }, 30000ms));
  const std::string failed = finished.at(2).at(0).toString().toStdString();
  EXPECT_NE(failed.find("nobody:in"), std::string::npos) << failed;
  EXPECT_EQ(view.table().rowCount(), stored.count());

  // An insert needs the session it belongs to.
  job.insert = "SSL G-Comp";
  EXPECT_NE(view.start(job).toStdString().find("connect to its session"), std::string::npos);

  // Linked to the faulty example session, the insert list offers its hardware insert with its
  // ports; takes of it are stored under the insert's FROM>TO for that session.
  ASSERT_TRUE(link.connect_to(faulty_session()).isEmpty());
  view.refresh_inserts();
  job.out_port = "guiloop:in";
  job.repeats = 1;
  ASSERT_TRUE(view.start(job).isEmpty()) << view.status().text().toStdString();
  ASSERT_TRUE(wait_for([&] { return finished.count() == 4; }, 30000ms));
  EXPECT_EQ(view.table().item(0, 2)->text().toStdString(), "mix_bus>ssl_comp");
  EXPECT_EQ(view.table().item(0, 3)->text().toStdString(), "Pop Song — Mix v3 (faulty)");
  job.insert = "no such unit";
  EXPECT_NE(view.start(job).toStdString().find("no hardware insert 'no such unit'"),
            std::string::npos);
  link.disconnect_from();
}

TEST(GuiSurfaces, AMackieControlFollowsTheWindowsMirrorAndThePreviewShowsWhatItWasSent) {
  testing::JackServer server(48000, period_frames);
  ASSERT_TRUE(server.ready()) << testing::read_bytes(server.log());
  testing::SimHardware hardware({mcu::Model::mcu, mcu::Model::mcu_xt});
  gui::SessionLink link;
  ASSERT_TRUE(link.connect_to(faulty_session()).isEmpty());
  ASSERT_TRUE(wait_for([&] { return link.daw()->complete(); }, 10000ms));
  gui::SurfacesView view(link);
  view.refresh_ports();
  EXPECT_FALSE(view.sources().findItems("mcu-2 out", Qt::MatchContains).isEmpty());
  EXPECT_FALSE(view.start_surface({""}).isEmpty()) << "no pattern for the main unit";
  ASSERT_TRUE(view.start_surface({"mcu-1 ", "mcu-2 "}).isEmpty())
      << view.events().toPlainText().toStdString();
  const auto same_as_hardware = [&](int u) {
    return view.preview_state() && hardware.sim.unit(u).online &&
           hardware.sim.unit(u).lcd.find_first_not_of(' ') != std::string::npos &&
           view.preview_state()->unit(u).lcd == hardware.sim.unit(u).lcd;
  };
  const auto pumped = [&](auto done) {
    return [&hardware, done] {
      hardware.pump();
      return done();
    };
  };
  ASSERT_TRUE(wait_for(pumped([&] { return same_as_hardware(0) && same_as_hardware(1); }), 20000ms))
      << "unit 1 '" << hardware.sim.unit(0).upper_row() << "', preview '"
      << (view.preview_state() ? view.preview_state()->unit(0).upper_row() : "") << "'\n"
      << view.events().toPlainText().toStdString();
  EXPECT_NE(view.events().toPlainText().indexOf("unit 2: found"), -1)
      << view.events().toPlainText().toStdString();

  // A change in the DAW moves the motor; the preview shows the same position.
  link.simulator()->set_gain_db(1, -10.0);
  const int expected = mcu::fader_value_from_db(-10.0, mcu::FaderLaw::ardour);
  EXPECT_TRUE(wait_for(pumped([&] {
                         return std::abs(hardware.sim.unit(0).fader[0] - expected) <= 1 &&
                                view.preview_state()->unit(0).fader[0] ==
                                    hardware.sim.unit(0).fader[0];
                       }),
                       5000ms))
      << hardware.sim.unit(0).fader[0] << " vs " << expected;
  // The findings reach the LCD's lower row as markers ("!STEM", ...), on the bank that shows
  // a flagged strip.
  const auto marker_shown = [&] {
    return (hardware.sim.unit(0).lower_row() + hardware.sim.unit(1).lower_row()).find('!') !=
               std::string::npos &&
           same_as_hardware(0) && same_as_hardware(1);
  };
  bool marked = false;
  for (int bank = 0; bank < 4 && !marked; ++bank) {
    if (bank > 0) hardware.sim.press(0, mcu::note::bank_right);
    marked = wait_for(pumped(marker_shown), 2000ms);
  }
  EXPECT_TRUE(marked) << hardware.sim.unit(0).lower_row() << " | "
                      << hardware.sim.unit(1).lower_row();
  // The preview is drawn (not blank) at its preferred size.
  view.preview().resize(view.preview().sizeHint());
  EXPECT_GT(view.preview().grab().toImage().pixelColor(20, 40).value(), 0);

  save_screenshot(view, "surfaces-live.png");

  // Stopped, the window's mirror goes on by itself.
  view.stop_surface();
  EXPECT_EQ(view.preview_state(), nullptr);
  EXPECT_EQ(link.surface(), nullptr);
  link.simulator()->set_gain_db(1, -4.0);
  EXPECT_TRUE(wait_for(
      [&] {
        for (const auto& [ssid, strip] : link.mixer()->strips())
          if (ssid == 1) return std::fabs(strip.gain_db + 4.0) < 0.01;
        return false;
      },
      3000ms));

  // A link that disconnects takes its surface with it, and the view shows it stopped.
  ASSERT_TRUE(view.start_surface({"mcu-1 ", "mcu-2 "}).isEmpty());
  link.disconnect_from();
  EXPECT_EQ(view.preview_state(), nullptr);
  EXPECT_TRUE(view.events().toPlainText().endsWith("Mackie Control stopped."));
}

TEST(GuiSurfaces, MidiLearnNamesAMovedControlAndSavesItsMapping) {
  testing::JackServer server(48000, period_frames);
  ASSERT_TRUE(server.ready()) << testing::read_bytes(server.log());
  testing::TempDir dir;
  VirtualMidiDuplex controller(MidiApi::jack, "rw-controller-sim", "nanoctl");
  gui::SessionLink link;
  ASSERT_TRUE(link.connect_to(faulty_session()).isEmpty());
  gui::SurfacesView view(link);
  ASSERT_TRUE(view.open_store(dir / "rw.db").isEmpty());
  EXPECT_FALSE(view.save_mapping("Kick In", "fader", "", "gui").isEmpty()) << "nothing learned";
  QSignalSpy learned(&view, &gui::SurfacesView::controlLearned);
  ASSERT_TRUE(view.start_learn("nanoctl").isEmpty());
  // A fader on CC 7, channel 1, moved slowly until the view names it.
  int value = 0;
  ASSERT_TRUE(wait_for(
      [&] {
        controller.send({0xB0, 7, static_cast<std::uint8_t>(value++ % 128)});
        std::this_thread::sleep_for(10ms);
        return learned.count() == 1;
      },
      10000ms));
  EXPECT_EQ(learned.at(0).at(0).toString().toStdString(), "cc:1:7");
  ASSERT_TRUE(view.learned());

  EXPECT_NE(view.save_mapping("", "fader", "", "gui").toStdString().find("strip"),
            std::string::npos);
  EXPECT_NE(view.save_mapping("Kick In", "send", "", "gui").toStdString().find("send"),
            std::string::npos)
      << "a send needs the bus it feeds";
  ASSERT_TRUE(view.save_mapping("Kick In", "fader", "", "gui").isEmpty());
  Store store(dir / "rw.db");
  const auto rows = store.surface_mappings("gui");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].control, "cc:1:7");
  EXPECT_EQ(rows[0].target_node, "Kick In");
  EXPECT_EQ(rows[0].parameter, "fader");
  EXPECT_TRUE(rows[0].soft_takeover);
  EXPECT_EQ(view.mappings().rowCount(), 1);
  link.disconnect_from();
}

}  // namespace
}  // namespace routewise
