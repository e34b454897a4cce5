// Finds the route for a method and a path. Patterns are literal segments and {name} segments,
// each {name} taking exactly one path segment ("/api/v1/people/{id}/reveal").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::http {

class Router {
 public:
  enum class Outcome { kFound, kNoRoute, kWrongMethod };
  struct Match {
    std::size_t route = 0;            // the id given to Add
    std::vector<std::string> params;  // the {…} segments, percent-decoded, in order
  };

  void Add(std::string method, std::string_view pattern, std::size_t route);
  // `raw_path` is the path as it came, still percent-encoded, so that an encoded '/' stays
  // inside its segment.
  Outcome Find(std::string_view method, std::string_view raw_path, Match& match) const;

 private:
  struct Entry {
    std::string method;
    std::vector<std::string> segments;  // "{}" for a parameter
    std::size_t route;
  };
  std::vector<Entry> entries_;
};

}  // namespace cordon::http
