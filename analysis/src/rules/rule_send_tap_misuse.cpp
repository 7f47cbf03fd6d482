// send-tap-misuse: pre-fader send into a mix effect return; post-fader send into a cue mix.
#include "routewise/analysis/rules.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    const Edge& edge = index.edge(e);
    if (edge.kind != EdgeKind::send || index.from(e) == no_node) continue;
    const Node& from = index.node(index.from(e));
    const Node& to = index.node(index.to(e));
    const bool into_return = to.kind == NodeKind::aux_return;
    const bool into_cue = to.kind == NodeKind::cue_mix;
    if (into_return && edge.tap != TapPoint::post_fader) {
      Finding f =
          make_finding("send-tap-misuse", Severity::warning, index, {index.from(e), index.to(e)});
      f.edges.push_back(edge_ref(index, e));
      f.message = fmt::format(
          "{} feeds the mix effect {} {}: the effect stays at full level when "
          "{}'s fader comes down, so the wet/dry balance breaks.",
          quoted(from), quoted(to), to_string(edge.tap), from.name);
      f.fix = fmt::format("switch the send from {} to {} to post-fader.", quoted(from), quoted(to));
      out.push_back(std::move(f));
    } else if (into_cue && edge.tap == TapPoint::post_fader) {
      Finding f =
          make_finding("send-tap-misuse", Severity::warning, index, {index.from(e), index.to(e)});
      f.edges.push_back(edge_ref(index, e));
      f.message = fmt::format(
          "{} feeds the cue mix {} post-fader: every mix move changes what the "
          "performer hears.",
          quoted(from), quoted(to));
      f.fix = fmt::format("switch the send from {} to {} to pre-fader.", quoted(from), quoted(to));
      out.push_back(std::move(f));
    }
  }
}

}  // namespace

const Rule rule_send_tap_misuse{
    "send-tap-misuse", "pre-fader send into a mix effect, post-fader into a cue mix", {}, run};

}  // namespace routewise
