// unstemmed-source: a source reaches the mix outside every stem bus, so no stem export holds it.
#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/stem_map.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  const auto stems = stems_of(index);
  const auto masters = masters_of(index);
  if (stems.empty() || masters.empty()) return;
  std::vector<bool> blocked(index.node_count(), false);
  for (const StemInfo& s : stems) blocked[s.bus] = true;
  const std::vector<bool> reaches_mix = reaching_avoiding(index, masters, blocked);
  std::string stem_list;
  for (const StemInfo& s : stems) stem_list += (stem_list.empty() ? "" : ", ") + s.name;
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const Node& node = index.node(n);
    if (node.kind != NodeKind::track && node.kind != NodeKind::hardware_input) continue;
    if (!reaches_mix[n] || blocked[n]) continue;
    // A member of a defined stem that leaks around its bus is stem-bleed's finding, not this one.
    if (node.stem && index.graph().session.stems.contains(*node.stem)) continue;
    Finding f = make_finding("unstemmed-source", Severity::warning, index, {n});
    f.message = fmt::format(
        "{} reaches the mix without passing any stem bus{}; it will be missing from every stem "
        "export.",
        quoted(node),
        node.stem ? fmt::format(" (its stem tag '{}' has no stem bus)", *node.stem) : "");
    f.figures.push_back({"stems defined", static_cast<double>(stems.size()), "", ""});
    f.fix = fmt::format("route {} into the stem bus it belongs to (one of {}).", quoted(node),
                        stem_list);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_unstemmed_source{"unstemmed-source", "a source that is in no stem export", {}, run};

}  // namespace routewise
