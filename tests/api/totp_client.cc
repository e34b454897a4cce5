#include "totp_client.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

namespace cordon::testing {
namespace {

std::uint32_t Rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// FIPS 180-4 SHA-1, enough for HMAC over short messages.
std::array<unsigned char, 20> Sha1(const std::vector<unsigned char>& message) {
  std::array<std::uint32_t, 5> h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::vector<unsigned char> m = message;
  const std::uint64_t bits = std::uint64_t{8} * m.size();
  m.push_back(0x80);
  while (m.size() % 64 != 56) {
    m.push_back(0);
  }
  for (int i = 7; i >= 0; --i) {
    m.push_back(static_cast<unsigned char>(bits >> (8 * i)));
  }
  for (std::size_t chunk = 0; chunk < m.size(); chunk += 64) {
    std::array<std::uint32_t, 80> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{m[chunk + 4 * i]} << 24) | (std::uint32_t{m[chunk + 4 * i + 1]} << 16) |
             (std::uint32_t{m[chunk + 4 * i + 2]} << 8) | std::uint32_t{m[chunk + 4 * i + 3]};
    }
    for (std::size_t i = 16; i < 80; ++i) {
      w[i] = Rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    std::uint32_t a = h[0];
    std::uint32_t b = h[1];
    std::uint32_t c = h[2];
    std::uint32_t d = h[3];
    std::uint32_t e = h[4];
    for (std::size_t i = 0; i < 80; ++i) {
      std::uint32_t f = 0;
      std::uint32_t k = 0;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      std::uint32_t t = Rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = Rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  std::array<unsigned char, 20> out{};
  for (std::size_t i = 0; i < 5; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      out[4 * i + j] = static_cast<unsigned char>(h[i] >> (24 - 8 * j));
    }
  }
  return out;
}

std::array<unsigned char, 20> HmacSha1(const std::vector<unsigned char>& key,
                                       const std::vector<unsigned char>& message) {
  std::vector<unsigned char> k = key;
  if (k.size() > 64) {
    auto digest = Sha1(k);
    k.assign(digest.begin(), digest.end());
  }
  k.resize(64, 0);
  std::vector<unsigned char> inner;
  std::vector<unsigned char> outer;
  for (unsigned char byte : k) {
    inner.push_back(byte ^ 0x36);
    outer.push_back(byte ^ 0x5C);
  }
  inner.insert(inner.end(), message.begin(), message.end());
  auto inner_digest = Sha1(inner);
  outer.insert(outer.end(), inner_digest.begin(), inner_digest.end());
  return Sha1(outer);
}

std::vector<unsigned char> Base32Bytes(const std::string& text) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::vector<unsigned char> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    auto at = kAlphabet.find(c);
    if (at == std::string_view::npos) {
      continue;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(at);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<unsigned char>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace

std::int64_t TotpStepNow() {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  return seconds / 30;
}

std::string TotpCodeAt(const std::string& secret_base32, std::int64_t step) {
  std::vector<unsigned char> counter(8);
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
  auto mac = HmacSha1(Base32Bytes(secret_base32), counter);
  std::size_t offset = mac[19] & 0x0F;
  std::uint32_t binary = (std::uint32_t{mac[offset] & 0x7FU} << 24) |
                         (std::uint32_t{mac[offset + 1]} << 16) |
                         (std::uint32_t{mac[offset + 2]} << 8) | std::uint32_t{mac[offset + 3]};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", binary % 1000000U);
  return buf;
}

}  // namespace cordon::testing
