#include "checkins/checkin_log.h"

#include <xxhash.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace cordon::checkins {
namespace {

constexpr std::uint32_t kBatchMagic = 0x4B434443;  // "CDCK"
constexpr std::uint32_t kRowsBatch = 1;
constexpr std::uint32_t kCarryBatch = 2;
static_assert(sizeof(Checkin) == 12);

struct BatchHeader {
  std::uint32_t magic;
  std::uint32_t kind;
  std::uint32_t count;
  std::uint32_t reserved;
  std::uint64_t aux;
  std::uint64_t hash;  // over the 24 bytes before it and the rows
};
static_assert(sizeof(BatchHeader) == 32);

std::uint64_t BatchHash(const BatchHeader& h, const void* rows, std::size_t bytes) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  XXH3_64bits_update(state, &h, offsetof(BatchHeader, hash));
  XXH3_64bits_update(state, rows, bytes);
  std::uint64_t digest = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return digest;
}

}  // namespace

std::string CheckinLog::FileName(std::uint64_t generation) {
  char name[40];
  std::snprintf(name, sizeof(name), "checkins-%08llu.log",
                static_cast<unsigned long long>(generation));
  return name;
}

std::uint64_t CheckinLog::GenerationOf(const std::string& file_name) {
  unsigned long long generation = 0;
  char tail[8] = {};
  if (std::sscanf(file_name.c_str(), "checkins-%llu.%4s", &generation, tail) != 2 ||
      std::strcmp(tail, "log") != 0 || file_name != FileName(generation)) {
    return 0;
  }
  return generation;
}

Result<ReplayedLog> CheckinLog::Replay(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Internal("cannot read check-in log " + path);
  }
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  ReplayedLog out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    BatchHeader h{};
    const std::size_t left = bytes.size() - at;
    if (left < sizeof(h)) {
      out.torn_tail = true;
      break;
    }
    std::memcpy(&h, bytes.data() + at, sizeof(h));
    if (h.magic != kBatchMagic || (h.kind != kRowsBatch && h.kind != kCarryBatch)) {
      return Internal("check-in log " + path + " is damaged at byte " + std::to_string(at) +
                      " (no batch starts there)");
    }
    const std::size_t payload = static_cast<std::size_t>(h.count) * sizeof(Checkin);
    if (payload > left - sizeof(h)) {
      out.torn_tail = true;  // the write was cut short: never acknowledged
      break;
    }
    const std::uint8_t* rows = bytes.data() + at + sizeof(h);
    if (BatchHash(h, rows, payload) != h.hash) {
      if (at + sizeof(h) + payload == bytes.size()) {
        out.torn_tail = true;
        break;
      }
      return Internal("check-in log " + path + " is damaged at byte " + std::to_string(at) +
                      " (batch checksum mismatch)");
    }
    if (payload > 0) {  // a carry of nothing is a valid batch; memcpy wants real pointers
      const std::size_t before = out.rows.size();
      out.rows.resize(before + h.count);
      std::memcpy(out.rows.data() + before, rows, payload);
    }
    if (h.kind == kCarryBatch) {
      out.carried.push_back(h.aux);
    }
    at += sizeof(h) + payload;
  }
  out.valid_bytes = at;
  return out;
}

Result<CheckinLog> CheckinLog::Open(const std::string& path, std::uint64_t generation,
                                    std::uint64_t valid_bytes) {
  CORDON_ASSIGN_OR_RETURN(File file, File::OpenAt(path, valid_bytes));
  return CheckinLog(std::move(file), generation);
}

Status CheckinLog::Append(std::span<const Checkin> rows) { return Write(kRowsBatch, 0, rows); }

Status CheckinLog::AppendCarry(std::uint64_t carried_generation, std::span<const Checkin> rows) {
  return Write(kCarryBatch, carried_generation, rows);
}

Status CheckinLog::Write(std::uint32_t kind, std::uint64_t aux, std::span<const Checkin> rows) {
  BatchHeader h{kBatchMagic, kind, static_cast<std::uint32_t>(rows.size()), 0, aux, 0};
  const std::size_t payload = rows.size_bytes();
  h.hash = BatchHash(h, rows.data(), payload);
  // One write per batch: a crash leaves at most a prefix of it, which Replay recognises.
  buffer_.resize(sizeof(h) + payload);
  std::memcpy(buffer_.data(), &h, sizeof(h));
  if (payload > 0) {
    std::memcpy(buffer_.data() + sizeof(h), rows.data(), payload);
  }
  return file_.WriteAll(buffer_.data(), buffer_.size());
}

}  // namespace cordon::checkins
