#include "session_link.hpp"

#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/surface_findings.hpp"
#include "routewise/core/diagnostic.hpp"
#include "routewise/protocols/osc_dialect.hpp"
#include "routewise/protocols/session_import.hpp"

namespace routewise::gui {

using namespace std::chrono_literals;

SessionLink::SessionLink(QObject* parent) : QObject(parent) {
  poll_timer_.setInterval(5);
  connect(&poll_timer_, &QTimer::timeout, this, &SessionLink::poll_once);
  // The rules run once the mixer has been still for a moment, not on every fader step.
  analysis_timer_.setSingleShot(true);
  analysis_timer_.setInterval(300);
  connect(&analysis_timer_, &QTimer::timeout, this, &SessionLink::analyze_now);
  status_timer_.setInterval(500);
  connect(&status_timer_, &QTimer::timeout, this, [this] { emit statusChanged(status_text()); });
}

SessionLink::~SessionLink() {
  // A read under way finishes first; what it posts to this object is dropped with the object.
  ++read_generation_;
  if (reader_.joinable()) reader_.join();
}

namespace {

struct SessionRead {
  std::optional<RouteGraph> graph;
  QString error;  // "FILE: line N: ..." when there is no graph
};

// Thread-safe: the importers share nothing.
SessionRead read_session(const QString& file) {
  if (file.isEmpty())
    return {{}, QStringLiteral("no session file: the mirror needs the session's routing")};
  const std::string path = file.toStdString();
  ImportResult imported = import_session_file(path);
  if (imported.graph) return {std::move(imported.graph), {}};
  QString errors;
  for (const Diagnostic& d : imported.diagnostics.errors)
    errors += QString::fromStdString(format_diagnostic(path, d)) + '\n';
  return {{}, errors.isEmpty() ? QStringLiteral("%1: not a session").arg(file) : errors.trimmed()};
}

}  // namespace

QString SessionLink::connect_to(const ConnectionSettings& settings) {
  cancel_connect();
  disconnect_from();
  SessionRead read = read_session(settings.session_file);
  if (!read.graph) return read.error;
  return connect_with(settings, *read.graph);
}

void SessionLink::connect_in_background(const ConnectionSettings& settings) {
  cancel_connect();
  if (reader_.joinable()) reader_.join();  // a cancelled read still finishing
  connecting_ = true;
  const std::uint64_t generation = ++read_generation_;
  reader_ = std::thread([this, settings, generation] {
    auto read = std::make_shared<SessionRead>(read_session(settings.session_file));
    QMetaObject::invokeMethod(
        this,
        [this, settings, generation, read] {
          if (generation != read_generation_) return;  // cancelled, or a newer read started
          connecting_ = false;
          // A file that does not read leaves the present connection as it was.
          const QString error = read->graph ? connect_with(settings, *read->graph) : read->error;
          emit connectFinished(error);
        },
        Qt::QueuedConnection);
  });
}

void SessionLink::cancel_connect() {
  if (!connecting_) return;
  ++read_generation_;
  connecting_ = false;
}

QString SessionLink::connect_with(const ConnectionSettings& settings, const RouteGraph& session) {
  disconnect_from();
  settings_ = settings;
  MirrorOptions options;
  options.daw_host = settings.host.toStdString();
  options.daw_port = settings.port;
  options.dialect = settings.peer == Peer::reaper ? &reaper_dialect() : &ardour_dialect();
  if (settings.peer == Peer::simulator) {
    SimulatorOptions sim_options;
    sim_options.endpoint.port = 0;
    simulator_ = std::make_unique<DawSimulator>(session, sim_options);
    options.daw_host = "127.0.0.1";
    options.daw_port = simulator_->port();
  }
  mirror_ = std::make_unique<Mirror>(session, options);
  listen_to_mirror();
  structure_version_ = mirror_->structure_version();
  last_status_ = last_message_ = std::chrono::steady_clock::now();
  messages_at_last_status_ = 0;
  poll_timer_.start();
  status_timer_.start();
  emit structureChanged();
  analysis_timer_.start();
  return {};
}

void SessionLink::listen_to_mirror() {
  mirror_->on_change([this](const MirrorChange& c) { on_mirror_change(c); });
}

void SessionLink::on_mirror_change(const MirrorChange& c) {
  emit changed(QString::fromStdString(c.node_id), static_cast<int>(c.control), c.value);
  analysis_timer_.start();
}

QString SessionLink::start_surface(SurfaceServiceOptions options) {
  stop_surface();
  if (!mirror_) return QStringLiteral("connect to a DAW first: the surface follows its mixer");
  try {
    surface_ = std::make_unique<SurfaceService>(*mirror_, std::move(options));
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  // The mirror has one listener: the service takes it and passes every change on to us.
  surface_->on_change([this](const MirrorChange& c) { on_mirror_change(c); });
  show_findings_on_surface();
  return {};
}

void SessionLink::stop_surface() {
  if (!surface_) return;
  surface_.reset();
  if (mirror_) listen_to_mirror();
}

void SessionLink::show_findings_on_surface() {
  if (!surface_) return;
  SurfaceFindings shown = surface_findings(findings_);
  surface_->surface().set_overloads(std::move(shown.overloads));
  surface_->surface().set_markers(std::move(shown.markers));
}

void SessionLink::disconnect_from() {
  stop_surface();
  poll_timer_.stop();
  status_timer_.stop();
  analysis_timer_.stop();
  const bool was = mirror_ != nullptr;
  mirror_.reset();
  simulator_.reset();
  findings_.clear();
  if (was) {
    emit structureChanged();
    emit findingsChanged();
    emit statusChanged(status_text());
  }
}

RouteGraph SessionLink::graph() const {
  return mirror_ ? mirror_->graph() : RouteGraph{};
}

bool SessionLink::set(const std::string& node_id, MixerControl control, double value) {
  return mirror_ && mirror_->set(node_id, control, value);
}

bool SessionLink::set_send(const std::string& node_id, const std::string& target_node_id,
                           double level_db) {
  return mirror_ && mirror_->set_send(node_id, target_node_id, level_db);
}

void SessionLink::poll_once() {
  if (!mirror_) return;
  if (simulator_) simulator_->poll(0ms);
  const auto before = mirror_->stats().messages;
  if (surface_)
    surface_->poll(0ms);  // the mirror's socket and the surface's MIDI together
  else
    mirror_->poll(0ms);
  if (simulator_) simulator_->poll(0ms);
  if (mirror_->stats().messages != before) last_message_ = std::chrono::steady_clock::now();
  if (mirror_->structure_version() != structure_version_) {
    structure_version_ = mirror_->structure_version();
    emit structureChanged();
    analysis_timer_.start();
  }
}

void SessionLink::analyze_now() {
  if (!mirror_) return;
  findings_ = analyze(mirror_->graph());
  show_findings_on_surface();
  emit findingsChanged();
}

QString SessionLink::status_text() {
  if (!mirror_) return QStringLiteral("not connected");
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - last_status_).count();
  if (seconds >= 0.25) {
    message_rate_ =
        static_cast<double>(mirror_->stats().messages - messages_at_last_status_) / seconds;
    messages_at_last_status_ = mirror_->stats().messages;
    last_status_ = now;
  }
  const QString peer = settings_.peer == Peer::simulator ? QStringLiteral("built-in simulator")
                       : settings_.peer == Peer::ardour
                           ? QStringLiteral("Ardour %1:%2").arg(settings_.host).arg(settings_.port)
                           : QStringLiteral("REAPER %1:%2").arg(settings_.host).arg(settings_.port);
  return QStringLiteral("%1 · %2 · %3 strips · %4 msg/s · last message %5 s ago")
      .arg(peer, QString::fromStdString(std::string(to_string(mirror_->state()))))
      .arg(mirror_->strips().size())
      .arg(message_rate_, 0, 'f', 0)
      .arg(std::chrono::duration<double>(now - last_message_).count(), 0, 'f', 1);
}

}  // namespace routewise::gui
