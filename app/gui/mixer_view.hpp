#pragma once
// The mixer: one strip per track and bus with name, meter (peak, peak hold, clip), fader under
// Ardour's fader law (drag, wheel, or type a value), mute, solo and pan. Moves go to the DAW
// through the mirror; while the hand is on a fader the DAW's values wait, as on a motor fader.

#include <QDial>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QTimer>
#include <chrono>
#include <vector>

#include "mixer_model.hpp"

namespace routewise::gui {

class MeterWidget : public QWidget {
  Q_OBJECT

 public:
  explicit MeterWidget(QWidget* parent = nullptr);
  void set_level(std::optional<double> peak_dbfs);
  double hold_dbfs() const { return hold_dbfs_; }
  bool clipped() const { return clipped_; }
  QSize sizeHint() const override { return {14, 160}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;  // a click clears the clip indicator

 private:
  double level_dbfs_ = -200, hold_dbfs_ = -200;
  bool clipped_ = false;
  std::chrono::steady_clock::time_point hold_since_{};
};

class StripWidget : public QWidget {
  Q_OBJECT

 public:
  StripWidget(MixerModel& model, int row, QWidget* parent = nullptr);
  void update_from_model();  // everything but the meter
  void update_meter();
  QSlider* fader() const { return fader_; }
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
  QSlider* fader_;
  QLineEdit* gain_;
  QPushButton *mute_, *solo_;
  QDial* pan_;
};

class MixerView : public QScrollArea {
  Q_OBJECT

 public:
  explicit MixerView(MixerModel& model, QWidget* parent = nullptr);
  const std::vector<StripWidget*>& strips() const { return strips_; }

 private:
  void rebuild();

  MixerModel& model_;
  std::vector<StripWidget*> strips_;
  QTimer meter_timer_;  // 30 frames a second
};

}  // namespace routewise::gui
