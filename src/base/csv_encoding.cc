// ToUtf8 (declared in csv.h): encoding detection for imported files.
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/csv.h"
#include "base/internal/utf8.h"

namespace cordon::base {
namespace {

// 1-based line of `offset` in `text`, counting LF, CRLF and lone CR as one break each. Valid for
// UTF-8, GB18030 and the decoded prefix of UTF-16: none uses 0x0A or 0x0D inside a character.
std::size_t LineAt(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

// A GBK text passes as UTF-8 for a character only by chance (about one in six for common
// characters), so four well-formed multi-byte sequences before the first bad byte mean UTF-8.
constexpr std::size_t kUtf8Evidence = 4;

// The number of multi-byte sequences in well-formed UTF-8: one lead byte each.
std::size_t CountMultiByte(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) {
    n += (static_cast<unsigned char>(c) & 0xC0) == 0xC0 ? 1 : 0;
  }
  return n;
}

Status Undecodable(std::size_t line, const std::string& what) {
  const std::string field = "line " + std::to_string(line);
  return InvalidArgument("第 " + std::to_string(line) + " 行：" + what, {{field, what}});
}

Result<std::string> DecodeUtf16(std::string_view bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size() * 3 / 2);
  const auto unit_at = [&](std::size_t i) -> char32_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? (char32_t{b0} << 8) | b1 : (char32_t{b1} << 8) | b0;
  };
  const std::string bad = "UTF-16 编码不完整或含有孤立的代理项";
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    char32_t cp = unit_at(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
      const char32_t low = unit_at(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return Undecodable(LineAt(out, out.size()), bad);
    }
    internal::AppendUtf8(cp, &out);
  }
  if (i != bytes.size()) {
    return Undecodable(LineAt(out, out.size()), bad);
  }
  return out;
}

class IconvHandle {
 public:
  explicit IconvHandle(iconv_t cd) : cd_(cd) {}
  ~IconvHandle() {
    if (Valid()) {
      iconv_close(cd_);
    }
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  // iconv_open reports failure as (iconv_t)-1.
  bool Valid() const { return reinterpret_cast<std::intptr_t>(cd_) != -1; }
  iconv_t Get() const { return cd_; }

 private:
  iconv_t cd_;
};

// GB18030 -> UTF-8 with glibc's iconv. On a bad sequence, returns false and sets *error_offset.
Result<bool> DecodeGb18030(std::string_view bytes, std::string* out, std::size_t* error_offset) {
  const IconvHandle cd(iconv_open("UTF-8", "GB18030"));
  if (!cd.Valid()) {
    return Internal("iconv 不支持 GB18030");
  }
  // Two GB18030 bytes become at most three UTF-8 bytes, four at most four.
  out->assign(bytes.size() + bytes.size() / 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's signature predates const
  std::size_t in_left = bytes.size();
  std::size_t written = 0;
  while (in_left > 0) {
    char* dst = out->data() + written;
    std::size_t out_left = out->size() - written;
    const std::size_t r = iconv(cd.Get(), &in, &in_left, &dst, &out_left);
    written = static_cast<std::size_t>(dst - out->data());
    if (r != static_cast<std::size_t>(-1)) {
      break;
    }
    if (errno == E2BIG) {
      out->resize(out->size() * 2);
      continue;
    }
    // EILSEQ (a bad sequence) or EINVAL (a sequence cut off by the end of the file).
    *error_offset = static_cast<std::size_t>(in - bytes.data());
    return false;
  }
  out->resize(written);
  return true;
}

}  // namespace

Result<std::string> ToUtf8(std::string_view bytes, std::string* encoding_out) {
  std::string discard;
  std::string& encoding = encoding_out != nullptr ? *encoding_out : discard;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    encoding = "UTF-8-BOM";
    const std::string_view body = bytes.substr(3);
    std::size_t bad = 0;
    if (!internal::IsValidUtf8(body, &bad)) {
      return Undecodable(LineAt(body, bad), "文件以 UTF-8 BOM 开头，但含有无效的 UTF-8 字节");
    }
    return std::string(body);
  }
  if (bytes.starts_with("\xFF\xFE")) {
    encoding = "UTF-16LE";
    return DecodeUtf16(bytes.substr(2), false);
  }
  if (bytes.starts_with("\xFE\xFF")) {
    encoding = "UTF-16BE";
    return DecodeUtf16(bytes.substr(2), true);
  }
  std::size_t utf8_bad = 0;
  if (internal::IsValidUtf8(bytes, &utf8_bad)) {
    encoding = "UTF-8";
    return std::string(bytes);
  }
  if (CountMultiByte(bytes.substr(0, utf8_bad)) >= kUtf8Evidence) {
    // Enough well-formed non-ASCII UTF-8 came first that this is a UTF-8 file with damaged or
    // mixed-in bytes. GB18030 would likely "decode" it into silent mojibake, so stop here.
    return Undecodable(LineAt(bytes, utf8_bad),
                       "含有无效的 UTF-8 字节（文件其余部分是 UTF-8，可能混入了其他编码的内容）");
  }
  std::string out;
  std::size_t gb_bad = 0;
  CORDON_ASSIGN_OR_RETURN(const bool decoded, DecodeGb18030(bytes, &out, &gb_bad));
  if (!decoded) {
    // The encoding that decoded further is the likelier one, so its failure is the useful line.
    return Undecodable(LineAt(bytes, std::max(utf8_bad, gb_bad)),
                       "含有既不是 UTF-8 也不是 GB18030（GBK）的字节，请另存为 UTF-8 后重新导入");
  }
  encoding = "GB18030";
  return out;
}

}  // namespace cordon::base
