#pragma once
// The routing matrix (as REAPER draws one): sources down, destinations across; a cell shows how
// the source reaches the destination: its output ("out"), a send with level and tap point
// ("-8.0 dB pre-fader"), a sidechain key ("key: Comp") or a hardware insert ("insert"). A send's
// level is edited in its cell and goes to the DAW where the dialect can set it. Outputs (the
// cell's check box) and keys cannot be set over OSC: they are edits of the route map, kept over
// the live graph and stored as a snapshot when saved.

#include <QAbstractTableModel>
#include <string>
#include <vector>

#include "routewise/model/route_edit.hpp"
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

  // setData with this role and a plugin name sets the cell's key to that plugin of the
  // destination; an empty name removes it. data gives the key's plugin.
  static constexpr int key_role = Qt::UserRole + 1;

  int row_of(const std::string& node_id) const;
  int column_of(const std::string& node_id) const;
  void rebuild();  // from the live graph (on structure changes and send-level updates)

  // The plugins of a column's node: where a key can go.
  QStringList plugins(int column) const;
  // The live graph with this window's edits applied; the edits, as a user reads them.
  const RouteGraph& edited_graph() const { return graph_; }
  QStringList edit_descriptions() const;
  std::size_t edit_count() const { return edits_.size(); }
  void discard_edits();

 signals:
  // Edits added, discarded, or dropped because the DAW changed under them (`dropped` says which).
  void editsChanged(const QString& dropped);

 private:
  bool edit(const RouteEdit& e);
  bool edited(int row, int column) const;
  const Edge* edge(int row, int column) const;  // a send first, else any edge
  std::vector<const Edge*> edges(int row, int column) const;

  SessionLink& link_;
  RouteGraph graph_;                                 // live, with the edits applied
  std::vector<RouteEdit> edits_;                     // in the order they were made
  std::vector<std::string> sources_, destinations_;  // node ids
};

}  // namespace routewise::gui
