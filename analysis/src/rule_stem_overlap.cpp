// stem-overlap: one node's audio lands in more than one stem bus.
#include <map>

#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/stem_map.hpp"
#include "rule_support.hpp"

namespace routewise {
namespace {

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  const auto stems = stems_of(index);
  if (stems.size() < 2) return;
  const std::vector<bool> none(index.node_count(), false);
  std::vector<std::vector<bool>> reaches;
  for (const StemInfo& s : stems) reaches.push_back(reaching_avoiding(index, {s.bus}, none));

  // Group nodes by the set of stems they land in, so a shared return is one finding, not twenty.
  std::map<std::vector<std::size_t>, std::vector<NodeIndex>> groups;
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const NodeKind kind = index.node(n).kind;
    if (kind == NodeKind::stem_bus || kind == NodeKind::master) continue;
    std::vector<std::size_t> landed;
    for (std::size_t s = 0; s < stems.size(); ++s)
      if (reaches[s][n] && stems[s].bus != n) landed.push_back(s);
    if (landed.size() > 1) groups[landed].push_back(n);
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
    f.fix = fmt::format("give each of {} one stem: route its output and its sends' returns to a "
                        "single stem bus.",
                        node_names);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_stem_overlap{"stem-overlap", "a node's audio lands in more than one stem", {}, run};

}  // namespace routewise
