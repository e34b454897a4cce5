// The HTTP server: routing, the authentication middleware, request ids, one access-log line per
// request, metrics, security headers, the static web UI, health endpoints and graceful shutdown.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/status.h"

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace cordon::auth {
class AuthService;
}
namespace cordon::store {
class Database;
}

namespace cordon::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0: any free port, printed once listening
  int threads = 64;  // one per concurrently open connection (cpp-httplib's model)
  std::size_t max_body_bytes = 8 << 20;
  std::string web_dir;        // the built web UI (web/dist); empty: no UI
  bool secure_cookie = true;  // __Host- prefix and Secure; off only for plain-HTTP LAN tests
};

// What a handler sees of one request.
struct Context {
  const httplib::Request& request;
  std::string request_id;
  std::string ip;
  std::string token;                         // the session token, if any
  std::optional<auth::Principal> principal;  // set for authenticated routes
  std::vector<std::string> path_params;      // the {…} parts of the route, in order
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

enum class Access { kPublic, kAuthenticated };
using Handler = std::function<Result<Response>(Context&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/people/{id}"
  Access access;
};

class Server {
 public:
  Server(ServerOptions options, auth::AuthService& auth, store::Database& db);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers a route. Patterns use {name} for one path segment. Call before Listen.
  void Route(const std::string& method, const std::string& pattern, Access access, Handler handler);
  const std::vector<RouteInfo>& Routes() const { return routes_; }

  // Binds, calls on_listening(port), and serves until Stop() (or SIGTERM/SIGINT when
  // handle_signals). Errors: kUnavailable when the port cannot be bound.
  Status Listen(const std::function<void(int)>& on_listening, bool handle_signals);
  void Stop();

 private:
  void Install();

  ServerOptions options_;
  auth::AuthService& auth_;
  store::Database& db_;
  std::unique_ptr<httplib::Server> server_;
  std::vector<RouteInfo> routes_;
  struct State;
  std::unique_ptr<State> state_;
};

// Helpers for handlers.
Response JsonResponse(int status, std::string body);
Response NoContent();
// Marks a response as carrying personal data: never cached (security.md B4).
Response& Personal(Response& response);

}  // namespace cordon::http
