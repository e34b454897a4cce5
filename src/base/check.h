// Invariant checks. CORDON_CHECK is always on: it guards state that, if wrong, means corruption or
// a bug, never user input. CORDON_DCHECK is for hot loops and runs only in debug builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CORDON_CHECK(cond)                                                          \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#ifdef NDEBUG
#define CORDON_DCHECK(cond) \
  do {                      \
  } while (false && (cond))
#else
#define CORDON_DCHECK(cond) CORDON_CHECK(cond)
#endif
