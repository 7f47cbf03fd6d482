#pragma once
// The findings of the live session as a table: severity, rule, nodes, message, fix. It follows the
// session link: the rules run again shortly after the mixer changes.

#include <QAbstractTableModel>

#include "session_link.hpp"

namespace routewise::gui {

class FindingsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { severity, rule, nodes, message, fix, column_count };
  static constexpr int node_ids_role = Qt::UserRole + 1;  // QStringList of the nodes involved
  static constexpr int sort_role = Qt::UserRole + 2;      // errors before warnings before info

  explicit FindingsModel(SessionLink& link, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  SessionLink& link_;
  std::vector<Finding> findings_;
  RouteGraph graph_;  // for node names
};

}  // namespace routewise::gui
