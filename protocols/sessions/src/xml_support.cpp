#include "xml_support.hpp"

#include <algorithm>

namespace routewise::import {

namespace {

constexpr unsigned options = pugi::parse_default & ~pugi::parse_doctype;

bool reported(const pugi::xml_parse_result& parsed, std::string_view xml,
              const std::string& where_prefix, Diagnostics& d) {
  if (parsed) return true;
  const auto end = xml.begin() + std::clamp<std::ptrdiff_t>(
                                     parsed.offset, 0, static_cast<std::ptrdiff_t>(xml.size()));
  const auto line = 1 + std::count(xml.begin(), end, '\n');
  d.errors.push_back({where_prefix + "line " + std::to_string(line),
                      std::string("not well-formed XML: ") + parsed.description()});
  return false;
}

}  // namespace

bool parse_xml(pugi::xml_document& doc, std::string_view xml, const std::string& where_prefix,
               Diagnostics& d) {
  return reported(doc.load_buffer(xml.data(), xml.size(), options), xml, where_prefix, d);
}

bool parse_xml_in_place(pugi::xml_document& doc, std::string& xml, const std::string& where_prefix,
                        Diagnostics& d) {
  return reported(doc.load_buffer_inplace(xml.data(), xml.size(), options), xml, where_prefix, d);
}

}  // namespace routewise::import
