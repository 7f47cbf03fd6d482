#pragma once
// The routing matrix page: the grid (a send's level edited in its cell goes to the DAW; an
// output's check box and a key, from the cell's context menu, are edits of the route map) and
// a bar listing the edits not in the DAW, with Save (as a History snapshot) and Discard.

#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QWidget>

#include "routing_matrix_model.hpp"

namespace routewise::gui {

class MatrixView : public QWidget {
  Q_OBJECT

 public:
  explicit MatrixView(RoutingMatrixModel& model, QWidget* parent = nullptr);
  QTableView& table() { return *table_; }
  QPushButton& save_button() { return *save_; }
  QPushButton& discard_button() { return *discard_; }
  QString edits_text() const { return edits_->text(); }
  // After the window stored the edited map: which snapshot holds it, or why it was not stored.
  void saved(std::int64_t snapshot_id, const QString& error);

 signals:
  void saveRequested();

 private:
  void show_edits(const QString& dropped);
  void cell_menu(const QPoint& at);

  RoutingMatrixModel& model_;
  QTableView* table_;
  QLabel* edits_;
  QPushButton *save_, *discard_;
};

}  // namespace routewise::gui
