#include "surface_preview.hpp"

#include <QFontDatabase>
#include <QPainter>

namespace routewise::gui {

namespace {

constexpr int unit_height = 230;

QColor led_colour(mcu::Led state, QColor on) {
  if (state == mcu::Led::on) return on;
  if (state == mcu::Led::flash) return on.darker(160);
  return QColor(60, 60, 60);
}

}  // namespace

SurfacePreview::SurfacePreview(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void SurfacePreview::show_units(const mcu::SurfaceSim* units) {
  units_ = units;
  updateGeometry();
  update();
}

QSize SurfacePreview::sizeHint() const {
  const int n = units_ ? static_cast<int>(units_->units()) : 1;
  return {8 * 70, n * (unit_height + 8)};
}

void SurfacePreview::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(30, 30, 32));
  if (!units_ || units_->units() == 0) {
    p.setPen(Qt::lightGray);
    p.drawText(rect(), Qt::AlignCenter, tr("No surface running."));
    return;
  }
  for (std::size_t u = 0; u < units_->units(); ++u) {
    const QRect area(4, 4 + static_cast<int>(u) * (unit_height + 8), width() - 8, unit_height);
    paint_unit(p, units_->unit(static_cast<int>(u)), static_cast<int>(u), area);
  }
}

void SurfacePreview::paint_unit(QPainter& p, const mcu::SimUnit& unit, int index, QRect area) {
  p.setPen(QColor(90, 90, 95));
  p.setBrush(QColor(45, 45, 48));
  p.drawRoundedRect(area, 6, 6);
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  mono.setPointSizeF(8.5);
  p.setFont(mono);
  p.setPen(Qt::lightGray);
  const QString title =
      index == 0 ? tr("Unit %1 (main)").arg(index + 1) : tr("Unit %1 (extender)").arg(index + 1);
  const QString state = unit.online ? tr("online") : tr("waiting for the handshake");
  QString heading = title + QStringLiteral(" — ") + state;
  if (index == 0)
    heading += tr("   timecode %1   assignment %2")
                   .arg(QString::fromStdString(unit.timecode_text()),
                        QString::fromStdString(unit.assignment_text()));
  p.drawText(area.adjusted(8, 4, -8, 0), Qt::AlignLeft | Qt::AlignTop, heading);

  const int strip_w = (area.width() - 16) / mcu::strips_per_unit;
  const int lcd_top = area.top() + 24;
  const int line_h = p.fontMetrics().height();
  for (int s = 0; s < mcu::strips_per_unit; ++s) {
    const int x = area.left() + 8 + s * strip_w;
    // Scribble strip: two rows of the strip's LCD cell.
    const QRect lcd(x + 2, lcd_top, strip_w - 4, 2 * line_h + 6);
    p.fillRect(lcd, QColor(20, 60, 70));
    p.setPen(QColor(170, 240, 250));
    for (int row = 0; row < 2; ++row)
      p.drawText(lcd.adjusted(3, 3 + row * line_h, -2, 0), Qt::AlignLeft | Qt::AlignTop,
                 QString::fromStdString(unit.cell(row, s)));
    // LEDs: REC, SOLO, MUTE, SELECT.
    const struct {
      std::uint8_t note;
      QColor on;
      const char* label;
    } leds[] = {{mcu::note::rec, QColor(230, 40, 40), "R"},
                {mcu::note::solo, QColor(240, 200, 30), "S"},
                {mcu::note::mute, QColor(240, 120, 20), "M"},
                {mcu::note::select, QColor(60, 200, 90), "•"}};
    int led_y = lcd.bottom() + 8;
    for (const auto& led : leds) {
      const auto found = unit.leds.find(static_cast<std::uint8_t>(led.note + s));
      const mcu::Led state = found == unit.leds.end() ? mcu::Led::off : found->second;
      const QRect r(x + 4, led_y, 18, 14);
      p.setPen(Qt::NoPen);
      p.setBrush(led_colour(state, led.on));
      p.drawRoundedRect(r, 3, 3);
      p.setPen(Qt::black);
      p.drawText(r, Qt::AlignCenter, QString::fromUtf8(led.label));
      led_y += 18;
    }
    // Motor fader and meter side by side.
    const int track_top = lcd.bottom() + 8, track_bottom = area.bottom() - 8;
    const QRect track(x + 30, track_top, 6, track_bottom - track_top);
    p.fillRect(track, QColor(15, 15, 15));
    const double pos =
        static_cast<double>(unit.fader[static_cast<std::size_t>(s)]) / mcu::fader_max;
    const int cap_y = track.bottom() - static_cast<int>(pos * track.height());
    p.fillRect(QRect(track.left() - 7, cap_y - 4, 20, 8), unit.touched[static_cast<std::size_t>(s)]
                                                              ? QColor(250, 250, 250)
                                                              : QColor(180, 180, 185));
    const QRect meter(x + 46, track_top, 6, track.height());
    p.fillRect(meter, QColor(15, 15, 15));
    const int level = unit.meter[static_cast<std::size_t>(s)];
    const int lit = meter.height() * level / 12;
    p.fillRect(QRect(meter.left(), meter.bottom() - lit, meter.width(), lit),
               level >= 11 ? QColor(230, 60, 40) : QColor(60, 200, 90));
    if (unit.overload[static_cast<std::size_t>(s)])
      p.fillRect(QRect(meter.left() - 1, meter.top() - 6, meter.width() + 2, 4), Qt::red);
  }
}

}  // namespace routewise::gui
