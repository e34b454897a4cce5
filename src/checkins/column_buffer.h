// Memory for the columns of a day and the scratch of sorting them. A 20-million-row day is
// about a gigabyte of such buffers; zero-filling them, and faulting them in 4 KB at a time, took
// more of a seal's time than the sort (performance.md, "Contact tracing"). This allocator leaves
// elements uninitialised (every one is written before it is read) and asks for transparent huge
// pages on large buffers.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace cordon::checkins {

template <typename T>
class ColumnAllocator : public std::allocator<T> {
 public:
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = ColumnAllocator<U>;
  };
  ColumnAllocator() = default;
  template <typename U>
  explicit ColumnAllocator(const ColumnAllocator<U>& /*other*/) noexcept {}

  T* allocate(std::size_t n) {
    T* p = std::allocator<T>::allocate(n);
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= 2 * kHuge) {
      // The 2 MB-aligned inside of the block; the kernel backs it with huge pages on first touch.
      const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
      const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
      if (end > begin) {
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // a hint only
      }
    }
    return p;
  }
  // Default-initialisation: nothing written for numbers.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <typename T, typename U>
bool operator==(const ColumnAllocator<T>& /*a*/, const ColumnAllocator<U>& /*b*/) {
  return true;
}

// A column or scratch buffer: resize() leaves new elements unwritten.
template <typename T>
using ColumnBuffer = std::vector<T, ColumnAllocator<T>>;

}  // namespace cordon::checkins
