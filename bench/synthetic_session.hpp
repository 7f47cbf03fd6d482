#pragma once
// Synthetic mixing sessions of any size with the shape of real ones: tracks in groups of ~10
// feeding group buses, groups in stems, two reverb returns per stem, a parallel bus with
// uncompensated lookahead, cue sends, sidechain keys, a mix bus with a hardware insert.

#include <random>
#include <string>

#include "routewise/model/route_graph.hpp"

namespace routewise::bench {

inline RouteGraph synthetic_session(std::size_t target_nodes, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> level(-24.0, -14.0), fader(-12.0, 0.0);
  RouteGraph g;
  g.session.name = "synthetic " + std::to_string(target_nodes);
  const auto add = [&](std::string id, NodeKind kind, std::string stem = "") {
    Node n;
    n.id = id;
    n.name = id;
    n.kind = kind;
    if (!stem.empty()) n.stem = stem;
    g.nodes.push_back(std::move(n));
    return g.nodes.size() - 1;
  };
  const auto edge = [&](EdgeKind kind, const std::string& from, const std::string& to) -> Edge& {
    Edge e;
    e.kind = kind;
    e.from = from;
    e.to = to;
    g.edges.push_back(std::move(e));
    return g.edges.back();
  };
  add("master", NodeKind::master);
  add("main_out", NodeKind::hardware_output);
  add("mix_bus", NodeKind::bus);
  add("mix_comp", NodeKind::hardware_insert);
  add("cue", NodeKind::cue_mix);
  add("hp_out", NodeKind::hardware_output);
  edge(EdgeKind::direct_output, "master", "main_out");
  edge(EdgeKind::hardware_insert, "mix_bus", "mix_comp").latency_samples = 72;
  edge(EdgeKind::direct_output, "mix_comp", "master");
  edge(EdgeKind::direct_output, "cue", "hp_out");

  // Per stem: 1 stem bus, 2 returns, 1 parallel bus; per group of 10 tracks: 1 bus.
  const std::size_t stems = std::max<std::size_t>(1, target_nodes / 400);
  const std::size_t per_stem = (target_nodes - 6) / stems;
  std::size_t track = 0;
  for (std::size_t s = 0; s < stems; ++s) {
    const std::string stem = "S" + std::to_string(s);
    const std::string stem_bus = "stem_" + std::to_string(s);
    add(stem_bus, NodeKind::stem_bus, stem);
    g.session.stems[stem] = stem_bus;
    edge(EdgeKind::direct_output, stem_bus, "mix_bus");
    const std::string verb = "verb_" + std::to_string(s), hall = "hall_" + std::to_string(s);
    add(verb, NodeKind::aux_return, stem);
    add(hall, NodeKind::aux_return, stem);
    edge(EdgeKind::direct_output, verb, stem_bus);
    edge(EdgeKind::direct_output, hall, stem_bus);
    const std::string crush = "crush_" + std::to_string(s);
    const std::size_t c = add(crush, NodeKind::bus, stem);
    g.nodes[c].plugins.push_back({"Lookahead", 128, 0, false, false});
    g.nodes[c].pdc_enabled = s % 2 == 0;
    edge(EdgeKind::direct_output, crush, stem_bus);
    std::size_t made = 5;
    std::string group_bus;
    while (made < per_stem) {
      if (track % 10 == 0 || group_bus.empty()) {
        group_bus = "group_" + std::to_string(track / 10);
        add(group_bus, NodeKind::bus, stem);
        edge(EdgeKind::direct_output, group_bus, stem_bus);
        edge(EdgeKind::send, group_bus, crush).level_db = -3;
        ++made;
      }
      const std::string id = "t" + std::to_string(track);
      const std::size_t t = add(id, NodeKind::track, stem);
      g.nodes[t].source.average_dbfs = level(rng);
      g.nodes[t].fader_db = fader(rng);
      if (track % 7 == 0) g.nodes[t].plugins.push_back({"Comp", 0, 0, false, true});
      edge(EdgeKind::direct_output, id, group_bus);
      if (track % 3 == 0) edge(EdgeKind::send, id, track % 2 ? verb : hall).level_db = -10;
      if (track % 20 == 0) edge(EdgeKind::send, id, "cue").tap = TapPoint::pre_fader;
      if (track % 7 == 0 && track > 0) {
        Edge& key = edge(EdgeKind::sidechain, "t" + std::to_string(track - 1), id);
        key.plugin = "Comp";
        key.tap = TapPoint::pre_fader;
      }
      ++track;
      ++made;
    }
  }
  canonicalize_edges(g);
  return g;
}

}  // namespace routewise::bench
