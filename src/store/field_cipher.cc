#include "store/field_cipher.h"

#include <sodium.h>

#include <charconv>
#include <cstring>

#include "base/check.h"

namespace cordon::store {
namespace {

// Subkeys per purpose, so that the index key never touches the cipher and the other way round.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "cordonFK";
constexpr std::uint64_t kSealSubkey = 1;
constexpr std::uint64_t kIndexSubkey = 2;
constexpr std::size_t kIndexBytes = 16;

// The associated data: the column and the key, both authenticated with the value.
std::array<unsigned char, 5> AssociatedData(SealedField field, std::uint32_t key) {
  return {static_cast<unsigned char>(field), static_cast<unsigned char>(key >> 24),
          static_cast<unsigned char>(key >> 16), static_cast<unsigned char>(key >> 8),
          static_cast<unsigned char>(key)};
}

}  // namespace

FieldCipher::~FieldCipher() {
  for (auto& k : keys_) {
    sodium_memzero(k.seal.data(), k.seal.size());
    sodium_memzero(k.index.data(), k.index.size());
  }
}

Result<std::shared_ptr<const FieldCipher>> FieldCipher::Make(const std::vector<FieldKey>& keys,
                                                             std::uint32_t active) {
  if (sodium_init() < 0) {
    return Internal("libsodium failed to start");
  }
  std::shared_ptr<FieldCipher> cipher(new FieldCipher());
  for (const FieldKey& key : keys) {
    Subkeys sub;
    sub.id = key.id;
    crypto_kdf_derive_from_key(sub.seal.data(), sub.seal.size(), kSealSubkey, kKdfContext,
                               key.secret.data());
    crypto_kdf_derive_from_key(sub.index.data(), sub.index.size(), kIndexSubkey, kKdfContext,
                               key.secret.data());
    cipher->keys_.push_back(sub);
  }
  cipher->active_ = active;
  if (cipher->Find(active) == nullptr) {
    return FailedPrecondition("the field key " + std::to_string(active) +
                              " is not in the key file");
  }
  return std::shared_ptr<const FieldCipher>(std::move(cipher));
}

std::shared_ptr<const FieldCipher> FieldCipher::Ephemeral() {
  CORDON_CHECK(sodium_init() >= 0);
  FieldKey key;
  key.id = 1;
  randombytes_buf(key.secret.data(), key.secret.size());
  auto made = Make({key}, 1);
  sodium_memzero(key.secret.data(), key.secret.size());
  CORDON_CHECK(made.has_value());
  return *made;
}

const FieldCipher::Subkeys* FieldCipher::Find(std::uint32_t id) const {
  for (const Subkeys& k : keys_) {
    if (k.id == id) {
      return &k;
    }
  }
  return nullptr;
}

std::uint32_t FieldCipher::KeyOf(std::string_view sealed) {
  const auto dollar = sealed.find('$');
  std::uint32_t id = 0;
  if (dollar == std::string_view::npos ||
      std::from_chars(sealed.data(), sealed.data() + dollar, id).ec != std::errc()) {
    return 0;
  }
  return id;
}

std::string FieldCipher::Seal(SealedField field, std::string_view plain) const {
  if (plain.empty()) {
    return {};
  }
  const Subkeys* key = Find(active_);
  std::string box(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const auto ad = AssociatedData(field, active_);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), ad.data(), ad.size(),
      nullptr, nonce, key->seal.data());
  std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(b64.data(), b64.size(), nonce, box.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(std::strlen(b64.c_str()));
  return std::to_string(active_) + "$" + b64;
}

Result<std::string> FieldCipher::Open(SealedField field, std::string_view sealed) const {
  if (sealed.empty()) {
    return std::string();
  }
  const std::uint32_t id = KeyOf(sealed);
  const Subkeys* key = Find(id);
  if (key == nullptr) {
    return Internal("a sealed value names field key " + std::to_string(id) +
                    ", which is not in the key file");
  }
  const std::string_view b64 = sealed.substr(sealed.find('$') + 1);
  std::string box(b64.size(), '\0');
  std::size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), b64.data(),
                        b64.size(), nullptr, &size, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      size < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                 crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Internal("a sealed value is damaged");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  const std::size_t cipher_size = size - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string plain(cipher_size - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  const auto ad = AssociatedData(field, id);
  unsigned long long plain_size = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_size, nullptr,
          nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, cipher_size, ad.data(), ad.size(),
          nonce, key->seal.data()) != 0) {
    return Internal("a sealed value does not open under its key: it was altered or moved");
  }
  plain.resize(plain_size);
  return plain;
}

std::string FieldCipher::Index(SealedField field, std::string_view plain) const {
  if (plain.empty()) {
    return {};
  }
  const Subkeys* key = Find(active_);
  crypto_generichash_state state;
  crypto_generichash_init(&state, key->index.data(), key->index.size(), kIndexBytes);
  const auto tag = static_cast<unsigned char>(field);
  crypto_generichash_update(&state, &tag, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(plain.data()),
                            plain.size());
  std::array<unsigned char, kIndexBytes> hash{};
  crypto_generichash_final(&state, hash.data(), hash.size());
  std::string hex(kIndexBytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  return hex;
}

}  // namespace cordon::store
