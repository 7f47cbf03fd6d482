#include "routewise/audio/audio_loop.hpp"

#include <jack/jack.h>
#include <rtaudio/RtAudio.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <thread>

#include <unistd.h>

namespace routewise {
namespace {

struct Route {
  unsigned device_id = 0;
  unsigned channel = 0;  // zero-based
  std::string device_name;
};

// JACK port names are regular expressions to jack_get_ports; RtAudio escapes the client name the
// same way before asking for a device's ports, so the order below is the order of its channels.
std::string escape_regex(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::strchr("\\^$.|?*+()[]{}", c)) out += '\\';
    out += c;
  }
  return out;
}

struct JackClientCloser {
  void operator()(jack_client_t* client) const { jack_client_close(client); }
};
struct JackPortsFree {
  void operator()(const char** ports) const { jack_free(ports); }
};
using JackClient = std::unique_ptr<jack_client_t, JackClientCloser>;
using JackPorts = std::unique_ptr<const char*, JackPortsFree>;

JackClient open_jack_probe() {
  jack_status_t status{};
  JackClient client(jack_client_open("routewise-probe", JackNoStartServer, &status));
  if (!client)
    throw AudioLoopError(
        "no JACK server is running (start one, e.g. `jackd -d alsa` or `jackd -d dummy`)");
  return client;
}

std::vector<std::string> jack_ports(jack_client_t* client, const char* pattern,
                                    unsigned long flags) {
  JackPorts ports(jack_get_ports(client, pattern, JACK_DEFAULT_AUDIO_TYPE, flags));
  std::vector<std::string> names;
  for (const char** p = ports.get(); p && *p; ++p) names.emplace_back(*p);
  return names;
}

unsigned find_device(RtAudio& audio, const std::string& name, const std::string& port) {
  // RtAudio numbers JACK clients afresh on every call, so a client coming or going between two
  // calls shifts the numbers: look again a few times before giving up.
  for (int attempt = 0; attempt < 5; ++attempt) {
    for (unsigned i = 0; i < audio.getDeviceCount(); ++i)
      if (audio.getDeviceInfo(i).name == name) return i;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw AudioLoopError("port '" + port + "': RtAudio has no device '" + name + "'");
}

// A JACK port as RtAudio addresses it: the client is the device, the port's position among that
// client's ports of the same direction is the channel.
Route jack_route(RtAudio& audio, jack_client_t* probe, const std::string& port, bool playback) {
  const auto colon = port.find(':');
  if (colon == std::string::npos)
    throw AudioLoopError("port '" + port + "' is not a JACK port name (CLIENT:PORT)");
  const std::string client = port.substr(0, colon);
  const auto ports = jack_ports(probe, escape_regex(client).c_str(),
                                playback ? JackPortIsInput : JackPortIsOutput);
  const auto found = std::find(ports.begin(), ports.end(), port);
  if (found == ports.end()) {
    std::string known;
    for (const auto& p : jack_ports(probe, nullptr, playback ? JackPortIsInput : JackPortIsOutput))
      known += (known.empty() ? "" : ", ") + p;
    throw AudioLoopError("JACK port '" + port + "' does not exist or cannot be " +
                         (playback ? "played into" : "recorded from") + " (ports: " + known + ")");
  }
  return {find_device(audio, client, port), static_cast<unsigned>(found - ports.begin()), client};
}

Route alsa_route(RtAudio& audio, const std::string& port) {
  const auto hash = port.rfind('#');
  const std::string device = hash == std::string::npos ? port : port.substr(0, hash);
  unsigned channel = 0;
  if (hash != std::string::npos) {
    channel = static_cast<unsigned>(std::stoul(port.substr(hash + 1)));
    if (channel == 0) throw AudioLoopError("port '" + port + "': channels count from 1");
    --channel;
  }
  return {find_device(audio, device, port), channel, device};
}

struct Take {
  const std::vector<float>* signal = nullptr;
  std::vector<float> recording;
  std::size_t position = 0;
  std::atomic<bool> armed{false};  // the ports are connected: play and record from the next cycle
  std::atomic<bool> done{false};
  std::atomic<int> xruns{0};
};

int callback(void* output, void* input, unsigned frames, double, RtAudioStreamStatus status,
             void* user) {
  auto* take = static_cast<Take*>(user);
  auto* out = static_cast<float*>(output);
  const auto* in = static_cast<const float*>(input);
  if (!take->armed) {
    std::fill(out, out + frames, 0.0f);
    return 0;
  }
  if (status) take->xruns.fetch_add(1);
  const std::vector<float>& signal = *take->signal;
  for (unsigned i = 0; i < frames; ++i) {
    const std::size_t t = take->position + i;
    out[i] = t < signal.size() ? signal[t] : 0.0f;
    if (t < take->recording.size()) take->recording[t] = in[i];
  }
  take->position += frames;
  if (take->position >= take->recording.size()) {
    take->done = true;
    return 1;  // stop after this buffer has played
  }
  return 0;
}

}  // namespace

LoopRecording play_and_record(AudioBackend backend, const std::string& out_port,
                              const std::string& in_port, const std::vector<float>& signal,
                              std::size_t extra_frames, std::chrono::milliseconds timeout) {
  try {
    RtAudio audio(backend == AudioBackend::jack ? RtAudio::UNIX_JACK : RtAudio::LINUX_ALSA);
    audio.showWarnings(false);
    JackClient probe;
    if (backend == AudioBackend::jack) probe = open_jack_probe();
    Take take;
    take.signal = &signal;
    unsigned buffer_frames = 256;  // JACK uses the server's period whatever is asked
    // RtAudio's JACK backend hands the callback the input of the previous cycle (it copies the
    // ports into its buffer after calling back), which adds one period that no other JACK client
    // would see. One period more is recorded and dropped below.
    const std::size_t skipped = probe ? jack_get_buffer_size(probe.get()) : 0;
    take.recording.assign(signal.size() + extra_frames + skipped, 0.0f);
    // With JACK, RtAudio is told not to connect: it addresses ports by device number, and those
    // numbers shift when any client comes or goes. The stream's own ports (under a client name of
    // its own) are connected to the named ports through libjack instead, so a take can only
    // fail to open, never measure the wrong ports.
    const std::string client =
        "routewise-measure-" + std::to_string(::getpid()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
    RtAudio::StreamOptions options;
    options.streamName = client;
    options.flags = RTAUDIO_MINIMIZE_LATENCY | (probe ? RTAUDIO_JACK_DONT_CONNECT : 0);
    unsigned rate = 0;
    for (int attempt = 1;; ++attempt) {
      const Route out =
          probe ? jack_route(audio, probe.get(), out_port, true) : alsa_route(audio, out_port);
      const Route in =
          probe ? jack_route(audio, probe.get(), in_port, false) : alsa_route(audio, in_port);
      RtAudio::StreamParameters out_params{out.device_id, 1, probe ? 0 : out.channel};
      RtAudio::StreamParameters in_params{in.device_id, 1, probe ? 0 : in.channel};
      rate = probe ? jack_get_sample_rate(probe.get())
                   : audio.getDeviceInfo(out.device_id).preferredSampleRate;
      try {
        audio.openStream(&out_params, &in_params, RTAUDIO_FLOAT32, rate, &buffer_frames, &callback,
                         &take, &options);
        break;
      } catch (const RtAudioError&) {
        if (attempt == 5) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    audio.startStream();
    if (probe) {
      const auto own = [&](const char* direction) {
        const auto ports = jack_ports(probe.get(), ("^" + escape_regex(client) + ":").c_str(),
                                      direction[0] == 'o' ? JackPortIsOutput : JackPortIsInput);
        if (ports.empty()) throw AudioLoopError("the measuring client's ports did not appear");
        return ports.front();
      };
      if (jack_connect(probe.get(), own("out").c_str(), out_port.c_str()) != 0 ||
          jack_connect(probe.get(), in_port.c_str(), own("in").c_str()) != 0) {
        audio.abortStream();
        audio.closeStream();
        throw AudioLoopError("could not connect to '" + out_port + "' and '" + in_port + "'");
      }
    }
    take.armed = true;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!take.done && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // Let the callback that set `done` return before the stream is torn down.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (audio.isStreamRunning()) audio.abortStream();
    audio.closeStream();
    if (!take.done)
      throw AudioLoopError("the audio stream did not finish within " +
                           std::to_string(timeout.count()) + " ms (is the server running?)");
    if (take.xruns > 0)
      throw AudioLoopXrun(std::to_string(take.xruns.load()) +
                          " xrun(s) during the take: samples were lost, measure again");
    LoopRecording result;
    result.recording.assign(take.recording.begin() + static_cast<std::ptrdiff_t>(skipped),
                            take.recording.end());
    result.sample_rate_hz = rate;
    result.buffer_frames = buffer_frames;
    result.device = std::string(backend == AudioBackend::jack ? "jack:" : "alsa:") + out_port +
                    " -> " + in_port;
    return result;
  } catch (const RtAudioError& e) {
    throw AudioLoopError(std::string("RtAudio: ") + e.what());
  }
}

std::vector<std::string> audio_ports(AudioBackend backend, bool playback) {
  std::vector<std::string> ports;
  if (backend == AudioBackend::jack) {
    const JackClient probe = open_jack_probe();
    return jack_ports(probe.get(), nullptr, playback ? JackPortIsInput : JackPortIsOutput);
  }
  try {
    RtAudio audio(RtAudio::LINUX_ALSA);
    audio.showWarnings(false);
    for (unsigned i = 0; i < audio.getDeviceCount(); ++i) {
      const RtAudio::DeviceInfo info = audio.getDeviceInfo(i);
      const unsigned channels = playback ? info.outputChannels : info.inputChannels;
      for (unsigned c = 1; c <= channels; ++c) ports.push_back(info.name + "#" + std::to_string(c));
    }
  } catch (const RtAudioError& e) {
    throw AudioLoopError(std::string("RtAudio: ") + e.what());
  }
  return ports;
}

}  // namespace routewise
