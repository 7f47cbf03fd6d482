// gain-staging: bus input level outside the card's range, too little headroom, master true-peak.
#include <array>

#include "routewise/analysis/rules.hpp"
#include "routewise/analysis/source_category.hpp"
#include "routewise/model/graph_paths.hpp"
#include "routewise/model/level_estimate.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

constexpr std::array<Threshold, 13> thresholds{{
    {"general_min_dbfs", -18, "dBFS", "lowest bus input level, general"},
    {"general_max_dbfs", -12, "dBFS", "highest bus input level, general"},
    {"drums_min_dbfs", -18, "dBFS", "lowest drum-bus input level"},
    {"drums_max_dbfs", -14, "dBFS", "highest drum-bus input level"},
    {"vocals_min_dbfs", -18, "dBFS", "lowest vocal-bus input level"},
    {"vocals_max_dbfs", -12, "dBFS", "highest vocal-bus input level"},
    {"bass_keys_min_dbfs", -20, "dBFS", "lowest bass/keys-bus input level"},
    {"bass_keys_max_dbfs", -14, "dBFS", "highest bass/keys-bus input level"},
    {"mix_min_dbfs", -12, "dBFS", "lowest mix-bus/master input level"},
    {"mix_max_dbfs", -6, "dBFS", "highest mix-bus/master input level"},
    {"min_headroom_db", 6, "dB", "least headroom between input peak and 0 dBFS"},
    {"assumed_crest_factor_db", 6, "dB", "peak above average when no peak is known"},
    {"master_max_true_peak_dbtp", -0.3, "dBTP", "highest master true peak"},
}};

std::pair<double, double> range_for(const RuleContext& c, Category category) {
  switch (category) {
    case Category::drums:
      return {c.threshold("drums_min_dbfs"), c.threshold("drums_max_dbfs")};
    case Category::vocals:
      return {c.threshold("vocals_min_dbfs"), c.threshold("vocals_max_dbfs")};
    case Category::bass_keys:
      return {c.threshold("bass_keys_min_dbfs"), c.threshold("bass_keys_max_dbfs")};
    case Category::mix:
      return {c.threshold("mix_min_dbfs"), c.threshold("mix_max_dbfs")};
    case Category::general:
      break;
  }
  return {c.threshold("general_min_dbfs"), c.threshold("general_max_dbfs")};
}

bool is_checked_bus(NodeKind kind) {
  return kind == NodeKind::bus || kind == NodeKind::stem_bus || kind == NodeKind::master;
}

void check_bus(const RuleContext& c, NodeIndex n, const NodeLevel& level,
               std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  const Node& node = index.node(n);
  const Category category = categorize(index, n);
  const auto [low, high] = range_for(c, category);
  const double input = *level.input_dbfs;
  const bool peak_measured = node.measured.peak_dbfs.has_value();
  const double peak = peak_measured ? *node.measured.peak_dbfs -
                                          node_contribution(node, TapPoint::post_fader).gain_db
                                    : input + c.threshold("assumed_crest_factor_db");
  const double headroom = -peak;
  const bool hot = input > high, cold = input < low;
  // The card's headroom rule is for group buses ahead of bus processing; a mix bus or master
  // is judged by its level range and true peak unless a measured peak says otherwise.
  const bool tight =
      (category != Category::mix || peak_measured) && headroom < c.threshold("min_headroom_db");
  if (!hot && !cold && !tight) return;

  Finding f = make_finding("gain-staging", Severity::warning, index, {n});
  const std::string range = format_range(low, high, "dBFS");
  const std::string source = level.from_meter ? "measured" : "estimated";
  if (hot || cold) {
    f.message = fmt::format(
        "{} receives about {} ({} average), {} than the {} range for a {} bus{}.", quoted(node),
        format_db(input, "dBFS"), source, hot ? "hotter" : "colder", range, to_string(category),
        tight ? fmt::format(", leaving only {} of headroom", format_db(headroom)) : "");
  } else {
    f.message = fmt::format(
        "{} peaks at about {} at its input, leaving {} of headroom before its "
        "processing (at least {:g} dB wanted).",
        quoted(node), format_db(peak, "dBFS"), format_db(headroom), c.threshold("min_headroom_db"));
  }
  f.figures.push_back({"bus input level", input, "dBFS", range});
  f.figures.push_back(
      {"headroom", headroom, "dB", fmt::format(">= {:g} dB", c.threshold("min_headroom_db"))});
  f.figures.push_back({"inputs summed", static_cast<double>(level.contributions), "", ""});
  const double target =
      hot || cold ? (low + high) / 2 : input - (c.threshold("min_headroom_db") - headroom);
  const double trim = target - input;
  f.fix = fmt::format(
      "{} the input of {} by {:.1f} dB with a trim or gain plugin at the bus input "
      "(keeps the balance inside the group) rather than moving every fader.",
      trim < 0 ? "lower" : "raise", quoted(node), std::fabs(trim));
  out.push_back(std::move(f));
}

void check_master_true_peak(const RuleContext& c, NodeIndex n, std::vector<Finding>& out) {
  const Node& node = c.index().node(n);
  if (!node.measured.true_peak_dbtp) return;
  const double tp = *node.measured.true_peak_dbtp, limit = c.threshold("master_max_true_peak_dbtp");
  if (tp <= limit) return;
  Finding f = make_finding("gain-staging", Severity::warning, c.index(), {n});
  f.message = fmt::format(
      "{} measures {} true peak, above the {:g} dBTP ceiling; inter-sample "
      "peaks will clip converters and lossy encoders.",
      quoted(node), format_db(tp, "dBTP"), limit);
  f.figures.push_back({"true peak", tp, "dBTP", fmt::format("<= {:g} dBTP", limit)});
  f.fix = fmt::format(
      "set the master limiter's ceiling to {:g} dBTP with true-peak detection, or "
      "lower its input by {:.1f} dB.",
      limit, tp - limit);
  out.push_back(std::move(f));
}

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  const std::vector<NodeLevel> levels = estimate_levels(index);
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const Node& node = index.node(n);
    if (node.kind == NodeKind::master) check_master_true_peak(context, n, out);
    if (is_checked_bus(node.kind) && levels[n].input_dbfs && !std::isinf(*levels[n].input_dbfs))
      check_bus(context, n, levels[n], out);
  }
}

}  // namespace

const Rule rule_gain_staging{"gain-staging", "bus input level, headroom and master true peak",
                             thresholds, run};

}  // namespace routewise
