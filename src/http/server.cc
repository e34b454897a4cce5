// Beast's own string_view otherwise: std::string_view is what the rest of Cordon uses.
#define BOOST_BEAST_USE_STD_STRING_VIEW 1

#include "http/server.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>

#include "auth/pending_records.h"
#include "auth/service.h"
#include "http/error_response.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "store/database.h"

namespace cordon::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kReadTimeout = std::chrono::seconds(10);
constexpr auto kIdleTimeout = std::chrono::seconds(5);
constexpr auto kWriteTimeout = std::chrono::seconds(10);
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr auto kShutdownGrace = std::chrono::seconds(10);

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

Response ErrorResponse(int status) {
  Response r;
  r.status = status;
  r.body = ErrorBodyForHttpStatus(status);
  return r;
}

class Connection;

// The connections of one event loop; touched only from that loop's thread.
struct Loop {
  asio::io_context context{1};
  std::unordered_set<Connection*> connections;
};

// One TCP connection: reads requests one after another (keep-alive), answers each in turn.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Loop& loop, Server& server, Metrics& metrics,
             const std::atomic<bool>& stopping, std::size_t max_body)
      : stream_(std::move(socket)),
        loop_(loop),
        server_(server),
        metrics_(metrics),
        stopping_(stopping),
        max_body_(max_body) {}
  ~Connection() { loop_.connections.erase(this); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    loop_.connections.insert(this);
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    auto remote = stream_.socket().remote_endpoint(ec);
    remote_addr_ = ec ? "-" : remote.address().to_string();
    ReadHeader(kReadTimeout);
  }

  // Called on stop: a connection waiting for its next request is closed now; one serving a
  // request closes after its answer.
  void CloseIfIdle() {
    if (idle_) {
      stream_.cancel();
    }
  }

 private:
  void ReadHeader(std::chrono::seconds timeout) {
    if (stopping_) {
      return Close();
    }
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(max_body_);  // the largest of any route (Server::LargestBodyLimit)
    idle_ = buffer_.size() == 0;
    stream_.expires_after(timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    if (ec) {
      return OnReadError(ec);
    }
    started_ = Clock::now();
    auto& req = parser_->get();
    // The parser accepted up to the largest limit of any route; now the route is known.
    std::string_view target(req.target().data(), req.target().size());
    std::size_t limit = server_.BodyLimit(req.method_string(), target.substr(0, target.find('?')));
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return Reject(413);
    }
    parser_->body_limit(limit);
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      // The client waits for this before sending a large body (curl does above 1 MiB).
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       req.version());
      stream_.expires_after(kWriteTimeout);
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                           if (wec) {
                             return self->Close();
                           }
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(kReadTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) {
                          return self->OnReadError(ec);
                        }
                        self->Serve();
                      });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Reject(413);
    }
    if (ec == bhttp::error::header_limit) {
      return Reject(431);
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Close();
    }
    if (&ec.category() == &bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return Reject(400);  // the bytes were not HTTP
    }
    Close();
  }

  void Serve() {
    auto& in = parser_->get();
    Request req;
    req.method = std::string(in.method_string());
    std::string_view target(in.target().data(), in.target().size());
    std::size_t question = target.find('?');
    std::string_view raw_path = target.substr(0, question);
    if (question != std::string_view::npos) {
      req.query = std::string(target.substr(question + 1));
    }
    req.path = PercentDecode(raw_path, false);
    req.headers.reserve(8);
    for (const auto& field : in) {
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    req.body = std::move(in.body());
    req.remote_addr = remote_addr_;
    const bool head = req.method == "HEAD";
    if (head) {
      req.method = "GET";
    }

    Server::Exchange exchange;
    server_.Dispatch(req, raw_path, exchange);
    keep_alive_ = in.keep_alive() && !stopping_;
    if (exchange.pending == nullptr || exchange.pending->empty()) {
      return Write(std::move(exchange), req.method, req.path, head, in.version());
    }
    // The answer leaves once its audit rows are committed; this thread serves others meanwhile.
    auto held = std::make_shared<Server::Exchange>(std::move(exchange));
    auto pending = held->pending;
    pending->WhenDurable([self = shared_from_this(), held, method = req.method, path = req.path,
                          head, version = in.version(),
                          guard = asio::make_work_guard(loop_.context)](const Status& status) {
      asio::post(self->loop_.context, [self, held, method, path, head, version, status] {
        if (!status.ok()) {
          spdlog::error("request {}: audit failed, answer withheld: {}", held->request_id,
                        LogSafe(status.message()));
          held->response.status = 500;
          held->response.body = ErrorBody(Internal("audit"));
          held->response.content_type = "application/json; charset=utf-8";
        }
        self->Write(std::move(*held), method, path, head, version);
      });
    });
  }

  void Reject(int status) {
    started_ = Clock::now();
    Server::Exchange exchange;
    exchange.request_id = NewRequestId();
    exchange.route = "-";
    exchange.response = ErrorResponse(status);
    Request req;
    req.method =
        parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string()) : "-";
    req.path =
        parser_ && parser_->is_header_done()
            ? std::string(parser_->get().target().substr(0, parser_->get().target().find('?')))
            : "-";
    req.remote_addr = remote_addr_;
    keep_alive_ = false;
    lingering_ = true;
    Write(std::move(exchange), req.method, req.path, false, 11);
  }

  void Write(Server::Exchange exchange, const std::string& method, const std::string& path,
             bool head, unsigned version) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version);
    res->result(static_cast<unsigned>(exchange.response.status));
    res->set(bhttp::field::server, "cordon");
    for (auto& [name, value] : exchange.response.headers) {
      res->insert(name, value);
    }
    if (!exchange.response.content_type.empty()) {
      res->set(bhttp::field::content_type, exchange.response.content_type);
    }
    res->keep_alive(keep_alive_);
    std::size_t length = exchange.response.body.size();
    res->body() = std::move(exchange.response.body);
    res->prepare_payload();
    if (head) {
      res->body().clear();
      res->content_length(length);
    }
    // The log line is written once the answer is on its way; its facts are copied now.
    auto line = std::make_shared<LogLine>(
        LogLine{std::move(exchange.request_id), std::move(exchange.route), std::move(exchange.user),
                method, path.substr(0, 200), res->result_int()});
    stream_.expires_after(kWriteTimeout);
    if (head) {
      auto sr = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*res);
      bhttp::async_write_header(
          stream_, *sr,
          [self = shared_from_this(), res, sr, line](beast::error_code ec, std::size_t) {
            self->OnWritten(ec, *line);
          });
      return;
    }
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, line](beast::error_code ec, std::size_t) {
                         self->OnWritten(ec, *line);
                       });
  }

  struct LogLine {
    std::string request_id, route, user, method, path;
    unsigned status;
  };

  void OnWritten(beast::error_code ec, const LogLine& line) {
    double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    metrics_.Observe(line.method, line.route, static_cast<int>(line.status), seconds);
    // The path is logged without its query string: identifiers never travel in URLs, and
    // nothing a client puts there reaches the log (security.md B2).
    spdlog::info("access id={} ip={} user={} {} \"{}\" route=\"{}\" status={} ms={:.3f}",
                 line.request_id, remote_addr_, LogSafe(line.user), LogSafe(line.method),
                 LogSafe(line.path), line.route, line.status, seconds * 1000);
    if (ec) {
      return Close();
    }
    if (lingering_) {
      return Linger();
    }
    if (!keep_alive_) {
      return Close();
    }
    ReadHeader(kIdleTimeout);
  }

  // After refusing a request whose body was not read, read and drop what the client is still
  // sending for a while, so that closing does not reset the connection under the answer.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    drain_.resize(std::size_t{64} * 1024);
    DrainSome();
  }
  void DrainSome() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                return self->Close();
                              }
                              self->DrainSome();
                            });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Loop& loop_;
  Server& server_;
  Metrics& metrics_;
  const std::atomic<bool>& stopping_;
  std::size_t max_body_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_addr_;
  Clock::time_point started_;
  std::vector<char> drain_;
  bool idle_ = false;
  bool keep_alive_ = true;
  bool lingering_ = false;
};

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
      [this, &server, &loop, max_body](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
          return;
        }
        if (!ec) {
          auto connection = std::make_shared<Connection>(std::move(socket), loop, server, metrics,
                                                         stopping, max_body);
          asio::post(loop.context, [connection] { connection->Start(); });
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
    exchange.response = ErrorResponse(404);
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
      exchange.response = ErrorResponse(405);
      break;
    case Router::Outcome::kNoRoute:
      if (req.method == "GET") {
        ServeStatic(req, exchange);
      } else {
        exchange.response = ErrorResponse(404);
      }
      break;
  }
  auto& headers = exchange.response.headers;
  headers.emplace_back("X-Request-Id", exchange.request_id);
  headers.emplace_back("X-Content-Type-Options", "nosniff");
  headers.emplace_back("X-Frame-Options", "DENY");
  headers.emplace_back("Referrer-Policy", "no-referrer");
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
  beast::error_code ec;
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
    beast::error_code ignored;
    st.acceptor->close(ignored);
  });
  for (auto& loop : st.loops) {
    asio::post(loop->context, [l = loop.get()] {
      // Copied first: closing a connection may end it and erase it from the set.
      std::vector<Connection*> open(l->connections.begin(), l->connections.end());
      for (Connection* c : open) {
        c->CloseIfIdle();
      }
    });
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
