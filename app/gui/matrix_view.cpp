#include "matrix_view.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QVBoxLayout>

namespace routewise::gui {

MatrixView::MatrixView(RoutingMatrixModel& model, QWidget* parent)
    : QWidget(parent), model_(model) {
  auto* layout = new QVBoxLayout(this);
  table_ = new QTableView(this);
  table_->setModel(&model_);
  table_->setToolTip(
      tr("Sources down, destinations across. Double-click a send to set its level (sent to the "
         "DAW); tick a cell to connect an output, right-click for keys (edits of the route map)"));
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->setContextMenuPolicy(Qt::CustomContextMenu);
  layout->addWidget(table_, 1);
  auto* bar = new QHBoxLayout;
  edits_ = new QLabel(this);
  edits_->setWordWrap(true);
  save_ = new QPushButton(tr("&Save edits to History"), this);
  discard_ = new QPushButton(tr("&Discard edits"), this);
  bar->addWidget(edits_, 1);
  bar->addWidget(save_);
  bar->addWidget(discard_);
  layout->addLayout(bar);
  connect(table_, &QTableView::customContextMenuRequested, this, &MatrixView::cell_menu);
  connect(&model_, &RoutingMatrixModel::editsChanged, this, &MatrixView::show_edits);
  connect(save_, &QPushButton::clicked, this, &MatrixView::saveRequested);
  connect(discard_, &QPushButton::clicked, this, [this] { model_.discard_edits(); });
  show_edits({});
}

void MatrixView::show_edits(const QString& dropped) {
  const QStringList edits = model_.edit_descriptions();
  QString text = edits.isEmpty() ? tr("No edits: the matrix shows the DAW's routing.")
                                 : tr("%n edit(s) of the route map, not in the DAW: %1", nullptr,
                                      static_cast<int>(edits.size()))
                                       .arg(edits.join(QStringLiteral("; ")));
  if (!dropped.isEmpty()) text += tr(" — dropped, the DAW changed under them: %1").arg(dropped);
  edits_->setText(text);
  save_->setEnabled(!edits.isEmpty());
  discard_->setEnabled(!edits.isEmpty());
}

void MatrixView::saved(std::int64_t snapshot_id, const QString& error) {
  edits_->setText(error.isEmpty()
                      ? tr("Stored as snapshot %1 (History compares it with the DAW's own); the "
                           "edits stay shown until discarded.")
                            .arg(snapshot_id)
                      : tr("Not stored: %1").arg(error));
}

void MatrixView::cell_menu(const QPoint& at) {
  const QModelIndex cell = table_->indexAt(at);
  if (!(model_.flags(cell) & Qt::ItemIsUserCheckable)) return;
  QMenu menu(this);
  const bool connected = cell.data(Qt::CheckStateRole).toInt() == Qt::Checked;
  menu.addAction(connected ? tr("Disconnect output") : tr("Connect output"), this, [&] {
    model_.setData(cell, connected ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
  });
  const QString key = cell.data(RoutingMatrixModel::key_role).toString();
  const QStringList plugins = model_.plugins(cell.column());
  if (!plugins.isEmpty()) menu.addSeparator();
  for (const QString& plugin : plugins) {
    QAction* action = menu.addAction(tr("Key into %1").arg(plugin), this, [&, plugin] {
      model_.setData(cell, plugin, RoutingMatrixModel::key_role);
    });
    action->setCheckable(true);
    action->setChecked(plugin == key);
  }
  if (!key.isEmpty())
    menu.addAction(tr("Remove key"), this,
                   [&] { model_.setData(cell, QString(), RoutingMatrixModel::key_role); });
  menu.exec(table_->viewport()->mapToGlobal(at));
}

}  // namespace routewise::gui
