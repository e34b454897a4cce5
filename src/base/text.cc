#include "base/text.h"

#include "base/internal/utf8.h"

namespace cordon::base {

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    // Every byte but a continuation byte (10xxxxxx) starts a code point.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

bool IsValidUtf8(std::string_view s) { return internal::IsValidUtf8(s); }

}  // namespace cordon::base
