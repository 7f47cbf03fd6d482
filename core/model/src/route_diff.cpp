#include "routewise/model/route_diff.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <unordered_map>

namespace routewise {
namespace {

std::string name_of(const RouteSummary& s, const std::string& id) {
  const auto it = s.nodes.find(id);
  return "'" + (it == s.nodes.end() ? id : it->second.name) + "'";
}

// Below a thousandth of a dB a difference is rounding (a session file's double against a DAW's
// 32-bit OSC float), not a change anyone made.
bool differs(double a, double b) {
  if (std::isinf(a) || std::isinf(b)) return a != b;
  return std::fabs(a - b) > 1e-3;
}

// Edges are matched by kind, endpoints and their order among edges with the same three.
std::string edge_key(const EdgeSummary& e) {
  return e.kind + '\x1f' + e.from + '\x1f' + e.to;
}

std::unordered_map<std::string, const EdgeSummary*> keyed(const std::vector<EdgeSummary>& edges) {
  std::unordered_map<std::string, const EdgeSummary*> out;
  std::unordered_map<std::string, int> seen;
  out.reserve(edges.size());
  for (const EdgeSummary& e : edges) {
    if (e.kind == "output")
      continue;  // outputs are compared through primary_output and extras below
    std::string key = edge_key(e);
    const int n = seen[key]++;
    key += '\x1f' + std::to_string(n);
    out.emplace(std::move(key), &e);
  }
  return out;
}

// The keyed edges in the order they appear in their route map.
std::vector<std::pair<std::string, const EdgeSummary*>> ordered(
    const std::unordered_map<std::string, const EdgeSummary*>& edges) {
  std::vector<std::pair<std::string, const EdgeSummary*>> out(edges.begin(), edges.end());
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.second < y.second; });
  return out;
}

std::set<std::pair<std::string, std::string>> extra_outputs(const RouteSummary& s) {
  std::set<std::pair<std::string, std::string>> out;
  for (const EdgeSummary& e : s.edges) {
    if (e.kind != "output") continue;
    const auto n = s.nodes.find(e.from);
    if (n != s.nodes.end() && n->second.primary_output != e.to) out.insert({e.from, e.to});
  }
  return out;
}

std::string finding_key(const FindingRecord& f) {
  std::string key = f.rule;
  for (const std::string& n : f.nodes) key += "|" + n;
  return key;
}

}  // namespace

RouteSummary summarize(const RouteGraph& graph, std::vector<FindingRecord> findings) {
  RouteSummary s;
  for (const Node& n : graph.nodes) {
    NodeSummary ns;
    ns.id = n.id;
    ns.name = n.name;
    ns.kind = std::string(to_string(n.kind));
    ns.stem = n.stem;
    ns.fader_db = n.fader_db;
    ns.trim_db = n.trim_db;
    ns.mute = n.mute;
    ns.pdc = n.pdc_enabled;
    for (const Plugin& p : n.plugins)
      if (!p.bypassed) ns.latency_samples += p.latency_samples;
    s.nodes.emplace(n.id, std::move(ns));
  }
  for (const Edge& e : graph.edges) {
    EdgeSummary es;
    es.kind = std::string(to_string(e.kind));
    es.from = e.from;
    es.to = e.to;
    es.level_db = e.level_db;
    if (e.kind == EdgeKind::send || e.kind == EdgeKind::sidechain)
      es.tap = std::string(to_string(e.tap));
    es.latency_samples = e.latency_samples;
    es.mute = e.mute;
    if (e.kind == EdgeKind::direct_output && e.primary)
      if (auto it = s.nodes.find(e.from); it != s.nodes.end() && it->second.primary_output.empty())
        it->second.primary_output = e.to;
    s.edges.push_back(std::move(es));
  }
  s.findings = std::move(findings);
  return s;
}

bool RouteDiff::empty() const {
  return added_nodes.empty() && removed_nodes.empty() && renamed.empty() && rerouted.empty() &&
         added_edges.empty() && removed_edges.empty() && level_changes.empty() &&
         latency_changes.empty() && other_changes.empty() && new_findings.empty() &&
         resolved_findings.empty();
}

RouteDiff diff_routes(const RouteSummary& a, const RouteSummary& b) {
  RouteDiff d;
  // Both node maps are sorted by id: walk them side by side.
  auto ia = a.nodes.begin(), ib = b.nodes.begin();
  while (ia != a.nodes.end() || ib != b.nodes.end()) {
    if (ib == b.nodes.end() || (ia != a.nodes.end() && ia->first < ib->first)) {
      d.removed_nodes.push_back((ia++)->second);
      continue;
    }
    if (ia == a.nodes.end() || ib->first < ia->first) {
      d.added_nodes.push_back((ib++)->second);
      continue;
    }
    const NodeSummary& before = (ia++)->second;
    const NodeSummary& after = (ib++)->second;
    if (before.name != after.name) d.renamed.emplace_back(before, after);
    if (before.primary_output != after.primary_output) d.rerouted.emplace_back(before, after);
    if (before == after) continue;
    const std::string who = "'" + after.name + "'";
    if (differs(before.fader_db, after.fader_db))
      d.level_changes.push_back({who + " fader", before.fader_db, after.fader_db, "dB"});
    if (differs(before.trim_db, after.trim_db))
      d.level_changes.push_back({who + " trim", before.trim_db, after.trim_db, "dB"});
    if (differs(before.latency_samples, after.latency_samples))
      d.latency_changes.push_back(
          {who + " plugin latency", before.latency_samples, after.latency_samples, "samples"});
    if (before.mute != after.mute)
      d.other_changes.push_back(who + (after.mute ? " muted" : " unmuted"));
    if (before.pdc != after.pdc)
      d.other_changes.push_back(who + " PDC " + (after.pdc ? "on" : "off"));
    if (before.kind != after.kind)
      d.other_changes.push_back(who + " kind " + before.kind + " → " + after.kind);
    if (before.stem != after.stem)
      d.other_changes.push_back(who + " stem " + before.stem.value_or("none") + " → " +
                                after.stem.value_or("none"));
  }

  const auto ea = keyed(a.edges), eb = keyed(b.edges);
  // Walk each side in its own order (not the hash order) so the report is deterministic.
  for (const auto& [key, before] : ordered(ea)) {
    const auto it = eb.find(key);
    if (it == eb.end()) {
      d.removed_edges.push_back(*before);
      continue;
    }
    const EdgeSummary& after = *it->second;
    if (*before == after) continue;
    const std::string what =
        after.kind + " " + name_of(b, after.from) + " → " + name_of(b, after.to);
    if (after.kind != "insert" && differs(before->level_db, after.level_db))
      d.level_changes.push_back({what, before->level_db, after.level_db, "dB"});
    if (before->latency_samples != after.latency_samples)
      d.latency_changes.push_back({what + " round trip", before->latency_samples.value_or(NAN),
                                   after.latency_samples.value_or(NAN), "samples"});
    if (before->tap != after.tap)
      d.other_changes.push_back(what + " tap " + before->tap + " → " + after.tap);
    if (before->mute != after.mute)
      d.other_changes.push_back(what + (after.mute ? " muted" : " unmuted"));
  }
  for (const auto& [key, after] : ordered(eb))
    if (!ea.contains(key)) d.added_edges.push_back(*after);
  const auto xa = extra_outputs(a), xb = extra_outputs(b);
  for (const auto& [from, to] : xa)
    if (!xb.contains({from, to}))
      d.removed_edges.push_back({"output", from, to, 0, "", std::nullopt, false});
  for (const auto& [from, to] : xb)
    if (!xa.contains({from, to}))
      d.added_edges.push_back({"output", from, to, 0, "", std::nullopt, false});

  std::set<std::string> fa, fb;
  for (const FindingRecord& f : a.findings) fa.insert(finding_key(f));
  for (const FindingRecord& f : b.findings) fb.insert(finding_key(f));
  for (const FindingRecord& f : b.findings)
    if (!fa.contains(finding_key(f))) d.new_findings.push_back(f);
  for (const FindingRecord& f : a.findings)
    if (!fb.contains(finding_key(f))) d.resolved_findings.push_back(f);
  return d;
}

}  // namespace routewise
