#pragma once
// History: the snapshots in the Routewise database (newest first), a snapshot of the live mixer
// stored on request, and what changed between any two snapshots (routing, levels, findings).

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>
#include <filesystem>
#include <memory>

#include "routewise/store/store.hpp"
#include "session_link.hpp"

namespace routewise::gui {

class HistoryView : public QWidget {
  Q_OBJECT

 public:
  HistoryView(SessionLink& link, QWidget* parent = nullptr);
  ~HistoryView() override;

  // Opens (creating when missing) the database; an error naming the file, or empty.
  QString open_store(const std::filesystem::path& path);
  QString store_path() const;
  void reload();
  // Stores the live mixer with its findings; the new (or unchanged latest) snapshot's id, or 0.
  std::int64_t snapshot_now();
  // Stores a route map edited here (not the DAW's) with its findings; its id, or 0 and why not.
  std::int64_t store_graph(const RouteGraph& graph, const std::string& label, QString& error);
  // The diff of two snapshots by id, as `routewise diff` prints it; shown below the table.
  QString compare(std::int64_t before, std::int64_t after);
  QTableWidget& table() { return *table_; }
  const QPlainTextEdit& diff_text() const { return *diff_; }

 private:
  void compare_selected();
  std::int64_t add(const RouteGraph& graph, const std::string& origin, const std::string& label,
                   QString& error);

  SessionLink& link_;
  std::unique_ptr<Store> store_;
  QLabel* where_;
  QTableWidget* table_;
  QPushButton *snapshot_, *compare_;
  QPlainTextEdit* diff_;
};

}  // namespace routewise::gui
