#pragma once
// routewise-gui's window: Mixer, Route map, Matrix, Findings, History, Latency, Surfaces and
// Audio over one session link, a status bar with the connection's state and message rate, and the
// connection remembered between runs.

#include <QLabel>
#include <QMainWindow>
#include <QPointer>
#include <QProgressDialog>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <optional>

#include "audio_view.hpp"
#include "findings_model.hpp"
#include "history_view.hpp"
#include "latency_view.hpp"
#include "matrix_view.hpp"
#include "mixer_model.hpp"
#include "mixer_view.hpp"
#include "route_map_view.hpp"
#include "routing_matrix_model.hpp"
#include "session_link.hpp"
#include "surfaces_view.hpp"

namespace routewise::gui {

// The connection remembered from the last run (QSettings); empty when there is none.
std::optional<ConnectionSettings> remembered_connection();

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Connects and remembers the settings; an error (also shown in the status bar) or empty.
  QString connect_to(const ConnectionSettings& settings);
  // The database History, Latency and Surfaces use ($ROUTEWISE_DB or the CLI's default at start);
  // an error naming the file, or empty.
  QString open_store(const std::filesystem::path& path);
  // The same with the session read off the UI thread: a busy dialog with Cancel after a moment,
  // a warning naming the file when it does not read; the present connection stays until then.
  void connect_in_background(const ConnectionSettings& settings);
  SessionLink& link() { return link_; }
  MixerView& mixer_view() { return *mixer_view_; }
  RouteMapView& route_map() { return *route_map_; }
  QTableView& findings_view() { return *findings_view_; }
  FindingsModel& findings_model() { return findings_model_; }
  HistoryView& history() { return *history_; }
  LatencyView& latency() { return *latency_; }
  SurfacesView& surfaces() { return *surfaces_; }
  AudioView& audio() { return *audio_; }
  QTableView& matrix_view() { return matrix_page_->table(); }
  MatrixView& matrix_page() { return *matrix_page_; }
  RoutingMatrixModel& matrix_model() { return matrix_model_; }
  QTabWidget& tabs() { return *tabs_; }
  QAction& engine_meters_action() { return *engine_meters_action_; }
  // A node chosen anywhere (map, mixer, findings) is shown selected everywhere.
  void select_node(const QString& node_id);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void show_connect_dialog();
  // After a connection attempt: the error in the status bar, or the connection remembered and
  // named in the title. Returns the error.
  QString connection_outcome(const ConnectionSettings& settings, const QString& error);
  // After engine meters were switched or given other sources: the error, or what they play.
  void engine_meters_outcome(const QString& error);
  void export_map();
  void copy_fix();
  void refresh_map();

  SessionLink link_;
  MixerModel mixer_model_{link_};
  FindingsModel findings_model_{link_};
  RoutingMatrixModel matrix_model_{link_};
  QSortFilterProxyModel findings_filter_;
  QTabWidget* tabs_;
  MixerView* mixer_view_;
  RouteMapView* route_map_;
  QTableView* findings_view_;
  HistoryView* history_;
  LatencyView* latency_;
  SurfacesView* surfaces_;
  AudioView* audio_;
  MatrixView* matrix_page_;
  QLabel* status_;
  QAction* engine_meters_action_;
  QPointer<QProgressDialog> reading_;  // while a session is read for connect_in_background
  std::uint64_t map_version_ = 0;
};

}  // namespace routewise::gui
