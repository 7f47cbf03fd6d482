#pragma once
// Read-only tables of the views: made from their column titles, a row set from its cells' texts.

#include <QHeaderView>
#include <QStringList>
#include <QTableWidget>

namespace routewise::gui {

// Rows selected whole, nothing edited in place, the last column stretched, no row numbers.
inline QTableWidget* read_only_table(const QStringList& titles, QWidget* parent) {
  auto* table = new QTableWidget(0, static_cast<int>(titles.size()), parent);
  table->setHorizontalHeaderLabels(titles);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->horizontalHeader()->setStretchLastSection(true);
  table->verticalHeader()->hide();
  return table;
}

inline void set_row(QTableWidget& table, int row, const QStringList& cells) {
  for (int c = 0; c < cells.size() && c < table.columnCount(); ++c)
    table.setItem(row, c, new QTableWidgetItem(cells[c]));
}

}  // namespace routewise::gui
