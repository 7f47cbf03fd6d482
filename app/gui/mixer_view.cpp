#include "mixer_view.hpp"

#include <QHBoxLayout>
#include <QMouseEvent>
#include <QPainter>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <cmath>

#include "routewise/model/fader_law.hpp"

namespace routewise::gui {

namespace {

constexpr int fader_steps = 1000;
constexpr double meter_floor_dbfs = -60;
constexpr auto peak_hold = std::chrono::seconds(2);

double meter_fraction(double dbfs) {
  return std::clamp((dbfs - meter_floor_dbfs) / -meter_floor_dbfs, 0.0, 1.0);
}

}  // namespace

MeterWidget::MeterWidget(QWidget* parent) : QWidget(parent) {
  setFixedWidth(12);
  setToolTip(
      tr("Peak level (with engine meters: faint, with the RMS over 300 ms solid inside it); the "
         "line is the peak held for 2 s; red at the top: clipped (click to clear)"));
}

void MeterWidget::set_level(std::optional<double> peak_dbfs, std::optional<double> rms_dbfs) {
  const double level = peak_dbfs && std::isfinite(*peak_dbfs) ? *peak_dbfs : -200;
  const auto now = std::chrono::steady_clock::now();
  if (level >= hold_dbfs_ || now - hold_since_ > peak_hold) {
    hold_dbfs_ = level;
    hold_since_ = now;
  }
  if (level >= 0) clipped_ = true;
  if (rms_dbfs && !std::isfinite(*rms_dbfs)) rms_dbfs = -200.0;
  if (level != level_dbfs_ || rms_dbfs != rms_dbfs_) {
    level_dbfs_ = level;
    rms_dbfs_ = rms_dbfs;
    update();
  }
}

void MeterWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QRect r = rect().adjusted(1, 1, -1, -1);
  p.fillRect(r, palette().color(QPalette::Base).darker(130));
  const int clip_h = 6;
  const QRect bar_area(r.left(), r.top() + clip_h + 2, r.width(), r.height() - clip_h - 2);
  QLinearGradient g(bar_area.bottomLeft(), bar_area.topLeft());
  g.setColorAt(0, QColor(40, 170, 70));
  g.setColorAt(meter_fraction(-18), QColor(90, 200, 60));
  g.setColorAt(meter_fraction(-6), QColor(230, 200, 40));
  g.setColorAt(1, QColor(230, 60, 40));
  auto bar = [&](double dbfs) {
    const int height = static_cast<int>(std::lround(meter_fraction(dbfs) * bar_area.height()));
    return QRect(bar_area.left(), bar_area.bottom() - height + 1, bar_area.width(), height);
  };
  if (rms_dbfs_) {
    // Peak as a faint bar, the RMS under it solid: the gap is the signal's crest factor.
    p.setOpacity(0.4);
    p.fillRect(bar(level_dbfs_), g);
    p.setOpacity(1.0);
    p.fillRect(bar(*rms_dbfs_), g);
  } else {
    p.fillRect(bar(level_dbfs_), g);
  }
  const int hold_y = bar_area.bottom() -
                     static_cast<int>(std::lround(meter_fraction(hold_dbfs_) * bar_area.height()));
  if (hold_dbfs_ > meter_floor_dbfs) {
    p.setPen(palette().color(QPalette::Text));
    p.drawLine(bar_area.left(), hold_y, bar_area.right(), hold_y);
  }
  p.fillRect(QRect(r.left(), r.top(), r.width(), clip_h),
             clipped_ ? QColor(230, 40, 40) : palette().color(QPalette::Base).darker(160));
}

void MeterWidget::mousePressEvent(QMouseEvent*) {
  clipped_ = false;
  update();
}

StripWidget::StripWidget(MixerModel& model, int row, QWidget* parent)
    : QWidget(parent), model_(model), row_(row) {
  setObjectName(QStringLiteral("strip"));
  setFixedWidth(84);
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(3, 3, 3, 3);
  name_ = new QLabel(this);
  name_->setAlignment(Qt::AlignCenter);
  column->addWidget(name_);
  pan_ = new QDial(this);
  pan_->setRange(-100, 100);
  pan_->setNotchesVisible(true);
  pan_->setFixedSize(40, 40);
  pan_->setToolTip(tr("Pan (double-click: centre)"));
  column->addWidget(pan_, 0, Qt::AlignHCenter);
  auto* buttons = new QHBoxLayout;
  mute_ = new QPushButton(tr("M"), this);
  solo_ = new QPushButton(tr("S"), this);
  for (QPushButton* b : {mute_, solo_}) {
    b->setCheckable(true);
    b->setFixedWidth(28);
    buttons->addWidget(b);
  }
  mute_->setToolTip(tr("Mute"));
  solo_->setToolTip(tr("Solo"));
  column->addLayout(buttons);
  auto* fader_row = new QHBoxLayout;
  meter_ = new MeterWidget(this);
  fader_ = new QSlider(Qt::Vertical, this);
  fader_->setRange(0, fader_steps);
  fader_->setPageStep(fader_steps / 20);
  fader_->setMinimumHeight(160);
  fader_->setToolTip(tr("Fader (Ardour's law; wheel for small steps)"));
  fader_row->addWidget(fader_, 0, Qt::AlignHCenter);
  fader_row->addWidget(meter_);
  column->addLayout(fader_row, 1);
  true_peak_ = new QLabel(this);
  true_peak_->setAlignment(Qt::AlignCenter);
  true_peak_->setToolTip(tr("True peak (4× oversampled) since the meters were switched on"));
  true_peak_->hide();
  column->addWidget(true_peak_);
  gain_ = new QLineEdit(this);
  gain_->setAlignment(Qt::AlignCenter);
  gain_->setMaximumWidth(72);
  gain_->setToolTip(tr("Gain in dB: type a value and press Enter"));
  column->addWidget(gain_, 0, Qt::AlignHCenter);

  const auto index = [this](int c) { return model_.index(row_, c); };
  connect(fader_, &QSlider::valueChanged, this, [this, index](int position) {
    const double db =
        fader_db_from_position(position / static_cast<double>(fader_steps), model_.fader_law());
    model_.setData(index(MixerModel::gain_db), db);
    gain_->setText(QString::number(db, 'f', 1));
  });
  connect(gain_, &QLineEdit::editingFinished, this, [this, index] {
    bool ok = false;
    const double db =
        gain_->text().replace(QStringLiteral("dB"), QString()).trimmed().toDouble(&ok);
    if (ok) model_.setData(index(MixerModel::gain_db), db);
    update_from_model();
  });
  connect(mute_, &QPushButton::toggled, this, [this, index](bool on) {
    model_.setData(index(MixerModel::mute), on ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
  });
  connect(solo_, &QPushButton::toggled, this, [this, index](bool on) {
    model_.setData(index(MixerModel::solo), on ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
  });
  connect(pan_, &QDial::valueChanged, this,
          [this, index](int v) { model_.setData(index(MixerModel::pan), v / 100.0); });
  if (model_.is_master(row_)) {
    // The master has no solo and no pan; the space stays so its fader lines up with the others.
    solo_->setEnabled(false);
    pan_->setEnabled(false);
    name_->setStyleSheet(QStringLiteral("font-weight: bold"));
  }
  update_from_model();
}

void StripWidget::update_from_model() {
  const auto value = [this](int c, int role = Qt::EditRole) {
    return model_.data(model_.index(row_, c), role);
  };
  full_name_ = value(MixerModel::name, Qt::DisplayRole).toString();
  name_->setText(name_->fontMetrics().elidedText(full_name_, Qt::ElideMiddle, width() - 8));
  name_->setToolTip(full_name_);
  // The DAW's values never move what the hand holds (no fight with a fader being dragged).
  if (!fader_->isSliderDown()) {
    const QSignalBlocker block(fader_);
    const double db = value(MixerModel::gain_db).toDouble();
    fader_->setValue(static_cast<int>(
        std::lround(fader_position_from_db(db, model_.fader_law()) * fader_steps)));
  }
  if (!gain_->hasFocus()) gain_->setText(value(MixerModel::gain_db, Qt::DisplayRole).toString());
  {
    const QSignalBlocker block_mute(mute_), block_solo(solo_);
    mute_->setChecked(value(MixerModel::mute).toBool());
    solo_->setChecked(value(MixerModel::solo).toBool());
  }
  if (!pan_->isSliderDown()) {
    const QSignalBlocker block(pan_);
    pan_->setValue(static_cast<int>(std::lround(value(MixerModel::pan).toDouble() * 100)));
  }
}

void StripWidget::update_meter() {
  const QVariant v = model_.data(model_.index(row_, MixerModel::meter_db), Qt::EditRole);
  meter_->set_level(v.isValid() ? std::optional<double>(v.toDouble()) : std::nullopt);
}

void StripWidget::show_levels(const LiveMeterReading& reading) {
  meter_->set_level(reading.peak_dbfs, reading.rms_dbfs);
  if (!model_.is_master(row_)) return;
  // The highest true peak so far: what an export of this mix would have to leave headroom for.
  const double shown =
      true_peak_->property("dbtp").isValid()
          ? std::max(true_peak_->property("dbtp").toDouble(), reading.true_peak_dbtp)
          : reading.true_peak_dbtp;
  true_peak_->setProperty("dbtp", shown);
  true_peak_->setText(std::isfinite(shown) ? tr("TP %1").arg(shown, 0, 'f', 1) : tr("TP −∞"));
  true_peak_->setStyleSheet(shown > -1.0 ? QStringLiteral("color: #e03030; font-weight: bold")
                                         : QString());
  true_peak_->show();
}

MixerView::MixerView(MixerModel& model, SessionLink& link, QWidget* parent)
    : QScrollArea(parent), model_(model), link_(link) {
  setWidgetResizable(true);
  connect(&model_, &QAbstractItemModel::modelReset, this, &MixerView::rebuild);
  connect(&model_, &QAbstractItemModel::dataChanged, this,
          [this](const QModelIndex& top, const QModelIndex& bottom) {
            if (top.column() == MixerModel::meter_db && bottom.column() == MixerModel::meter_db)
              return;
            for (int r = top.row(); r <= bottom.row(); ++r)
              if (r >= 0 && r < static_cast<int>(strips_.size()))
                strips_[static_cast<std::size_t>(r)]->update_from_model();
          });
  meter_timer_.setInterval(33);
  connect(&meter_timer_, &QTimer::timeout, this, &MixerView::update_meters);
  follow_timer_.setSingleShot(true);
  follow_timer_.setInterval(40);
  connect(&follow_timer_, &QTimer::timeout, this, &MixerView::follow_mirror);
  connect(&link_, &SessionLink::structureChanged, this, [this] {
    if (live_) follow_timer_.start();
  });
  connect(&link_, &SessionLink::changed, this, [this] {
    if (live_ && !follow_timer_.isActive()) follow_timer_.start();
  });
  meter_timer_.start();
  rebuild();
}

void MixerView::rebuild() {
  strips_.clear();
  auto* content = new QWidget;
  auto* row = new QHBoxLayout(content);
  row->setSpacing(2);
  for (int r = 0; r < model_.rowCount(); ++r) {
    auto* strip = new StripWidget(model_, r, content);
    strips_.push_back(strip);
    row->addWidget(strip);
  }
  row->addStretch(1);
  setWidget(content);  // deletes the previous strips
}

void MixerView::update_meters() {
  if (!live_) {
    for (StripWidget* s : strips_) s->update_meter();
    return;
  }
  const auto readings = live_->take_readings();
  for (std::size_t row = 0; row < strips_.size(); ++row) {
    const auto found = readings.find(model_.node_id(static_cast<int>(row)));
    if (found != readings.end()) strips_[row]->show_levels(found->second);
  }
}

QString MixerView::set_engine_meters(bool on) {
  if (!on) {
    live_.reset();
    for (StripWidget* s : strips_) {
      s->true_peak_label()->hide();
      s->true_peak_label()->setProperty("dbtp", QVariant());
    }
    return {};
  }
  if (live_) return {};
  try {
    const RouteGraph graph = link_.graph();
    LiveRenderSettings settings;
    if (!sources_.isEmpty()) settings.sources_dir = sources_.toStdString();
    settings.engine.sample_rate_hz = graph.session.sample_rate_hz;
    // A session at a rate the engine does not run (say 32 kHz) is metered at 48 kHz.
    if (check_engine_settings(settings.engine)) settings.engine.sample_rate_hz = 48000.0;
    live_ = std::make_unique<LiveRender>(graph, settings);
  } catch (const std::exception& e) {
    return tr("Engine meters: %1").arg(QString::fromStdString(e.what()));
  }
  return {};
}

QString MixerView::set_engine_meter_sources(const QString& folder) {
  sources_ = folder;
  if (!live_) return {};
  live_.reset();
  return set_engine_meters(true);
}

QStringList MixerView::engine_meter_notes() const {
  QStringList notes;
  if (live_)
    for (const std::string& n : live_->notes()) notes << QString::fromStdString(n);
  return notes;
}

void MixerView::follow_mirror() {
  if (!live_) return;
  if (const auto problem = live_->set_graph(link_.graph()))
    emit engineMetersFailed(tr("Engine meters play the last graph that could be rendered: %1")
                                .arg(QString::fromStdString(*problem)));
}

}  // namespace routewise::gui
