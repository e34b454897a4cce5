// Canonical answers and timings of the contact-tracing comparison (bench/trace/run.sh). Every
// system — the engine and each peer — writes the same files in the same order, so that their
// SHA-256 digests are equal exactly when the answers are:
//   q1_evidence.csv   query_no,contact_person,venue,index_time,contact_time   (sorted, distinct)
//   q1_counts.csv     query_no,distinct_contacts
//   q2_counts.csv     query_no,distinct_secondary_contacts
//   q4_trajectory.csv query_no,venue,time                                     (sorted)
// timings.tsv: one line per query set, "set n p50_ms p99_ms max_ms total_s", and
// latencies.csv: "set,query_no,ms", every timed query.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "workload.h"

namespace cordon::bench_trace {

using EvidenceRow = std::array<std::uint32_t, 5>;    // query, person, venue, index t, contact t
using TrajectoryRow = std::array<std::uint32_t, 3>;  // query, venue, time

struct Answers {
  std::vector<EvidenceRow> q1;
  std::size_t q1_queries = 0;
  std::vector<std::uint64_t> q2;  // distinct secondary contacts, by query
  std::vector<TrajectoryRow> q4;
};

struct Latencies {
  std::string set;
  std::vector<double> ms;

  double Quantile(double q) const {
    if (ms.empty()) {
      return 0;
    }
    std::vector<double> s = ms;
    std::ranges::sort(s);
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(s.size())));
    return s[std::clamp<std::size_t>(rank, 1, s.size()) - 1];
  }
  double Max() const { return ms.empty() ? 0 : *std::ranges::max_element(ms); }
  double TotalSeconds() const {
    double t = 0;
    for (double m : ms) {
      t += m;
    }
    return t / 1000;
  }
};

// Buffered writing of small unsigned numbers, far faster than iostreams for 10^7 lines.
class LineWriter {
 public:
  explicit LineWriter(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) {
      throw std::runtime_error("cannot write " + path);
    }
    buffer_.reserve(kFlush + 256);
  }
  ~LineWriter() { Close(); }
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  template <std::size_t N>
  void Row(const std::array<std::uint32_t, N>& row) {
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) {
        buffer_.push_back(',');
      }
      Number(row[i]);
    }
    End();
  }
  void Number(std::uint64_t v) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), v);
    buffer_.append(digits, end);
  }
  void Text(const std::string& s) { buffer_ += s; }
  void End() {
    buffer_.push_back('\n');
    if (buffer_.size() >= kFlush) {
      Flush();
    }
  }
  void Close() {
    if (file_ != nullptr) {
      Flush();
      std::fclose(file_);
      file_ = nullptr;
    }
  }

 private:
  static constexpr std::size_t kFlush = 1 << 20;
  void Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      throw std::runtime_error("short write");
    }
    buffer_.clear();
  }
  std::FILE* file_;
  std::string buffer_;
};

inline void WriteAnswers(const std::string& dir, Answers& a) {
  std::ranges::sort(a.q1);
  a.q1.erase(std::unique(a.q1.begin(), a.q1.end()), a.q1.end());
  std::ranges::sort(a.q4);
  {
    LineWriter w(dir + "/q1_evidence.csv");
    for (const EvidenceRow& r : a.q1) {
      w.Row(r);
    }
  }
  {
    std::vector<std::uint64_t> counts(a.q1_queries);
    for (std::size_t i = 0; i < a.q1.size(); ++i) {
      if (i == 0 || a.q1[i][0] != a.q1[i - 1][0] || a.q1[i][1] != a.q1[i - 1][1]) {
        ++counts.at(a.q1[i][0]);
      }
    }
    LineWriter w(dir + "/q1_counts.csv");
    for (std::size_t q = 0; q < counts.size(); ++q) {
      w.Row(std::array<std::uint32_t, 2>{static_cast<std::uint32_t>(q),
                                         static_cast<std::uint32_t>(counts[q])});
    }
  }
  {
    LineWriter w(dir + "/q2_counts.csv");
    for (std::size_t q = 0; q < a.q2.size(); ++q) {
      w.Row(std::array<std::uint32_t, 2>{static_cast<std::uint32_t>(q),
                                         static_cast<std::uint32_t>(a.q2[q])});
    }
  }
  {
    LineWriter w(dir + "/q4_trajectory.csv");
    for (const TrajectoryRow& r : a.q4) {
      w.Row(r);
    }
  }
}

inline std::string Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  std::string hex;
  for (unsigned char b : digest) {
    constexpr char kHex[] = "0123456789abcdef";
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

inline void WriteTimings(const std::string& dir, const std::vector<Latencies>& sets,
                         double load_seconds) {
  {
    LineWriter each(dir + "/latencies.csv");  // set,query_no,ms
    char line[96];
    for (const Latencies& l : sets) {
      for (std::size_t i = 0; i < l.ms.size(); ++i) {
        std::snprintf(line, sizeof(line), "%s,%zu,%.6f", l.set.c_str(), i, l.ms[i]);
        each.Text(line);
        each.End();
      }
    }
  }
  LineWriter w(dir + "/timings.tsv");
  char line[256];
  std::snprintf(line, sizeof(line), "load\t1\t0\t0\t0\t%.3f", load_seconds);
  w.Text(line);
  w.End();
  for (const Latencies& l : sets) {
    std::snprintf(line, sizeof(line), "%s\t%zu\t%.4f\t%.4f\t%.4f\t%.3f", l.set.c_str(), l.ms.size(),
                  l.Quantile(0.5), l.Quantile(0.99), l.Max(), l.TotalSeconds());
    w.Text(line);
    w.End();
  }
}

inline void PrintLatencies(const Latencies& l) {
  std::printf("  %-4s n=%-5zu p50 %9.4f ms  p99 %9.4f ms  max %9.4f ms  total %8.3f s\n",
              l.set.c_str(), l.ms.size(), l.Quantile(0.5), l.Quantile(0.99), l.Max(),
              l.TotalSeconds());
}

// Reads "a,b,c" lines of unsigned numbers after a header line; fn(fields).
template <std::size_t N, typename Fn>
void ForEachCsvRow(const std::string& path, Fn&& fn) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw std::runtime_error("cannot read " + path);
  }
  std::vector<char> buf(1 << 22);
  std::size_t have = 0;
  bool header = true;
  std::array<std::uint64_t, N> row{};
  for (;;) {
    const std::size_t got = std::fread(buf.data() + have, 1, buf.size() - have, f);
    have += got;
    const bool eof = got == 0;
    std::size_t at = 0;
    for (;;) {
      const void* nl = std::memchr(buf.data() + at, '\n', have - at);
      if (nl == nullptr) {
        break;
      }
      const std::size_t end = static_cast<const char*>(nl) - buf.data();
      if (header) {
        header = false;
      } else {
        const char* p = buf.data() + at;
        const char* e = buf.data() + end;
        for (std::size_t i = 0; i < N; ++i) {
          auto [next, ec] = std::from_chars(p, e, row[i]);
          if (ec != std::errc()) {
            throw std::runtime_error("bad number in " + path);
          }
          p = next + 1;
        }
        fn(row);
      }
      at = end + 1;
    }
    std::memmove(buf.data(), buf.data() + at, have - at);
    have -= at;
    if (eof) {
      break;
    }
  }
  std::fclose(f);
}

}  // namespace cordon::bench_trace
