#pragma once
// The GUI's one connection to a DAW: a LiveSession (the DAW link, the live mixer, the surfaces,
// the built-in simulator when that is the peer, the rules run over the live graph shortly after it
// changes), polled on the GUI thread by a timer (each poll returns at once), its mixer's news
// turned into Qt signals.

#include <QObject>
#include <QString>
#include <QTimer>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "routewise/analysis/finding.hpp"
#include "routewise/session/live_session.hpp"

namespace routewise::gui {

enum class Peer { simulator, ardour, reaper };

struct ConnectionSettings {
  Peer peer = Peer::simulator;
  QString host = QStringLiteral("127.0.0.1");
  quint16 port = 3819;  // the DAW's OSC port (ignored for the simulator, which picks a free one)
  // A route map or DAW session: the topology the mirror fills with live values (the simulator
  // serves it).
  QString session_file;
};

class SessionLink : public QObject, private LiveMixer::Listener {
  Q_OBJECT

 public:
  explicit SessionLink(QObject* parent = nullptr);
  ~SessionLink() override;

  // Loads the session file and starts talking to the peer. An error ("FILE: line N: ...") or empty.
  QString connect_to(const ConnectionSettings& settings);
  // The same with the session file read on a worker thread (a large one takes seconds): the
  // window stays live and the present connection stays up meanwhile; the outcome comes as
  // connectFinished. cancel_connect() drops a read under way: its result is thrown away.
  void connect_in_background(const ConnectionSettings& settings);
  void cancel_connect();
  bool connecting() const { return connecting_; }
  void disconnect_from();
  bool connected() const { return session_ != nullptr; }
  const ConnectionSettings& settings() const { return settings_; }

  // The live mixer and the link to the DAW; nothing while not connected.
  const LiveMixer* mixer() const { return session_ ? &session_->mixer() : nullptr; }
  const DawLink* daw() const { return session_ ? &session_->link() : nullptr; }
  DawSimulator* simulator() { return session_ ? session_->simulator() : nullptr; }
  const std::vector<Finding>& findings() const { return findings_; }
  RouteGraph graph() const;

  // A local change for the DAW, as a control surface would make it. False when not connected or
  // the node is not on the DAW's mixer.
  bool set(const std::string& node_id, MixerControl control, double value);
  bool set_send(const std::string& node_id, const std::string& target_node_id, double level_db);

  // A Mackie Control (and extenders) following this link's mirror, served by the same polling;
  // an error (no such API, not connected) or empty. Stopped by disconnect_from().
  QString start_surface(McuHostOptions options);
  void stop_surface();
  // The surfaces' host while a surface runs, else nothing.
  SurfaceHost* surface() {
    return session_ && session_->surfaces().size() > 0 ? &session_->surfaces() : nullptr;
  }

  // One round of polling (what the timer does every few milliseconds); for tests.
  void poll_once();
  // "live · 11 strips · 420 msg/s · last message 0.0 s ago" (the rate since the last call).
  QString status_text();

 signals:
  void structureChanged();  // strips added, removed, renamed or reordered
  void changed(const QString& node_id, int control, double value);
  void findingsChanged();
  void statusChanged(const QString& text);
  void connectFinished(const QString& error);  // empty: connected

 private:
  QString connect_with(const ConnectionSettings& settings, const RouteGraph& session);
  void value_changed(const LiveMixer::ValueChange& change) override;
  void structure_changed() override { emit structureChanged(); }
  void link_changed(LinkState /*state*/) override { emit structureChanged(); }

  ConnectionSettings settings_;
  std::unique_ptr<LiveSession> session_;
  std::vector<Finding> findings_;
  QTimer poll_timer_, status_timer_;
  std::thread reader_;
  std::uint64_t read_generation_ = 0;  // a result from an older read is stale
  bool connecting_ = false;
  std::uint64_t messages_at_last_status_ = 0;
  std::chrono::steady_clock::time_point last_status_{}, last_message_{};
  double message_rate_ = 0;
};

}  // namespace routewise::gui
