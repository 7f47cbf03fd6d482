#pragma once
// The mixer: one strip per track and bus with name, meter (peak, peak hold, clip; RMS and the
// master's true peak with engine meters), fader under Ardour's fader law (drag, wheel, or type a
// value), mute, solo and pan. Moves go to the DAW through the mirror; while the hand is on a
// fader the DAW's values wait, as on a motor fader.

#include <QDial>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QTimer>
#include <chrono>
#include <memory>
#include <vector>

#include "mixer_model.hpp"
#include "routewise/audio/live_render.hpp"

namespace routewise::gui {

class MeterWidget : public QWidget {
  Q_OBJECT

 public:
  explicit MeterWidget(QWidget* parent = nullptr);
  // RMS is drawn inside the peak bar when there is one (engine meters; a DAW's OSC sends peak).
  void set_level(std::optional<double> peak_dbfs, std::optional<double> rms_dbfs = std::nullopt);
  double hold_dbfs() const { return hold_dbfs_; }
  std::optional<double> rms_dbfs() const { return rms_dbfs_; }
  bool clipped() const { return clipped_; }
  QSize sizeHint() const override { return {14, 160}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;  // a click clears the clip indicator

 private:
  double level_dbfs_ = -200, hold_dbfs_ = -200;
  std::optional<double> rms_dbfs_;
  bool clipped_ = false;
  std::chrono::steady_clock::time_point hold_since_{};
};

class StripWidget : public QWidget {
  Q_OBJECT

 public:
  StripWidget(MixerModel& model, int row, QWidget* parent = nullptr);
  void update_from_model();                           // everything but the meter
  void update_meter();                                // the DAW's level
  void show_levels(const LiveMeterReading& reading);  // the engine's meters
  QSlider* fader() const { return fader_; }
  QLabel* true_peak_label() const { return true_peak_; }
  MeterWidget* meter() const { return meter_; }
  QPushButton* mute_button() const { return mute_; }
  QPushButton* solo_button() const { return solo_; }
  QString strip_name() const { return full_name_; }

 private:
  MixerModel& model_;
  int row_;
  QString full_name_;
  QLabel* name_;
  MeterWidget* meter_;
  QLabel* true_peak_;  // the master's, with engine meters
  QSlider* fader_;
  QLineEdit* gain_;
  QPushButton *mute_, *solo_;
  QDial* pan_;
};

class MixerView : public QScrollArea {
  Q_OBJECT

 public:
  MixerView(MixerModel& model, SessionLink& link, QWidget* parent = nullptr);
  const std::vector<StripWidget*>& strips() const { return strips_; }

  // Meters from Routewise's own engine playing the mirrored mix (pink noise on every track, the
  // DAW's faders, mutes, pans and sends): peak, RMS and the master's true peak, which the DAW's
  // OSC does not send. Off: the DAW's own level. An error (a feedback loop) or empty.
  QString set_engine_meters(bool on);
  bool engine_meters() const { return live_ != nullptr; }
  // What the engine plays: the tracks' audio files from this folder (looped; as `routewise
  // render --sources` finds them), or pink noise when empty. Restarts the engine meters when on.
  QString set_engine_meter_sources(const QString& folder);
  const QString& engine_meter_sources() const { return sources_; }
  // Tracks without a file, files that do not read: known once the meters are on.
  QStringList engine_meter_notes() const;
  double engine_seconds_played() const { return live_ ? live_->seconds_played() : 0.0; }
  // One meter frame (the timer's, 30 a second): every strip's meter set from its source.
  void update_meters();

 signals:
  void engineMetersFailed(const QString& why);

 private:
  void rebuild();
  void follow_mirror();  // the engine plays the mirror's graph as it is now

  MixerModel& model_;
  SessionLink& link_;
  std::vector<StripWidget*> strips_;
  QTimer meter_timer_;   // 30 frames a second
  QTimer follow_timer_;  // mirror changes reach the engine together, not one by one
  std::unique_ptr<LiveRender> live_;
  QString sources_;
};

}  // namespace routewise::gui
