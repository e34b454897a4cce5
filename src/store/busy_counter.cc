#include "store/busy_counter.h"

#include <atomic>

namespace cordon::store {
namespace {

std::atomic<std::int64_t>& Counter() {
  static std::atomic<std::int64_t> counter{0};
  return counter;
}

}  // namespace

void CountBusy() { Counter().fetch_add(1, std::memory_order_relaxed); }

std::int64_t BusyCount() { return Counter().load(std::memory_order_relaxed); }

}  // namespace cordon::store
