// Masking of personal identifiers for lists and exports (security.md B1, GB/T 35273 §7.2).
//
// All functions are pure, thread-safe and total: any byte string is accepted. They work on code
// points, never split one, and always return valid UTF-8: a byte that is not part of a valid
// UTF-8 sequence counts as one character and, if it is kept, is written as U+FFFD. Each masked
// character becomes one ASCII '*'. Empty input gives empty output.
#pragma once

#include <string>
#include <string_view>

namespace cordon::base {

// 18 characters: "11010519491231002X" -> "110105********002X" (keeps the address code and the
// last four). Other lengths: keeps the first two and last two characters; four or fewer
// characters are masked entirely.
std::string MaskIdNumber(std::string_view id);

// 11 characters: "13812345678" -> "138****5678". Other lengths as MaskIdNumber.
std::string MaskPhone(std::string_view phone);

// Keeps the first character: "张三" -> "张*", "欧阳娜娜" -> "欧***", "John Smith" -> "J*********".
// A one-character name becomes "*".
std::string MaskName(std::string_view name);

// Keeps the text up to and including the last of 区 县 镇 街道 路 街 巷 村 that comes before the
// first digit (ASCII or full-width), then appends "****":
// "天河区体育西路123号5栋2单元301室" -> "天河区体育西路****". Without such a marker, keeps the
// first six characters, but never a digit or anything after it, then "****".
std::string MaskAddress(std::string_view address);

}  // namespace cordon::base
