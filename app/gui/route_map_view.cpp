#include "route_map_view.hpp"

#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSvgItem>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QWheelEvent>

#include "routewise/analysis/route_map_render.hpp"

namespace routewise::gui {

RouteMapView::RouteMapView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setDragMode(QGraphicsView::ScrollHandDrag);
  setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setBackgroundBrush(Qt::white);  // Graphviz draws black on white, whatever the theme
}

RouteMapView::~RouteMapView() = default;

QString RouteMapView::show_graph(const RouteGraph& graph, const std::vector<Finding>& findings) {
  dot_ = QString::fromStdString(route_map_dot(graph, findings));
  const Rendered rendered = render_dot(dot_.toStdString(), "svg");
  if (!rendered.data) return QString::fromStdString(rendered.error);
  svg_ = QString::fromStdString(*rendered.data);
  scene()->clear();
  item_ = nullptr;
  renderer_ = std::make_unique<QSvgRenderer>(svg_.toUtf8());
  if (!renderer_->isValid()) return QStringLiteral("the route map's SVG could not be read");
  item_ = new QGraphicsSvgItem;
  item_->setSharedRenderer(renderer_.get());
  scene()->addItem(item_);
  scene()->setSceneRect(item_->boundingRect());
  fit_first_time();
  // Graphviz names each node's group "nodeN" and puts the DOT name (our node id) in its title.
  node_elements_.clear();
  static const QRegularExpression node_group(
      QStringLiteral(R"re(<g id="(node\d+)" class="node">\s*<title>([^<]*)</title>)re"));
  for (auto it = node_group.globalMatch(svg_); it.hasNext();) {
    const auto m = it.next();
    QString id = m.captured(2);
    id.replace(QStringLiteral("&amp;"), QStringLiteral("&"))
        .replace(QStringLiteral("&lt;"), QStringLiteral("<"))
        .replace(QStringLiteral("&gt;"), QStringLiteral(">"))
        .replace(QStringLiteral("&quot;"), QStringLiteral("\""))
        .replace(QStringLiteral("&#45;"), QStringLiteral("-"));
    node_elements_[id] = m.captured(1);
  }
  if (!selected_.isEmpty() && !node_elements_.contains(selected_)) selected_.clear();
  viewport()->update();
  return {};
}

namespace {

// An SVG element's box in the item's coordinates (the viewBox scaled to the item's size).
QRectF element_box(const QSvgRenderer& r, const QGraphicsSvgItem& item, const QString& element) {
  const QRectF doc = r.transformForElement(element).mapRect(r.boundsOnElement(element));
  const QRectF box = r.viewBoxF();
  const QRectF bounds = item.boundingRect();
  if (box.width() <= 0 || box.height() <= 0) return doc;
  const double sx = bounds.width() / box.width(), sy = bounds.height() / box.height();
  return {(doc.x() - box.x()) * sx, (doc.y() - box.y()) * sy, doc.width() * sx, doc.height() * sy};
}

}  // namespace

QRectF RouteMapView::node_box(const QString& node_id) const {
  const auto it = node_elements_.find(node_id);
  if (it == node_elements_.end() || !renderer_ || !item_) return {};
  return item_->mapRectToScene(element_box(*renderer_, *item_, it->second));
}

QString RouteMapView::node_at(const QPointF& scene_point) const {
  if (!renderer_ || !item_) return {};
  for (const auto& [id, element] : node_elements_)
    if (element_box(*renderer_, *item_, element).contains(item_->mapFromScene(scene_point)))
      return id;
  return {};
}

void RouteMapView::select_node(const QString& node_id) {
  selected_ = node_elements_.contains(node_id) ? node_id : QString();
  if (!selected_.isEmpty() && item_)
    ensureVisible(
        item_->mapRectToScene(element_box(*renderer_, *item_, node_elements_.at(selected_))));
  viewport()->update();
}

void RouteMapView::drawForeground(QPainter* painter, const QRectF&) {
  if (selected_.isEmpty() || !item_ || !renderer_) return;
  const QRectF box = item_->mapRectToScene(
      element_box(*renderer_, *item_, node_elements_.at(selected_)).adjusted(-4, -4, 4, 4));
  painter->setPen(QPen(QColor(30, 120, 230), 3));
  painter->drawRoundedRect(box, 4, 4);
}

// The whole session the first time the view has a real size (never magnified); zoom and scroll
// are the user's after that.
void RouteMapView::fit_first_time() {
  if (fitted_ || !item_ || !isVisible() || viewport()->width() < 200) return;
  fitInView(item_, Qt::KeepAspectRatio);
  if (transform().m11() > 1) resetTransform();
  fitted_ = true;
}

void RouteMapView::showEvent(QShowEvent* event) {
  QGraphicsView::showEvent(event);
  fit_first_time();
}

void RouteMapView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  fit_first_time();
}

void RouteMapView::wheelEvent(QWheelEvent* event) {
  const double factor = event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
  scale(factor, factor);
}

void RouteMapView::mousePressEvent(QMouseEvent* event) {
  const QString node = node_at(mapToScene(event->position().toPoint()));
  if (!node.isEmpty()) {
    select_node(node);
    emit nodeClicked(node);
  }
  QGraphicsView::mousePressEvent(event);
}

QString RouteMapView::export_to(const QString& path) const {
  const bool png = path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive);
  const Rendered rendered = render_dot(dot_.toStdString(), png ? "png" : "svg");
  if (!rendered.data) return QString::fromStdString(rendered.error);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(rendered.data->data(), static_cast<qint64>(rendered.data->size())) !=
          static_cast<qint64>(rendered.data->size()))
    return QStringLiteral("%1: %2").arg(path, file.errorString());
  return {};
}

}  // namespace routewise::gui
