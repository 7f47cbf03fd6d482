// The engine's process() allocates nothing: this binary counts every operator new.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "../../support/example_session.hpp"
#include "routewise/audio/meter.hpp"
#include "routewise/audio/render_engine.hpp"

namespace {
// Test-only instrumentation: the replaced global allocator needs a global counter.
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace routewise {
namespace {

TEST(RenderEngineRealtime, ProcessAndMetersAllocateNothing) {
  const RouteGraph session = testing::load_example("pop-song-faulty.json");
  RenderEngine engine(session, {});
  const NodeIndex master = *engine.find("master");
  Meter meter({48000.0, 2, 300.0, true, true});
  for (NodeIndex n = 0; n < session.nodes.size(); ++n)
    for (int c = 0; c < engine.channel_count(n); ++c)
      if (float* s = engine.source(n, c)) std::fill(s, s + 128, 0.1f);
  const long before = allocations.load();
  for (int block = 0; block < 2000; ++block) {
    engine.process(128);
    const float* out[2] = {engine.output(master, 0), engine.output(master, 1)};
    meter.add(out, 128);
  }
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_GT(meter.reading().peak_dbfs, -40.0);  // the blocks carried signal
}

}  // namespace
}  // namespace routewise
