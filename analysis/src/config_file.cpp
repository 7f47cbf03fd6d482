#include "routewise/analysis/config_file.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "routewise/analysis/rule.hpp"
#include "routewise/model/route_map_json.hpp"

namespace routewise {
namespace {

std::string known_keys(const Rule& rule) {
  std::string out;
  for (const Threshold& t : rule.thresholds) out += (out.empty() ? "" : ", ") + std::string(t.key);
  return out.empty() ? "this rule has no thresholds" : "known: " + out;
}

// Checks one rule-table entry and stores it; `where` is the line or key path for messages.
void set_threshold(AnalysisConfig& config, Diagnostics& d, const std::string& where,
                   const std::string& rule_id, const std::string& key,
                   std::optional<double> value) {
  const Rule* rule = find_rule(rule_id);
  if (!rule) return d.errors.push_back({where, fmt::format("unknown rule \"{}\"", rule_id)});
  bool known = false;
  for (const Threshold& t : rule->thresholds) known = known || t.key == key;
  if (!known)
    return d.errors.push_back(
        {where, fmt::format("{}.{}: unknown threshold ({})", rule_id, key, known_keys(*rule))});
  if (!value || !std::isfinite(*value) || std::fabs(*value) > 1e6)
    return d.errors.push_back({where, fmt::format("{}.{}: expected a number", rule_id, key)});
  config.thresholds[rule_id + "." + key] = *value;
}

void add_ignore(AnalysisConfig& config, Diagnostics& d, const std::string& where,
                const std::string& entry) {
  const std::string rule = entry.substr(0, entry.find(':'));
  bool matches = false;
  for (const Rule& r : all_rules()) matches = matches || glob_match(rule, r.id);
  if (!matches)
    return d.errors.push_back({where, fmt::format("ignore: no rule matches \"{}\"", rule)});
  config.ignore.push_back(entry);
}

void add_disabled(AnalysisConfig& config, Diagnostics& d, const std::string& where,
                  const std::string& rule) {
  if (!find_rule(rule))
    return d.errors.push_back({where, fmt::format("disable: unknown rule \"{}\"", rule)});
  config.disabled_rules.push_back(rule);
}

void add_stem(AnalysisConfig& config, Diagnostics& d, const std::string& where,
              const std::string& stem, const std::optional<std::string>& bus) {
  if (!bus || bus->empty())
    return d.errors.push_back(
        {where, fmt::format("stems.{}: expected the name or id of the stem's bus", stem)});
  config.stems[stem] = *bus;
}

std::string line_of(const toml::node& n) {
  return n.source().begin.line ? fmt::format("line {}", n.source().begin.line) : "";
}

ConfigLoad parse_toml(std::string_view text) {
  ConfigLoad result;
  AnalysisConfig config;
  Diagnostics& d = result.diagnostics;
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    d.errors.push_back({fmt::format("line {}", e.source().begin.line),
                        fmt::format("not valid TOML: {}", e.description())});
    return result;
  }
  for (auto&& [key, value] : table) {
    const std::string name(key.str());
    const std::string where = line_of(value);
    if (name == "ignore" || name == "disable") {
      const toml::array* list = value.as_array();
      if (!list) {
        d.errors.push_back({where, name + ": expected an array of strings"});
        continue;
      }
      for (auto&& item : *list) {
        const auto s = item.value<std::string>();
        if (!s)
          d.errors.push_back({line_of(item), name + ": expected a string"});
        else if (name == "ignore")
          add_ignore(config, d, line_of(item), *s);
        else
          add_disabled(config, d, line_of(item), *s);
      }
    } else if (name == "stems") {
      const toml::table* stems = value.as_table();
      if (!stems) {
        d.errors.push_back({where, "stems: expected a table of stem = \"bus\""});
        continue;
      }
      for (auto&& [stem, bus] : *stems)
        add_stem(config, d, line_of(bus), std::string(stem.str()), bus.value<std::string>());
    } else if (const toml::table* rule = value.as_table()) {
      for (auto&& [k, v] : *rule)
        set_threshold(config, d, line_of(v), name, std::string(k.str()), v.value<double>());
      if (rule->empty() && !find_rule(name))
        d.errors.push_back({where, fmt::format("unknown rule \"{}\"", name)});
    } else {
      d.errors.push_back(
          {where, fmt::format("{}: expected a [rule] table, [stems], ignore or disable", name)});
    }
  }
  if (d.ok()) result.config = std::move(config);
  return result;
}

ConfigLoad parse_json(std::string_view text) {
  ConfigLoad result;
  AnalysisConfig config;
  Diagnostics& d = result.diagnostics;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&
               e) {  // parse errors, and numbers too large for a double (406)
    std::string what = e.what();
    d.errors.push_back({"", "not valid JSON: " + what.substr(what.find("] ") + 2)});
    return result;
  }
  if (!doc.is_object()) {
    d.errors.push_back({"(top level)", "expected an object"});
    return result;
  }
  for (const auto& [name, value] : doc.items()) {
    if (name == "ignore" || name == "disable") {
      if (!value.is_array()) {
        d.errors.push_back({name, "expected an array of strings"});
        continue;
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string where = fmt::format("{}[{}]", name, i);
        if (!value[i].is_string())
          d.errors.push_back({where, "expected a string"});
        else if (name == "ignore")
          add_ignore(config, d, where, value[i].get<std::string>());
        else
          add_disabled(config, d, where, value[i].get<std::string>());
      }
    } else if (name == "stems") {
      if (!value.is_object()) {
        d.errors.push_back({name, "expected an object of \"stem\": \"bus\""});
        continue;
      }
      for (const auto& [stem, bus] : value.items())
        add_stem(
            config, d, name + "." + stem, stem,
            bus.is_string() ? std::optional<std::string>(bus.get<std::string>()) : std::nullopt);
    } else if (value.is_object()) {
      for (const auto& [k, v] : value.items())
        set_threshold(config, d, name + "." + k, name, k,
                      v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt);
    } else {
      d.errors.push_back({name, "expected a rule object, stems, ignore or disable"});
    }
  }
  if (d.ok()) result.config = std::move(config);
  return result;
}

}  // namespace

ConfigLoad parse_analysis_config(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{' ? parse_json(text)
                                                               : parse_toml(text);
}

ConfigLoad load_analysis_config(const std::filesystem::path& path) {
  const FileRead file = read_text_file(path, std::size_t{16} << 20);
  if (!file.content) {
    ConfigLoad result;
    result.diagnostics.errors.push_back({"", file.error});
    return result;
  }
  return parse_analysis_config(*file.content);
}

}  // namespace routewise
