#include "purges/signing.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "auth/password.h"
#include "base/secret_file.h"

namespace cordon::purges {
namespace {

std::string ToBase64(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> FromBase64(std::string_view text, std::size_t expected) {
  std::string out(expected, '\0');
  std::size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \n", &size, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      size != expected) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

Result<SigningKey> SigningKey::LoadOrCreate(const std::string& path) {
  if (sodium_init() < 0) {
    return Internal("libsodium failed to start");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return Unavailable("cannot read " + path + ": " + std::strerror(errno));
    }
    std::vector<unsigned char> seed(crypto_sign_SEEDBYTES);
    randombytes_buf(seed.data(), seed.size());
    CORDON_RETURN_IF_ERROR(base::WriteSecretFile(path, ToBase64(seed.data(), seed.size()) + "\n"));
    sodium_memzero(seed.data(), seed.size());
    if (::stat(path.c_str(), &st) != 0) {
      return Unavailable("cannot read " + path + ": " + std::strerror(errno));
    }
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPrecondition(path +
                              " may be read by group or others: the signing key must be mode "
                              "0600 (chmod 600 " +
                              path + ")");
  }
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto seed = FromBase64(text, crypto_sign_SEEDBYTES);
  if (!seed.has_value()) {
    return FailedPrecondition(path + " is not a signing key (base64 of a 32-byte Ed25519 seed)");
  }
  SigningKey key;
  std::vector<unsigned char> pk(crypto_sign_PUBLICKEYBYTES);
  key.secret_.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(pk.data(), reinterpret_cast<unsigned char*>(key.secret_.data()),
                           reinterpret_cast<const unsigned char*>(seed->data()));
  sodium_memzero(seed->data(), seed->size());
  key.public_key_b64_ = ToBase64(pk.data(), pk.size());
  return key;
}

std::string SigningKey::Sign(std::string_view message) const {
  std::vector<unsigned char> sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), reinterpret_cast<const unsigned char*>(secret_.data()));
  return ToBase64(sig.data(), sig.size());
}

std::string SigningKey::KeyId() const { return KeyIdOf(public_key_b64_); }

std::string KeyIdOf(std::string_view public_key) {
  auto pk = FromBase64(public_key, crypto_sign_PUBLICKEYBYTES);
  return pk.has_value() ? auth::Sha256Hex(*pk).substr(0, 16) : std::string();
}

bool VerifySignature(std::string_view message, std::string_view signature,
                     std::string_view public_key) {
  if (sodium_init() < 0) {
    return false;
  }
  auto sig = FromBase64(signature, crypto_sign_BYTES);
  auto pk = FromBase64(public_key, crypto_sign_PUBLICKEYBYTES);
  return sig.has_value() && pk.has_value() &&
         crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(),
                                     reinterpret_cast<const unsigned char*>(pk->data())) == 0;
}

}  // namespace cordon::purges
