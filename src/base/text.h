// Small facts about UTF-8 text that validation rules across Cordon need.
#pragma once

#include <cstddef>
#include <string_view>

namespace cordon::base {

// The number of code points in UTF-8 text: what a user calls its length in characters.
std::size_t CodePoints(std::string_view s);

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace cordon::base
