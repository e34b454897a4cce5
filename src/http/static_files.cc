#include "http/static_files.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cordon::http {
namespace {

std::string ContentType(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> content_types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
  };
  auto it = content_types.find(path.extension().string());
  return it == content_types.end() ? "application/octet-stream" : it->second;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper rather than raw zlib.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

bool Compressible(const std::string& type) {
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type == "image/svg+xml";
}

}  // namespace

void StaticFiles::Load(const std::string& dir) {
  files_.clear();
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) {
    return;
  }
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) {
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    StaticFile file;
    file.content_type = ContentType(it->path());
    file.body = buf.str();
    std::string url = "/" + std::filesystem::relative(it->path(), dir, ec).generic_string();
    file.immutable = url.starts_with("/assets/");
    if (Compressible(file.content_type) && file.body.size() > 1024) {
      std::string gz = Gzip(file.body);
      if (!gz.empty() && gz.size() < file.body.size()) {
        file.gzip = std::move(gz);
      }
    }
    files_.emplace(std::move(url), std::move(file));
  }
}

const StaticFile* StaticFiles::Find(const std::string& path) const {
  auto it = files_.find(path == "/" ? "/index.html" : path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace cordon::http
