#include "home_services/model.h"

namespace cordon::home_services {

bool ParseYuan(const std::string& text, std::int64_t* cents) {
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  int fraction_digits = -1;  // -1 before the point
  int whole_digits = 0;
  for (char c : text) {
    if (c == '.' && fraction_digits < 0 && whole_digits > 0) {
      fraction_digits = 0;
    } else if (c >= '0' && c <= '9') {
      if (fraction_digits < 0) {
        if (++whole_digits > 6) {
          return false;
        }
        whole = whole * 10 + (c - '0');
      } else {
        if (++fraction_digits > 2) {
          return false;
        }
        fraction = fraction * 10 + (c - '0');
      }
    } else {
      return false;
    }
  }
  if (whole_digits == 0 || fraction_digits == 0) {
    return false;  // "" or "12."
  }
  if (fraction_digits == 1) {
    fraction *= 10;
  }
  const std::int64_t value = whole * 100 + (fraction_digits > 0 ? fraction : 0);
  if (value > std::int64_t{100'000} * 100) {
    return false;
  }
  *cents = value;
  return true;
}

}  // namespace cordon::home_services
