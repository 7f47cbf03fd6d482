// orphan: tracks with no output, returns nobody sends to, buses with no inputs, unused outputs.
#include "routewise/analysis/rules.hpp"
#include "rules/rule_support.hpp"

namespace routewise {
namespace {

std::size_t count_audio(const GraphIndex& index, std::span<const EdgeIndex> edges) {
  std::size_t n = 0;
  for (EdgeIndex e : edges) n += carries_audio(index.edge(e).kind);
  return n;
}

void run(const RuleContext& c, std::vector<Finding>& out) {
  const GraphIndex& index = c.index();
  for (NodeIndex n = 0; n < index.node_count(); ++n) {
    const Node& node = index.node(n);
    const std::size_t ins = count_audio(index, index.in_edges(n));
    const std::size_t outs = count_audio(index, index.out_edges(n));
    std::string message, fix;
    Severity severity = Severity::warning;
    switch (node.kind) {
      case NodeKind::track:
      case NodeKind::hardware_input:
        if (outs == 0) {
          message = quoted(node) + " has no output and no sends: nothing it plays is heard.";
          fix = "assign an output to " + quoted(node) + " (a bus or the master), or remove it.";
        }
        break;
      case NodeKind::aux_return:
        if (ins == 0) {
          message = "Nobody sends to the return " + quoted(node) + "; it only adds noise and CPU.";
          fix = "send to " + quoted(node) + " from the tracks it was made for, or remove it.";
        } else if (outs == 0) {
          message = "The return " + quoted(node) + " has no output, so its effect is never heard.";
          fix = "route " + quoted(node) + " to its stem bus or the master.";
        }
        break;
      case NodeKind::bus:
      case NodeKind::stem_bus:
      case NodeKind::cue_mix:
        if (ins == 0) {
          message =
              "The " + std::string(to_string(node.kind)) + " " + quoted(node) + " has no inputs.";
          fix = "route the tracks meant for " + quoted(node) + " into it, or remove it.";
        } else if (outs == 0) {
          message = quoted(node) + " sums its inputs but has no output, so they are never heard.";
          fix = "assign an output to " + quoted(node) + ".";
        }
        break;
      case NodeKind::master:
        if (ins == 0) {
          message = "Nothing reaches " + quoted(node) + ".";
          fix = "route the mix into " + quoted(node) + ".";
        }
        break;
      case NodeKind::hardware_output:
        if (ins == 0) {
          severity = Severity::info;
          message = "The hardware output " + quoted(node) + " is not used.";
          fix = "leave it, or remove it from the session's I/O to keep the map readable.";
        }
        break;
      case NodeKind::hardware_insert:
        if (ins == 0 || outs == 0) {
          message = "The hardware insert " + quoted(node) +
                    (ins == 0 ? " has no send into it." : " returns nowhere.");
          fix = "patch both the send and the return of " + quoted(node) + ", or remove it.";
        }
        break;
    }
    if (message.empty()) continue;
    Finding f = make_finding("orphan", severity, index, {n});
    f.message = std::move(message);
    f.figures.push_back({"audio inputs", static_cast<double>(ins), "", ""});
    f.figures.push_back({"audio outputs", static_cast<double>(outs), "", ""});
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
}

}  // namespace

const Rule rule_orphan{"orphan", "nodes with nothing in or nothing out", {}, run};

}  // namespace routewise
