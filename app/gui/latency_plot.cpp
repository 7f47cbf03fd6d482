#include "latency_plot.hpp"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace routewise::gui {

LatencyPlot::LatencyPlot(QWidget* parent) : QWidget(parent) {
  setMinimumHeight(160);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void LatencyPlot::set_measurements(const QString& target,
                                   std::vector<LatencyMeasurement> newest_first) {
  target_ = target;
  oldest_first_.assign(newest_first.rbegin(), newest_first.rend());
  update();
}

void LatencyPlot::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette& pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Base));
  p.setPen(pal.color(QPalette::Text));
  const QFontMetrics fm = p.fontMetrics();
  if (oldest_first_.empty()) {
    p.drawText(rect(), Qt::AlignCenter,
               target_.isEmpty() ? tr("Select a measured insert to see its trend.")
                                 : tr("%1: no measurements").arg(target_));
    return;
  }
  auto [low_it, high_it] = std::minmax_element(
      oldest_first_.begin(), oldest_first_.end(),
      [](const auto& a, const auto& b) { return a.latency_samples < b.latency_samples; });
  const double low = low_it->latency_samples, high = high_it->latency_samples;
  // A flat trend still gets a visible band: at least ±0.05 samples around it.
  const double pad = std::max((high - low) * 0.15, 0.05);
  const double y0 = low - pad, y1 = high + pad;
  const QString top_label = QString::number(y1, 'f', 3), bottom_label = QString::number(y0, 'f', 3);
  const int left =
      std::max(fm.horizontalAdvance(top_label), fm.horizontalAdvance(bottom_label)) + 12;
  const QRect area = rect().adjusted(left, fm.height() * 2, -12, -fm.height() - 8);
  p.drawText(QRect(0, 4, width(), fm.height()), Qt::AlignHCenter,
             tr("%1 — %2 measurements, %3 to %4 samples (spread %5)")
                 .arg(target_)
                 .arg(oldest_first_.size())
                 .arg(low, 0, 'f', 3)
                 .arg(high, 0, 'f', 3)
                 .arg(high - low, 0, 'f', 3));
  p.drawText(QRect(0, area.top() - fm.height() / 2, left - 6, fm.height()),
             Qt::AlignRight | Qt::AlignVCenter, top_label);
  p.drawText(QRect(0, area.bottom() - fm.height() / 2, left - 6, fm.height()),
             Qt::AlignRight | Qt::AlignVCenter, bottom_label);
  p.drawText(QRect(area.left(), area.bottom() + 4, area.width(), fm.height()), Qt::AlignLeft,
             QString::fromStdString(oldest_first_.front().measured_at));
  p.drawText(QRect(area.left(), area.bottom() + 4, area.width(), fm.height()), Qt::AlignRight,
             QString::fromStdString(oldest_first_.back().measured_at));
  p.setPen(pal.color(QPalette::Mid));
  p.drawRect(area);

  const auto at = [&](std::size_t i) {
    const double x = oldest_first_.size() == 1
                         ? area.center().x()
                         : area.left() + area.width() * static_cast<double>(i) /
                                             static_cast<double>(oldest_first_.size() - 1);
    const double y =
        area.bottom() - area.height() * (oldest_first_[i].latency_samples - y0) / (y1 - y0);
    return QPointF(x, y);
  };
  QPainterPath line;
  line.moveTo(at(0));
  for (std::size_t i = 1; i < oldest_first_.size(); ++i) line.lineTo(at(i));
  p.setPen(QPen(pal.color(QPalette::Highlight), 1.5));
  p.drawPath(line);
  p.setBrush(pal.color(QPalette::Highlight));
  for (std::size_t i = 0; i < oldest_first_.size(); ++i) p.drawEllipse(at(i), 3.0, 3.0);
}

}  // namespace routewise::gui
