#include "main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace routewise::gui {

std::optional<ConnectionSettings> remembered_connection() {
  QSettings s;
  if (!s.contains("connection/session")) return std::nullopt;
  ConnectionSettings c;
  c.peer = static_cast<Peer>(s.value("connection/peer", 0).toInt());
  c.host = s.value("connection/host", c.host).toString();
  c.port = static_cast<quint16>(s.value("connection/port", c.port).toUInt());
  c.session_file = s.value("connection/session").toString();
  return c;
}

namespace {

void remember(const ConnectionSettings& c) {
  QSettings s;
  s.setValue("connection/peer", static_cast<int>(c.peer));
  s.setValue("connection/host", c.host);
  s.setValue("connection/port", c.port);
  s.setValue("connection/session", c.session_file);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Routewise"));
  tabs_ = new QTabWidget(this);
  mixer_view_ = new MixerView(mixer_model_, link_, tabs_);
  route_map_ = new RouteMapView(tabs_);
  auto* findings_page = new QWidget(tabs_);
  auto* findings_layout = new QVBoxLayout(findings_page);
  auto* filter_row = new QHBoxLayout;
  auto* filter = new QLineEdit(findings_page);
  filter->setPlaceholderText(tr("Filter findings (rule, node, text)"));
  filter->setClearButtonEnabled(true);
  auto* copy = new QPushButton(tr("Copy fix"), findings_page);
  copy->setShortcut(QKeySequence::Copy);
  filter_row->addWidget(filter, 1);
  filter_row->addWidget(copy);
  findings_layout->addLayout(filter_row);
  findings_filter_.setSourceModel(&findings_model_);
  findings_filter_.setFilterCaseSensitivity(Qt::CaseInsensitive);
  findings_filter_.setFilterKeyColumn(-1);
  findings_filter_.setSortRole(FindingsModel::sort_role);
  findings_view_ = new QTableView(findings_page);
  findings_view_->setModel(&findings_filter_);
  findings_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  findings_view_->setSelectionMode(QAbstractItemView::SingleSelection);
  findings_view_->setWordWrap(true);
  findings_view_->horizontalHeader()->setStretchLastSection(true);
  findings_view_->setSortingEnabled(true);
  findings_view_->sortByColumn(FindingsModel::severity, Qt::AscendingOrder);
  findings_view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  findings_layout->addWidget(findings_view_);
  tabs_->addTab(mixer_view_, tr("&Mixer"));
  tabs_->addTab(route_map_, tr("&Route map"));
  matrix_page_ = new MatrixView(matrix_model_, tabs_);
  tabs_->addTab(matrix_page_, tr("Ma&trix"));
  tabs_->addTab(findings_page, tr("&Findings"));
  history_ = new HistoryView(link_, tabs_);
  tabs_->addTab(history_, tr("&History"));
  latency_ = new LatencyView(link_, tabs_);
  tabs_->addTab(latency_, tr("&Latency"));
  surfaces_ = new SurfacesView(link_, tabs_);
  tabs_->addTab(surfaces_, tr("&Surfaces"));
  audio_ = new AudioView(link_, tabs_);
  tabs_->addTab(audio_, tr("&Audio"));
  setCentralWidget(tabs_);

  status_ = new QLabel(tr("not connected"), this);
  statusBar()->addPermanentWidget(status_, 1);

  auto* toolbar = addToolBar(tr("Session"));
  toolbar->setObjectName(QStringLiteral("session-toolbar"));
  QAction* connect_action =
      toolbar->addAction(tr("&Connect…"), this, [this] { show_connect_dialog(); });
  connect_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
  QAction* export_action = toolbar->addAction(tr("&Export map…"), this, [this] { export_map(); });
  export_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  engine_meters_action_ = toolbar->addAction(tr("Engine &meters"));
  engine_meters_action_->setCheckable(true);
  engine_meters_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  engine_meters_action_->setToolTip(
      tr("Meters from Routewise's engine playing the mirrored mix with pink noise on every track: "
         "peak, RMS and the master's true peak (the DAW's OSC sends one level per strip). Ctrl+M"));
  connect(engine_meters_action_, &QAction::toggled, this,
          [this](bool on) { engine_meters_outcome(mixer_view_->set_engine_meters(on)); });
  // What the engine plays: pink noise, or the tracks' own files from a folder.
  auto* sources_menu = new QMenu(this);
  sources_menu->addAction(tr("Pink noise on every track"), this, [this] {
    engine_meters_outcome(mixer_view_->set_engine_meter_sources({}));
  });
  sources_menu->addAction(tr("Tracks' audio files from a folder…"), this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Folder of the tracks' audio files (named by track id or name)"),
        mixer_view_->engine_meter_sources());
    if (!folder.isEmpty()) engine_meters_outcome(mixer_view_->set_engine_meter_sources(folder));
  });
  engine_meters_action_->setMenu(sources_menu);
  // Remembered when chosen by hand; not when switched on by --engine-meters or at start.
  connect(engine_meters_action_, &QAction::triggered, this,
          [this] { QSettings().setValue("mixer/engine_meters", mixer_view_->engine_meters()); });
  connect(mixer_view_, &MixerView::engineMetersFailed, this,
          [this](const QString& why) { statusBar()->showMessage(why, 10000); });
  for (int i = 0; i < tabs_->count(); ++i) {
    auto* go = new QAction(this);
    go->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    connect(go, &QAction::triggered, this, [this, i] { tabs_->setCurrentIndex(i); });
    addAction(go);
  }

  connect(filter, &QLineEdit::textChanged, &findings_filter_,
          &QSortFilterProxyModel::setFilterFixedString);
  connect(copy, &QPushButton::clicked, this, [this] { copy_fix(); });
  connect(findings_view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const QStringList nodes = index.data(FindingsModel::node_ids_role).toStringList();
    if (nodes.isEmpty()) return;
    select_node(nodes.front());
    tabs_->setCurrentWidget(route_map_);
  });
  connect(route_map_, &RouteMapView::nodeClicked, this, &MainWindow::select_node);
  connect(matrix_page_, &MatrixView::saveRequested, this, [this] {
    const QStringList edits = matrix_model_.edit_descriptions();
    QString error;
    const std::int64_t id = history_->store_graph(
        matrix_model_.edited_graph(),
        "edited in the matrix: " + edits.join(QStringLiteral("; ")).toStdString(), error);
    matrix_page_->saved(id, error);
  });
  connect(&link_, &SessionLink::statusChanged, status_, &QLabel::setText);
  // Every structure change is analysed again shortly, so the map is laid out once, then, with
  // its findings drawn in.
  connect(&link_, &SessionLink::findingsChanged, this, [this] {
    for (int c : {FindingsModel::severity, FindingsModel::rule, FindingsModel::nodes})
      findings_view_->resizeColumnToContents(c);
    findings_view_->setColumnWidth(FindingsModel::message, 520);
    refresh_map();
  });

  QSettings settings;
  // The database the CLI uses unless told otherwise ($ROUTEWISE_DB, else the XDG default).
  open_store(default_store_path());
  latency_->refresh_ports();
  surfaces_->refresh_ports();
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  tabs_->setCurrentIndex(settings.value("window/tab", 0).toInt());
  engine_meters_action_->setChecked(settings.value("mixer/engine_meters", false).toBool());
  if (!settings.contains("window/geometry")) resize(1200, 700);
}

// The views hold references to the link and the models, members that would otherwise be gone
// before QWidget's destructor deletes the views: the views go first.
MainWindow::~MainWindow() {
  delete takeCentralWidget();
}

void MainWindow::engine_meters_outcome(const QString& error) {
  if (!error.isEmpty()) {
    const QSignalBlocker block(engine_meters_action_);
    engine_meters_action_->setChecked(false);
    statusBar()->showMessage(error, 10000);
    return;
  }
  const QStringList notes = mixer_view_->engine_meter_notes();
  const QString playing =
      mixer_view_->engine_meter_sources().isEmpty()
          ? tr("pink noise on every track")
          : tr("the tracks' files in %1").arg(mixer_view_->engine_meter_sources());
  engine_meters_action_->setToolTip(tr("Engine meters play %1").arg(playing));
  if (mixer_view_->engine_meters())
    statusBar()->showMessage(
        notes.isEmpty()
            ? tr("Engine meters: %1").arg(playing)
            : tr("Engine meters: %1 — %2").arg(playing, notes.join(QStringLiteral("; "))),
        15000);
}

QString MainWindow::connect_to(const ConnectionSettings& settings) {
  return connection_outcome(settings, link_.connect_to(settings));
}

QString MainWindow::connection_outcome(const ConnectionSettings& settings, const QString& error) {
  if (!error.isEmpty()) {
    status_->setText(error);
    return error;
  }
  remember(settings);
  setWindowTitle(tr("Routewise — %1").arg(QFileInfo(settings.session_file).fileName()));
  return {};
}

QString MainWindow::open_store(const std::filesystem::path& path) {
  QString error = history_->open_store(path);
  for (const QString& e : {latency_->open_store(path), surfaces_->open_store(path)})
    if (error.isEmpty()) error = e;
  return error;
}

void MainWindow::connect_in_background(const ConnectionSettings& settings) {
  delete reading_;  // an earlier read's dialog, and its connection to an outcome now not coming
  auto* progress = new QProgressDialog(
      tr("Reading %1…").arg(QFileInfo(settings.session_file).fileName()), tr("Cancel"), 0, 0, this);
  progress->setWindowModality(Qt::WindowModal);
  progress->setMinimumDuration(400);  // a quick read shows no dialog at all
  // The dialog carries the connection to the outcome: cancelled, it is gone, and so is that.
  connect(progress, &QProgressDialog::canceled, this, [this, progress] {
    link_.cancel_connect();
    progress->deleteLater();
  });
  connect(&link_, &SessionLink::connectFinished, progress,
          [this, progress, settings](const QString& error) {
            progress->deleteLater();
            if (!connection_outcome(settings, error).isEmpty())
              QMessageBox::warning(this, tr("Not connected"), error);
          });
  reading_ = progress;
  link_.connect_in_background(settings);
}

void MainWindow::select_node(const QString& node_id) {
  route_map_->select_node(node_id);
  const int row = mixer_model_.row_of(node_id.toStdString());
  for (std::size_t i = 0; i < mixer_view_->strips().size(); ++i) {
    StripWidget* strip = mixer_view_->strips()[i];
    const bool chosen = static_cast<int>(i) == row;
    strip->setAutoFillBackground(chosen);
    strip->setBackgroundRole(chosen ? QPalette::Highlight : QPalette::Window);
    if (chosen) mixer_view_->ensureWidgetVisible(strip);
  }
}

void MainWindow::refresh_map() {
  if (!link_.connected()) return;
  const QString error = route_map_->show_graph(link_.graph(), link_.findings());
  if (!error.isEmpty()) status_->setText(tr("Route map: %1").arg(error));
}

void MainWindow::show_connect_dialog() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Connect to a DAW"));
  auto* form = new QFormLayout(&dialog);
  auto* peer = new QComboBox(&dialog);
  peer->addItems(
      {tr("Built-in simulator (Ardour dialect)"), tr("Ardour (OSC)"), tr("REAPER (OSC)")});
  auto* host = new QLineEdit(&dialog);
  auto* port = new QSpinBox(&dialog);
  port->setRange(1, 65535);
  auto* session = new QLineEdit(&dialog);
  auto* browse = new QPushButton(tr("Browse…"), &dialog);
  auto* session_row = new QHBoxLayout;
  session_row->addWidget(session, 1);
  session_row->addWidget(browse);
  const ConnectionSettings last =
      link_.connected() ? link_.settings() : remembered_connection().value_or(ConnectionSettings{});
  peer->setCurrentIndex(static_cast<int>(last.peer));
  host->setText(last.host);
  port->setValue(last.port);
  session->setText(last.session_file);
  form->addRow(tr("Peer"), peer);
  form->addRow(tr("Host"), host);
  form->addRow(tr("OSC port"), port);
  form->addRow(tr("Session file"), session_row);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  form->addRow(buttons);
  connect(browse, &QPushButton::clicked, &dialog, [&] {
    const QString file = QFileDialog::getOpenFileName(
        &dialog, tr("Session or route map"), session->text(),
        tr("Sessions (*.json *.ardour *.rpp *.RPP *.dawproject *.als);;All files (*)"));
    if (!file.isEmpty()) session->setText(file);
  });
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return;
  ConnectionSettings chosen;
  chosen.peer = static_cast<Peer>(peer->currentIndex());
  chosen.host = host->text().trimmed();
  chosen.port = static_cast<quint16>(port->value());
  chosen.session_file = session->text().trimmed();
  connect_in_background(chosen);
}

void MainWindow::export_map() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export route map"), QString(),
                                                    tr("SVG (*.svg);;PNG (*.png)"));
  if (path.isEmpty()) return;
  const QString error = route_map_->export_to(path);
  if (!error.isEmpty()) QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::copy_fix() {
  const QModelIndexList rows =
      findings_view_->selectionModel()
          ? findings_view_->selectionModel()->selectedRows(FindingsModel::fix)
          : QModelIndexList{};
  if (!rows.isEmpty()) QApplication::clipboard()->setText(rows.front().data().toString());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("window/tab", tabs_->currentIndex());
  link_.disconnect_from();
  event->accept();
}

}  // namespace routewise::gui
