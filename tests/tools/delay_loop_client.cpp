// A JACK client that returns its input delayed by a known amount — integer or fractional (by
// Routewise's windowed-sinc delay line) — optionally inverted and with white noise added: the
// known loop the latency measurement is checked against.
//
//   delay_loop_client --name NAME --delay SAMPLES [--invert] [--noise-dbfs DB]
// Ports NAME:in and NAME:out. Runs until SIGTERM/SIGINT.
#include <jack/jack.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include "routewise/audio/delay_line.hpp"
#include "routewise/model/units.hpp"

namespace {

std::atomic<bool> stop{false};  // signal handler flag (test tool, not library code)

struct Loop {
  jack_port_t* in = nullptr;
  jack_port_t* out = nullptr;
  routewise::DelayLine* line = nullptr;
  float sign = 1.0f;
  float noise_rms = 0.0f;
  std::mt19937 random{12345};
  std::normal_distribution<float> normal{0.0f, 1.0f};
};

int process(jack_nframes_t frames, void* user) {
  auto* loop = static_cast<Loop*>(user);
  const auto* in = static_cast<const float*>(jack_port_get_buffer(loop->in, frames));
  auto* out = static_cast<float*>(jack_port_get_buffer(loop->out, frames));
  loop->line->process(in, out, frames);
  for (jack_nframes_t i = 0; i < frames; ++i)
    out[i] = loop->sign * out[i] +
             (loop->noise_rms > 0.0f ? loop->noise_rms * loop->normal(loop->random) : 0.0f);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string name = "delay_loop";
  double delay = 0.0, noise_dbfs = -1000.0;
  bool invert = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--name" && i + 1 < argc)
      name = argv[++i];
    else if (arg == "--delay" && i + 1 < argc)
      delay = std::stod(argv[++i]);
    else if (arg == "--noise-dbfs" && i + 1 < argc)
      noise_dbfs = std::stod(argv[++i]);
    else if (arg == "--invert")
      invert = true;
    else {
      std::fprintf(
          stderr,
          "usage: delay_loop_client --name NAME --delay SAMPLES [--invert] [--noise-dbfs DB]\n");
      return 2;
    }
  }
  jack_status_t status{};
  jack_client_t* client = jack_client_open(name.c_str(), JackNoStartServer, &status);
  if (!client) {
    std::fprintf(stderr, "delay_loop_client: no JACK server\n");
    return 1;
  }
  routewise::DelayLine line(delay, jack_get_buffer_size(client));
  Loop loop;
  loop.line = &line;
  loop.sign = invert ? -1.0f : 1.0f;
  loop.noise_rms = static_cast<float>(routewise::db_to_amplitude(noise_dbfs));
  loop.in = jack_port_register(client, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
  loop.out = jack_port_register(client, "out", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
  jack_set_process_callback(client, process, &loop);
  if (jack_activate(client) != 0) {
    std::fprintf(stderr, "delay_loop_client: cannot activate\n");
    return 1;
  }
  std::signal(SIGTERM, [](int) { stop = true; });
  std::signal(SIGINT, [](int) { stop = true; });
  std::printf("ready\n");
  std::fflush(stdout);
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  jack_deactivate(client);
  jack_client_close(client);
  return 0;
}
