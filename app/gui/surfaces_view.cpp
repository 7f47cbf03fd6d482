#include "surfaces_view.hpp"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "routewise/surfaces/generic_surface.hpp"
#include "store_file.hpp"
#include "table_rows.hpp"

namespace routewise::gui {

SurfacesView::SurfacesView(SessionLink& link, QWidget* parent) : QWidget(parent), link_(link) {
  auto* layout = new QHBoxLayout(this);
  auto* side = new QVBoxLayout;
  layout->addLayout(side, 0);

  auto* ports_box = new QGroupBox(tr("MIDI ports"), this);
  auto* ports_layout = new QVBoxLayout(ports_box);
  auto* api_row = new QHBoxLayout;
  api_ = new QComboBox(ports_box);
  api_->addItems({tr("JACK"), tr("ALSA")});
  auto* refresh = new QPushButton(tr("Refresh"), ports_box);
  api_row->addWidget(api_, 1);
  api_row->addWidget(refresh);
  ports_layout->addLayout(api_row);
  ports_layout->addWidget(new QLabel(tr("Send MIDI (a surface's output)"), ports_box));
  sources_ = new QListWidget(ports_box);
  ports_layout->addWidget(sources_);
  ports_layout->addWidget(new QLabel(tr("Take MIDI (a surface's input)"), ports_box));
  sinks_ = new QListWidget(ports_box);
  ports_layout->addWidget(sinks_);
  side->addWidget(ports_box, 1);

  auto* mcu_box = new QGroupBox(tr("Mackie Control"), this);
  auto* mcu_form = new QFormLayout(mcu_box);
  main_unit_ = new QLineEdit(mcu_box);
  main_unit_->setPlaceholderText(tr("port name pattern, e.g. MCU"));
  main_unit_->setToolTip(tr("Double-click a port on the left to use its name"));
  extenders_ = new QLineEdit(mcu_box);
  extenders_->setPlaceholderText(tr("patterns, comma-separated, in strip order"));
  start_ = new QPushButton(tr("Start"), mcu_box);
  stop_ = new QPushButton(tr("Stop"), mcu_box);
  stop_->setEnabled(false);
  auto* run_row = new QHBoxLayout;
  run_row->addWidget(start_);
  run_row->addWidget(stop_);
  mcu_form->addRow(tr("Main unit"), main_unit_);
  mcu_form->addRow(tr("Extenders"), extenders_);
  mcu_form->addRow(run_row);
  side->addWidget(mcu_box);

  auto* learn_box = new QGroupBox(tr("MIDI learn (generic controller)"), this);
  auto* learn_form = new QFormLayout(learn_box);
  learn_port_ = new QLineEdit(learn_box);
  learn_port_->setPlaceholderText(tr("controller port pattern"));
  learn_ = new QPushButton(tr("Learn"), learn_box);
  learn_->setToolTip(tr("Then move the control (a fader, knob or button) on the controller"));
  learned_label_ = new QLabel(tr("nothing learned"), learn_box);
  strip_ = new QComboBox(learn_box);
  strip_->setEditable(true);
  parameter_ = new QComboBox(learn_box);
  parameter_->addItems({"fader", "send", "mute", "solo", "pan", "bypass"});
  argument_ = new QLineEdit(learn_box);
  argument_->setPlaceholderText(tr("send: the bus; bypass: the plugin's slot"));
  profile_ = new QLineEdit(QStringLiteral("default"), learn_box);
  save_ = new QPushButton(tr("Save mapping"), learn_box);
  save_->setEnabled(false);
  auto* learn_row = new QHBoxLayout;
  learn_row->addWidget(learn_port_, 1);
  learn_row->addWidget(learn_);
  learn_form->addRow(tr("Port"), learn_row);
  learn_form->addRow(tr("Control"), learned_label_);
  learn_form->addRow(tr("Strip"), strip_);
  learn_form->addRow(tr("Parameter"), parameter_);
  learn_form->addRow(tr("Argument"), argument_);
  learn_form->addRow(tr("Profile"), profile_);
  learn_form->addRow(save_);
  side->addWidget(learn_box);

  auto* split = new QSplitter(Qt::Vertical, this);
  auto* scroll = new QScrollArea(split);
  preview_ = new SurfacePreview(scroll);
  scroll->setWidget(preview_);
  scroll->setWidgetResizable(true);
  events_ = new QPlainTextEdit(split);
  events_->setReadOnly(true);
  events_->setMaximumBlockCount(500);
  events_->setPlaceholderText(tr("Units found, lost and online appear here."));
  mappings_ = read_only_table(
      {tr("Profile"), tr("Control"), tr("Strip"), tr("Parameter"), tr("Soft takeover")}, split);
  split->setStretchFactor(0, 3);
  layout->addWidget(split, 1);

  // The preview at 30 frames per second while a surface runs.
  repaint_timer_.setInterval(33);
  connect(&repaint_timer_, &QTimer::timeout, preview_, qOverload<>(&QWidget::update));
  learn_timer_.setInterval(10);
  connect(&learn_timer_, &QTimer::timeout, this, &SurfacesView::poll_learn);
  connect(refresh, &QPushButton::clicked, this, &SurfacesView::refresh_ports);
  connect(sources_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    // A port name as a pattern: its client part, which names the device.
    const QString name = item->text();
    const QString client = name.section(':', 0, 0);
    (main_unit_->text().isEmpty() ? main_unit_ : learn_port_)
        ->setText(QRegularExpression::escape(client.isEmpty() ? name : client));
  });
  connect(start_, &QPushButton::clicked, this, [this] {
    QStringList patterns{main_unit_->text().trimmed()};
    for (const QString& p : extenders_->text().split(',', Qt::SkipEmptyParts))
      patterns.push_back(p.trimmed());
    start_surface(patterns);
  });
  connect(stop_, &QPushButton::clicked, this, &SurfacesView::stop_surface);
  connect(learn_, &QPushButton::clicked, this,
          [this] { start_learn(learn_port_->text().trimmed()); });
  connect(save_, &QPushButton::clicked, this, [this] {
    save_mapping(strip_->currentText(), parameter_->currentText(), argument_->text(),
                 profile_->text());
  });
  connect(&link_, &SessionLink::structureChanged, this, [this] {
    refresh_strips();
    // A link that disconnected (or connected elsewhere) took its surface with it.
    if (preview_state_ && !link_.surface()) surface_gone();
  });
}

SurfacesView::~SurfacesView() {
  // The service calls back into this view (events, sent bytes): gone before the view is.
  if (link_.surface()) link_.stop_surface();
}

MidiApi SurfacesView::api() const {
  return api_->currentIndex() == 1 ? MidiApi::alsa : MidiApi::jack;
}

void SurfacesView::say(const QString& text) {
  events_->appendPlainText(text);
}

QString SurfacesView::open_store(const std::filesystem::path& path) {
  QString error;
  store_ = open_store_file(path, error);
  if (!store_) say(error);
  reload_mappings();
  return error;
}

void SurfacesView::refresh_ports() {
  const MidiPortList ports = list_midi_ports(api());
  sources_->clear();
  sinks_->clear();
  for (const std::string& p : ports.sources) sources_->addItem(QString::fromStdString(p));
  for (const std::string& p : ports.sinks) sinks_->addItem(QString::fromStdString(p));
  if (!ports.error.empty())
    say(tr("MIDI (%1): %2")
            .arg(QString::fromStdString(std::string(to_string(api()))),
                 QString::fromStdString(ports.error)));
}

void SurfacesView::refresh_strips() {
  const QString kept = strip_->currentText();
  strip_->clear();
  if (const LiveMixer* mirror = link_.mixer())
    for (const auto& [ssid, strip] : mirror->strips())
      strip_->addItem(QString::fromStdString(strip.name));
  strip_->setCurrentText(kept);
}

bool SurfacesView::surface_running() {
  return link_.surface() != nullptr;
}

QString SurfacesView::start_surface(const QStringList& unit_patterns) {
  stop_surface();
  McuHostOptions options;
  options.api = api();
  options.client_name = "routewise-gui-surface";
  for (const QString& p : unit_patterns.isEmpty() ? QStringList{QString()} : unit_patterns) {
    if (p.trimmed().isEmpty()) {
      QString why = tr("Give the main unit's port name pattern (double-click a port).");
      say(why);
      return why;
    }
    options.unit_patterns.push_back(p.trimmed().toStdString());
  }
  std::vector<mcu::Model> models(options.unit_patterns.size(), mcu::Model::mcu_xt);
  models.front() = mcu::Model::mcu;
  QString error = link_.start_surface(options);
  if (!error.isEmpty()) {
    say(tr("Surface not started: %1").arg(error));
    return error;
  }
  // The preview is a software unit fed with exactly what the hardware is sent; its answers go
  // nowhere.
  preview_state_ = std::make_unique<mcu::SurfaceSim>(models, [](int, const MidiBytes&) {});
  SurfaceHost& service = *link_.surface();
  service.on_midi_sent([this](int unit, const MidiBytes& m) { preview_state_->receive(unit, m); });
  service.on_event([this](const std::string& e) { say(QString::fromStdString(e)); });
  preview_->show_units(preview_state_.get());
  repaint_timer_.start();
  start_->setEnabled(false);
  stop_->setEnabled(true);
  say(tr("Mackie Control started: %1").arg(unit_patterns.join(QStringLiteral(", "))));
  return {};
}

void SurfacesView::stop_surface() {
  if (!link_.surface()) return;
  link_.stop_surface();
  surface_gone();
}

void SurfacesView::surface_gone() {
  repaint_timer_.stop();
  preview_->show_units(nullptr);
  preview_state_.reset();
  start_->setEnabled(true);
  stop_->setEnabled(false);
  say(tr("Mackie Control stopped."));
}

QString SurfacesView::start_learn(const QString& pattern) {
  stop_learn();
  if (pattern.isEmpty()) {
    learned_label_->setText(tr("Give the controller's port name pattern."));
    return learned_label_->text();
  }
  try {
    learn_port_handle_ =
        std::make_unique<MidiDuplex>(api(), "routewise-gui-learn", pattern.toStdString(), 0, false);
  } catch (const std::exception& e) {
    learned_label_->setText(QString::fromStdString(e.what()));
    return learned_label_->text();
  }
  learner_ = std::make_unique<MidiLearn>();
  learned_.reset();
  save_->setEnabled(false);
  learned_label_->setText(tr("Move a control on '%1'…").arg(pattern));
  learn_timer_.start();
  return {};
}

void SurfacesView::stop_learn() {
  learn_timer_.stop();
  learn_port_handle_.reset();
  learner_.reset();
}

void SurfacesView::poll_learn() {
  if (!learn_port_handle_) return;
  if (!learn_port_handle_->is_open()) {
    // The controller may be plugged in while we wait: looked for twice a second (a port scan
    // is not for every 10 ms tick).
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_port_check_) {
      next_port_check_ = now + std::chrono::milliseconds(500);
      learn_port_handle_->check();
    }
    return;
  }
  learn_port_handle_->drain([this](const MidiBytes& m, auto) { learner_->feed(m); });
  if (!learner_->learned()) return;
  learned_ = learner_->learned();
  const QString name = QString::fromStdString(to_string(*learned_));
  stop_learn();
  learned_label_->setText(name);
  save_->setEnabled(true);
  emit controlLearned(name);
}

QString SurfacesView::save_mapping(const QString& strip, const QString& parameter,
                                   const QString& argument, const QString& profile) {
  auto refuse = [this](const QString& why) {
    learned_label_->setText(why);
    return why;
  };
  if (!learned_) return refuse(tr("Learn a control first."));
  if (!store_) return refuse(tr("No database open."));
  SurfaceMapping row;
  row.profile = profile.trimmed().isEmpty() ? "default" : profile.trimmed().toStdString();
  row.control = to_string(*learned_);
  row.target_node = strip.trimmed().toStdString();
  row.parameter = parameter.toStdString();
  row.argument = argument.trimmed().toStdString();
  // A button has nothing to take over; a continuous control without a motor does.
  row.soft_takeover = learned_->kind != MidiControlKind::note;
  std::string error;
  if (row.target_node.empty()) return refuse(tr("Choose the strip the control moves."));
  if (!mapping_from_row(row, error)) return refuse(QString::fromStdString(error));
  try {
    store_->put_surface_mapping(row);
  } catch (const std::exception& e) {
    return refuse(QString::fromStdString(e.what()));
  }
  reload_mappings();
  learned_label_->setText(
      tr("saved %1 → '%2' %3")
          .arg(QString::fromStdString(row.control), strip.trimmed(), parameter));
  return {};
}

void SurfacesView::reload_mappings() {
  mappings_->setRowCount(0);
  if (!store_) return;
  std::vector<SurfaceMapping> rows;
  try {
    rows = store_->surface_mappings();
  } catch (const std::exception& e) {
    say(QString::fromStdString(e.what()));
    return;
  }
  mappings_->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const SurfaceMapping& m = rows[static_cast<std::size_t>(r)];
    const QString parameter =
        QString::fromStdString(m.argument.empty() ? m.parameter : m.parameter + " " + m.argument);
    const QStringList cells = {QString::fromStdString(m.profile), QString::fromStdString(m.control),
                               QString::fromStdString(m.target_node), parameter,
                               m.soft_takeover ? tr("yes") : tr("no")};
    set_row(*mappings_, r, cells);
  }
  mappings_->resizeColumnsToContents();
}

}  // namespace routewise::gui
