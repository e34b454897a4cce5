#include "http/connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "auth/pending_records.h"
#include "http/access_log.h"
#include "http/error_response.h"
#include "http/metrics.h"
#include "http/server.h"

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

}  // namespace

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
    exchange.response = TransportError(status);
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

void StartConnection(tcp::socket socket, Loop& loop, Server& server, Metrics& metrics,
                     const std::atomic<bool>& stopping, std::size_t max_body) {
  auto connection =
      std::make_shared<Connection>(std::move(socket), loop, server, metrics, stopping, max_body);
  asio::post(loop.context, [connection] { connection->Start(); });
}

void CloseIdleConnections(Loop& loop) {
  // Copied first: closing a connection may end it and erase it from the set.
  std::vector<Connection*> open(loop.connections.begin(), loop.connections.end());
  for (Connection* c : open) {
    c->CloseIfIdle();
  }
}

}  // namespace cordon::http
