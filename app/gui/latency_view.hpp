#pragma once
// Latency: measure the round trip of a hardware insert (or any audio loop) from here, the
// measurements stored in the database, and the trend of one insert over its measurements.
// Takes run on a worker thread: the window stays live, progress is shown per take, and Cancel
// stops once the take under way (a second or two) is done.

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QWidget>
#include <filesystem>
#include <memory>

#include "background_job.hpp"
#include "latency_plot.hpp"
#include "routewise/analysis/latency_measurement.hpp"
#include "routewise/store/store.hpp"
#include "session_link.hpp"

namespace routewise::gui {

struct LatencyJob {
  AudioBackend backend = AudioBackend::jack;
  QString out_port, in_port;
  // An insert of the linked session (its id, name or FROM>TO): the takes are stored under its
  // FROM>TO for that session. Empty: stored under "OUT -> IN".
  QString insert;
  LatencyMethod method = LatencyMethod::mls;
  int repeats = 3;
};

class LatencyView : public QWidget {
  Q_OBJECT

 public:
  explicit LatencyView(SessionLink& link, QWidget* parent = nullptr);
  ~LatencyView() override;  // cancels and waits for the take under way

  // Opens (creating when missing) the database; an error naming the file, or empty.
  QString open_store(const std::filesystem::path& path);
  void reload();
  // The audio ports of the chosen backend, into the port lists.
  void refresh_ports();
  // The linked session's hardware inserts, into the insert list (send and return ports with them).
  void refresh_inserts();

  // Starts the takes; an error (also shown) when the job cannot start.
  QString start(const LatencyJob& job);
  void cancel();
  bool running() const { return job_.running(); }

  QTableWidget& table() { return *table_; }
  LatencyPlot& plot() { return *plot_; }
  QProgressBar& progress() { return *progress_; }
  QPushButton& cancel_button() { return *cancel_; }
  const QLabel& status() const { return *status_; }
  // Plots the stored measurements of one target (as stored: FROM>TO or "OUT -> IN").
  void show_trend(const QString& target);

 signals:
  void takeStored(qint64 id);
  // Every take done, cancelled or failed; the line also shown in the view's status.
  void jobFinished(const QString& summary);

 private:
  LatencyJob job_from_form() const;
  void on_take(const LatencyTake& take, int index);
  void on_finished(const QString& summary);

  SessionLink& link_;
  std::unique_ptr<Store> store_;
  QLabel *where_, *status_;
  QComboBox *backend_, *out_, *in_, *insert_, *method_;
  QSpinBox* repeats_;
  QPushButton *measure_, *cancel_;
  QProgressBar* progress_;
  QTableWidget* table_;
  LatencyPlot* plot_;

  // The job under way: what its takes are stored under.
  QString target_;
  std::optional<std::string> session_name_;
  std::string method_name_;
  int repeats_wanted_ = 0, takes_done_ = 0;
  std::vector<double> job_samples_;
  BackgroundJob job_{*this};  // last: gone (and joined) before what its posts use
};

}  // namespace routewise::gui
