#pragma once
// A picture of what the control surface shows: for each unit its scribble strips (both LCD rows),
// REC/SOLO/MUTE/SELECT LEDs, motor fader positions, meters and overload lights, and the main
// unit's timecode and assignment displays. It draws a software MCU fed with the very bytes sent
// to the hardware, so the preview is what the units were told, not what we meant to tell them.

#include <QWidget>

#include "routewise/surfaces/surface_sim.hpp"

namespace routewise::gui {

class SurfacePreview : public QWidget {
  Q_OBJECT

 public:
  explicit SurfacePreview(QWidget* parent = nullptr);
  // The units to draw (nullptr: none); not owned.
  void show_units(const mcu::SurfaceSim* units);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void paint_unit(QPainter& p, const mcu::SimUnit& unit, int index, QRect area);
  const mcu::SurfaceSim* units_ = nullptr;
};

}  // namespace routewise::gui
