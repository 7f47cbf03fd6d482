#pragma once
// The trend of one insert's stored round trips: latency in samples over the measurements in the
// order they were taken, with the range and the spread written beside it. Drawn with QPainter
// (Qt Charts would be one more package for one plot).

#include <QWidget>
#include <vector>

#include "routewise/store/store.hpp"

namespace routewise::gui {

class LatencyPlot : public QWidget {
  Q_OBJECT

 public:
  explicit LatencyPlot(QWidget* parent = nullptr);

  // `newest_first` as the store lists them; all of one target.
  void set_measurements(const QString& target, std::vector<LatencyMeasurement> newest_first);
  std::size_t point_count() const { return oldest_first_.size(); }
  QSize sizeHint() const override { return {480, 220}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QString target_;
  std::vector<LatencyMeasurement> oldest_first_;
};

}  // namespace routewise::gui
