#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <memory>

#include "routewise/analysis/route_map_render.hpp"

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
  Layout(GVC_t* context, Agraph_t* graph) : context_(context), graph_(graph) {
    ok_ = gvLayout(context, graph, "dot") == 0;
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

}  // namespace

Rendered render_dot(const std::string& dot, std::string_view format) {
  Rendered result;
  if (format != "svg" && format != "png") {
    result.error = "unsupported format \"" + std::string(format) + "\" (svg or png)";
    return result;
  }
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
  const Layout layout(context.get(), graph.get());
  if (!layout.ok()) {
    result.error = "Graphviz layout failed";
    return result;
  }
  char* data = nullptr;
  unsigned int length = 0;
  const std::string renderer(format);
  if (gvRenderData(context.get(), graph.get(), renderer.c_str(), &data, &length) != 0 || !data) {
    result.error = "Graphviz has no " + renderer + " renderer installed";
    return result;
  }
  result.data = std::string(data, length);
  gvFreeRenderData(data);
  return result;
}

}  // namespace routewise
