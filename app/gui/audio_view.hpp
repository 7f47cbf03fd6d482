#pragma once
// Audio: Routewise's engine renders the linked session as the mirror shows it (the mix, one file
// per stem, the generated per-track sources), then the stem null test says whether the stems sum
// to the mix and which sources bleed where. The render runs on a worker thread with progress and
// Cancel (a cancelled render leaves complete, shorter files and no verdict).

#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>

#include "background_job.hpp"
#include "routewise/analysis/null_test.hpp"
#include "routewise/audio/render_session.hpp"
#include "session_link.hpp"

namespace routewise::gui {

class AudioView : public QWidget {
  Q_OBJECT

 public:
  explicit AudioView(SessionLink& link, QWidget* parent = nullptr);
  ~AudioView() override;

  // Renders `seconds` of the linked session into `out_dir` and null-tests the stems; an error
  // (also shown) when it cannot start.
  QString start(const QString& out_dir, double seconds);
  void cancel();
  bool running() const { return job_.running(); }

  QTableWidget& files() { return *files_; }
  const QPlainTextEdit& report() const { return *report_; }
  QProgressBar& progress() { return *progress_; }

 signals:
  void finished(const QString& summary);

 private:
  struct Outcome {
    RenderSummary render;
    std::optional<NullTestResult> null_test;
    std::optional<BleedReport> bleed;
    QString error;
  };
  void on_done(const Outcome& outcome);

  SessionLink& link_;
  QLineEdit* out_dir_;
  QDoubleSpinBox* seconds_;
  QPushButton *render_, *cancel_;
  QProgressBar* progress_;
  QLabel* stage_;
  QTableWidget* files_;
  QPlainTextEdit* report_;
  BackgroundJob job_{*this};  // last: gone (and joined) before what its posts use
};

}  // namespace routewise::gui
