#include "history_view.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>

#include "routewise/analysis/analyze.hpp"
#include "routewise/analysis/report.hpp"
#include "store_file.hpp"
#include "table_rows.hpp"

namespace routewise::gui {

namespace {

enum Column { id, taken_at, session, origin, label, size, faults, column_count };

}  // namespace

HistoryView::HistoryView(SessionLink& link, QWidget* parent) : QWidget(parent), link_(link) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  where_ = new QLabel(tr("no database"), this);
  where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  snapshot_ = new QPushButton(tr("Store snapshot"), this);
  snapshot_->setToolTip(tr("Store the live mixer's route map and findings (Ctrl+S)"));
  snapshot_->setShortcut(QKeySequence::Save);
  compare_ = new QPushButton(tr("Compare"), this);
  compare_->setToolTip(tr("What changed between the two selected snapshots (older first)"));
  bar->addWidget(where_, 1);
  bar->addWidget(snapshot_);
  bar->addWidget(compare_);
  layout->addLayout(bar);
  auto* split = new QSplitter(Qt::Vertical, this);
  table_ = read_only_table({tr("Id"), tr("Taken (UTC)"), tr("Session"), tr("Origin"), tr("Label"),
                            tr("Nodes / edges"), tr("Errors / warnings")},
                           split);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  diff_ = new QPlainTextEdit(split);
  diff_->setReadOnly(true);
  diff_->setPlaceholderText(tr("Select two snapshots and press Compare."));
  diff_->setFont(QFont(QStringLiteral("monospace")));
  layout->addWidget(split, 1);
  connect(snapshot_, &QPushButton::clicked, this, [this] { snapshot_now(); });
  connect(compare_, &QPushButton::clicked, this, &HistoryView::compare_selected);
}

HistoryView::~HistoryView() = default;

QString HistoryView::open_store(const std::filesystem::path& path) {
  QString error;
  store_ = open_store_file(path, error);
  if (!store_) where_->setText(error);
  reload();
  return error;
}

QString HistoryView::store_path() const {
  return store_ ? QString::fromStdString(store_->path().string()) : QString();
}

void HistoryView::reload() {
  table_->setRowCount(0);
  if (!store_) return;
  std::vector<SnapshotRow> rows;
  try {
    rows = store_->history();
  } catch (const std::exception& e) {
    where_->setText(QString::fromStdString(e.what()));
    return;
  }
  where_->setText(tr("%1 — %n snapshot(s)", nullptr, static_cast<int>(rows.size()))
                      .arg(QString::fromStdString(store_->path().string())));
  table_->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const SnapshotRow& s = rows[static_cast<std::size_t>(r)];
    const QStringList cells = {QString::number(s.id),
                               QString::fromStdString(s.taken_at),
                               QString::fromStdString(s.session_name),
                               QString::fromStdString(s.origin),
                               QString::fromStdString(s.label),
                               QStringLiteral("%1 / %2").arg(s.nodes).arg(s.edges),
                               QStringLiteral("%1 / %2").arg(s.errors).arg(s.warnings)};
    set_row(*table_, r, cells);
    table_->item(r, id)->setData(Qt::UserRole, QVariant::fromValue<qint64>(s.id));
  }
  table_->resizeColumnsToContents();
}

std::int64_t HistoryView::snapshot_now() {
  if (!link_.connected()) return 0;
  QString error;
  const std::int64_t id = add(link_.graph(), "mirror", "from routewise-gui", error);
  if (!error.isEmpty()) where_->setText(error);
  return id;
}

std::int64_t HistoryView::store_graph(const RouteGraph& graph, const std::string& label,
                                      QString& error) {
  return add(graph, "manual", label, error);
}

std::int64_t HistoryView::add(const RouteGraph& graph, const std::string& origin,
                              const std::string& label, QString& error) {
  if (!store_) {
    error = tr("no database is open");
    return 0;
  }
  try {
    const auto added = store_->add_snapshot(
        graph, {origin, label, link_.settings().session_file.toStdString(), ""},
        to_records(analyze(graph)));
    reload();
    return added.id;
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
    return 0;
  }
}

QString HistoryView::compare(std::int64_t before, std::int64_t after) {
  if (!store_) return {};
  try {
    const auto a = store_->snapshot_summary(before), b = store_->snapshot_summary(after);
    if (!a || !b) {
      diff_->setPlainText(tr("no snapshot %1").arg(!a ? before : after));
    } else {
      diff_->setPlainText(QString::fromStdString(
          diff_report(diff_routes(*a, *b), "snapshot " + std::to_string(before),
                      "snapshot " + std::to_string(after), "text")));
    }
  } catch (const std::exception& e) {
    diff_->setPlainText(QString::fromStdString(e.what()));
  }
  return diff_->toPlainText();
}

void HistoryView::compare_selected() {
  std::vector<std::int64_t> ids;
  for (const QModelIndex& row : table_->selectionModel()->selectedRows(id))
    ids.push_back(row.data(Qt::UserRole).toLongLong());
  if (ids.size() != 2) {
    diff_->setPlainText(tr("Select two snapshots (Ctrl+click) to compare them."));
    return;
  }
  std::sort(ids.begin(), ids.end());
  compare(ids[0], ids[1]);
}

}  // namespace routewise::gui
