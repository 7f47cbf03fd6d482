// DAWproject (the open exchange format of Bitwig, Studio One, Cubase): a zip holding project.xml.
#include <fmt/format.h>

#include <zip.h>
#include <algorithm>

#include <map>
#include <memory>
#include <pugixml.hpp>

#include "import_support.hpp"
#include "routewise/model/fader_law.hpp"
#include "routewise/sessions/session_import.hpp"
#include "xml_support.hpp"

namespace routewise {
namespace {

using import::gain_to_db;

constexpr zip_uint64_t max_project_xml_bytes = 64ull * 1024 * 1024;

// A channel's volume: linear (0..2) or already in dB, as the unit attribute says.
double volume_db(pugi::xml_node volume) {
  const std::string_view unit = volume.attribute("unit").as_string("linear");
  const double v = volume.attribute("value").as_double(1.0);
  return clamp_fader_db(unit == "decibel" ? v : gain_to_db(v));
}

std::string xml_path(pugi::xml_node n) {
  std::string path;
  for (; n && n.type() == pugi::node_element; n = n.parent()) {
    std::string step = n.name();
    if (n.attribute("id")) step += fmt::format("[@id='{}']", n.attribute("id").as_string());
    path = "/" + step + path;
  }
  return path;
}

class Importer {
 public:
  Importer(Diagnostics& d, ImportCoverage& c, const std::string& name) : d_(d), c_(c) {
    g_.session.name = name;
    g_.session.source_daw = "DAWproject";
  }

  std::optional<RouteGraph> run(const pugi::xml_document& doc) {
    const auto project = doc.child("Project");
    const auto app = project.child("Application");
    if (app) {
      g_.session.source_daw = fmt::format("DAWproject ({})", app.attribute("name").as_string("?"));
      g_.session.daw_version = app.attribute("version").as_string();
    }
    if (const auto tempo = project.child("Transport").child("Tempo"))
      g_.session.tempo_bpm = tempo.attribute("value").as_double();
    note("/Project", "DAWproject stores no session sample rate; 48000 Hz assumed");
    // Channels live in Structure, inside Tracks (also nested folder Tracks) or on their own.
    collect(project.child("Structure"), "");
    for (const std::string& id : order_) add_node(channels_.at(id));
    for (const std::string& id : order_) add_edges(channels_.at(id));
    if (plugin_count_ > 0)
      note("/Project/Structure",
           fmt::format("DAWproject stores no plugin latency: {} devices imported with latency 0 "
                       "(unknown)",
                       plugin_count_));
    canonicalize_edges(g_);
    return std::move(g_);
  }

 private:
  struct ChannelInfo {
    pugi::xml_node xml;
    std::string id, name, node_id, parent_track_channel;
    std::size_t order;
  };

  void note(std::string where, std::string message) {
    d_.warnings.push_back({std::move(where), std::move(message)});
  }

  // Channels at the top of Structure, and each Track's own Channel; folder Tracks nest Tracks.
  void collect(pugi::xml_node parent, const std::string& parent_channel,
               bool inside_track = false) {
    for (auto child : parent.children()) {
      const std::string_view tag = child.name();
      if (tag == "Track") {
        const auto ch = child.child("Channel");
        std::string own;
        if (ch) {
          own = ch.attribute("id").as_string();
          add_channel(ch, child.attribute("name").as_string(), parent_channel);
        }
        collect(child, own.empty() ? parent_channel : own, true);
      } else if (tag == "Channel" && !inside_track) {
        add_channel(child, child.attribute("name").as_string(), parent_channel);
      }
    }
  }

  void add_channel(pugi::xml_node ch, std::string name, const std::string& parent) {
    ChannelInfo info{
        ch, ch.attribute("id").as_string(), std::move(name), "", parent, channels_.size()};
    if (info.id.empty()) info.id = fmt::format("channel-{}", channels_.size() + 1);
    if (info.name.empty()) info.name = ch.attribute("role").as_string("channel");
    order_.push_back(info.id);
    channels_.emplace(info.id, std::move(info));
  }

  void add_node(ChannelInfo& ch) {
    c_.count("tracks", true);
    Node n;
    n.id = ids_.make(ch.name, "channel");
    ch.node_id = n.id;
    n.name = ch.name;
    n.daw_id = ch.id;
    const std::string_view role = ch.xml.attribute("role").as_string("regular");
    n.kind = role == "master"   ? NodeKind::master
             : role == "effect" ? NodeKind::aux_return
             : role == "submix" ? NodeKind::bus
                                : NodeKind::track;
    if (role != "master" && role != "effect" && role != "submix" && role != "regular")
      note(xml_path(ch.xml), fmt::format("unknown channel role '{}'; imported as a track", role));
    n.channel_count = std::clamp(ch.xml.attribute("audioChannels").as_int(2), 1, 64);
    if (const auto v = ch.xml.child("Volume")) n.fader_db = volume_db(v);
    if (const auto p = ch.xml.child("Pan")) {
      const double v = p.attribute("value").as_double(0.5);
      n.pan = std::clamp(
          std::string_view(p.attribute("unit").as_string("normalized")) == "normalized" ? v * 2 - 1
                                                                                        : v,
          -1.0, 1.0);
    }
    n.mute = ch.xml.child("Mute").attribute("value").as_bool(false);
    n.solo = ch.xml.attribute("solo").as_bool(false);
    for (auto device : ch.xml.child("Devices").children()) {
      Plugin p;
      p.name = device.attribute("deviceName")
                   .as_string(device.attribute("name").as_string(device.name()));
      p.bypassed = !device.child("Enabled").attribute("value").as_bool(true);
      ++plugin_count_;
      c_.count("plugins", true);
      n.plugins.push_back(std::move(p));
    }
    g_.nodes.push_back(std::move(n));
  }

  void add_edges(const ChannelInfo& ch) {
    const std::string destination = ch.xml.attribute("destination").as_string();
    if (!destination.empty()) {
      const auto it = channels_.find(destination);
      if (it != channels_.end())
        g_.edges.push_back(
            import::make_edge(EdgeKind::direct_output, ch.node_id, it->second.node_id));
      else
        note(xml_path(ch.xml),
             fmt::format("destination '{}' is no channel in this project; output not imported",
                         destination));
      c_.count("outputs", it != channels_.end(),
               fmt::format("'{}' outputs to '{}', which is no channel in this project", ch.name,
                           destination));
    } else if (!ch.parent_track_channel.empty() && channels_.contains(ch.parent_track_channel)) {
      // A channel inside a folder track without its own destination sums into the folder.
      g_.edges.push_back(import::make_edge(EdgeKind::direct_output, ch.node_id,
                                           channels_.at(ch.parent_track_channel).node_id));
    }
    for (auto send : ch.xml.child("Sends").children("Send")) {
      const std::string target = send.attribute("destination").as_string();
      const auto it = channels_.find(target);
      c_.count(
          "sends", it != channels_.end(),
          fmt::format("'{}' sends to '{}', which is no channel in this project", ch.name, target));
      if (it == channels_.end()) {
        note(
            xml_path(send),
            fmt::format("send to '{}', which is no channel in this project; not imported", target));
        continue;
      }
      Edge e = import::make_edge(EdgeKind::send, ch.node_id, it->second.node_id);
      if (const auto v = send.child("Volume")) e.level_db = volume_db(v);
      e.tap = std::string_view(send.attribute("type").as_string("post")) == "pre"
                  ? TapPoint::pre_fader
                  : TapPoint::post_fader;
      e.mute = !send.child("Enabled").attribute("value").as_bool(true);
      if (target == ch.id)
        note(xml_path(send),
             fmt::format("'{}' sends to itself (a feedback loop unless the DAW ignores it)",
                         ch.name));
      g_.edges.push_back(std::move(e));
    }
  }

  Diagnostics& d_;
  ImportCoverage& c_;
  RouteGraph g_;
  std::map<std::string, ChannelInfo> channels_;
  std::vector<std::string> order_;
  import::IdMaker ids_;
  std::size_t plugin_count_ = 0;
};

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipSourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

}  // namespace

ImportResult import_dawproject_xml(std::string_view xml, const std::string& name) {
  ImportResult result;
  result.format = SessionFormat::dawproject_xml;
  pugi::xml_document doc;
  if (!import::parse_xml(doc, xml, "project.xml ", result.diagnostics)) return result;
  if (!doc.child("Project")) {
    result.diagnostics.errors.push_back(
        {"project.xml", "not a DAWproject (no <Project> root element)"});
    return result;
  }
  Importer importer(result.diagnostics, result.coverage, name);
  result.graph = import::checked(importer.run(doc), result.diagnostics);
  return result;
}

ImportResult import_dawproject_zip(std::string_view bytes, const std::string& name) {
  ImportResult result;
  result.format = SessionFormat::dawproject_zip;
  auto& errors = result.diagnostics.errors;
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, ZipSourceFree> source(
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error));
  if (!source) {
    errors.push_back({"", "cannot read the zip archive"});
    return result;
  }
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open_from_source(source.get(), ZIP_RDONLY, &error));
  if (!archive) {
    errors.push_back(
        {"", std::string("not a readable zip archive: ") + zip_error_strerror(&error)});
    zip_error_fini(&error);
    return result;
  }
  (void)source.release();  // the archive owns the source now
  const zip_int64_t entry = zip_name_locate(archive.get(), "project.xml", 0);
  if (entry < 0) {
    const bool legacy = zip_name_locate(archive.get(), "project.json", 0) >= 0;
    errors.push_back({"project.xml",
                      legacy ? "this is the obsolete DAWproject 0.1 JSON prototype (project.json); "
                               "export it again as DAWproject 1.0"
                             : "missing: not a DAWproject archive"});
    return result;
  }
  // Member names are never used as paths on disk, so "../" entries cannot escape anywhere; say so.
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive.get(), 0); ++i) {
    const char* raw = zip_get_name(archive.get(), static_cast<zip_uint64_t>(i), 0);
    const std::string member = raw ? raw : "";
    if (member.find("..") != std::string::npos || (!member.empty() && member.front() == '/'))
      result.diagnostics.warnings.push_back({member, "unsafe member path in the archive; ignored"});
  }
  zip_stat_t st;
  if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(entry), 0, &st) != 0 ||
      !(st.valid & ZIP_STAT_SIZE)) {
    errors.push_back({"project.xml", "size unknown in the archive"});
    return result;
  }
  if (st.size > max_project_xml_bytes) {
    errors.push_back(
        {"project.xml", fmt::format("expands to {} MB, more than the {} MB limit (zip bomb?)",
                                    st.size >> 20, max_project_xml_bytes >> 20)});
    return result;
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(entry), 0));
  if (!file) {
    errors.push_back({"project.xml", "cannot be opened in the archive"});
    return result;
  }
  // Read at most the declared size plus one byte: a member that lies about its size is caught.
  std::string xml(st.size + 1, '\0');
  zip_int64_t total = 0;
  while (static_cast<zip_uint64_t>(total) < xml.size()) {
    const zip_int64_t n =
        zip_fread(file.get(), xml.data() + total, xml.size() - static_cast<zip_uint64_t>(total));
    if (n < 0) {
      errors.push_back({"project.xml", "damaged in the archive (decompression failed)"});
      return result;
    }
    if (n == 0) break;
    total += n;
  }
  if (static_cast<zip_uint64_t>(total) != st.size) {
    errors.push_back({"project.xml", "its size in the archive does not match its contents"});
    return result;
  }
  xml.resize(static_cast<std::size_t>(total));
  ImportResult inner = import_dawproject_xml(xml, name);
  inner.format = SessionFormat::dawproject_zip;
  for (auto& w : result.diagnostics.warnings) inner.diagnostics.warnings.push_back(std::move(w));
  return inner;
}

}  // namespace routewise
