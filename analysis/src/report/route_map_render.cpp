#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "routewise/analysis/route_map_render.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROUTEWISE_HAS_ASAN 1
#endif
#endif
#ifndef ROUTEWISE_HAS_ASAN
#define ROUTEWISE_HAS_ASAN 0
#endif

namespace routewise {
namespace {

struct ContextDeleter {
  void operator()(GVC_t* c) const { gvFreeContext(c); }
};
struct GraphDeleter {
  void operator()(Agraph_t* g) const { agclose(g); }
};

// Layout state belongs to one context and graph; freeing it first is what gvc requires.
class Layout {
 public:
  Layout(GVC_t* context, Agraph_t* graph, const char* engine) : context_(context), graph_(graph) {
    ok_ = gvLayout(context, graph, engine) == 0;
  }
  ~Layout() {
    if (ok_) gvFreeLayout(context_, graph_);
  }
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;
  bool ok() const { return ok_; }

 private:
  GVC_t* context_;
  Agraph_t* graph_;
  bool ok_ = false;
};

// Lays out and renders in this process; the caller bounds it.
Rendered render_here(const std::string& dot, const std::string& format, const char* engine) {
  Rendered result;
  std::unique_ptr<GVC_t, ContextDeleter> context(gvContext());
  if (!context) {
    result.error = "Graphviz context could not be created";
    return result;
  }
  std::unique_ptr<Agraph_t, GraphDeleter> graph(agmemread(dot.c_str()));
  if (!graph) {
    result.error = "Graphviz could not read the generated DOT";
    return result;
  }
  const Layout layout(context.get(), graph.get(), engine);
  if (!layout.ok()) {
    result.error = "Graphviz layout failed";
    return result;
  }
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(context.get(), graph.get(), format.c_str(), &data, &length) != 0 || !data) {
    result.error = "Graphviz has no " + format + " renderer installed";
    return result;
  }
  result.data = std::string(data, length);
  gvFreeRenderData(data);
  return result;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Graphviz has no way to stop a layout, and dense graphs take it minutes: the work runs in a
// child process that is killed at the deadline. Its memory is capped too.
std::optional<Rendered> render_bounded(const std::string& dot, const std::string& format,
                                       const char* engine, double seconds) {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return render_here(dot, format, engine);
  Fd read_end{ends[0]}, write_end{ends[1]};
  const pid_t child = ::fork();
  if (child < 0) return render_here(dot, format, engine);
  if (child == 0) {
    // AddressSanitizer reserves terabytes of address space for its shadow: under it only the
    // time bound holds.
#if !defined(__SANITIZE_ADDRESS__) && !ROUTEWISE_HAS_ASAN
    const rlimit memory{rlim_t{2} << 30, rlim_t{2} << 30};
    ::setrlimit(RLIMIT_AS, &memory);
#endif
    const Rendered r = render_here(dot, format, engine);
    const std::string reply = r.data ? "O" + *r.data : "E" + r.error;
    const char* p = reply.data();
    std::size_t left = reply.size();
    while (left > 0) {
      const ssize_t n = ::write(write_end.fd, p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(write_end.fd);
  write_end.fd = -1;
  std::string reply;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  bool finished = false;
  char buffer[1 << 16];
  while (!finished) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{read_end.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    const ssize_t n = ::read(read_end.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      finished = true;
    } else {
      reply.append(buffer, static_cast<std::size_t>(n));
    }
  }
  if (!finished) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) return std::nullopt;
  Rendered result;
  if (reply.empty())
    result.error = "Graphviz stopped without a result (out of memory?)";
  else if (reply[0] == 'O')
    result.data = reply.substr(1);
  else
    result.error = reply.substr(1);
  return result;
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

Rendered render_dot(const std::string& dot, std::string_view format, double max_seconds) {
  Rendered result;
  if (format != "svg" && format != "png") {
    result.error = "unsupported format \"" + std::string(format) + "\" (svg or png)";
    return result;
  }
  const std::string renderer(format);
  if (auto layered = render_bounded(dot, renderer, "dot", max_seconds)) return *layered;
  // The layered layout is what makes a route map readable, but a dense one does not finish;
  // a force-directed layout does, in a fraction of a second, without the left-to-right order.
  if (auto spread = render_bounded(dot, renderer, "neato", max_seconds)) {
    if (spread->data)
      spread->note = "the left-to-right layout did not finish in " + seconds_text(max_seconds) +
                     " s (a dense graph); drawn with a force-directed layout instead";
    return *spread;
  }
  result.error = "the route map is too dense to lay out in " + seconds_text(max_seconds) +
                 " s; use --format dot, or the Markdown report's tables";
  return result;
}

}  // namespace routewise
