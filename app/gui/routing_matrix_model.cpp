#include "routing_matrix_model.hpp"

#include <algorithm>
#include <cmath>

namespace routewise::gui {

namespace {

bool is_destination(NodeKind kind) {
  return kind != NodeKind::track;  // buses, returns, master, outputs, inserts, cue mixes
}

}  // namespace

RoutingMatrixModel::RoutingMatrixModel(SessionLink& link, QObject* parent)
    : QAbstractTableModel(parent), link_(link) {
  connect(&link_, &SessionLink::structureChanged, this, &RoutingMatrixModel::rebuild);
  connect(&link_, &SessionLink::changed, this, [this](const QString&, int control, double) {
    // Only send levels change what a cell shows (a reset would close an editor for nothing).
    if (static_cast<MixerControl>(control) == MixerControl::send_level) rebuild();
  });
  rebuild();
}

void RoutingMatrixModel::rebuild() {
  beginResetModel();
  graph_ = link_.graph();
  sources_.clear();
  destinations_.clear();
  for (const Node& n : graph_.nodes) {
    const bool feeds = std::any_of(graph_.edges.begin(), graph_.edges.end(),
                                   [&](const Edge& e) { return e.from == n.id; });
    const bool fed = std::any_of(graph_.edges.begin(), graph_.edges.end(),
                                 [&](const Edge& e) { return e.to == n.id; });
    if (feeds) sources_.push_back(n.id);
    if (fed || is_destination(n.kind)) destinations_.push_back(n.id);
  }
  endResetModel();
}

int RoutingMatrixModel::row_of(const std::string& node_id) const {
  const auto it = std::find(sources_.begin(), sources_.end(), node_id);
  return it == sources_.end() ? -1 : static_cast<int>(it - sources_.begin());
}

int RoutingMatrixModel::column_of(const std::string& node_id) const {
  const auto it = std::find(destinations_.begin(), destinations_.end(), node_id);
  return it == destinations_.end() ? -1 : static_cast<int>(it - destinations_.begin());
}

std::vector<const Edge*> RoutingMatrixModel::edges(int row, int column) const {
  std::vector<const Edge*> found;
  if (row < 0 || column < 0 || row >= rowCount() || column >= columnCount()) return found;
  const std::string& from = sources_[static_cast<std::size_t>(row)];
  const std::string& to = destinations_[static_cast<std::size_t>(column)];
  for (const Edge& e : graph_.edges)
    if (e.from == from && e.to == to) found.push_back(&e);
  return found;
}

const Edge* RoutingMatrixModel::edge(int row, int column) const {
  const auto all = edges(row, column);
  const auto send =
      std::find_if(all.begin(), all.end(), [](const Edge* e) { return e->kind == EdgeKind::send; });
  return send != all.end() ? *send : all.empty() ? nullptr : all.front();
}

int RoutingMatrixModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(sources_.size());
}

int RoutingMatrixModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(destinations_.size());
}

QVariant RoutingMatrixModel::data(const QModelIndex& index, int role) const {
  const auto all = edges(index.row(), index.column());
  if (all.empty()) return {};
  const Edge* send = edge(index.row(), index.column());
  if (role == Qt::EditRole)
    return send->kind == EdgeKind::send ? QVariant(send->level_db) : QVariant();
  if (role == Qt::TextAlignmentRole) return int(Qt::AlignCenter);
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  QStringList parts;
  for (const Edge* e : all) {
    switch (e->kind) {
      case EdgeKind::direct_output:
        parts << (e->primary ? tr("out") : tr("out (extra)"));
        break;
      case EdgeKind::send:
        parts << QStringLiteral("%1 dB %2")
                     .arg(std::isfinite(e->level_db) ? QString::number(e->level_db, 'f', 1)
                                                     : QStringLiteral("-inf"))
                     .arg(QString::fromStdString(std::string(to_string(e->tap))));
        break;
      case EdgeKind::sidechain:
        parts << tr("key: %1").arg(QString::fromStdString(e->plugin));
        break;
      case EdgeKind::hardware_insert:
        parts << (e->latency_samples ? tr("insert %1 smp").arg(*e->latency_samples, 0, 'f', 1)
                                     : tr("insert"));
        break;
    }
  }
  return parts.join(role == Qt::ToolTipRole ? QStringLiteral("\n") : QStringLiteral(", "));
}

QVariant RoutingMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  const auto& ids = orientation == Qt::Vertical ? sources_ : destinations_;
  if (section < 0 || section >= static_cast<int>(ids.size())) return {};
  const std::string& id = ids[static_cast<std::size_t>(section)];
  const auto node = std::find_if(graph_.nodes.begin(), graph_.nodes.end(),
                                 [&](const Node& n) { return n.id == id; });
  return QString::fromStdString(node == graph_.nodes.end() ? id : node->name);
}

Qt::ItemFlags RoutingMatrixModel::flags(const QModelIndex& index) const {
  const Edge* e = edge(index.row(), index.column());
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  return e && e->kind == EdgeKind::send ? f | Qt::ItemIsEditable : f;
}

bool RoutingMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::EditRole) return false;
  const Edge* e = edge(index.row(), index.column());
  bool ok = false;
  const double level_db = value.toString().remove(QStringLiteral("dB")).trimmed().toDouble(&ok);
  if (!e || e->kind != EdgeKind::send || !ok) return false;
  return link_.set_send(e->from, e->to, std::clamp(level_db, -144.0, 12.0));
}

}  // namespace routewise::gui
