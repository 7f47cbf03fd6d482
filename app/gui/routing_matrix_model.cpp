#include "routing_matrix_model.hpp"

#include <QFont>
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
  const RouteGraph live = link_.graph();
  graph_ = live;
  // Edits stay over the live graph; one the DAW has made moot (a node gone, the output made
  // there too) is dropped and said so.
  QStringList dropped;
  std::erase_if(edits_, [&](const RouteEdit& e) {
    const std::string text = describe_edit(graph_, e);
    if (const auto why = apply_edit(graph_, e)) {
      dropped << QString::fromStdString(text + " (" + *why + ")");
      return true;
    }
    return false;
  });
  sources_.clear();
  destinations_.clear();
  // A row or column stays while the live graph or the edited one has a connection there, so an
  // output disconnected here can be connected again.
  auto any = [&](auto&& connected) {
    return std::any_of(graph_.edges.begin(), graph_.edges.end(), connected) ||
           std::any_of(live.edges.begin(), live.edges.end(), connected);
  };
  for (const Node& n : graph_.nodes) {
    const bool feeds = any([&](const Edge& e) { return e.from == n.id; });
    const bool fed = any([&](const Edge& e) { return e.to == n.id; });
    if (feeds) sources_.push_back(n.id);
    if (fed || is_destination(n.kind)) destinations_.push_back(n.id);
  }
  endResetModel();
  if (!dropped.isEmpty()) emit editsChanged(dropped.join(QStringLiteral("; ")));
}

bool RoutingMatrixModel::edit(const RouteEdit& e) {
  RouteGraph trial = graph_;
  if (apply_edit(trial, e)) return false;
  edits_.push_back(e);
  rebuild();
  emit editsChanged({});
  return true;
}

void RoutingMatrixModel::discard_edits() {
  edits_.clear();
  rebuild();
  emit editsChanged({});
}

QStringList RoutingMatrixModel::edit_descriptions() const {
  QStringList out;
  for (const RouteEdit& e : edits_) out << QString::fromStdString(describe_edit(graph_, e));
  return out;
}

bool RoutingMatrixModel::edited(int row, int column) const {
  if (row < 0 || column < 0 || row >= rowCount() || column >= columnCount()) return false;
  const std::string& from = sources_[static_cast<std::size_t>(row)];
  const std::string& to = destinations_[static_cast<std::size_t>(column)];
  return std::any_of(edits_.begin(), edits_.end(),
                     [&](const RouteEdit& e) { return e.from == from && e.to == to; });
}

QStringList RoutingMatrixModel::plugins(int column) const {
  QStringList names;
  if (column < 0 || column >= columnCount()) return names;
  const std::string& id = destinations_[static_cast<std::size_t>(column)];
  for (const Node& n : graph_.nodes)
    if (n.id == id)
      for (const Plugin& p : n.plugins) names << QString::fromStdString(p.name);
  return names;
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
  auto has = [&](EdgeKind kind) -> const Edge* {
    const auto found =
        std::find_if(all.begin(), all.end(), [&](const Edge* e) { return e->kind == kind; });
    return found == all.end() ? nullptr : *found;
  };
  if (role == Qt::CheckStateRole) return has(EdgeKind::direct_output) ? Qt::Checked : Qt::Unchecked;
  if (role == key_role) {
    const Edge* key = has(EdgeKind::sidechain);
    return key ? QString::fromStdString(key->plugin) : QString();
  }
  const bool mine = edited(index.row(), index.column());
  if (role == Qt::FontRole && mine) {
    QFont italic;
    italic.setItalic(true);
    return italic;
  }
  if (all.empty() && !(mine && role == Qt::ToolTipRole)) return {};
  const Edge* send = edge(index.row(), index.column());
  if (role == Qt::EditRole)
    return send && send->kind == EdgeKind::send ? QVariant(send->level_db) : QVariant();
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
  if (role == Qt::ToolTipRole && mine)
    parts << tr("(edited here: not in the DAW; Save edits stores it in History)");
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
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  if (!index.isValid() || sources_[static_cast<std::size_t>(index.row())] ==
                              destinations_[static_cast<std::size_t>(index.column())])
    return f;
  const Edge* e = edge(index.row(), index.column());
  f |= Qt::ItemIsUserCheckable;  // the output, edited in the route map
  return e && e->kind == EdgeKind::send ? f | Qt::ItemIsEditable : f;
}

bool RoutingMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
    return false;
  const std::string& from = sources_[static_cast<std::size_t>(index.row())];
  const std::string& to = destinations_[static_cast<std::size_t>(index.column())];
  if (role == Qt::CheckStateRole) {
    const bool on = value.toInt() == Qt::Checked;
    return edit(
        {on ? RouteEditKind::connect_output : RouteEditKind::disconnect_output, from, to, {}});
  }
  if (role == key_role) {
    const std::string plugin = value.toString().toStdString();
    return edit(
        {plugin.empty() ? RouteEditKind::remove_key : RouteEditKind::set_key, from, to, plugin});
  }
  if (role != Qt::EditRole) return false;
  const Edge* e = edge(index.row(), index.column());
  bool ok = false;
  const double level_db = value.toString().remove(QStringLiteral("dB")).trimmed().toDouble(&ok);
  if (!e || e->kind != EdgeKind::send || !ok) return false;
  return link_.set_send(e->from, e->to, std::clamp(level_db, -144.0, 12.0));
}

}  // namespace routewise::gui
