#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <mutex>

#include "base/check.h"

namespace cordon::auth {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::size_t kSecretBytes = 20;  // 160 bits, the size of an HMAC-SHA1 block output

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a';
  }
  if (c >= '2' && c <= '7') {
    return c - '2' + 26;
  }
  return -1;
}

std::string PercentEncode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0F];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::span<const unsigned char> bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  }
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '-') {
      continue;
    }
    int v = Base32Value(c);
    if (v < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  // What is left must be padding bits, all zero, and fewer than a whole character's worth.
  if (bits >= 5 || (buffer & ((1U << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return out;
}

std::string NewTotpSecret() {
  static std::once_flag once;
  std::call_once(once, [] { CORDON_CHECK(sodium_init() >= 0); });
  std::array<unsigned char, kSecretBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string out = Base32Encode(key);
  sodium_memzero(key.data(), key.size());
  return out;
}

std::uint32_t HotpValue(std::string_view key, std::uint64_t counter, int digits) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  unsigned char* done = HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(),
                             message.size(), mac.data(), &mac_size);
  CORDON_CHECK(done != nullptr && mac_size == 20);
  // Dynamic truncation (RFC 4226 5.3): 31 bits at the offset named by the last nibble.
  std::size_t offset = mac[19] & 0x0F;
  std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                         (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                         (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                         static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) {
    modulus *= 10;
  }
  return binary % modulus;
}

std::int64_t TotpStep(std::int64_t unix_seconds) {
  std::int64_t step = unix_seconds / kTotpPeriodSeconds;
  if (unix_seconds % kTotpPeriodSeconds < 0) {
    --step;  // floor, not truncation, before 1970
  }
  return step;
}

std::string TotpCode(std::string_view secret_base32, std::int64_t step) {
  auto key = Base32Decode(secret_base32);
  if (!key || key->empty()) {
    return {};
  }
  std::uint32_t value = HotpValue(*key, static_cast<std::uint64_t>(step), kTotpDigits);
  sodium_memzero(key->data(), key->size());
  std::string out = std::to_string(value);
  return std::string(static_cast<std::size_t>(kTotpDigits) - out.size(), '0') + out;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret_base32, std::string_view code,
                                      std::int64_t now_step, std::int64_t last_step) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) {
    return std::nullopt;
  }
  for (char c : code) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  std::optional<std::int64_t> matched;
  for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    if (step <= last_step) {
      continue;
    }
    std::string expected = TotpCode(secret_base32, step);
    if (expected.size() == code.size() &&
        sodium_memcmp(expected.data(), code.data(), code.size()) == 0 && !matched) {
      matched = step;
    }
  }
  return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  std::string issuer_text = PercentEncode(issuer);
  return "otpauth://totp/" + issuer_text + ":" + PercentEncode(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + issuer_text +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace cordon::auth
