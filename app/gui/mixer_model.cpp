#include "mixer_model.hpp"

#include <algorithm>
#include <cmath>

namespace routewise::gui {

MixerModel::MixerModel(SessionLink& link, QObject* parent)
    : QAbstractTableModel(parent), link_(link) {
  connect(&link_, &SessionLink::structureChanged, this, &MixerModel::rebuild);
  connect(&link_, &SessionLink::changed, this, [this](const QString& node, int control, double) {
    const int row = row_of(node.toStdString());
    if (row < 0) return;
    int column = -1;
    switch (static_cast<MixerControl>(control)) {
      case MixerControl::gain_db:
        column = gain_db;
        break;
      case MixerControl::mute:
        column = mute;
        break;
      case MixerControl::solo:
        column = solo;
        break;
      case MixerControl::pan:
        column = pan;
        break;
      case MixerControl::name:
        column = name;
        break;
      default:
        return;
    }
    emit dataChanged(index(row, column), index(row, column));
  });
  rebuild();
}

void MixerModel::rebuild() {
  beginResetModel();
  ssids_.clear();
  node_ids_.clear();
  has_master_ = false;
  if (const LiveMixer* m = link_.mixer()) {
    for (const auto& [ssid, s] : m->strips()) {
      if (s.name.empty()) continue;
      ssids_.push_back(ssid);
      node_ids_.push_back(s.node_id);
    }
    const RouteGraph topology = link_.graph();
    has_master_ = std::any_of(topology.nodes.begin(), topology.nodes.end(),
                              [](const Node& n) { return n.kind == NodeKind::master; });
    if (has_master_) node_ids_.push_back(m->master_node_id());
  }
  endResetModel();
}

FaderLaw MixerModel::fader_law() const {
  return link_.daw() ? link_.daw()->dialect().fader_law : FaderLaw::ardour;
}

const LiveStrip* MixerModel::strip(int row) const {
  const LiveMixer* m = link_.mixer();
  if (!m || row < 0 || row >= static_cast<int>(ssids_.size())) return nullptr;
  const auto it = m->strips().find(ssids_[static_cast<std::size_t>(row)]);
  return it == m->strips().end() ? nullptr : &it->second;
}

int MixerModel::row_of(const std::string& node_id) const {
  for (std::size_t i = 0; i < node_ids_.size(); ++i)
    if (node_ids_[i] == node_id) return static_cast<int>(i);
  return -1;
}

int MixerModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(node_ids_.size());
}

int MixerModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : column_count;
}

QVariant MixerModel::data(const QModelIndex& index, int role) const {
  const bool as_text = role == Qt::DisplayRole;
  if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::CheckStateRole) return {};
  if (is_master(index.row())) return master_data(index.column(), role);
  const LiveStrip* s = strip(index.row());
  if (!s) return {};
  switch (index.column()) {
    case name:
      return role == Qt::CheckStateRole ? QVariant() : QString::fromStdString(s->name);
    case gain_db:
      if (role == Qt::CheckStateRole) return {};
      if (as_text)
        return std::isfinite(s->gain_db) ? QString::number(s->gain_db, 'f', 1) + " dB"
                                         : QStringLiteral("-inf dB");
      return s->gain_db;
    case mute:
      return role == Qt::CheckStateRole ? QVariant(s->mute ? Qt::Checked : Qt::Unchecked)
                                        : QVariant(s->mute);
    case solo:
      return role == Qt::CheckStateRole ? QVariant(s->solo ? Qt::Checked : Qt::Unchecked)
                                        : QVariant(s->solo);
    case pan:
      if (role == Qt::CheckStateRole) return {};
      return as_text ? QString::number(s->pan, 'f', 2) : QVariant(s->pan);
    case meter_db:
      if (role == Qt::CheckStateRole || !s->meter_db) return {};
      return as_text ? QString::number(*s->meter_db, 'f', 1) : QVariant(*s->meter_db);
    default:
      return {};
  }
}

QVariant MixerModel::master_data(int column, int role) const {
  const LiveMixer* m = link_.mixer();
  if (!m) return {};
  const bool as_text = role == Qt::DisplayRole;
  switch (column) {
    case name:
      return role == Qt::CheckStateRole ? QVariant() : tr("Master");
    case gain_db: {
      const auto db = m->master_gain_db();
      if (role == Qt::CheckStateRole || !db) return {};
      if (as_text)
        return std::isfinite(*db) ? QString::number(*db, 'f', 1) + " dB"
                                  : QStringLiteral("-inf dB");
      return *db;
    }
    case mute: {
      const bool on = m->master_mute().value_or(false);
      return role == Qt::CheckStateRole ? QVariant(on ? Qt::Checked : Qt::Unchecked) : QVariant(on);
    }
    case meter_db: {
      const auto db = m->master_meter_db();
      if (role == Qt::CheckStateRole || !db) return {};
      return as_text ? QString::number(*db, 'f', 1) : QVariant(*db);
    }
    default:
      return {};  // no solo or pan on the master
  }
}

QVariant MixerModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Vertical) return section + 1;
  static const char* const names[] = {"Strip", "Gain", "Mute", "Solo", "Pan", "Meter"};
  return section >= 0 && section < column_count ? tr(names[section]) : QVariant();
}

Qt::ItemFlags MixerModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  if (is_master(index.row()) && (index.column() == solo || index.column() == pan)) return f;
  switch (index.column()) {
    case gain_db:
    case pan:
      return f | Qt::ItemIsEditable;
    case mute:
    case solo:
      return f | Qt::ItemIsUserCheckable;
    default:
      return f;
  }
}

bool MixerModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!(flags(index) & (Qt::ItemIsEditable | Qt::ItemIsUserCheckable))) return false;
  const LiveStrip* s = strip(index.row());
  if (!s && !is_master(index.row())) return false;
  const std::string node = s ? s->node_id : node_ids_.back();
  bool number_ok = false;
  const double number = value.toDouble(&number_ok);
  switch (index.column()) {
    case gain_db:
      return number_ok && link_.set(node, MixerControl::gain_db, std::min(number, 12.0));
    case pan:
      return number_ok && link_.set(node, MixerControl::pan, std::clamp(number, -1.0, 1.0));
    case mute:
    case solo: {
      const bool on = role == Qt::CheckStateRole ? value.toInt() == Qt::Checked : value.toBool();
      return link_.set(node, index.column() == mute ? MixerControl::mute : MixerControl::solo,
                       on ? 1.0 : 0.0);
    }
    default:
      return false;
  }
}

void MixerModel::refresh_meters() {
  if (!node_ids_.empty())
    emit dataChanged(index(0, meter_db), index(rowCount() - 1, meter_db), {Qt::DisplayRole});
}

}  // namespace routewise::gui
