#pragma once
// The routing matrix (as REAPER draws one): sources down, destinations across; a cell shows how
// the source reaches the destination: its output ("out"), a send with level and tap point
// ("-8.0 dB pre-fader"), a sidechain key ("key: Comp") or a hardware insert ("insert"). A send's
// level is edited in its cell and goes to the DAW where the dialect can set it.

#include <QAbstractTableModel>
#include <string>
#include <vector>

#include "session_link.hpp"

namespace routewise::gui {

class RoutingMatrixModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit RoutingMatrixModel(SessionLink& link, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

  int row_of(const std::string& node_id) const;
  int column_of(const std::string& node_id) const;
  void rebuild();  // from the live graph (on structure changes and send-level updates)

 private:
  const Edge* edge(int row, int column) const;  // a send first, else any edge
  std::vector<const Edge*> edges(int row, int column) const;

  SessionLink& link_;
  RouteGraph graph_;
  std::vector<std::string> sources_, destinations_;  // node ids
};

}  // namespace routewise::gui
