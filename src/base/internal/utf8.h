// UTF-8 helpers shared by the identifier parsers, masking and the CSV reader. Internal to base/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cordon::base::internal {

// Returned by DecodeUtf8 for a byte that does not start a well-formed sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point that starts at s[*pos] and advances *pos past it. A byte that does not
// start a well-formed sequence (truncated, overlong, surrogate, above U+10FFFF) yields
// kInvalidCodePoint and advances *pos by exactly one byte, so a caller never splits a valid
// code point and always makes progress. REQUIRES: *pos < s.size().
char32_t DecodeUtf8(std::string_view s, std::size_t* pos);

// Appends the UTF-8 encoding of `cp`. REQUIRES: cp is a Unicode scalar value.
void AppendUtf8(char32_t cp, std::string* out);

// True when `s` is well-formed UTF-8. On false, *error_offset (if given) is the offset of the
// first byte that is not.
bool IsValidUtf8(std::string_view s, std::size_t* error_offset = nullptr);

// The NFKC mapping for the characters that occur in identifiers typed on Chinese keyboards:
// full-width ASCII variants U+FF01..U+FF5E map to ASCII, U+3000 and U+00A0 to ' '. Other code
// points are returned unchanged.
char32_t FoldWidth(char32_t cp);

// Normalises an identifier cell (ID number, phone): FoldWidth, then drops white space, hyphens
// and dashes, and zero-width characters (U+200B..U+200D, U+2060, U+FEFF). Returns nullopt when
// `raw` is not valid UTF-8.
std::optional<std::string> NormalizeIdentifier(std::string_view raw);

// True for ASCII '0'..'9'.
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when `s` is non-empty and made of ASCII digits only.
bool AllDigits(std::string_view s);

}  // namespace cordon::base::internal
