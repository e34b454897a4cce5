// The built web UI, held in memory with a gzip copy of each compressible file made once at
// start-up, so that no answer is compressed while a client waits.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace cordon::http {

struct StaticFile {
  std::string content_type;
  std::string body;
  std::string gzip;        // empty when not worth compressing
  bool immutable = false;  // content-hashed names under /assets/: cache for a year
};

class StaticFiles {
 public:
  // Loads every file under `dir`. An empty or missing dir gives an empty set.
  void Load(const std::string& dir);
  bool empty() const { return files_.empty(); }
  // The file for a URL path ("/" is "/index.html"), or nullopt.
  const StaticFile* Find(const std::string& path) const;
  const StaticFile* Index() const { return Find("/index.html"); }

 private:
  std::map<std::string, StaticFile> files_;
};

}  // namespace cordon::http
