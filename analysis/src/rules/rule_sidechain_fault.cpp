// sidechain-fault: a key that cannot work — missing plugin, no key input, muted or fader-dependent.
#include <algorithm>

#include "routewise/analysis/rules.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

void add(const GraphIndex& index, EdgeIndex e, Severity s, std::string message, std::string fix,
         std::vector<Finding>& out) {
  Finding f = make_finding("sidechain-fault", s, index, {index.from(e), index.to(e)});
  f.edges.push_back(edge_ref(index, e));
  f.message = std::move(message);
  f.fix = std::move(fix);
  out.push_back(std::move(f));
}

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  for (EdgeIndex e = 0; e < index.edge_count(); ++e) {
    const Edge& edge = index.edge(e);
    if (edge.kind != EdgeKind::sidechain || index.from(e) == no_node) continue;
    const Node& source = index.node(index.from(e));
    const Node& target = index.node(index.to(e));
    const auto plugin = std::find_if(target.plugins.begin(), target.plugins.end(),
                                     [&](const Plugin& p) { return p.name == edge.plugin; });
    const std::string key =
        fmt::format("The key from {} to '{}' on {}", quoted(source), edge.plugin, quoted(target));
    if (plugin == target.plugins.end()) {
      add(index, e, Severity::error,
          key + " reaches no detector: " + quoted(target) + " has no plugin of that name.",
          fmt::format("point the key at the dynamics plugin on {} that should duck, or remove it.",
                      quoted(target)),
          out);
      continue;
    }
    if (!plugin->sidechain_input) {
      add(index, e, Severity::warning,
          key + " feeds a plugin that has no key input enabled, so it is ignored.",
          fmt::format("enable the sidechain/key input of '{}' on {}.", edge.plugin, quoted(target)),
          out);
    } else if (plugin->bypassed) {
      add(index, e, Severity::warning, key + " feeds a bypassed plugin; nothing ducks.",
          fmt::format("un-bypass '{}' on {} or remove the key.", edge.plugin, quoted(target)), out);
    }
    const bool post_fader = edge.tap == TapPoint::post_fader;
    if (edge.mute || (post_fader && (source.mute || std::isinf(source.fader_db)))) {
      add(index, e, Severity::warning,
          key + " carries no signal: " +
              (edge.mute ? std::string("the key send is muted.")
                         : quoted(source) +
                               " is muted or its fader is down and the key is taken post-fader."),
          fmt::format("take the key from {} pre-fader, or unmute it.", quoted(source)), out);
    } else if (post_fader) {
      add(index, e, Severity::warning,
          key + " is taken post-fader, so every fader move on " + quoted(source) +
              " changes how hard '" + edge.plugin + "' ducks.",
          fmt::format("take the key from {} pre-fader (post-FX) so the ducking follows the "
                      "performance, not the mix.",
                      quoted(source)),
          out);
    }
  }
}

}  // namespace

const Rule rule_sidechain_fault{
    "sidechain-fault", "a sidechain key that cannot work as meant", {}, run};

}  // namespace routewise
