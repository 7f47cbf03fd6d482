// Generic MIDI mappings in the store: one row per (profile, control), replaced when relearned.
#include <algorithm>
#include <array>

#include "routewise/store/store.hpp"
#include "sqlite.hpp"

namespace routewise {
namespace {

constexpr std::array<std::string_view, 6> parameters{"fader", "send", "mute",
                                                     "solo",  "pan",  "bypass"};

void check_mapping(const std::filesystem::path& path, const SurfaceMapping& m) {
  const auto bad = [&](const std::string& field, const std::string& why) {
    throw StoreError(path.string() + ": surface mapping " + field + ": " + why);
  };
  if (m.profile.empty()) bad("profile", "must not be empty");
  if (m.control.empty()) bad("control", "must not be empty");
  if (m.target_node.empty()) bad("target_node", "must name a strip");
  if (std::find(parameters.begin(), parameters.end(), m.parameter) == parameters.end())
    bad("parameter", "'" + m.parameter + "' is not fader, send, mute, solo, pan or bypass");
  if ((m.parameter == "send" || m.parameter == "bypass") && m.argument.empty())
    bad("argument", m.parameter == "send" ? "a send needs the bus it feeds"
                                          : "a bypass needs the plugin's slot");
}

}  // namespace

std::int64_t Store::upsert_surface_mapping(const SurfaceMapping& m) {
  check_mapping(path(), m);
  Statement& q = db_->prepare(
      "INSERT INTO surface_mappings (profile, control, target_node, parameter, argument, "
      "soft_takeover, created_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (profile, control) DO UPDATE "
      "SET target_node = excluded.target_node, parameter = excluded.parameter, "
      "argument = excluded.argument, soft_takeover = excluded.soft_takeover, "
      "created_at = excluded.created_at RETURNING id");
  q.bind(1, m.profile).bind(2, m.control).bind(3, m.target_node).bind(4, m.parameter);
  q.bind(5, m.argument).bind(6, m.soft_takeover ? 1 : 0);
  q.bind(7, m.created_at.empty() ? utc_now_iso8601() : m.created_at);
  q.step();
  const std::int64_t id = q.column_int(0);
  q.reset();
  return id;
}

std::int64_t Store::put_surface_mapping(const SurfaceMapping& m) {
  Transaction tx(*db_);
  const std::int64_t id = upsert_surface_mapping(m);
  tx.commit();
  return id;
}

std::vector<SurfaceMapping> Store::surface_mappings(const std::string& profile) {
  std::vector<SurfaceMapping> out;
  Statement& q = db_->prepare(
      "SELECT id, profile, control, target_node, parameter, argument, soft_takeover, created_at "
      "FROM surface_mappings WHERE ?1 = '' OR profile = ?1 ORDER BY profile, id");
  q.bind(1, profile);
  while (q.step()) {
    SurfaceMapping m;
    m.id = q.column_int(0);
    m.profile = q.column_text(1);
    m.control = q.column_text(2);
    m.target_node = q.column_text(3);
    m.parameter = q.column_text(4);
    m.argument = q.column_text(5);
    m.soft_takeover = q.column_int(6) != 0;
    m.created_at = q.column_text(7);
    out.push_back(std::move(m));
  }
  q.reset();
  return out;
}

bool Store::remove_surface_mapping(const std::string& profile, const std::string& control) {
  Transaction tx(*db_);
  Statement& q = db_->prepare("DELETE FROM surface_mappings WHERE profile = ? AND control = ?");
  q.bind(1, profile).bind(2, control);
  q.run();
  const bool removed = sqlite3_changes(db_->handle()) > 0;
  tx.commit();
  return removed;
}

}  // namespace routewise
