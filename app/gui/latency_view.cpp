#include "latency_view.hpp"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSignalBlocker>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/latency_from_store.hpp"
#include "store_file.hpp"
#include "table_rows.hpp"

namespace routewise::gui {

namespace {

// Named apart: the window's views are compiled together in a unity build.
namespace latency_col {
enum : int {
  id,
  measured_at,
  target,
  session,
  samples,
  ms,
  method,
  confidence,
  device,
  rate,
  count
};
}  // namespace latency_col

void fill_ports(QComboBox& box, const std::vector<std::string>& ports) {
  const QString kept = box.currentText();
  box.clear();
  for (const std::string& p : ports) box.addItem(QString::fromStdString(p));
  box.setCurrentText(kept);
}

}  // namespace

LatencyView::LatencyView(SessionLink& link, QWidget* parent) : QWidget(parent), link_(link) {
  auto* layout = new QVBoxLayout(this);
  where_ = new QLabel(tr("no database"), this);
  where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(where_);

  auto* form = new QFormLayout;
  insert_ = new QComboBox(this);
  insert_->setEditable(true);
  insert_->setToolTip(
      tr("The linked session's hardware insert the loop belongs to (its send and return ports "
         "are filled in); empty to store the takes under the ports' names"));
  backend_ = new QComboBox(this);
  backend_->addItems({tr("JACK"), tr("ALSA")});
  out_ = new QComboBox(this);
  out_->setEditable(true);
  in_ = new QComboBox(this);
  in_->setEditable(true);
  auto* refresh = new QPushButton(tr("Refresh ports"), this);
  auto* ports_row = new QHBoxLayout;
  ports_row->addWidget(backend_);
  ports_row->addWidget(new QLabel(tr("play into"), this));
  ports_row->addWidget(out_, 1);
  ports_row->addWidget(new QLabel(tr("record from"), this));
  ports_row->addWidget(in_, 1);
  ports_row->addWidget(refresh);
  method_ = new QComboBox(this);
  method_->addItems({tr("MLS"), tr("Sine sweep")});
  repeats_ = new QSpinBox(this);
  repeats_->setRange(1, 100);
  repeats_->setValue(3);
  measure_ = new QPushButton(tr("Measure"), this);
  measure_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  measure_->setToolTip(
      tr("Play the test signal into the send port and record the return (Ctrl+M)"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setEnabled(false);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1);
  progress_->setValue(0);
  progress_->setFormat(tr("%v of %m takes"));
  auto* run_row = new QHBoxLayout;
  run_row->addWidget(method_);
  run_row->addWidget(new QLabel(tr("takes"), this));
  run_row->addWidget(repeats_);
  run_row->addWidget(measure_);
  run_row->addWidget(cancel_);
  run_row->addWidget(progress_, 1);
  form->addRow(tr("Insert"), insert_);
  form->addRow(tr("Loop"), ports_row);
  form->addRow(tr("Signal"), run_row);
  layout->addLayout(form);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  auto* split = new QSplitter(Qt::Vertical, this);
  table_ =
      read_only_table({tr("Id"), tr("Measured (UTC)"), tr("Target"), tr("Session"), tr("Samples"),
                       tr("ms"), tr("Method"), tr("Confidence"), tr("Device"), tr("Rate / buffer")},
                      split);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  plot_ = new LatencyPlot(split);
  layout->addWidget(split, 1);

  connect(refresh, &QPushButton::clicked, this, [this] {
    refresh_ports();
    refresh_inserts();
  });
  connect(backend_, &QComboBox::currentIndexChanged, this, [this] { refresh_ports(); });
  connect(insert_, &QComboBox::currentIndexChanged, this, [this](int index) {
    const QStringList ports = insert_->itemData(index).toStringList();
    if (ports.size() != 2) return;
    if (!ports[0].isEmpty()) out_->setCurrentText(ports[0]);
    if (!ports[1].isEmpty()) in_->setCurrentText(ports[1]);
  });
  connect(measure_, &QPushButton::clicked, this, [this] { start(job_from_form()); });
  connect(cancel_, &QPushButton::clicked, this, &LatencyView::cancel);
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto rows = table_->selectionModel()->selectedRows(latency_col::target);
    if (!rows.isEmpty()) show_trend(rows.front().data().toString());
  });
  connect(&link_, &SessionLink::structureChanged, this, &LatencyView::refresh_inserts);
}

LatencyView::~LatencyView() = default;

QString LatencyView::open_store(const std::filesystem::path& path) {
  QString error;
  store_ = open_store_file(path, error);
  if (!store_) where_->setText(error);
  reload();
  return error;
}

void LatencyView::reload() {
  table_->setRowCount(0);
  if (!store_) return;
  std::vector<LatencyMeasurement> rows;
  try {
    rows = store_->latencies();
  } catch (const std::exception& e) {
    where_->setText(QString::fromStdString(e.what()));
    return;
  }
  where_->setText(tr("%1 — %n measurement(s)", nullptr, static_cast<int>(rows.size()))
                      .arg(QString::fromStdString(store_->path().string())));
  table_->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const LatencyMeasurement& m = rows[static_cast<std::size_t>(r)];
    const QStringList cells = {
        QString::number(m.id),
        QString::fromStdString(m.measured_at),
        QString::fromStdString(m.target),
        QString::fromStdString(m.session.value_or("")),
        QString::number(m.latency_samples, 'f', 3),
        QString::number(m.latency_ms(), 'f', 4),
        QString::fromStdString(m.method),
        m.confidence ? QString::number(*m.confidence, 'f', 2) : QStringLiteral("—"),
        QString::fromStdString(m.device),
        QStringLiteral("%1 Hz / %2")
            .arg(m.sample_rate_hz, 0, 'f', 0)
            .arg(m.buffer_size ? QString::number(*m.buffer_size) : QStringLiteral("—"))};
    set_row(*table_, r, cells);
  }
  table_->resizeColumnsToContents();
}

void LatencyView::show_trend(const QString& target_name) {
  std::vector<LatencyMeasurement> rows;
  if (store_) {
    try {
      rows = store_->latencies(target_name.toStdString());
    } catch (const std::exception& e) {
      status_->setText(QString::fromStdString(e.what()));
    }
  }
  plot_->set_measurements(target_name, std::move(rows));
}

void LatencyView::refresh_ports() {
  const auto backend = backend_->currentIndex() == 1 ? AudioBackend::alsa : AudioBackend::jack;
  try {
    fill_ports(*out_, audio_ports(backend, true));
    fill_ports(*in_, audio_ports(backend, false));
  } catch (const std::exception& e) {
    status_->setText(tr("Ports: %1").arg(QString::fromStdString(e.what())));
  }
}

void LatencyView::refresh_inserts() {
  // Refilled quietly: ports the user chose stay as they are.
  const QSignalBlocker quiet(insert_);
  const QString kept = insert_->currentText();
  insert_->clear();
  insert_->addItem(QString());
  if (link_.connected()) {
    const RouteGraph graph = link_.graph();
    for (const Edge& e : graph.edges) {
      if (e.kind != EdgeKind::hardware_insert) continue;
      const auto unit = std::find_if(graph.nodes.begin(), graph.nodes.end(),
                                     [&](const Node& n) { return n.id == e.to; });
      const bool named = unit != graph.nodes.end() && !unit->name.empty();
      const QString name = QString::fromStdString(named ? unit->name : e.to);
      insert_->addItem(name, QStringList{QString::fromStdString(e.send_port),
                                         QString::fromStdString(e.return_port)});
    }
  }
  insert_->setCurrentText(kept);
}

LatencyJob LatencyView::job_from_form() const {
  LatencyJob job;
  job.backend = backend_->currentIndex() == 1 ? AudioBackend::alsa : AudioBackend::jack;
  job.out_port = out_->currentText().trimmed();
  job.in_port = in_->currentText().trimmed();
  job.insert = insert_->currentText().trimmed();
  job.method = method_->currentIndex() == 1 ? LatencyMethod::sweep : LatencyMethod::mls;
  job.repeats = repeats_->value();
  return job;
}

QString LatencyView::start(const LatencyJob& job) {
  auto refuse = [this](const QString& why) {
    status_->setText(why);
    return why;
  };
  if (running()) return refuse(tr("A measurement is under way."));
  if (job.out_port.isEmpty() || job.in_port.isEmpty())
    return refuse(tr("Choose the port to play into and the port to record from."));
  if (job.repeats < 1 || job.repeats > 100) return refuse(tr("Takes: 1 to 100."));
  target_ = job.out_port + QStringLiteral(" -> ") + job.in_port;
  session_name_.reset();
  if (!job.insert.isEmpty()) {
    if (!link_.connected())
      return refuse(tr("Insert '%1': connect to its session first.").arg(job.insert));
    const RouteGraph graph = link_.graph();
    const auto resolved = insert_target(graph, job.insert.toStdString());
    if (!resolved)
      return refuse(tr("%1: no hardware insert '%2' (give its node id or name, or FROM>TO)")
                        .arg(link_.settings().session_file, job.insert));
    target_ = QString::fromStdString(*resolved);
    session_name_ = graph.session.name;
    // A measurement belongs to a stored session: its current state is stored first (nothing new
    // when unchanged since its last snapshot), as `routewise measure --session` does.
    if (store_) {
      try {
        store_->add_snapshot(
            graph,
            {"mirror", "measuring " + *resolved, link_.settings().session_file.toStdString(), ""},
            to_records(analyze(graph)));
      } catch (const std::exception& e) {
        return refuse(QString::fromStdString(e.what()));
      }
    }
  }
  repeats_wanted_ = job.repeats;
  method_name_ = std::string(to_string(job.method));
  takes_done_ = 0;
  job_samples_.clear();
  progress_->setRange(0, job.repeats);
  progress_->setValue(0);
  measure_->setEnabled(false);
  cancel_->setEnabled(true);
  status_->setText(tr("Measuring %1: take 1 of %2…").arg(target_).arg(job.repeats));
  const LatencyRequest request{
      job.backend, job.out_port.toStdString(), job.in_port.toStdString(), job.method, 96000, 16};
  job_.start([this, request, repeats = job.repeats] {
    QString summary;
    try {
      for (int i = 0; i < repeats && !job_.cancelled(); ++i) {
        LatencyTake take = measure_latency(request);
        job_.post([this, take = std::move(take), i] { on_take(take, i); });
      }
    } catch (const std::exception& e) {
      summary = tr("Measurement failed: %1").arg(QString::fromStdString(e.what()));
    }
    job_.post([this, summary] { on_finished(summary); });
  });
  return {};
}

void LatencyView::cancel() {
  if (!running()) return;
  job_.cancel();
  cancel_->setEnabled(false);
  status_->setText(tr("Cancelling after the take under way…"));
}

void LatencyView::on_take(const LatencyTake& take, int index) {
  takes_done_ = index + 1;
  job_samples_.push_back(take.estimate.latency_samples);
  progress_->setValue(takes_done_);
  if (!job_.cancelled())
    status_->setText(tr("Measuring %1: %2 samples; take %3 of %4…")
                         .arg(target_)
                         .arg(take.estimate.latency_samples, 0, 'f', 3)
                         .arg(std::min(takes_done_ + 1, repeats_wanted_))
                         .arg(repeats_wanted_));
  if (!store_) return;
  LatencyMeasurement m;
  m.session = session_name_;
  m.target = target_.toStdString();
  m.latency_samples = take.estimate.latency_samples;
  m.sample_rate_hz = take.sample_rate_hz;
  m.buffer_size = take.buffer_frames;
  m.method = method_name_;
  m.confidence = take.estimate.confidence;
  m.device = take.device;
  try {
    const std::int64_t stored = store_->add_latency(m);
    reload();
    show_trend(target_);
    emit takeStored(stored);
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(e.what()));
  }
}

void LatencyView::on_finished(const QString& failure) {
  job_.join();
  measure_->setEnabled(true);
  cancel_->setEnabled(false);
  QString summary = failure;
  if (summary.isEmpty()) {
    const auto [low, high] = std::minmax_element(job_samples_.begin(), job_samples_.end());
    summary = job_samples_.empty()
                  ? tr("Cancelled before the first take.")
                  : tr("%1: %2 take(s)%3, %4 to %5 samples (spread %6)")
                        .arg(target_)
                        .arg(job_samples_.size())
                        .arg(takes_done_ < repeats_wanted_ ? tr(" (cancelled)") : QString())
                        .arg(*low, 0, 'f', 3)
                        .arg(*high, 0, 'f', 3)
                        .arg(*high - *low, 0, 'f', 3);
  }
  status_->setText(summary);
  emit jobFinished(summary);
}

}  // namespace routewise::gui
