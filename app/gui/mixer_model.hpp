#pragma once
// The mixer as a table model: one row per strip of the mirror (in the DAW's order), one column per
// control. Edits go to the DAW through the mirror; the row changes when the DAW confirms.

#include <QAbstractTableModel>
#include <string>
#include <vector>

#include "session_link.hpp"

namespace routewise::gui {

class MixerModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { name, gain_db, mute, solo, pan, meter_db, column_count };

  explicit MixerModel(SessionLink& link, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  // The fader travel of the DAW linked (its dialect's law; Ardour's when not linked).
  FaderLaw fader_law() const;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

  const std::string& node_id(int row) const { return node_ids_.at(static_cast<std::size_t>(row)); }
  // The last row is the master (gain, mute and meter; no solo or pan) when the DAW has one.
  bool is_master(int row) const { return has_master_ && row == static_cast<int>(ssids_.size()); }
  int row_of(const std::string& node_id) const;  // -1 when not shown
  // The meter column changes all the time: views read it at their own frame rate.
  void refresh_meters();

 private:
  void rebuild();
  const LiveStrip* strip(int row) const;
  QVariant master_data(int column, int role) const;

  SessionLink& link_;
  std::vector<int> ssids_;             // row -> the DAW's strip id
  std::vector<std::string> node_ids_;  // one more than ssids_ with the master
  bool has_master_ = false;
};

}  // namespace routewise::gui
