#include "base/masking.h"

#include <algorithm>
#include <vector>

#include "base/internal/utf8.h"

namespace cordon::base {
namespace {

using internal::DecodeUtf8;
using internal::kInvalidCodePoint;

// One character of the input: its bytes and its code point (kInvalidCodePoint for a stray byte).
struct Unit {
  std::string_view bytes;
  char32_t cp;
};

std::vector<Unit> Split(std::string_view s) {
  std::vector<Unit> units;
  units.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    const char32_t cp = DecodeUtf8(s, &i);
    units.push_back({s.substr(start, i - start), cp});
  }
  return units;
}

// Writes units [begin, end) as they are, with U+FFFD for stray bytes so that the output is always
// valid UTF-8.
void Keep(const std::vector<Unit>& units, std::size_t begin, std::size_t end, std::string* out) {
  for (std::size_t k = begin; k < end; ++k) {
    if (units[k].cp == kInvalidCodePoint) {
      out->append("\xEF\xBF\xBD");
    } else {
      out->append(units[k].bytes);
    }
  }
}

std::string KeepEnds(std::string_view s, std::size_t head, std::size_t tail,
                     std::size_t expected_length) {
  const std::vector<Unit> units = Split(s);
  const std::size_t n = units.size();
  if (n != expected_length) {
    // Unknown shape: the generic rule, and nothing at all for very short values, where keeping
    // two characters at each end would show everything.
    if (n <= 4) {
      return std::string(n, '*');
    }
    head = 2;
    tail = 2;
  }
  std::string out;
  Keep(units, 0, head, &out);
  out.append(n - head - tail, '*');
  Keep(units, n - tail, n, &out);
  return out;
}

bool IsAnyDigit(char32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); }

bool IsAddressMarker(char32_t cp) {
  switch (cp) {
    case U'区':
    case U'县':
    case U'镇':
    case U'路':
    case U'街':
    case U'巷':
    case U'村':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string MaskIdNumber(std::string_view id) { return KeepEnds(id, 6, 4, 18); }

std::string MaskPhone(std::string_view phone) { return KeepEnds(phone, 3, 4, 11); }

std::string MaskName(std::string_view name) {
  const std::vector<Unit> units = Split(name);
  if (units.empty()) {
    return {};
  }
  if (units.size() == 1) {
    return "*";
  }
  std::string out;
  Keep(units, 0, 1, &out);
  out.append(units.size() - 1, '*');
  return out;
}

std::string MaskAddress(std::string_view address) {
  const std::vector<Unit> units = Split(address);
  if (units.empty()) {
    return {};
  }
  const std::size_t first_digit = static_cast<std::size_t>(
      std::find_if(units.begin(), units.end(), [](const Unit& u) { return IsAnyDigit(u.cp); }) -
      units.begin());
  std::size_t keep = 0;
  for (std::size_t k = 0; k < first_digit; ++k) {
    if (!IsAddressMarker(units[k].cp)) {
      continue;
    }
    keep = k + 1;
    // "街道" is one marker: keep its second character too.
    if (units[k].cp == U'街' && k + 1 < first_digit && units[k + 1].cp == U'道') {
      keep = k + 2;
    }
  }
  if (keep == 0) {
    keep = std::min<std::size_t>(6, first_digit);
  }
  std::string out;
  Keep(units, 0, keep, &out);
  out.append("****");
  return out;
}

}  // namespace cordon::base
