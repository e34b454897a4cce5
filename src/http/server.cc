#include "http/server.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "auth/pending_records.h"
#include "auth/service.h"
#include "http/access_log.h"
#include "http/connection.h"
#include "http/error_response.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "store/busy_counter.h"
#include "store/database.h"

namespace cordon::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kShutdownGrace = std::chrono::seconds(10);
std::string TokenOf(const Request& req, bool secure_cookie) {
  std::string auth = req.Header("Authorization");
  if (auth.starts_with("Bearer ")) {
    return auth.substr(7);
  }
  std::string cookies = req.Header("Cookie");
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

}  // namespace

struct Server::State {
  Metrics metrics;
  StaticFiles web;
  Router router;
  std::atomic<bool> stopping{false};
  std::vector<std::unique_ptr<Loop>> loops;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::atomic<std::size_t> next_loop{0};
  std::mutex stop_mu;
  std::condition_variable stopped_cv;

  void Accept(Server& server, std::size_t max_body);
};

void Server::State::Accept(Server& server, std::size_t max_body) {
  Loop& loop = *loops[next_loop++ % loops.size()];
  acceptor->async_accept(
      loop.context.get_executor(),
      [this, &server, &loop, max_body](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
          return;
        }
        if (!ec) {
          StartConnection(std::move(socket), loop, server, metrics, stopping, max_body);
        } else {
          // Out of descriptors or a connection reset before it was accepted: keep accepting.
          spdlog::warn("accept failed: {}", ec.message());
        }
        Accept(server, max_body);
      });
}

Response JsonResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response TransportError(int status) {
  Response r;
  r.status = status;
  r.body = ErrorBodyForHttpStatus(status);
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
    : options_(std::move(options)), auth_(auth), db_(db), state_(std::make_unique<State>()) {
  AddInternal("/healthz", [](Context&) -> Result<Response> {
    Response r;
    r.body = "ok\n";
    r.content_type = "text/plain";
    return r;
  });
  AddInternal("/readyz", [this](Context&) -> Result<Response> {
    Status st = db_.Read([](store::Session& session) {
      return session.QueryInt("SELECT COUNT(*) FROM schema_migrations", {}).status();
    });
    Response r;
    r.status = st.ok() && !state_->stopping ? 200 : 503;
    r.body = r.status == 200 ? "ready\n" : "not ready\n";
    r.content_type = "text/plain";
    return r;
  });
  AddInternal("/metrics", [this](Context&) -> Result<Response> {
    Response r;
    r.body = state_->metrics.Render();
    r.body +=
        "# HELP cordon_db_busy_total statements refused as busy or locked after the "
        "database's timeout (each one a 503)\n# TYPE cordon_db_busy_total counter\n"
        "cordon_db_busy_total " +
        std::to_string(store::BusyCount()) + "\n";
    r.content_type = "text/plain; version=0.0.4";
    return r;
  });
  state_->web.Load(options_.web_dir);
}

Server::~Server() = default;

void Server::AddInternal(const std::string& pattern, Handler handler) {
  state_->router.Add("GET", pattern, entries_.size());
  entries_.push_back({pattern, Access::kPublic, std::move(handler), true});
}

void Server::Route(const std::string& method, const std::string& pattern, Access access,
                   Handler handler, std::size_t max_body) {
  routes_.push_back({method, pattern, access});
  state_->router.Add(method, pattern, entries_.size());
  entries_.push_back({pattern, access, std::move(handler), false, max_body});
}

std::size_t Server::BodyLimit(std::string_view method, std::string_view raw_path) const {
  Router::Match match;
  if (state_->router.Find(method, raw_path, match) == Router::Outcome::kFound &&
      entries_[match.route].max_body > 0) {
    return entries_[match.route].max_body;
  }
  return options_.max_body_bytes;
}

std::size_t Server::LargestBodyLimit() const {
  std::size_t largest = options_.max_body_bytes;
  for (const auto& e : entries_) {
    largest = std::max(largest, e.max_body);
  }
  return largest;
}

void Server::RunHandler(const Entry& entry, Context& ctx, Exchange& exchange) {
  exchange.route = entry.pattern;
  // Audited reads queue their rows instead of holding this event-loop thread while they commit.
  auth::DeferRecordsScope deferred;
  exchange.pending = deferred.pending();
  Status failure;
  if (entry.access == Access::kAuthenticated) {
    auto principal = auth_.Authenticate(ctx.token, ctx.ip, ctx.request_id);
    if (!principal.has_value()) {
      failure = principal.error();
    } else {
      exchange.user = principal->user.username;
      ctx.principal = std::move(*principal);
    }
  }
  if (failure.ok()) {
    Result<Response> result = entry.handler(ctx);
    if (result.has_value()) {
      exchange.response = std::move(*result);
      return;
    }
    failure = result.error();
  }
  if (failure.code() == StatusCode::kInternal) {
    spdlog::error("request {} failed: {}", exchange.request_id, LogSafe(failure.message()));
  }
  exchange.response.status = HttpStatusFor(failure.code());
  exchange.response.body = ErrorBody(failure);
}

void Server::ServeStatic(const Request& req, Exchange& exchange) {
  const StaticFile* file = state_->web.Find(req.path);
  // A path with a file extension names a file: if it is missing, say so, rather than answer
  // with the page (a stale tab asking for an old script would get HTML and go blank).
  bool names_file =
      req.path.rfind('.') != std::string::npos && req.path.rfind('.') > req.path.rfind('/');
  if (file == nullptr && !req.path.starts_with("/api/") && !names_file) {
    file = state_->web.Index();
  }
  if (file == nullptr) {
    exchange.response = TransportError(404);
    return;
  }
  Response& res = exchange.response;
  res.headers.emplace_back("Cache-Control",
                           file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.headers.emplace_back("Vary", "Accept-Encoding");
  res.content_type = file->content_type;
  if (!file->gzip.empty() && req.Header("Accept-Encoding").find("gzip") != std::string::npos) {
    res.headers.emplace_back("Content-Encoding", "gzip");
    res.body = file->gzip;
  } else {
    res.body = file->body;
  }
}

void Server::Dispatch(const Request& req, std::string_view raw_path, Exchange& exchange) {
  exchange.request_id = NewRequestId();
  Router::Match match;
  switch (state_->router.Find(req.method, raw_path, match)) {
    case Router::Outcome::kFound: {
      const Entry& entry = entries_[match.route];
      Context ctx{req,
                  exchange.request_id,
                  req.remote_addr,
                  TokenOf(req, options_.secure_cookie),
                  std::nullopt,
                  std::move(match.params)};
      RunHandler(entry, ctx, exchange);
      break;
    }
    case Router::Outcome::kWrongMethod:
      exchange.response = TransportError(405);
      break;
    case Router::Outcome::kNoRoute:
      if (req.method == "GET") {
        ServeStatic(req, exchange);
      } else {
        exchange.response = TransportError(404);
      }
      break;
  }
  auto& headers = exchange.response.headers;
  headers.emplace_back("X-Request-Id", exchange.request_id);
  headers.emplace_back("X-Content-Type-Options", "nosniff");
  headers.emplace_back("X-Frame-Options", "DENY");
  headers.emplace_back("Referrer-Policy", "no-referrer");
  // Browsers heed this only over TLS, which production terminates in front of Cordon; a year,
  // as ASVS asks, so that a first visit over plain HTTP cannot be downgraded later.
  headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  headers.emplace_back("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                       "'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors "
                       "'none'");
  bool has_cache_control = false;
  for (const auto& [name, value] : headers) {
    has_cache_control = has_cache_control || name == "Cache-Control";
  }
  if (req.path.starts_with("/api/") && !has_cache_control) {
    headers.emplace_back("Cache-Control", "no-store");
  }
}

Status Server::Listen(const std::function<void(int)>& on_listening, bool handle_signals) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (handle_signals) {
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by the loop threads
  }

  State& st = *state_;
  int threads = options_.threads > 0
                    ? options_.threads
                    : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    st.loops.push_back(std::make_unique<Loop>());
    st.guards.push_back(asio::make_work_guard(st.loops.back()->context));
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    return InvalidArgument("cannot listen on " + options_.host + ": not an IP address");
  }
  st.acceptor = std::make_unique<tcp::acceptor>(st.loops[0]->context);
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
  st.acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    st.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    st.acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    st.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                       " (in use?): " + ec.message());
  }
  int port = st.acceptor->local_endpoint().port();

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
  st.Accept(*this, LargestBodyLimit());
  std::vector<std::thread> workers;
  for (auto& loop : st.loops) {
    workers.emplace_back([&loop] { loop->context.run(); });
  }
  on_listening(port);

  // Wait for Stop(); then stop accepting, close idle connections, and give requests in flight
  // their time before cutting the rest.
  {
    std::unique_lock lock(st.stop_mu);
    st.stopped_cv.wait(lock, [&] { return st.stopping.load(); });
  }
  asio::post(st.loops[0]->context, [&st] {
    boost::system::error_code ignored;
    st.acceptor->close(ignored);
  });
  for (auto& loop : st.loops) {
    asio::post(loop->context, [l = loop.get()] { CloseIdleConnections(*l); });
  }
  for (auto& guard : st.guards) {
    guard.reset();
  }
  auto deadline = Clock::now() + kShutdownGrace;
  for (auto& loop : st.loops) {
    while (!loop->context.stopped() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    loop->context.stop();
  }
  for (auto& worker : workers) {
    worker.join();
  }
  if (signal_thread.joinable()) {
    signal_thread.join();
  }
  return Status::Ok();
}

void Server::Stop() {
  State& st = *state_;
  std::lock_guard lock(st.stop_mu);
  st.stopping = true;
  st.stopped_cv.notify_all();
}

}  // namespace cordon::http
