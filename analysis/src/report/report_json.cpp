#include <cmath>
#include <nlohmann/json.hpp>

#include "routewise/analysis/report.hpp"
#include "routewise/model/graph_index.hpp"

namespace routewise {

std::string json_report(const RouteGraph& graph, const std::vector<Finding>& findings) {
  using ojson = nlohmann::ordered_json;
  const GraphIndex index(graph);
  const auto node_json = [&](const std::string& id) {
    const auto i = index.find(id);
    return ojson{{"id", id}, {"name", i ? index.node(*i).name : id}};
  };
  ojson doc;
  doc["format"] = "routewise-findings";
  doc["version"] = 1;
  doc["session"] = {{"name", graph.session.name},
                    {"sample_rate_hz", graph.session.sample_rate_hz},
                    {"nodes", graph.nodes.size()},
                    {"edges", graph.edges.size()}};
  ojson summary = {{"error", 0}, {"warning", 0}, {"info", 0}};
  ojson list = ojson::array();
  for (const Finding& f : findings) {
    summary[std::string(to_string(f.severity))] =
        summary[std::string(to_string(f.severity))].get<int>() + 1;
    ojson fo;
    fo["rule"] = f.rule_id;
    fo["severity"] = std::string(to_string(f.severity));
    fo["message"] = f.message;
    fo["nodes"] = ojson::array();
    for (const std::string& id : f.nodes) fo["nodes"].push_back(node_json(id));
    fo["edges"] = ojson::array();
    for (const EdgeRef& e : f.edges)
      fo["edges"].push_back(
          {{"from", e.from}, {"to", e.to}, {"kind", std::string(to_string(e.kind))}});
    fo["figures"] = ojson::array();
    for (const Figure& fig : f.figures) {
      ojson fj;
      fj["name"] = fig.name;
      // JSON has no infinity; an infinite figure is written as null.
      fj["value"] = std::isfinite(fig.value) ? ojson(fig.value) : ojson(nullptr);
      fj["unit"] = fig.unit;
      fj["limit"] = fig.limit;
      fo["figures"].push_back(std::move(fj));
    }
    fo["fix"] = f.fix;
    list.push_back(std::move(fo));
  }
  doc["summary"] = std::move(summary);
  doc["findings"] = std::move(list);
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace routewise
