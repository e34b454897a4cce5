// Passwords people pick first, refused (security.md D2, ASVS 6.2.4-6.2.11): no composition rules,
// only a block list of the commonest passwords, sequences and repeats, and words an attacker
// guesses first for this system (its name, its purpose, the user's own name).
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "auth/rules.h"

namespace cordon::auth {
namespace {

// The commonest passwords of Chinese and international leaks that are 8 or more characters
// long (the shorter ones are refused by length already).
constexpr std::array<std::string_view, 48> kCommon = {
    "12345678",   "123456789",  "1234567890", "11111111",   "88888888",  "00000000",   "66666666",
    "11223344",   "12341234",   "147258369",  "123123123",  "987654321", "password",   "password1",
    "passw0rd",   "p@ssw0rd",   "p@ssword",   "qwertyui",   "qwerty123", "qwe123456",  "1qaz2wsx",
    "1q2w3e4r",   "1q2w3e4r5t", "zaq12wsx",   "a1234567",   "a12345678", "a123456789", "abc12345",
    "abc123456",  "aa123456",   "aa12345678", "qq123456",   "asd123456", "zxcvbnm1",   "zxcvbnm123",
    "woaini1314", "woaini520",  "5201314520", "1314520520", "iloveyou",  "iloveyou1",  "admin123",
    "admin888",   "admin@123",  "root1234",   "welcome1",   "changeme",  "sunshine",
};

// What this system is, and the places it serves: a password built on one of these, with or
// without digits and symbols after it, is the first an attacker tries.
constexpr std::array<std::string_view, 22> kContext = {
    "cordon", "admin",    "administrator", "password", "passw0rd", "qwerty", "iloveyou", "woaini",
    "yiqing", "fangkong", "fangyi",        "zhihui",   "zhihuibu", "hesuan", "疫情",     "防控",
    "防疫",   "指挥部",   "疫情防控",      "核酸",     "密码",     "mima",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "Cordon2022!" -> "cordon": the word before the digits and symbols people append.
std::string Stem(const std::string& lower) {
  std::size_t end = lower.size();
  while (end > 0) {
    const auto c = static_cast<unsigned char>(lower[end - 1]);
    if (c >= 0x80 || std::isalpha(c) != 0) {
      break;
    }
    --end;
  }
  return lower.substr(0, end);
}

// One character repeated, or a run up or down by one ("abcdefgh", "87654321").
bool RepeatOrRun(const std::string& s) {
  if (s.size() < 2) {
    return false;
  }
  const int step = s[1] - s[0];
  if (step < -1 || step > 1) {
    return false;
  }
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (s[i] - s[i - 1] != step) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string CommonPasswordProblem(std::string_view password, std::string_view username) {
  const std::string lower = Lower(password);
  const std::string stem = Stem(lower);
  const std::string user = Lower(username);
  if (std::find(kCommon.begin(), kCommon.end(), lower) != kCommon.end() || RepeatOrRun(lower)) {
    return "密码过于常见，请换一个不易猜到的密码 (a common password: choose another)";
  }
  if (std::find(kContext.begin(), kContext.end(), stem) != kContext.end() ||
      (user.size() >= 4 && lower.find(user) != std::string::npos)) {
    return "密码不能以系统名称、常用词或用户名为主体 (built on the system's name, a common word or "
           "the username)";
  }
  return {};
}

}  // namespace cordon::auth
