#include "audio_view.hpp"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "table_rows.hpp"

namespace routewise::gui {

namespace {

QString db(double value) {
  return std::isfinite(value) ? QString::number(value, 'f', 1) : QStringLiteral("−inf");
}

QString describe(const NullTestResult& r, std::size_t stems) {
  QString verdict = r.nulls ? QObject::tr("NULLS") : QObject::tr("DOES NOT NULL");
  if (r.gain_db != 0.0 || r.polarity_inverted)
    verdict += QObject::tr(" after a %1 dB%2 gain")
                   .arg(QString::asprintf("%+.2f", r.gain_db))
                   .arg(r.polarity_inverted ? QObject::tr(", inverted") : QString());
  QString text =
      QObject::tr("Null test: %1 stem(s) against the mix — %2\n").arg(stems).arg(verdict);
  text += QObject::tr(
              "residual peak %1 dBFS, RMS %2 dBFS (mix RMS %3 dBFS); the mix lags the "
              "stem sum by %4 samples, correlation %5\n")
              .arg(db(r.residual_peak_dbfs), db(r.residual_rms_dbfs), db(r.mix_rms_dbfs))
              .arg(r.offset_samples, 0, 'f', 3)
              .arg(r.correlation, 0, 'f', 4);
  if (r.above_20k_rms_dbfs)
    text += QObject::tr("above 20 kHz the residual is %1 dBFS RMS (inaudible; not judged)\n")
                .arg(db(*r.above_20k_rms_dbfs));
  for (const std::string& note : r.notes) text += QString::fromStdString(note) + '\n';
  for (const std::string& line : r.damaged) text += QString::fromStdString(line) + '\n';
  return text;
}

QString describe(const BleedReport& b) {
  if (b.bleeds.empty())
    return QObject::tr(
        "No bleed: every stem holds only its own sources, and the mix nothing else.");
  QString text = QObject::tr("Bleed:\n");
  for (const std::string& line : bleed_sentences(b))
    text += "  " + QString::fromStdString(line) + '\n';
  return text;
}

}  // namespace

AudioView::AudioView(SessionLink& link, QWidget* parent) : QWidget(parent), link_(link) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  out_dir_ = new QLineEdit(QDir::temp().filePath(QStringLiteral("routewise-render")), this);
  auto* browse = new QPushButton(tr("Browse…"), this);
  auto* dir_row = new QHBoxLayout;
  dir_row->addWidget(out_dir_, 1);
  dir_row->addWidget(browse);
  seconds_ = new QDoubleSpinBox(this);
  seconds_->setRange(0.5, 3600);
  seconds_->setValue(10);
  seconds_->setSuffix(tr(" s"));
  render_ = new QPushButton(tr("Render and null-test"), this);
  render_->setToolTip(
      tr("Render the session as the mirror shows it (mix, stems, sources), then check that the "
         "stems sum to the mix and find what bleeds where"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setEnabled(false);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setTextVisible(false);
  stage_ = new QLabel(this);
  auto* run_row = new QHBoxLayout;
  run_row->addWidget(seconds_);
  run_row->addWidget(render_);
  run_row->addWidget(cancel_);
  run_row->addWidget(progress_, 1);
  form->addRow(tr("Into folder"), dir_row);
  form->addRow(tr("Length"), run_row);
  layout->addLayout(form);
  layout->addWidget(stage_);
  auto* split = new QSplitter(Qt::Vertical, this);
  files_ = read_only_table(
      {tr("Role"), tr("Name"), tr("Peak dBFS"), tr("Integrated LUFS"), tr("File")}, split);
  report_ = new QPlainTextEdit(split);
  report_->setReadOnly(true);
  report_->setPlaceholderText(tr("The null test's verdict and the bleed found appear here."));
  layout->addWidget(split, 1);

  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Render into"), out_dir_->text());
    if (!dir.isEmpty()) out_dir_->setText(dir);
  });
  connect(render_, &QPushButton::clicked, this,
          [this] { start(out_dir_->text().trimmed(), seconds_->value()); });
  connect(cancel_, &QPushButton::clicked, this, &AudioView::cancel);
}

AudioView::~AudioView() = default;

QString AudioView::start(const QString& out_dir, double seconds) {
  auto refuse = [this](const QString& why) {
    stage_->setText(why);
    return why;
  };
  if (running()) return refuse(tr("A render is under way."));
  if (!link_.connected()) return refuse(tr("Connect to a session first: it is what is rendered."));
  if (out_dir.isEmpty()) return refuse(tr("Choose the folder to render into."));
  if (!(seconds > 0 && seconds <= 3600)) return refuse(tr("Length: up to an hour."));
  RenderRequest request;
  request.out_dir = out_dir.toStdString();
  request.seconds = seconds;
  request.stems = true;
  out_dir_->setText(out_dir);
  seconds_->setValue(seconds);
  files_->setRowCount(0);
  report_->clear();
  progress_->setValue(0);
  render_->setEnabled(false);
  cancel_->setEnabled(true);
  stage_->setText(tr("Rendering %1 s of %2…").arg(seconds).arg(link_.settings().session_file));
  job_.start([this, graph = link_.graph(), request] {
    auto outcome = std::make_shared<Outcome>();
    try {
      outcome->render = render_session(
          graph, request,
          [this](double fraction) {
            job_.post([this, fraction] { progress_->setValue(static_cast<int>(fraction * 1000)); });
          },
          [this] { return job_.cancelled(); });
      std::string mix;
      std::vector<std::string> stem_paths;
      std::vector<BleedInput> stems, sources;
      for (const RenderedFile& f : outcome->render.files) {
        if (f.role == "mix") mix = f.path;
        if (f.role == "stem") {
          stem_paths.push_back(f.path);
          stems.push_back({f.name, "", f.path});
        }
        if (f.role == "source") {
          std::string group;
          for (const Node& n : graph.nodes)
            if (n.id == f.node_id) group = n.stem.value_or("");
          sources.push_back({f.name, group, f.path});
        }
      }
      if (!outcome->render.cancelled && !job_.cancelled() && !mix.empty() && !stem_paths.empty()) {
        job_.post([this] { stage_->setText(tr("Null test and bleed attribution…")); });
        outcome->null_test = null_test(mix, stem_paths);
        for (std::string& line : explain_offset(graph, outcome->null_test->offset_samples))
          outcome->null_test->notes.push_back(std::move(line));
        if (!sources.empty() && !job_.cancelled())
          outcome->bleed = attribute_bleed(stems, sources, mix);
      }
    } catch (const std::exception& e) {
      outcome->error = QString::fromStdString(e.what());
    }
    job_.post([this, outcome] { on_done(*outcome); });
  });
  return {};
}

void AudioView::cancel() {
  if (!running()) return;
  job_.cancel();
  cancel_->setEnabled(false);
  stage_->setText(tr("Cancelling: the files end where the render got to…"));
}

void AudioView::on_done(const Outcome& outcome) {
  job_.join();
  render_->setEnabled(true);
  cancel_->setEnabled(false);
  // The mix first, then the stems, then the sources (which are generated, not metered).
  std::vector<RenderedFile> files = outcome.render.files;
  const auto rank = [](const RenderedFile& f) {
    return f.role == "mix" ? 0 : f.role == "stem" ? 1 : 2;
  };
  std::stable_sort(files.begin(), files.end(),
                   [&](const RenderedFile& a, const RenderedFile& b) { return rank(a) < rank(b); });
  files_->setRowCount(static_cast<int>(files.size()));
  for (int r = 0; r < files_->rowCount(); ++r) {
    const RenderedFile& f = files[static_cast<std::size_t>(r)];
    const bool metered = f.reading.frames > 0;
    const QStringList cells = {
        QString::fromStdString(f.role), QString::fromStdString(f.name),
        metered ? db(f.reading.peak_dbfs) : QStringLiteral("—"),
        metered && f.reading.integrated_lufs ? db(*f.reading.integrated_lufs) : QStringLiteral("—"),
        QString::fromStdString(f.path)};
    set_row(*files_, r, cells);
  }
  files_->resizeColumnsToContents();
  QString summary;
  if (!outcome.error.isEmpty()) {
    summary = tr("Render failed: %1").arg(outcome.error);
  } else if (outcome.render.cancelled || job_.cancelled()) {
    summary = tr("Cancelled: %1 file(s) of %2 frames written, no verdict.")
                  .arg(outcome.render.files.size())
                  .arg(outcome.render.frames);
  } else if (!outcome.null_test) {
    summary = tr("Rendered %1 file(s); the session has no stems to null-test.")
                  .arg(outcome.render.files.size());
  } else {
    const auto stems = std::count_if(outcome.render.files.begin(), outcome.render.files.end(),
                                     [](const RenderedFile& f) { return f.role == "stem"; });
    QString text = describe(*outcome.null_test, static_cast<std::size_t>(stems));
    if (outcome.bleed) text += describe(*outcome.bleed);
    for (const std::string& note : outcome.render.notes)
      text += QString::fromStdString(note) + '\n';
    report_->setPlainText(text);
    summary = text.section('\n', 0, 0);
  }
  progress_->setValue(outcome.error.isEmpty() && !outcome.render.cancelled ? 1000
                                                                           : progress_->value());
  stage_->setText(summary);
  emit finished(summary);
}

}  // namespace routewise::gui
