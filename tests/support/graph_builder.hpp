#pragma once
// Builds route graphs for tests in a few readable lines.

#include <string>

#include "routewise/model/route_graph.hpp"

namespace routewise::testing {

class GraphBuilder {
 public:
  explicit GraphBuilder(double sample_rate_hz = 48000.0) {
    graph_.session.name = "test";
    graph_.session.sample_rate_hz = sample_rate_hz;
  }

  Node& node(const std::string& id, NodeKind kind, const std::string& name = "") {
    Node n;
    n.id = id;
    n.name = name.empty() ? id : name;
    n.kind = kind;
    graph_.nodes.push_back(std::move(n));
    return graph_.nodes.back();
  }
  Node& track(const std::string& id) { return node(id, NodeKind::track); }
  Node& bus(const std::string& id) { return node(id, NodeKind::bus); }
  Node& master(const std::string& id = "master") { return node(id, NodeKind::master, "Master"); }

  Edge& output(const std::string& from, const std::string& to) {
    return edge(EdgeKind::direct_output, from, to);
  }
  Edge& send(const std::string& from, const std::string& to, double level_db = 0,
             TapPoint tap = TapPoint::post_fader) {
    Edge& e = edge(EdgeKind::send, from, to);
    e.level_db = level_db;
    e.tap = tap;
    return e;
  }
  Edge& sidechain(const std::string& from, const std::string& to, const std::string& plugin) {
    Edge& e = edge(EdgeKind::sidechain, from, to);
    e.plugin = plugin;
    e.tap = TapPoint::pre_fader;
    return e;
  }
  Edge& insert(const std::string& from, const std::string& unit, double latency_samples,
               bool compensated) {
    Edge& e = edge(EdgeKind::hardware_insert, from, unit);
    e.latency_samples = latency_samples;
    e.compensated = compensated;
    return e;
  }
  void stem(const std::string& name, const std::string& bus_id) {
    graph_.session.stems[name] = bus_id;
  }

  RouteGraph& graph() { return graph_; }
  // The graph in file order, as a loader would give it back.
  RouteGraph build() {
    RouteGraph g = graph_;
    canonicalize_edges(g);
    return g;
  }

 private:
  Edge& edge(EdgeKind kind, const std::string& from, const std::string& to) {
    Edge e;
    e.kind = kind;
    e.from = from;
    e.to = to;
    graph_.edges.push_back(std::move(e));
    return graph_.edges.back();
  }
  RouteGraph graph_;
};

}  // namespace routewise::testing
