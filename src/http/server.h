// The HTTP server: routing, the authentication middleware, request ids, one access-log line per
// request, metrics, security headers, the static web UI, health endpoints and graceful shutdown.
// The transport is Boost.Beast on one event loop per thread: a thread per connection (the
// cpp-httplib model) spent most of the two cores switching threads (performance.md H1/H2).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.h"
#include "base/status.h"
#include "http/request.h"

namespace cordon::auth {
class AuthService;
class PendingRecords;
}  // namespace cordon::auth
namespace cordon::store {
class Database;
}

namespace cordon::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port, printed once listening
  // Event-loop threads, each serving its share of the connections; 0: one per core (at least
  // 2). Handlers run on them and may block briefly on SQLite. More threads than cores made the
  // tail worse on 2 cores (p99 8 ms with 4 threads, 4.6 ms with 2: docs/performance.md).
  int threads = 0;
  std::size_t max_body_bytes = 8 << 20;
  std::string web_dir;        // the built web UI (web/dist); empty: no UI
  bool secure_cookie = true;  // __Host- prefix and Secure; off only for plain-HTTP LAN tests
};

// What a handler sees of one request.
struct Context {
  const Request& request;
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
  // `max_body` (bytes) raises the body limit for this route (file imports); 0: the default.
  void Route(const std::string& method, const std::string& pattern, Access access, Handler handler,
             std::size_t max_body = 0);
  // The body limit of the route a request goes to; the default for unknown routes.
  std::size_t BodyLimit(std::string_view method, std::string_view raw_path) const;
  // The largest body limit of any route: what the parser accepts before the route is known.
  std::size_t LargestBodyLimit() const;
  const std::vector<RouteInfo>& Routes() const { return routes_; }

  // Binds, calls on_listening(port), and serves until Stop() (or SIGTERM/SIGINT when
  // handle_signals). Errors: kUnavailable when the port cannot be bound.
  Status Listen(const std::function<void(int)>& on_listening, bool handle_signals);
  // Stops accepting, closes idle connections, lets requests in flight finish. Thread-safe.
  void Stop();

  // What one request produced, for the answer and its access-log line.
  struct Exchange {
    Response response;
    std::string request_id;
    std::string route = "static";
    std::string user = "-";
    // Audit rows the handler recorded that are not yet committed: the answer waits for them.
    std::shared_ptr<auth::PendingRecords> pending;
  };
  // Routes one request and runs its handler. `raw_path` is the path before percent-decoding.
  void Dispatch(const Request& request, std::string_view raw_path, Exchange& exchange);

 private:
  struct Entry {
    std::string pattern;
    Access access;
    Handler handler;
    bool internal;  // health and metrics: not part of the API's route list
    std::size_t max_body = 0;
  };
  void AddInternal(const std::string& pattern, Handler handler);
  void RunHandler(const Entry& entry, Context& ctx, Exchange& exchange);
  void ServeStatic(const Request& request, Exchange& exchange);

  ServerOptions options_;
  auth::AuthService& auth_;
  store::Database& db_;
  std::vector<RouteInfo> routes_;
  std::vector<Entry> entries_;
  struct State;
  std::unique_ptr<State> state_;
};

// Helpers for handlers.
Response JsonResponse(int status, std::string body);
Response NoContent();
// An error raised by the transport or the router (404, 405, 413, ...) in the usual error shape.
Response TransportError(int http_status);
// Marks a response as carrying personal data: never cached (security.md B4).
Response& Personal(Response& response);

}  // namespace cordon::http
