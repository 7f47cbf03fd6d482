#pragma once
// Parsing session XML safely for the importers (private to protocols/).

#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "routewise/model/diagnostic.hpp"

namespace routewise::import {

// Parses without DTD processing, so entity declarations are never expanded and entity bombs stay
// inert text. On failure adds "<where_prefix>line N: not well-formed XML: ..." and returns false.
bool parse_xml(pugi::xml_document& doc, std::string_view xml, const std::string& where_prefix,
               Diagnostics& d);
// The same without a copy of the text: `xml` becomes the document's storage (its text is changed,
// and it must outlive `doc`). For inflated sets, where the copy would be hundreds of MB.
bool parse_xml_in_place(pugi::xml_document& doc, std::string& xml, const std::string& where_prefix,
                        Diagnostics& d);

}  // namespace routewise::import
