// Several nodes on one PostgreSQL database (architecture.md, "Several nodes"): check-ins are
// written once to the shared checkin_log, and every node's engine follows it by id, keeping its
// cursor beside the engine's files; venue edits made on another node are followed too.
#include <spdlog/spdlog.h>

#include <chrono>

#include "trace/service.h"

namespace cordon::trace {

using checkins::Checkin;

Status TraceService::AppendShared(std::span<const Checkin> rows) {
  if (rows.empty()) {
    return Status::Ok();
  }
  std::int64_t last = 0;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    constexpr std::size_t kChunk = 500;
    for (std::size_t at = 0; at < rows.size(); at += kChunk) {
      const std::size_t n = std::min(kChunk, rows.size() - at);
      std::string sql = "INSERT INTO checkin_log (person_id, venue_id, time) VALUES ";
      store::Params params;
      params.reserve(n * 3);
      for (std::size_t i = 0; i < n; ++i) {
        sql += i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)";
        const Checkin& c = rows[at + i];
        params.emplace_back(static_cast<std::int64_t>(c.person));
        params.emplace_back(static_cast<std::int64_t>(c.venue));
        params.emplace_back(static_cast<std::int64_t>(c.time));
      }
      CORDON_RETURN_IF_ERROR(s.Exec(sql, params).status());
    }
    // Writers hold the database's writer lock, so ids commit in order and this is ours.
    CORDON_ASSIGN_OR_RETURN(last, s.QueryInt("SELECT MAX(id) FROM checkin_log", {}));
    return Status::Ok();
  }));
  // Acknowledged once this node's engine holds them too: a search right after sees them.
  std::unique_lock lock(follow_mu_);
  follow_now_ = true;
  follow_cv_.notify_all();
  if (!follow_cv_.wait_for(lock, std::chrono::seconds(30),
                           [&] { return cursor_ >= last || stop_; })) {
    return Unavailable("check-ins were stored but this node has not caught up yet; retry");
  }
  return Status::Ok();
}

Status TraceService::FollowOnce(bool deduplicate) {
  std::int64_t cursor = 0;
  {
    std::lock_guard lock(follow_mu_);
    cursor = cursor_;
  }
  constexpr std::int64_t kPage = 200'000;
  while (true) {
    std::vector<Checkin> rows;
    std::int64_t last = cursor;
    CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
      return s.Query(
          "SELECT id, person_id, venue_id, time FROM checkin_log WHERE id > ? ORDER BY id LIMIT ?",
          {cursor, kPage}, [&](const store::Row& row) {
            last = row.Int(0);
            rows.push_back({static_cast<std::uint32_t>(row.Int(2)),
                            static_cast<std::uint32_t>(row.Int(3)),
                            static_cast<std::uint32_t>(row.Int(1))});
            return Status::Ok();
          });
    }));
    if (last == cursor) {
      return Status::Ok();
    }
    const auto first_day = engine_->FirstRetainedDay();
    const auto last_day = engine_->Today() + 1;
    auto held = engine_->snapshot();
    bool unknown_venue = false;
    {
      std::shared_lock names(names_mu_);
      std::erase_if(rows, [&](const Checkin& c) {
        const auto day = engine_->calendar().DayOf(c.time);
        if (day < first_day || day > last_day) {
          return true;
        }
        unknown_venue = unknown_venue || c.venue >= venues_.size() || venues_[c.venue].id == 0;
        bool duplicate = false;
        if (deduplicate) {
          held->AtVenue(c.venue, c.time, c.time,
                        [&](const Checkin& h) { duplicate = duplicate || h.person == c.person; });
        }
        return duplicate;
      });
    }
    if (unknown_venue) {
      CORDON_RETURN_IF_ERROR(ReloadVenues());  // registered by another node
    }
    CORDON_RETURN_IF_ERROR(engine_->Append(rows));
    // The cursor after the rows: a crash in between re-reads them, and the next start skips
    // those already held.
    const std::string temp = cursor_path_ + ".part";
    if (std::FILE* f = std::fopen(temp.c_str(), "w"); f != nullptr) {
      std::fprintf(f, "%lld\n", static_cast<long long>(last));
      std::fflush(f);
      ::fdatasync(::fileno(f));
      std::fclose(f);
      std::rename(temp.c_str(), cursor_path_.c_str());
    }
    {
      std::lock_guard lock(follow_mu_);
      cursor_ = last;
    }
    follow_cv_.notify_all();
    cursor = last;
  }
}

Status TraceService::FollowVenueEdits() {
  std::int64_t version = 0;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(version,
                            s.QueryInt("SELECT version FROM venue_edits WHERE singleton = 1", {}));
    return Status::Ok();
  }));
  if (version == venue_edits_seen_) {
    return Status::Ok();
  }
  CORDON_RETURN_IF_ERROR(ReloadVenues());  // a venue edited on another node
  venue_edits_seen_ = version;
  return Status::Ok();
}

void TraceService::Follow() {
  std::unique_lock lock(follow_mu_);
  while (!stop_) {
    follow_cv_.wait_for(lock, std::chrono::milliseconds(100),
                        [this] { return follow_now_ || stop_; });
    if (stop_) {
      break;
    }
    follow_now_ = false;
    lock.unlock();
    if (Status followed = FollowOnce(false); !followed.ok()) {
      spdlog::error("check-ins: following the shared log failed: {}", followed.message());
    }
    if (Status venues = FollowVenueEdits(); !venues.ok()) {
      spdlog::error("check-ins: reloading edited venues failed: {}", venues.message());
    }
    // Retention of the shared log, once an hour, by whichever node comes first.
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    if (now - last_purge_ > 3600) {
      last_purge_ = now;
      const std::int64_t cutoff = engine_->calendar().DayStart(engine_->FirstRetainedDay());
      Status purged = db_.Write([&](store::Session& s) {
        return s.Exec("DELETE FROM checkin_log WHERE time < ?", {cutoff}).status();
      });
      if (!purged.ok()) {
        spdlog::error("check-ins: retention of the shared log failed: {}", purged.message());
      }
    }
    lock.lock();
  }
}

}  // namespace cordon::trace
