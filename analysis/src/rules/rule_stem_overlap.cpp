// stem-overlap: one node's audio lands in more than one stem bus.
#include <map>

#include <cstdint>
#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/stem_map.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  const auto stems = stems_of(index);
  if (stems.size() < 2) return;
  // Walk upstream from each stem bus and note the stem on every node passed; a per-node stamp
  // instead of a fresh visited set per stem keeps the total cost to the edges walked.
  std::vector<std::vector<std::size_t>> landed_in(index.node_count());
  std::vector<std::size_t> stamp(index.node_count(), SIZE_MAX);
  std::vector<NodeIndex> stack;
  for (std::size_t s = 0; s < stems.size(); ++s) {
    stack.assign(1, stems[s].bus);
    stamp[stems[s].bus] = s;
    while (!stack.empty()) {
      const NodeIndex n = stack.back();
      stack.pop_back();
      if (n != stems[s].bus) landed_in[n].push_back(s);
      for (EdgeIndex e : index.in_edges(n)) {
        const NodeIndex from = index.from(e);
        if (!carries_audio(index.edge(e).kind) || index.edge(e).mute || stamp[from] == s) continue;
        stamp[from] = s;
        stack.push_back(from);
      }
    }
  }

  // Group nodes by the set of stems they land in, so a shared return is one finding, not twenty.
  std::map<std::vector<std::size_t>, std::vector<NodeIndex>> groups;
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const NodeKind kind = index.node(n).kind;
    if (kind == NodeKind::stem_bus || kind == NodeKind::master) continue;
    if (landed_in[n].size() > 1) groups[landed_in[n]].push_back(n);
  }
  for (const auto& [landed, nodes] : groups) {
    Finding f = make_finding("stem-overlap", Severity::warning, index, {});
    std::string stem_names, node_names;
    for (std::size_t s : landed)
      stem_names += (stem_names.empty() ? "" : ", ") + quoted(index.node(stems[s].bus));
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      f.nodes.push_back(index.node(nodes[i]).id);
      if (i < 6) node_names += (i ? ", " : "") + quoted(index.node(nodes[i]));
    }
    if (nodes.size() > 6) node_names += fmt::format(" and {} more", nodes.size() - 6);
    f.message = fmt::format("{} reach{} {} stem buses ({}); summing the stems will count {} twice.",
                            node_names, nodes.size() == 1 ? "es" : "", landed.size(), stem_names,
                            nodes.size() == 1 ? "it" : "them");
    f.figures.push_back({"stem buses reached", static_cast<double>(landed.size()), "", "1"});
    f.figures.push_back({"nodes affected", static_cast<double>(nodes.size()), "", ""});
    f.fix = fmt::format(
        "give each of {} one stem: route its output and its sends' returns to a "
        "single stem bus.",
        node_names);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_stem_overlap{"stem-overlap", "a node's audio lands in more than one stem", {}, run};

}  // namespace routewise
