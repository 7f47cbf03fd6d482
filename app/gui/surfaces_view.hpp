#pragma once
// Surfaces: the MIDI ports found, a Mackie Control and its extenders assigned by port name and
// run from the window's own mirror (with a live preview of what each unit was sent: scribble
// strips, LEDs, faders, meters), and MIDI learn for a generic controller (move a control, choose
// the strip and parameter, save the mapping to the database).

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QWidget>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "routewise/store/store.hpp"
#include "routewise/surfaces/midi_mapping.hpp"
#include "routewise/surfaces/midi_port.hpp"
#include "routewise/surfaces/surface_sim.hpp"
#include "session_link.hpp"
#include "surface_preview.hpp"

namespace routewise::gui {

class SurfacesView : public QWidget {
  Q_OBJECT

 public:
  explicit SurfacesView(SessionLink& link, QWidget* parent = nullptr);
  ~SurfacesView() override;

  // The database the learned mappings go to; an error naming the file, or empty.
  QString open_store(const std::filesystem::path& path);
  void refresh_ports();

  // Runs a Mackie Control on the ports matching the patterns (the main unit's, then each
  // extender's); an error (also shown) or empty.
  QString start_surface(const QStringList& unit_patterns);
  void stop_surface();
  bool surface_running();

  // Listens on the controller port matching `pattern` until a control is recognised.
  QString start_learn(const QString& pattern);
  void stop_learn();
  std::optional<MidiControl> learned() const { return learned_; }
  // Saves the learned control for a strip's parameter in `profile`; an error or empty.
  QString save_mapping(const QString& strip, const QString& parameter, const QString& argument,
                       const QString& profile);

  const mcu::SurfaceSim* preview_state() const { return preview_state_.get(); }
  SurfacePreview& preview() { return *preview_; }
  const QListWidget& sources() const { return *sources_; }
  const QPlainTextEdit& events() const { return *events_; }
  QTableWidget& mappings() { return *mappings_; }

 signals:
  void controlLearned(const QString& control);

 private:
  MidiApi api() const;
  void say(const QString& text);
  void poll_learn();
  void reload_mappings();
  void refresh_strips();
  void surface_gone();  // the preview and buttons back to "not running"

  SessionLink& link_;
  std::unique_ptr<Store> store_;
  QComboBox* api_;
  QListWidget *sources_, *sinks_;
  QLineEdit *main_unit_, *extenders_;
  QPushButton *start_, *stop_;
  SurfacePreview* preview_;
  QPlainTextEdit* events_;
  QLineEdit *learn_port_, *argument_, *profile_;
  QPushButton *learn_, *save_;
  QLabel* learned_label_;
  QComboBox *strip_, *parameter_;
  QTableWidget* mappings_;
  QTimer repaint_timer_, learn_timer_;
  std::unique_ptr<mcu::SurfaceSim> preview_state_;
  std::unique_ptr<MidiDuplex> learn_port_handle_;
  std::unique_ptr<MidiLearn> learner_;
  std::optional<MidiControl> learned_;
  std::chrono::steady_clock::time_point next_port_check_{};
};

}  // namespace routewise::gui
