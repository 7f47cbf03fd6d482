#pragma once
// The session's route map as Graphviz lays it out (the same drawing as `routewise graph --svg`:
// stem clusters, edge styles per kind, nodes named in findings in red), in a view that zooms
// (wheel, +/-) and pans (drag). A click on a node selects it; export to SVG or PNG.

#include <QGraphicsView>
#include <QString>
#include <map>
#include <memory>
#include <vector>

#include "routewise/analysis/finding.hpp"
#include "routewise/model/route_graph.hpp"

class QGraphicsSvgItem;
class QSvgRenderer;

namespace routewise::gui {

class RouteMapView : public QGraphicsView {
  Q_OBJECT

 public:
  explicit RouteMapView(QWidget* parent = nullptr);
  ~RouteMapView() override;

  // Lays out and shows the graph; an error from Graphviz, or empty.
  QString show_graph(const RouteGraph& graph, const std::vector<Finding>& findings);
  const QString& svg() const { return svg_; }
  int node_count() const { return static_cast<int>(node_elements_.size()); }
  // The node under a point of the scene ("" when none), and selection by id.
  QString node_at(const QPointF& scene_point) const;
  QRectF node_box(const QString& node_id) const;  // in scene coordinates; empty when unknown
  void select_node(const QString& node_id);
  QString selected_node() const { return selected_; }
  QString export_to(const QString& path) const;  // .svg or .png; an error or empty

 signals:
  void nodeClicked(const QString& node_id);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void showEvent(QShowEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void fit_first_time();
  QString svg_, dot_;
  std::unique_ptr<QSvgRenderer> renderer_;
  QGraphicsSvgItem* item_ = nullptr;
  std::map<QString, QString> node_elements_;  // node id -> the SVG element drawing it
  QString selected_;
  bool fitted_ = false;
};

}  // namespace routewise::gui
