// The connections of the Beast transport: each event loop's set, and how one connection reads
// requests one after another (keep-alive, pipelining), hands them to the Server, and writes the
// answers, holding an answer until its audit rows are committed.
#pragma once

// Beast's own string_view otherwise: std::string_view is what the rest of Cordon uses.
#define BOOST_BEAST_USE_STD_STRING_VIEW 1

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <unordered_set>

namespace cordon::http {

class Connection;
class Metrics;
class Server;

// One event loop and its connections; the set is touched only from the loop's thread.
struct Loop {
  boost::asio::io_context context{1};
  std::unordered_set<Connection*> connections;
};

// Serves an accepted socket on `loop` until it closes. `max_body`: the largest body limit of any
// route (the route's own limit applies once its header is read).
void StartConnection(boost::asio::ip::tcp::socket socket, Loop& loop, Server& server,
                     Metrics& metrics, const std::atomic<bool>& stopping, std::size_t max_body);
// Closes the loop's connections that wait for a next request; the others close after their
// answer. Call on the loop's thread.
void CloseIdleConnections(Loop& loop);

}  // namespace cordon::http
