// One HTTP request as handlers see it, independent of the transport that parsed it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cordon::http {

struct Request {
  std::string method;  // "GET", "POST", ...; HEAD is served as GET
  std::string path;    // percent-decoded, without the query string
  std::string query;   // the raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_addr;

  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // The first query parameter of that name, percent- and '+'-decoded, or "".
  std::string Param(std::string_view name) const;
  bool HasParam(std::string_view name) const;
};

// Decodes %XX escapes (and '+' as a space when `plus_is_space`); a malformed escape is kept as
// it is written, so that the text is never silently shortened.
std::string PercentDecode(std::string_view text, bool plus_is_space);
// The first value of `name` in a raw query string ("a=1&b=x+y"), decoded, or nullopt.
std::optional<std::string> FindParam(std::string_view query, std::string_view name);

}  // namespace cordon::http
