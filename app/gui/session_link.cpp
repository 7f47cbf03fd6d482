#include "session_link.hpp"

#include "routewise/daw/osc_dialect.hpp"
#include "routewise/model/diagnostic.hpp"
#include "routewise/sessions/session_import.hpp"

namespace routewise::gui {

using namespace std::chrono_literals;

SessionLink::SessionLink(QObject* parent) : QObject(parent) {
  poll_timer_.setInterval(5);
  connect(&poll_timer_, &QTimer::timeout, this, &SessionLink::poll_once);
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
  LiveSessionOptions options;
  options.daw.daw_host = settings.host.toStdString();
  options.daw.daw_port = settings.port;
  options.daw.dialect = settings.peer == Peer::reaper ? &reaper_dialect() : &ardour_dialect();
  options.simulate = settings.peer == Peer::simulator;
  try {
    session_ = std::make_unique<LiveSession>(session, options);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  session_->mixer().add_listener(*this);
  session_->on_findings([this](const std::vector<Finding>& findings) {
    findings_ = findings;
    emit findingsChanged();
  });
  last_status_ = last_message_ = std::chrono::steady_clock::now();
  messages_at_last_status_ = 0;
  poll_timer_.start();
  status_timer_.start();
  emit structureChanged();
  session_->analyze_now();
  return {};
}

void SessionLink::value_changed(const LiveMixer::ValueChange& c) {
  emit changed(QString::fromStdString(c.node_id), static_cast<int>(c.control), c.value);
}

QString SessionLink::start_surface(McuHostOptions options) {
  stop_surface();
  if (!session_) return QStringLiteral("connect to a DAW first: the surface follows its mixer");
  try {
    session_->surfaces().add(std::move(options));
  } catch (const std::exception& e) {
    session_->surfaces().clear();
    return QString::fromStdString(e.what());
  }
  session_->analyze_now();  // the findings on the new surface's LCD
  return {};
}

void SessionLink::stop_surface() {
  if (session_) session_->surfaces().clear();
}

void SessionLink::disconnect_from() {
  poll_timer_.stop();
  status_timer_.stop();
  const bool was = session_ != nullptr;
  if (session_) session_->mixer().remove_listener(*this);
  session_.reset();
  findings_.clear();
  if (was) {
    emit structureChanged();
    emit findingsChanged();
    emit statusChanged(status_text());
  }
}

RouteGraph SessionLink::graph() const {
  return session_ ? session_->mixer().graph() : RouteGraph{};
}

// The mixer tells everyone but the writer: the views hear of a change made here from here.
bool SessionLink::set(const std::string& node_id, MixerControl control, double value) {
  if (!session_ || !session_->mixer().set(node_id, control, value, this)) return false;
  emit changed(QString::fromStdString(node_id), static_cast<int>(control), value);
  return true;
}

bool SessionLink::set_send(const std::string& node_id, const std::string& target_node_id,
                           double level_db) {
  if (!session_ || !session_->mixer().set_send(node_id, target_node_id, level_db, this))
    return false;
  emit changed(QString::fromStdString(node_id), static_cast<int>(MixerControl::send_level),
               level_db);
  return true;
}

void SessionLink::poll_once() {
  if (!session_) return;
  const auto before = session_->link().stats().messages;
  session_->poll(0ms);
  if (!session_) return;  // a listener disconnected meanwhile
  if (session_->link().stats().messages != before) last_message_ = std::chrono::steady_clock::now();
}

QString SessionLink::status_text() {
  if (!session_) return QStringLiteral("not connected");
  const DawLink& link = session_->link();
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - last_status_).count();
  if (seconds >= 0.25) {
    message_rate_ = static_cast<double>(link.stats().messages - messages_at_last_status_) / seconds;
    messages_at_last_status_ = link.stats().messages;
    last_status_ = now;
  }
  const QString peer = settings_.peer == Peer::simulator ? QStringLiteral("built-in simulator")
                       : settings_.peer == Peer::ardour
                           ? QStringLiteral("Ardour %1:%2").arg(settings_.host).arg(settings_.port)
                           : QStringLiteral("REAPER %1:%2").arg(settings_.host).arg(settings_.port);
  return QStringLiteral("%1 · %2 · %3 strips · %4 msg/s · last message %5 s ago")
      .arg(peer, QString::fromStdString(std::string(to_string(link.state()))))
      .arg(session_->mixer().strips().size())
      .arg(message_rate_, 0, 'f', 0)
      .arg(std::chrono::duration<double>(now - last_message_).count(), 0, 'f', 1);
}

}  // namespace routewise::gui
