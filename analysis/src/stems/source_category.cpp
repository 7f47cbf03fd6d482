#include "routewise/analysis/source_category.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace routewise {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<Category> from_text(std::string_view text) {
  if (contains_any_word(
          text, {"drum", "kit", "perc", "kick", "snare", "tom", "hat", "overhead", "cymbal"}))
    return Category::drums;
  if (contains_any_word(text, {"vox", "vocal", "voc", "bgv", "choir", "voice", "lead v"}))
    return Category::vocals;
  if (contains_any_word(text, {"bass", "key", "piano", "synth", "organ", "rhodes", "pad", "wurli"}))
    return Category::bass_keys;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Category category) {
  switch (category) {
    case Category::general:
      return "general";
    case Category::drums:
      return "drums";
    case Category::vocals:
      return "vocals";
    case Category::bass_keys:
      return "bass/keys";
    case Category::mix:
      return "bus/master";
  }
  return "?";
}

bool contains_any_word(std::string_view text, std::initializer_list<std::string_view> words) {
  const std::string haystack = lower(text);
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return haystack.find(w) != std::string::npos; });
}

Category categorize(const GraphIndex& index, NodeIndex n) {
  const Node& node = index.node(n);
  if (node.kind == NodeKind::master) return Category::mix;
  if (is_summing_point(node.kind) && node.kind != NodeKind::aux_return && !node.stem &&
      contains_any_word(node.name,
                        {"mix", "master", "2-bus", "2 bus", "2bus", "stereo bus", "sum"}))
    return Category::mix;
  if (node.stem)
    if (auto c = from_text(*node.stem)) return *c;
  if (auto c = from_text(node.name)) return *c;
  return Category::general;
}

bool is_reverb(const Node& node) {
  const auto reverb_words = [](std::string_view text) {
    return contains_any_word(text, {"verb", "plate", "hall", "room", "chamber", "spring", "ambien",
                                    "space", "church", "cathedral"});
  };
  return reverb_words(node.name) ||
         std::any_of(node.plugins.begin(), node.plugins.end(),
                     [&](const Plugin& p) { return reverb_words(p.name); });
}

}  // namespace routewise
