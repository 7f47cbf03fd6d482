// send-level-range: reverb send levels far from the card's starting points (info only).
#include <array>

#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/source_category.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

constexpr std::array<Threshold, 6> thresholds{{
    {"vocals_min_db", -10, "dB", "lowest reverb send level, vocals"},
    {"vocals_max_db", -7, "dB", "highest reverb send level, vocals"},
    {"general_min_db", -12, "dB", "lowest reverb send level, general and drums"},
    {"general_max_db", -9, "dB", "highest reverb send level, general and drums"},
    {"bass_keys_min_db", -14, "dB", "lowest reverb send level, bass and keys"},
    {"bass_keys_max_db", -10, "dB", "highest reverb send level, bass and keys"},
}};

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    const Edge& edge = index.edge(e);
    if (edge.kind != EdgeKind::send || edge.mute || index.from(e) == no_node) continue;
    const Node& to = index.node(index.to(e));
    if (to.kind != NodeKind::aux_return || !is_reverb(to)) continue;
    const Category category = categorize(index, index.from(e));
    if (category == Category::mix) continue;
    const std::string prefix = category == Category::vocals      ? "vocals"
                               : category == Category::bass_keys ? "bass_keys"
                                                                 : "general";
    const double low = c.threshold(prefix + "_min_db"), high = c.threshold(prefix + "_max_db");
    if (edge.level_db >= low && edge.level_db <= high) continue;
    const Node& from = index.node(index.from(e));
    Finding f =
        make_finding("send-level-range", Severity::info, index, {index.from(e), index.to(e)});
    f.edges.push_back(edge_ref(index, e));
    f.message = fmt::format(
        "{} sends to the reverb {} at {}, outside the usual {} starting range "
        "for {} sources.",
        quoted(from), quoted(to), format_db(edge.level_db), format_range(low, high, "dB"),
        to_string(category));
    f.figures.push_back({"send level", edge.level_db, "dB", format_range(low, high, "dB")});
    f.fix = fmt::format("start the send from {} to {} around {:g} dB and adjust by ear.",
                        quoted(from), quoted(to), (low + high) / 2);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_send_level_range{"send-level-range", "reverb send level far from typical",
                                 thresholds, run};

}  // namespace routewise
