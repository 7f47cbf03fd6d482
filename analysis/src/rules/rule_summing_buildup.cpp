// summing-buildup: many moderate inputs add up to a bus level near 0 dBFS.
#include <array>

#include "routewise/analysis/rules.hpp"
#include "routewise/model/level_estimate.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

constexpr std::array<Threshold, 3> thresholds{{
    {"max_sum_dbfs", -6, "dBFS", "summed input level that counts as approaching 0 dBFS"},
    {"min_buildup_db", 3, "dB", "how far the sum must rise above the loudest single input"},
    {"target_dbfs", -14, "dBFS", "level the suggested trim brings the sum to"},
}};

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  const std::vector<NodeLevel> levels = estimate_levels(index);
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const Node& node = index.node(n);
    const NodeLevel& level = levels[n];
    if (!is_summing_point(node.kind) || node.kind == NodeKind::cue_mix || level.from_meter)
      continue;
    if (!level.input_dbfs || level.contributions < 2) continue;
    const double sum = *level.input_dbfs, loudest = *level.loudest_input_dbfs;
    const double buildup = sum - loudest;
    if (sum <= c.threshold("max_sum_dbfs") || buildup < c.threshold("min_buildup_db")) continue;
    Finding f = make_finding("summing-buildup", Severity::warning, index, {n});
    f.message = fmt::format(
        "{} inputs sum to about {} at {} although the loudest one alone is {}; the summing adds "
        "{} and approaches 0 dBFS.",
        level.contributions, format_db(sum, "dBFS"), quoted(node), format_db(loudest, "dBFS"),
        format_db(buildup));
    f.figures.push_back(
        {"summed input", sum, "dBFS", fmt::format("<= {:g} dBFS", c.threshold("max_sum_dbfs"))});
    f.figures.push_back({"loudest input", loudest, "dBFS", ""});
    f.figures.push_back({"build-up", buildup, "dB", ""});
    f.figures.push_back({"inputs", static_cast<double>(level.contributions), "", ""});
    f.fix = fmt::format(
        "put a trim of {:.1f} dB at the input of {} instead of pulling all {} "
        "faders down.",
        c.threshold("target_dbfs") - sum, quoted(node), level.contributions);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_summing_buildup{"summing-buildup", "many inputs summing towards 0 dBFS", thresholds,
                                run};

}  // namespace routewise
