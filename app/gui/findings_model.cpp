#include "findings_model.hpp"

#include <QApplication>
#include <QStyle>

namespace routewise::gui {

FindingsModel::FindingsModel(SessionLink& link, QObject* parent)
    : QAbstractTableModel(parent), link_(link) {
  connect(&link_, &SessionLink::findingsChanged, this, [this] {
    beginResetModel();
    findings_ = link_.findings();
    graph_ = link_.graph();
    endResetModel();
  });
}

int FindingsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(findings_.size());
}

int FindingsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : column_count;
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const {
  if (index.row() < 0 || index.row() >= rowCount()) return {};
  const Finding& f = findings_[static_cast<std::size_t>(index.row())];
  if (role == node_ids_role) {
    QStringList ids;
    for (const std::string& n : f.nodes) ids << QString::fromStdString(n);
    return ids;
  }
  if (role == Qt::DecorationRole && index.column() == severity) {
    const auto icon = f.severity == Severity::error     ? QStyle::SP_MessageBoxCritical
                      : f.severity == Severity::warning ? QStyle::SP_MessageBoxWarning
                                                        : QStyle::SP_MessageBoxInformation;
    return QApplication::style()->standardIcon(icon);
  }
  // Sorting: errors first by severity, text elsewhere.
  if (role == sort_role && index.column() == severity) return -static_cast<int>(f.severity);
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != sort_role) return {};
  switch (index.column()) {
    case severity:
      return QString::fromStdString(std::string(to_string(f.severity)));
    case rule:
      return QString::fromStdString(f.rule_id);
    case nodes: {
      QStringList names;
      for (const std::string& id : f.nodes) {
        const auto it = std::find_if(graph_.nodes.begin(), graph_.nodes.end(),
                                     [&](const Node& n) { return n.id == id; });
        names << QString::fromStdString(it == graph_.nodes.end() ? id : it->name);
      }
      return names.join(QStringLiteral(" → "));
    }
    case message:
      return QString::fromStdString(f.message);
    case fix:
      return QString::fromStdString(f.fix);
    default:
      return {};
  }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return {};
  static const char* const names[] = {"Severity", "Rule", "Nodes", "Finding", "Fix"};
  return section >= 0 && section < column_count ? tr(names[section]) : QVariant();
}

}  // namespace routewise::gui
