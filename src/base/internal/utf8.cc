#include "base/internal/utf8.h"

#include <cstdint>
#include <cstring>

namespace cordon::base::internal {
namespace {

constexpr bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

bool IsIgnorable(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '-':
    case 0x2010:  // hyphen
    case 0x2011:  // non-breaking hyphen
    case 0x2012:  // figure dash
    case 0x2013:  // en dash
    case 0x2014:  // em dash
    case 0x2212:  // minus sign
    case 0x200B:  // zero-width space
    case 0x200C:  // zero-width non-joiner
    case 0x200D:  // zero-width joiner
    case 0x2060:  // word joiner
    case 0xFEFF:  // BOM / zero-width no-break space
      return true;
    default:
      return false;
  }
}

// The length of the well-formed UTF-8 sequence at s[i], or 0 if there is none. Table 3-7 of the
// Unicode standard: the second byte's range depends on the first, which is what rules out
// overlong forms, surrogates and code points above U+10FFFF.
std::size_t WellFormedLength(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    return 1;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    lo = b0 == 0xE0 ? 0xA0 : lo;
    hi = b0 == 0xED ? 0x9F : hi;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    lo = b0 == 0xF0 ? 0x90 : lo;
    hi = b0 == 0xF4 ? 0x8F : hi;
  } else {
    return 0;
  }
  if (len > s.size() - i) {
    return 0;
  }
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < len; ++k) {
    if (!IsContinuation(static_cast<unsigned char>(s[i + k]))) {
      return 0;
    }
  }
  return len;
}

}  // namespace

char32_t DecodeUtf8(std::string_view s, std::size_t* pos) {
  const std::size_t i = *pos;
  const std::size_t len = WellFormedLength(s, i);
  if (len == 0) {
    *pos = i + 1;
    return kInvalidCodePoint;
  }
  *pos = i + len;
  constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = static_cast<unsigned char>(s[i]) & kLeadMask[len];
  for (std::size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValidUtf8(std::string_view s, std::size_t* error_offset) {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII dominates real files; skip it eight bytes at a time.
    while (s.size() - i >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, s.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) {
        break;
      }
      i += 8;
    }
    if (i >= s.size()) {
      break;
    }
    const std::size_t len = WellFormedLength(s, i);
    if (len == 0) {
      if (error_offset != nullptr) {
        *error_offset = i;
      }
      return false;
    }
    i += len;
  }
  return true;
}

char32_t FoldWidth(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) {
    return cp - 0xFEE0;
  }
  if (cp == 0x3000 || cp == 0x00A0) {
    return ' ';
  }
  return cp;
}

std::optional<std::string> NormalizeIdentifier(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const char32_t cp = DecodeUtf8(raw, &i);
    if (cp == kInvalidCodePoint) {
      return std::nullopt;
    }
    const char32_t folded = FoldWidth(cp);
    if (IsIgnorable(folded)) {
      continue;
    }
    AppendUtf8(folded, &out);
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!IsDigit(c)) {
      return false;
    }
  }
  return true;
}

}  // namespace cordon::base::internal
