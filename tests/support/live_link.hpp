#pragma once
// A live mixer and its DAW link together, as most tests drive them: the test's own changes are
// written as a stand-in surface (`writer`), and every change anyone makes but the DAW link's own
// echo-filtered confirmations reaches on_change (local ones with the writer as origin).

#include <functional>
#include <string>
#include <utility>

#include "routewise/daw/daw_link.hpp"
#include "routewise/live/live_mixer.hpp"

namespace routewise::testing {

class LiveLink {
 public:
  using Change = LiveMixer::ValueChange;
  LiveLink(RouteGraph topology, const DawLinkOptions& options)
      : mixer_(std::move(topology)), link_(mixer_, options) {
    mixer_.add_listener(recorder_);
  }
  ~LiveLink() { mixer_.remove_listener(recorder_); }
  LiveLink(const LiveLink&) = delete;
  LiveLink& operator=(const LiveLink&) = delete;

  LiveMixer& mixer() { return mixer_; }
  DawLink& link() { return link_; }
  const LiveMixer::Listener* daw() const { return link_.as_origin(); }  // what came from the DAW
  const LiveMixer::Listener* writer() const { return &writer_; }        // what the test wrote

  void poll(std::chrono::milliseconds timeout) { link_.poll(timeout); }
  LinkState state() const { return link_.state(); }
  bool synced() const { return link_.synced(); }
  bool complete() const { return link_.complete(); }
  std::uint64_t resyncs() const { return link_.resyncs(); }
  std::vector<std::string> mismatches() const { return link_.mismatches(); }
  const OscStats& stats() const { return link_.stats(); }
  std::uint64_t unknown_messages() const { return link_.unknown_messages(); }
  std::uint16_t listen_port() const { return link_.listen_port(); }
  const std::map<int, LiveStrip>& strips() const { return mixer_.strips(); }
  const RouteGraph& graph() const { return mixer_.graph(); }
  std::string master_node_id() const { return mixer_.master_node_id(); }
  const std::string& timecode() const { return mixer_.timecode(); }
  bool playing() const { return mixer_.playing(); }
  bool recording() const { return mixer_.recording(); }
  std::uint64_t structure_version() const { return mixer_.structure_version(); }

  bool set(const std::string& node_id, MixerControl control, double value) {
    return mixer_.set(node_id, control, value, &writer_);
  }
  bool set_send(const std::string& node_id, const std::string& target_node_id, double level_db) {
    return mixer_.set_send(node_id, target_node_id, level_db, &writer_);
  }
  bool transport(TransportControl control) {
    return mixer_.request(TransportRequest{control}, &writer_);
  }
  bool set_plugin_bypass(const std::string& node_id, int slot, bool bypassed) {
    return mixer_.request(PluginBypassRequest{node_id, slot, bypassed}, &writer_);
  }
  void on_change(std::function<void(const Change&)> listener) {
    recorder_.listener = std::move(listener);
  }

 private:
  struct Writer : LiveMixer::Listener {};
  struct Recorder : LiveMixer::Listener {
    std::function<void(const Change&)> listener;
    void value_changed(const Change& c) override {
      if (listener) listener(c);
    }
  };
  LiveMixer mixer_;
  Writer writer_;
  Recorder recorder_;
  DawLink link_;
};

}  // namespace routewise::testing
