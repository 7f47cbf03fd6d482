#pragma once
// Helpers shared by the session importers (private to protocols/).

#include <cmath>
#include <set>
#include <string>
#include <string_view>

#include "routewise/model/route_graph.hpp"
#include "routewise/model/units.hpp"

namespace routewise::import {

// A DAW's linear gain factor as dB; zero (or below) is -inf.
inline double gain_to_db(double linear) {
  return linear <= 0 ? minus_inf_db : 20.0 * std::log10(linear);
}

// Readable, unique node ids from names: "Lead Vox" -> "lead-vox", then "lead-vox-2".
class IdMaker {
 public:
  std::string make(std::string_view name, std::string_view fallback) {
    std::string slug;
    for (unsigned char c : name) {
      if (std::isalnum(c))
        slug += static_cast<char>(std::tolower(c));
      else if (!slug.empty() && slug.back() != '-')
        slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.empty()) slug = std::string(fallback);
    if (slug.size() > 48) slug.resize(48);
    std::string id = slug;
    for (int n = 2; !used_.insert(id).second; ++n) id = slug + "-" + std::to_string(n);
    return id;
  }
  void reserve(const std::string& id) { used_.insert(id); }

 private:
  std::set<std::string> used_;
};

// Replaces bytes that are not valid UTF-8 by reading them as Latin-1 (old sessions); says whether
// it did.
bool repair_utf8(std::string& text);

inline Edge make_edge(EdgeKind kind, std::string from, std::string to) {
  Edge e;
  e.kind = kind;
  e.from = std::move(from);
  e.to = std::move(to);
  return e;
}

}  // namespace routewise::import
