#include "http/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "auth/service.h"
#include "http/error_response.h"
#include "http/metrics.h"
#include "http/static_files.h"
#include "store/database.h"

namespace cordon::http {
namespace {

// Per-request facts for the access log; a request is served start to end on one pool thread.
thread_local std::chrono::steady_clock::time_point t_start;
thread_local std::string t_request_id;
thread_local std::string t_route;
thread_local std::string t_user;
thread_local bool t_accepts_gzip = false;

std::string NewRequestId() {
  static const std::uint32_t node = std::random_device{}();
  static std::atomic<std::uint64_t> counter{0};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x%08llx", node,
                static_cast<unsigned long long>(counter.fetch_add(1)) + 1);
  return buf;
}

// Control characters and quotes are escaped so that one request is always one log line.
std::string LogSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string PatternToRegex(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      i = pattern.find('}', i);
      out += "([^/]+)";
    } else if (std::string_view(".+*?()[]^$|\\").find(pattern[i]) != std::string_view::npos) {
      out += '\\';
      out += pattern[i];
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string TokenOf(const httplib::Request& req, bool secure_cookie) {
  std::string auth = req.get_header_value("Authorization");
  if (auth.starts_with("Bearer ")) {
    return auth.substr(7);
  }
  std::string cookies = req.get_header_value("Cookie");
  std::string name = secure_cookie ? "__Host-cordon_session=" : "cordon_session=";
  std::size_t pos = 0;
  while (pos < cookies.size()) {
    std::size_t end = cookies.find(';', pos);
    if (end == std::string::npos) {
      end = cookies.size();
    }
    std::string_view part(cookies.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') {
      part.remove_prefix(1);
    }
    if (part.starts_with(name)) {
      return std::string(part.substr(name.size()));
    }
    pos = end + 1;
  }
  return {};
}

void Apply(const Response& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) {
    to.set_header(k, v);
  }
  if (!from.body.empty() || from.status != 204) {
    to.set_content(from.body, from.content_type.c_str());
  }
}

}  // namespace

struct Server::State {
  Metrics metrics;
  StaticFiles web;
  std::atomic<bool> stopping{false};
};

Response JsonResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response& Personal(Response& response) {
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Pragma", "no-cache");
  return response;
}

Server::Server(ServerOptions options, auth::AuthService& auth, store::Database& db)
    : options_(std::move(options)),
      auth_(auth),
      db_(db),
      server_(std::make_unique<httplib::Server>()),
      state_(std::make_unique<State>()) {
  Install();
}

Server::~Server() = default;

void Server::Route(const std::string& method, const std::string& pattern, Access access,
                   Handler handler) {
  routes_.push_back({method, pattern, access});
  auto wrapped = [this, pattern, access, handler = std::move(handler)](const httplib::Request& req,
                                                                       httplib::Response& res) {
    t_route = pattern;
    Context ctx{
        req, t_request_id, req.remote_addr, TokenOf(req, options_.secure_cookie), std::nullopt, {}};
    for (std::size_t i = 1; i < req.matches.size(); ++i) {
      ctx.path_params.push_back(req.matches[i]);
    }
    Status failure;
    if (access == Access::kAuthenticated) {
      auto principal = auth_.Authenticate(ctx.token, ctx.ip, ctx.request_id);
      if (!principal.has_value()) {
        failure = principal.error();
      } else {
        t_user = principal->user.username;
        ctx.principal = std::move(*principal);
      }
    }
    if (failure.ok()) {
      Result<Response> result = handler(ctx);
      if (result.has_value()) {
        Apply(*result, res);
        return;
      }
      failure = result.error();
    }
    if (failure.code() == StatusCode::kInternal) {
      spdlog::error("request {} failed: {}", t_request_id, LogSafe(failure.message()));
    }
    res.status = HttpStatusFor(failure.code());
    res.set_content(ErrorBody(failure), "application/json; charset=utf-8");
  };
  std::string regex = PatternToRegex(pattern);
  if (method == "GET") {
    server_->Get(regex, wrapped);
  } else if (method == "POST") {
    server_->Post(regex, wrapped);
  } else if (method == "PUT") {
    server_->Put(regex, wrapped);
  } else if (method == "PATCH") {
    server_->Patch(regex, wrapped);
  } else if (method == "DELETE") {
    server_->Delete(regex, wrapped);
  }
}

void Server::Install() {
  auto& s = *server_;
  s.set_tcp_nodelay(true);  // without it every answer waits ~40 ms (performance.md 4.2)
  s.set_keep_alive_max_count(1'000'000);
  s.set_keep_alive_timeout(5);
  s.set_read_timeout(10);
  s.set_write_timeout(10);
  s.set_payload_max_length(options_.max_body_bytes);
  int threads = options_.threads;
  s.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };

  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    // The library would compress answers itself (Brotli at its highest quality, on every
    // request); static files carry their own gzip copy, made once. The request object is not
    // const where the library owns it, so dropping the header here is well-defined.
    t_accepts_gzip = req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    t_start = std::chrono::steady_clock::now();
    t_request_id = NewRequestId();
    t_route = "static";
    t_user = "-";
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Request-Id", t_request_id);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                   "'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'");
    if (req.path.starts_with("/api/") && !res.has_header("Cache-Control")) {
      res.set_header("Cache-Control", "no-store");
    }
  });
  s.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) {
          res.set_content(ErrorBodyForHttpStatus(res.status), "application/json; charset=utf-8");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
        // A library threw where it should not have: answer 500 in the usual shape, never crash.
        res.status = 500;
        res.set_content(ErrorBody(Internal("exception")), "application/json; charset=utf-8");
      });
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    state_->metrics.Observe(req.method, t_route, res.status, seconds);
    // The path is logged without its query string: identifiers never travel in URLs, and
    // nothing a client puts there reaches the log (security.md B2).
    spdlog::info("access id={} ip={} user={} {} \"{}\" route=\"{}\" status={} ms={:.3f}",
                 t_request_id, req.remote_addr, LogSafe(t_user), req.method,
                 LogSafe(req.path.substr(0, 200)), t_route, res.status, seconds * 1000);
  });

  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    t_route = "/healthz";
    res.set_content("ok\n", "text/plain");
  });
  s.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    t_route = "/readyz";
    Status st = db_.Read([](store::Session& session) {
      return session.QueryInt("SELECT COUNT(*) FROM schema_migrations", {}).status();
    });
    res.status = st.ok() && !state_->stopping ? 200 : 503;
    res.set_content(res.status == 200 ? "ready\n" : "not ready\n", "text/plain");
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    t_route = "/metrics";
    res.set_content(state_->metrics.Render(), "text/plain; version=0.0.4");
  });

  state_->web.Load(options_.web_dir);
}

Status Server::Listen(const std::function<void(int)>& on_listening, bool handle_signals) {
  // The catch-all goes last: unknown API paths get a JSON 404, anything else is a page of the
  // single-page app, answered with index.html.
  server_->Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
    const StaticFile* file = state_->web.Find(req.path);
    // A path with a file extension names a file: if it is missing, say so, rather than answer
    // with the page (a stale tab asking for an old script would get HTML and go blank).
    bool names_file =
        req.path.rfind('.') != std::string::npos && req.path.rfind('.') > req.path.rfind('/');
    if (file == nullptr && !req.path.starts_with("/api/") && !names_file) {
      file = state_->web.Index();
    }
    if (file == nullptr) {
      res.status = 404;
      res.set_content(ErrorBodyForHttpStatus(404), "application/json; charset=utf-8");
      return;
    }
    res.set_header("Cache-Control",
                   file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_header("Vary", "Accept-Encoding");
    if (!file->gzip.empty() && t_accepts_gzip) {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(file->gzip, file->content_type.c_str());
    } else {
      res.set_content(file->body, file->content_type.c_str());
    }
  });

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (handle_signals) {
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by pool threads
  }

  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
    if (port < 0) {
      return Unavailable("cannot bind " + options_.host);
    }
  } else if (!server_->bind_to_port(options_.host, port)) {
    return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(port) +
                       " (in use?)");
  }
  std::thread signal_thread;
  if (handle_signals) {
    signal_thread = std::thread([this, signals] {
      timespec tick{0, 200'000'000};
      while (!state_->stopping) {
        if (sigtimedwait(&signals, nullptr, &tick) > 0) {
          spdlog::info("signal received: finishing requests in flight and stopping");
          Stop();
        }
      }
    });
  }
  on_listening(port);
  bool ok = server_->listen_after_bind();
  state_->stopping = true;
  if (signal_thread.joinable()) {
    signal_thread.join();
  }
  if (!ok) {
    return Unavailable("the server stopped with an error");
  }
  return Status::Ok();
}

void Server::Stop() {
  state_->stopping = true;
  server_->stop();
}

}  // namespace cordon::http
