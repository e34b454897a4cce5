#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <mutex>

#include "base/check.h"

namespace cordon::auth {
namespace {

constexpr unsigned long long kOpsLimit = 2;         // t=2
constexpr std::size_t kMemLimit = 19456ULL * 1024;  // m=19 MiB

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] { CORDON_CHECK(sodium_init() >= 0); });
}

std::string Hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("out of memory while hashing a password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void VerifyDummyPassword(std::string_view password) {
  static const std::string dummy = [] {
    auto h = HashPassword("cordon-dummy-password");
    CORDON_CHECK(h.has_value());
    return *h;
  }();
  (void)VerifyPassword(dummy, password);
}

std::string NewToken() {
  EnsureSodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return Hex(bytes.data(), bytes.size());
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return Hex(digest.data(), digest.size());
}

}  // namespace cordon::auth
