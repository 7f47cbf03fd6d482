// feedback-loop: a cycle of audio edges (output, send, insert) oscillates.
#include "routewise/analysis/rules.hpp"
#include "routewise/model/graph_order.hpp"

namespace routewise {
namespace {

// The easiest edge to cut: a send if the loop has one, otherwise the edge that closes the loop.
EdgeIndex edge_to_cut(const GraphIndex& index, const Cycle& cycle) {
  for (EdgeIndex e : cycle.edges)
    if (index.edge(e).kind == EdgeKind::send) return e;
  return cycle.edges.back();
}

std::string cut_instruction(const GraphIndex& index, EdgeIndex e) {
  const Node& from = index.node(index.from(e));
  const Node& to = index.node(index.to(e));
  switch (index.edge(e).kind) {
    case EdgeKind::send:
      return "remove the send from " + quoted(from) + " to " + quoted(to);
    case EdgeKind::hardware_insert:
      return "patch the insert return of " + quoted(from) + " somewhere other than " + quoted(to);
    default:
      return "route " + quoted(from) + " output somewhere other than " + quoted(to);
  }
}

void run(const RuleContext& context, std::vector<Finding>& out) {
  const GraphIndex& index = context.index();
  for (const Cycle& cycle : topological_order(index, EdgeFilter::audio()).cycles) {
    Finding f;
    f.rule_id = "feedback-loop";
    f.severity = Severity::error;
    for (NodeIndex n : cycle.nodes) f.nodes.push_back(index.node(n).id);
    for (EdgeIndex e : cycle.edges) f.edges.push_back(edge_ref(index, e));
    const std::string loop = describe_path(index, cycle.edges);
    f.message = cycle.edges.size() == 1
                    ? quoted(index.node(cycle.nodes.front())) +
                          " feeds its own input; the loop will run away and oscillate."
                    : "Audio loops back on itself through " + loop +
                          "; the loop will run away and oscillate.";
    f.figures.push_back({"nodes in loop", static_cast<double>(cycle.nodes.size()), "", "0"});
    f.fix = cut_instruction(index, edge_to_cut(index, cycle)) + " to break the loop.";
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_feedback_loop{
    "feedback-loop", "a cycle of audio edges (output/send/insert)", {}, run};

}  // namespace routewise
