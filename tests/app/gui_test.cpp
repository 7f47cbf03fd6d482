// routewise-gui against the built-in simulator serving the faulty example session over real OSC
// on 127.0.0.1: the mixer model as a model, the mixer's widgets clicked and dragged (the simulator
// receives the change), findings listed, the route map laid out and clickable, and screenshots
// of each view (offscreen here; under Xvfb from the real binary) checked for content.
#include <gtest/gtest.h>
#include <unistd.h>

#include <QApplication>
#include <QFont>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "../support/qt_wait.hpp"
#include "main_window.hpp"
#include "routewise/audio/audio_file.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/store/store.hpp"

namespace routewise {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const QString faulty_session =
    QStringLiteral(ROUTEWISE_SOURCE_DIR "/resources/sessions/pop-song-faulty.json");
const QString clean_session =
    QStringLiteral(ROUTEWISE_SOURCE_DIR "/resources/sessions/pop-song-clean.json");

using testing::wait_for;

// Distinct colours in a sample of the image: a blank or single-colour grab has one or two.
std::size_t colours(const QImage& image) {
  std::set<QRgb> seen;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3) seen.insert(image.pixel(x, y));
  return seen.size();
}

struct Gui {
  gui::MainWindow window;
  explicit Gui(const QString& session = faulty_session) {
    window.resize(1280, 760);
    window.show();
    gui::ConnectionSettings c;
    c.peer = gui::Peer::simulator;
    c.session_file = session;
    error = window.connect_to(c);
  }
  bool live() {
    return wait_for([&] {
      const DawLink* m = window.link().daw();
      return m && m->complete() && !window.mixer_view().strips().empty();
    });
  }
  QString error;
  const Node& sim_node(const QString& name) {
    const auto& nodes = window.link().simulator()->session().nodes;
    return *std::find_if(nodes.begin(), nodes.end(),
                         [&](const Node& n) { return n.name == name.toStdString(); });
  }
  gui::StripWidget* strip(const QString& name) {
    for (gui::StripWidget* s : window.mixer_view().strips())
      if (s->strip_name() == name) return s;
    return nullptr;
  }
};

TEST(Gui, MixerModelHoldsEveryStripOfTheSimulatedSession) {
  Gui gui;
  ASSERT_TRUE(gui.error.isEmpty()) << gui.error.toStdString();
  ASSERT_TRUE(gui.live());
  const std::size_t strips = gui.window.link().simulator()->strip_count();
  gui::MixerModel model(gui.window.link());
  EXPECT_EQ(model.rowCount(), static_cast<int>(strips) + 1);  // and the master
  EXPECT_EQ(gui.window.mixer_view().strips().size(), strips + 1);
  const int master = model.rowCount() - 1;
  ASSERT_TRUE(model.is_master(master));
  EXPECT_EQ(model.data(model.index(master, gui::MixerModel::name)).toString(), "Master");
  EXPECT_FALSE(model.flags(model.index(master, gui::MixerModel::solo)) & Qt::ItemIsUserCheckable);
  // The master's fader moved here reaches the DAW's master.
  const auto daw_master = [&] {
    for (const Node& n : gui.window.link().simulator()->session().nodes)
      if (n.kind == NodeKind::master) return n.fader_db;
    return 99.0;
  };
  ASSERT_TRUE(model.setData(model.index(master, gui::MixerModel::gain_db), -6.0));
  EXPECT_TRUE(wait_for([&] { return std::fabs(daw_master() + 6.0) < 0.05; })) << daw_master();
  EXPECT_TRUE(wait_for([&] {
    return std::fabs(
               model.data(model.index(master, gui::MixerModel::gain_db), Qt::EditRole).toDouble() +
               6.0) < 0.05;
  }));
  EXPECT_FALSE(
      model.setData(model.index(master, gui::MixerModel::solo), Qt::Checked, Qt::CheckStateRole));
  const int kick = model.row_of(gui.sim_node("Kick In").id);
  ASSERT_GE(kick, 0);
  EXPECT_EQ(model.data(model.index(kick, gui::MixerModel::name)).toString(), "Kick In");
  EXPECT_NEAR(model.data(model.index(kick, gui::MixerModel::gain_db), Qt::EditRole).toDouble(),
              gui.sim_node("Kick In").fader_db, 0.01);
  // A change in the DAW reaches the model as a dataChanged on that cell.
  QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
  gui.window.link().simulator()->set_gain_db(1, -17.0);
  ASSERT_TRUE(wait_for([&] { return !spy.isEmpty(); }));
  EXPECT_NEAR(model.data(model.index(0, gui::MixerModel::gain_db), Qt::EditRole).toDouble(), -17.0,
              0.01);
}

TEST(Gui, ClickingMuteAndDraggingAFaderReachTheDaw) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  gui::StripWidget* kick = gui.strip("Kick In");
  ASSERT_NE(kick, nullptr);
  ASSERT_FALSE(gui.sim_node("Kick In").mute);
  QTest::mouseClick(kick->mute_button(), Qt::LeftButton);
  EXPECT_TRUE(wait_for([&] { return gui.sim_node("Kick In").mute; })) << "the mute never arrived";
  EXPECT_TRUE(kick->mute_button()->isChecked());
  // The fader: grabbed, moved to the bottom quarter, let go.
  QSlider* fader = kick->fader();
  fader->setSliderDown(true);
  fader->setValue(250);
  fader->setSliderDown(false);
  const double expected = ardour_position_to_db(0.25);
  EXPECT_TRUE(wait_for([&] {
    return std::fabs(gui.sim_node("Kick In").fader_db - expected) < 0.05;
  })) << "the DAW reads "
      << gui.sim_node("Kick In").fader_db << " dB, expected " << expected;
  // A change in the DAW moves the fader (nobody holds it).
  gui.window.link().simulator()->set_gain_db(1, 0.0);
  const int unity = static_cast<int>(std::lround(1000 * ardour_db_to_position(0.0)));
  EXPECT_TRUE(wait_for([&] { return fader->value() == unity; }))
      << "the fader is at " << fader->value() << ", unity is " << unity;
}

TEST(Gui, EngineMetersShowRmsAndTheMastersTruePeakAndFollowTheDawsFader) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  gui::StripWidget* kick = gui.strip("Kick In");
  gui::StripWidget* master = gui.window.mixer_view().strips().back();
  ASSERT_NE(kick, nullptr);
  EXPECT_FALSE(kick->meter()->rms_dbfs().has_value());  // the DAW sends one level: no RMS
  gui.window.engine_meters_action().trigger();
  ASSERT_TRUE(gui.window.mixer_view().engine_meters());
  ASSERT_TRUE(wait_for([&] {
    const auto rms = kick->meter()->rms_dbfs();
    return rms && *rms > -60.0 && *rms < 0.0;
  })) << "no RMS on the kick strip";
  EXPECT_TRUE(master->true_peak_label()->isVisible());
  EXPECT_TRUE(master->true_peak_label()->text().startsWith("TP "))
      << master->true_peak_label()->text().toStdString();
  EXPECT_FALSE(kick->true_peak_label()->isVisible());  // true peak is the master's
  // The DAW pulls the kick down 20 dB: the engine plays the mirror, so its RMS follows.
  wait_for([] { return false; }, 400ms);  // a full RMS window at the old level
  const double before = *kick->meter()->rms_dbfs();
  gui.window.link().simulator()->set_gain_db(1, gui.sim_node("Kick In").fader_db - 20.0);
  EXPECT_TRUE(wait_for([&] { return *kick->meter()->rms_dbfs() < before - 17.0; }))
      << "before " << before << " dB, now " << *kick->meter()->rms_dbfs();
  gui.window.engine_meters_action().trigger();
  EXPECT_FALSE(gui.window.mixer_view().engine_meters());
  EXPECT_FALSE(master->true_peak_label()->isVisible());
  EXPECT_TRUE(wait_for([&] { return !kick->meter()->rms_dbfs().has_value(); }));

  // The tracks' own files instead of pink noise: the kick plays its file (found by track name),
  // the tracks without one are silent and named.
  const fs::path sources =
      fs::temp_directory_path() / ("routewise-gui-sources-" + std::to_string(::getpid()));
  fs::create_directories(sources);
  {
    AudioFileWriter file((sources / "Kick In.wav").string(), 48000.0, 1);
    std::vector<float> tone(9600);
    for (std::size_t i = 0; i < tone.size(); ++i)
      tone[i] =
          0.25f * static_cast<float>(std::sin(2.0 * 3.141592653589793 * 1000.0 * i / 48000.0));
    file.write(tone.data(), tone.size());
    file.close();
  }
  gui::StripWidget* snare = gui.strip("Snare Top");
  ASSERT_NE(snare, nullptr);
  ASSERT_TRUE(gui.window.mixer_view()
                  .set_engine_meter_sources(QString::fromStdString(sources.string()))
                  .isEmpty());
  gui.window.engine_meters_action().setChecked(true);
  EXPECT_TRUE(wait_for([&] {
    const auto rms = kick->meter()->rms_dbfs();
    return rms && *rms > -80.0;
  }));
  wait_for([] { return false; }, 200ms);
  ASSERT_TRUE(snare->meter()->rms_dbfs().has_value());
  EXPECT_LT(*snare->meter()->rms_dbfs(), -100.0) << "a track with no file plays silence";
  const QString notes = gui.window.mixer_view().engine_meter_notes().join("\n");
  EXPECT_TRUE(notes.contains("'Snare Top': no source file")) << notes.toStdString();
  EXPECT_FALSE(notes.contains("'Kick In'")) << notes.toStdString();
  gui.window.engine_meters_action().setChecked(false);
  gui.window.mixer_view().set_engine_meter_sources({});
  fs::remove_all(sources);
}

TEST(Gui, FindingsOfTheFaultySessionAreListedAndLeadToTheirNode) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  auto& findings = gui.window.findings_model();
  ASSERT_TRUE(wait_for([&] { return findings.rowCount() > 0; })) << "no findings";
  bool stem_bleed = false;
  for (int r = 0; r < findings.rowCount(); ++r)
    stem_bleed |= findings.data(findings.index(r, gui::FindingsModel::rule)) == "stem-bleed";
  EXPECT_TRUE(stem_bleed) << "the faulty session's vocal plate bleed is not listed";
  // Double-clicking a finding selects its first node in the route map.
  QTableView& view = gui.window.findings_view();
  const QModelIndex first = view.model()->index(0, gui::FindingsModel::message);
  const QStringList nodes = first.data(gui::FindingsModel::node_ids_role).toStringList();
  ASSERT_FALSE(nodes.isEmpty());
  emit view.doubleClicked(first);
  EXPECT_EQ(gui.window.route_map().selected_node(), nodes.front());
  EXPECT_EQ(gui.window.tabs().currentWidget(), &gui.window.route_map());
}

TEST(Gui, RouteMapShowsEveryNodeAndAClickSelectsOne) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  gui::RouteMapView& map = gui.window.route_map();
  ASSERT_TRUE(wait_for([&] { return map.node_count() > 0; }));
  EXPECT_EQ(map.node_count(), static_cast<int>(gui.window.link().graph().nodes.size()));
  gui.window.tabs().setCurrentWidget(&map);
  const QString kick = QString::fromStdString(gui.sim_node("Kick In").id);
  map.centerOn(map.node_box(kick).center());
  wait_for([] { return false; }, 100ms);
  QSignalSpy clicked(&map, &gui::RouteMapView::nodeClicked);
  QTest::mouseClick(map.viewport(), Qt::LeftButton, {},
                    map.mapFromScene(map.node_box(kick).center()));
  ASSERT_EQ(clicked.size(), 1);
  EXPECT_EQ(clicked.front().front().toString(), kick);
  EXPECT_EQ(map.selected_node(), kick);
  // Chosen in the map, it is the one highlighted on the mixer.
  EXPECT_TRUE(gui.strip("Kick In")->autoFillBackground());
  const fs::path svg = fs::temp_directory_path() / "routewise-gui-map.svg";
  EXPECT_TRUE(map.export_to(QString::fromStdString(svg.string())).isEmpty());
  EXPECT_GT(fs::file_size(svg), 1000u);
  fs::remove(svg);
}

TEST(Gui, ScreenshotsOfEachViewHaveContentAndEveryStrip) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  wait_for([] { return false; }, 1500ms);  // meters moving, findings in, map laid out
  const fs::path dir = ROUTEWISE_SCREENSHOT_DIR;
  fs::create_directories(dir);
  const char* names[] = {"offscreen-mixer.png",    "offscreen-route-map.png",
                         "offscreen-matrix.png",   "offscreen-findings.png",
                         "offscreen-history.png",  "offscreen-latency.png",
                         "offscreen-surfaces.png", "offscreen-audio.png"};
  ASSERT_EQ(gui.window.tabs().count(), static_cast<int>(std::size(names)));
  ASSERT_GT(gui.window.history().snapshot_now(), 0);  // something in History
  for (int i = 0; i < gui.window.tabs().count(); ++i) {
    gui.window.tabs().setCurrentIndex(i);
    wait_for([] { return false; }, 200ms);
    const QImage image = gui.window.grab().toImage();
    ASSERT_TRUE(image.save(QString::fromStdString((dir / names[i]).string())));
    EXPECT_GT(colours(image), 20u) << names[i] << " looks blank";
  }
  // Every strip and the master.
  EXPECT_EQ(gui.window.mixer_view().strips().size(),
            gui.window.link().simulator()->strip_count() + 1);
}

TEST(Gui, TheAppUnderXvfbSavesItsViews) {
  if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "xvfb-run is not installed (scripts/install-deps installs xvfb)";
  const fs::path dir = fs::path(ROUTEWISE_SCREENSHOT_DIR);
  fs::create_directories(dir);
  const auto views = {"mixer.png",   "route-map.png", "matrix.png",   "findings.png",
                      "history.png", "latency.png",   "surfaces.png", "audio.png"};
  for (const char* name : views) fs::remove(dir / name);
  // Under the sanitizers: libxkbcommon-x11 strndup()s xcb reply buffers that carry no NUL, which
  // ASan's strict string checks report though no byte past the length is read.
  std::string asan;
  if (const char* options = std::getenv("ASAN_OPTIONS")) {
    asan = options;
    for (auto at = asan.find("strict_string_checks=1"); at != std::string::npos;
         at = asan.find("strict_string_checks=1"))
      asan.replace(at, 22, "strict_string_checks=0");
    asan = "ASAN_OPTIONS='" + asan + "' ";
  }
  const std::string cmd = asan +
                          std::string(
                              "QT_QPA_PLATFORM=xcb timeout 60 xvfb-run -a -s '-screen 0 "
                              "1280x800x24' ") +
                          ROUTEWISE_GUI_BIN + " --simulator " + faulty_session.toStdString() +
                          " --engine-meters --screenshots " + dir.string() + " >" +
                          (dir / "xvfb.log").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  for (const char* name : views) {
    const QImage image(QString::fromStdString((dir / name).string()));
    ASSERT_FALSE(image.isNull()) << name;
    EXPECT_GE(image.width(), 800) << name;
    EXPECT_GT(colours(image), 20u) << name << " looks blank";
  }
}

TEST(Gui, RoutingMatrixShowsOutputsSendsAndKeysAndSetsASendLevelInTheDaw) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  gui::RoutingMatrixModel& matrix = gui.window.matrix_model();
  ASSERT_TRUE(wait_for([&] { return matrix.rowCount() > 0; }));
  const auto cell = [&](const QString& from, const QString& to) {
    return matrix.index(matrix.row_of(gui.sim_node(from).id),
                        matrix.column_of(gui.sim_node(to).id));
  };
  EXPECT_EQ(cell("Kick In", "Drum Bus").data().toString(), "out");
  EXPECT_EQ(cell("Kick In", "Bass DI").data().toString(), "key: Pro-C 2");
  const QModelIndex plate = cell("Lead Vox", "Vox Plate");
  EXPECT_EQ(plate.data().toString(), "-8.0 dB pre-fader");
  EXPECT_TRUE(matrix.flags(plate) & Qt::ItemIsEditable);
  EXPECT_FALSE(matrix.flags(cell("Kick In", "Drum Bus")) & Qt::ItemIsEditable);
  // Edited in its cell, the send level reaches the DAW and comes back into the matrix (once the
  // mirror has read the DAW's sends: until then there is no send to address).
  ASSERT_TRUE(wait_for([&] {
    const auto& strips = gui.window.link().mixer()->strips();
    return std::all_of(strips.begin(), strips.end(),
                       [](const auto& e) { return e.second.sends_known; });
  }));
  ASSERT_TRUE(matrix.setData(plate, QStringLiteral("-20 dB")));
  const auto daw_send = [&]() -> double {
    for (const Edge& e : gui.window.link().simulator()->session().edges)
      if (e.kind == EdgeKind::send && e.from == gui.sim_node("Lead Vox").id &&
          e.to == gui.sim_node("Vox Plate").id)
        return e.level_db;
    return NAN;
  };
  EXPECT_TRUE(wait_for([&] { return std::fabs(daw_send() + 20.0) < 0.05; })) << daw_send();
  EXPECT_TRUE(wait_for(
      [&] { return cell("Lead Vox", "Vox Plate").data().toString() == "-20.0 dB pre-fader"; },
      4000ms))
      << cell("Lead Vox", "Vox Plate").data().toString().toStdString();
  EXPECT_FALSE(matrix.setData(plate, QStringLiteral("loud")));
}

TEST(Gui, MatrixEditsOfOutputsAndKeysAreKeptOverTheLiveMapAndStoredInHistory) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  gui::RoutingMatrixModel& matrix = gui.window.matrix_model();
  gui::MatrixView& page = gui.window.matrix_page();
  ASSERT_TRUE(wait_for([&] { return matrix.rowCount() > 0; }));
  const fs::path db =
      fs::temp_directory_path() / ("routewise-gui-matrix-" + std::to_string(::getpid()) + ".db");
  fs::remove(db);
  ASSERT_TRUE(gui.window.history().open_store(db).isEmpty());
  const std::string kick = gui.sim_node("Kick In").id;
  std::string master;
  for (const Node& n : gui.window.link().simulator()->session().nodes)
    if (n.kind == NodeKind::master) master = n.id;
  // A destination with a plugin, for a key.
  int keyed = -1;
  for (int c = 0; c < matrix.columnCount() && keyed < 0; ++c)
    if (!matrix.plugins(c).isEmpty()) keyed = c;
  ASSERT_GE(keyed, 0) << "no destination with a plugin in the example session";
  const QString plugin = matrix.plugins(keyed).front();
  auto cell = [&](const std::string& to) {
    return matrix.index(matrix.row_of(kick), matrix.column_of(to));
  };
  const QModelIndex to_master = cell(master);
  ASSERT_TRUE(to_master.isValid());
  EXPECT_EQ(to_master.data(Qt::CheckStateRole).toInt(), Qt::Unchecked);
  EXPECT_FALSE(page.save_button().isEnabled());

  // An output ticked here: in the matrix, italic, not in the DAW.
  ASSERT_TRUE(matrix.setData(to_master, Qt::Checked, Qt::CheckStateRole));
  EXPECT_EQ(cell(master).data(Qt::CheckStateRole).toInt(), Qt::Checked);
  EXPECT_TRUE(cell(master).data().toString().contains("out"))
      << cell(master).data().toString().toStdString();
  EXPECT_TRUE(cell(master).data(Qt::FontRole).value<QFont>().italic());
  const auto& daw_edges = gui.window.link().simulator()->session().edges;
  EXPECT_TRUE(std::none_of(daw_edges.begin(), daw_edges.end(), [&](const Edge& e) {
    return e.from == kick && e.to == master;
  })) << "an output edit must not pretend to reach the DAW";
  // A key into the plugin; a plugin that is not there is refused and changes nothing.
  const QModelIndex to_keyed = matrix.index(matrix.row_of(kick), keyed);
  ASSERT_TRUE(matrix.setData(to_keyed, plugin, gui::RoutingMatrixModel::key_role));
  EXPECT_EQ(matrix.index(matrix.row_of(kick), keyed).data(gui::RoutingMatrixModel::key_role),
            plugin);
  EXPECT_FALSE(matrix.setData(matrix.index(matrix.row_of(kick), keyed), "No Such Plugin",
                              gui::RoutingMatrixModel::key_role));
  ASSERT_EQ(matrix.edit_count(), 2u);
  EXPECT_TRUE(page.edits_text().contains("2 edit")) << page.edits_text().toStdString();
  // A DAW change rebuilds the matrix; the edits stay over it.
  gui.window.link().simulator()->set_gain_db(1, -9.0);
  wait_for([] { return false; }, 300ms);
  EXPECT_EQ(cell(master).data(Qt::CheckStateRole).toInt(), Qt::Checked);

  // Saved: a snapshot with both edits, labelled with them.
  ASSERT_TRUE(page.save_button().isEnabled());
  QTest::mouseClick(&page.save_button(), Qt::LeftButton);
  ASSERT_TRUE(page.edits_text().startsWith("Stored as snapshot"))
      << page.edits_text().toStdString();
  {
    Store store(db, Store::Access::read_only);
    const auto rows = store.history();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_NE(rows.front().label.find("output connected"), std::string::npos) << rows.front().label;
    const auto stored = store.snapshot_graph(rows.front().id);
    ASSERT_TRUE(stored);
    const auto& edges = stored->edges;
    EXPECT_TRUE(std::any_of(edges.begin(), edges.end(), [&](const Edge& e) {
      return e.kind == EdgeKind::direct_output && e.from == kick && e.to == master;
    }));
    EXPECT_TRUE(std::any_of(edges.begin(), edges.end(), [&](const Edge& e) {
      return e.kind == EdgeKind::sidechain && e.from == kick && e.plugin == plugin.toStdString();
    }));
  }
  // Discarded: the DAW's routing again.
  QTest::mouseClick(&page.discard_button(), Qt::LeftButton);
  EXPECT_EQ(matrix.edit_count(), 0u);
  EXPECT_EQ(cell(master).data(Qt::CheckStateRole).toInt(), Qt::Unchecked);
  fs::remove(db);
}

TEST(Gui, HistoryStoresTheLiveMixerAndShowsWhatChangedBetweenSnapshots) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  const fs::path db =
      fs::temp_directory_path() / ("routewise-gui-" + std::to_string(::getpid()) + ".db");
  fs::remove(db);
  gui::HistoryView& history = gui.window.history();
  ASSERT_TRUE(history.open_store(db).isEmpty());
  const std::int64_t first = history.snapshot_now();
  ASSERT_GT(first, 0);
  gui.window.link().simulator()->set_gain_db(1, -12.0);
  ASSERT_TRUE(wait_for(
      [&] { return std::fabs(gui.window.link().mixer()->strips().at(1).gain_db + 12.0) < 0.01; }));
  const std::int64_t second = history.snapshot_now();
  ASSERT_GT(second, first);
  ASSERT_EQ(history.table().rowCount(), 2);
  history.table().selectAll();
  QPushButton* compare = nullptr;
  for (auto* b : history.findChildren<QPushButton*>())
    if (b->text() == "Compare") compare = b;
  ASSERT_NE(compare, nullptr);
  QTest::mouseClick(compare, Qt::LeftButton);
  const std::string diff = history.diff_text().toPlainText().toStdString();
  EXPECT_NE(diff.find("Kick In"), std::string::npos) << diff;
  EXPECT_NE(diff.find("-12"), std::string::npos) << diff;
  // A file that is not a Routewise database is refused with its name, and left as it was.
  const fs::path bogus = fs::temp_directory_path() / "routewise-gui-not-a-db.db";
  { std::ofstream(bogus) << "hello"; }
  const QString error = history.open_store(bogus);
  EXPECT_TRUE(error.contains(QString::fromStdString(bogus.string()))) << error.toStdString();
  EXPECT_EQ(fs::file_size(bogus), 5u);
  fs::remove(bogus);
  fs::remove(db);
}

TEST(Gui, ASessionIsReadOffTheUiThreadAndAReadUnderWayCanBeCancelled) {
  gui::SessionLink link;
  QSignalSpy finished(&link, &gui::SessionLink::connectFinished);
  gui::ConnectionSettings settings;
  settings.session_file = faulty_session;
  link.connect_in_background(settings);
  EXPECT_TRUE(link.connecting());
  EXPECT_FALSE(link.connected());  // nothing happens on this thread until the read is done
  ASSERT_TRUE(wait_for([&] { return finished.count() == 1; }));
  EXPECT_TRUE(finished.at(0).at(0).toString().isEmpty())
      << finished.at(0).at(0).toString().toStdString();
  EXPECT_TRUE(link.connected());
  EXPECT_FALSE(link.connecting());

  // Cancelled: no outcome, and the present connection stays.
  link.connect_in_background(settings);
  link.cancel_connect();
  wait_for([] { return false; }, 500ms);
  EXPECT_EQ(finished.count(), 1);
  EXPECT_TRUE(link.connected());

  // A file that does not read: the error names it, and the present connection stays.
  settings.session_file = QStringLiteral("/nonexistent/session.json");
  link.connect_in_background(settings);
  ASSERT_TRUE(wait_for([&] { return finished.count() == 2; }));
  const std::string error = finished.at(1).at(0).toString().toStdString();
  EXPECT_NE(error.find("/nonexistent/session.json"), std::string::npos) << error;
  EXPECT_TRUE(link.connected());
  EXPECT_EQ(link.settings().session_file, faulty_session);
  link.disconnect_from();
}

TEST(Gui, AudioRendersTheMirroredSessionAndTheNullTestFindsItsBleed) {
  Gui gui;
  ASSERT_TRUE(gui.live());
  gui::AudioView& audio = gui.window.audio();
  const fs::path dir =
      fs::temp_directory_path() / ("routewise-gui-audio-" + std::to_string(::getpid()));
  QSignalSpy finished(&audio, &gui::AudioView::finished);
  int ticks = 0;
  QTimer timer;
  QObject::connect(&timer, &QTimer::timeout, [&] { ++ticks; });
  timer.start(10);
  ASSERT_TRUE(audio.start(QString::fromStdString(dir.string()), 3.0).isEmpty());
  EXPECT_TRUE(audio.running());
  // Minutes under the sanitizers (the bleed fit alone takes 70 s there); seconds otherwise.
  ASSERT_TRUE(wait_for([&] { return finished.count() == 1; }, 240000ms));
  EXPECT_GT(ticks, 5) << "the UI thread was blocked";
  // The faulty session's stems do not null: its vocals reach the mix outside every stem.
  const std::string report = audio.report().toPlainText().toStdString();
  EXPECT_NE(report.find("DOES NOT NULL"), std::string::npos) << report;
  EXPECT_NE(report.find("in no stem"), std::string::npos) << report;
  EXPECT_GT(audio.files().rowCount(), 5);
  EXPECT_TRUE(fs::exists(dir / "mix.wav"));
  gui.window.tabs().setCurrentWidget(&audio);  // for docs/screenshots
  wait_for([] { return false; }, 100ms);
  gui.window.grab().save(
      QString::fromStdString((fs::path(ROUTEWISE_SCREENSHOT_DIR) / "audio-live.png").string()));

  // Cancelled at once: shorter files, no verdict.
  ASSERT_TRUE(audio.start(QString::fromStdString(dir.string()), 600.0).isEmpty());
  audio.cancel();
  ASSERT_TRUE(wait_for([&] { return finished.count() == 2; }, 60000ms));
  EXPECT_NE(finished.at(1).at(0).toString().toStdString().find("Cancelled"), std::string::npos)
      << finished.at(1).at(0).toString().toStdString();
  EXPECT_TRUE(audio.report().toPlainText().isEmpty());
  fs::remove_all(dir);
}

// The mix engineer rides the master in the DAW; the Audio view renders the session as mirrored,
// master fader and all. The stems (taken before the master) null after that gain: its own verdict
// line, no failed null and no sources "in no stem".
TEST(Gui, AudioNullTestOfACleanSessionWithItsMasterRiddenIsAGainNotBleed) {
  Gui gui(clean_session);
  ASSERT_TRUE(gui.live());
  gui::MixerModel model(gui.window.link());
  const int master = model.rowCount() - 1;
  ASSERT_TRUE(model.is_master(master));
  ASSERT_TRUE(model.setData(model.index(master, gui::MixerModel::gain_db), -3.5));
  ASSERT_TRUE(wait_for([&] {
    for (const Node& n : gui.window.link().graph().nodes)
      if (n.kind == NodeKind::master) return std::fabs(n.fader_db + 3.5) < 0.005;
    return false;
  })) << "the mirror never showed the master at -3.5 dB";
  gui::AudioView& audio = gui.window.audio();
  const fs::path dir =
      fs::temp_directory_path() / ("routewise-gui-audio-clean-" + std::to_string(::getpid()));
  QSignalSpy finished(&audio, &gui::AudioView::finished);
  ASSERT_TRUE(audio.start(QString::fromStdString(dir.string()), 3.0).isEmpty());
  ASSERT_TRUE(wait_for([&] { return finished.count() == 1; }, 240000ms));
  const std::string report = audio.report().toPlainText().toStdString();
  EXPECT_NE(report.find("NULLS after a -3.50 dB gain"), std::string::npos) << report;
  EXPECT_NE(report.find("the mix is 3.50 dB below the stem sum"), std::string::npos) << report;
  EXPECT_NE(report.find("the fractional part of 'SSL G-Comp''s 72.4-sample round trip"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("No bleed"), std::string::npos) << report;
  EXPECT_EQ(report.find("in no stem"), std::string::npos) << report;
  EXPECT_EQ(report.find("DOES NOT NULL"), std::string::npos) << report;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace routewise
