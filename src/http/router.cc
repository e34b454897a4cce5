#include "http/router.h"

#include "http/request.h"

namespace cordon::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  while (true) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return out;
    }
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::Add(std::string method, std::string_view pattern, std::size_t route) {
  Entry entry{std::move(method), {}, route};
  for (std::string_view segment : Split(pattern)) {
    bool param = segment.starts_with('{') && segment.ends_with('}');
    entry.segments.emplace_back(param ? "{}" : std::string(segment));
  }
  entries_.push_back(std::move(entry));
}

Router::Outcome Router::Find(std::string_view method, std::string_view raw_path,
                             Match& match) const {
  std::vector<std::string_view> segments = Split(raw_path);
  Outcome outcome = Outcome::kNoRoute;
  for (const Entry& entry : entries_) {
    if (entry.segments.size() != segments.size()) {
      continue;
    }
    bool same = true;
    for (std::size_t i = 0; i < segments.size() && same; ++i) {
      same = entry.segments[i] == "{}" ? !segments[i].empty() : entry.segments[i] == segments[i];
    }
    if (!same) {
      continue;
    }
    if (entry.method != method) {
      outcome = Outcome::kWrongMethod;
      continue;
    }
    match.route = entry.route;
    match.params.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (entry.segments[i] == "{}") {
        match.params.push_back(PercentDecode(segments[i], false));
      }
    }
    return Outcome::kFound;
  }
  return outcome;
}

}  // namespace cordon::http
