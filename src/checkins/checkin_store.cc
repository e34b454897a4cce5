#include "checkins/checkin_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "checkins/file_io.h"

namespace cordon::checkins {
namespace {

namespace fs = std::filesystem;

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "day-2026-11-24.seg": the local date, so that an operator can see which file is which day.
std::string SegmentName(Day day) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char name[32];
  std::snprintf(name, sizeof(name), "day-%04d-%02u-%02u.seg", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return name;
}

std::optional<Day> DayOfSegmentName(const std::string& name) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail[8] = {};
  if (std::sscanf(name.c_str(), "day-%4d-%2u-%2u.%3s", &y, &m, &d, tail) != 4) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  Day day = static_cast<Day>(std::chrono::sys_days{ymd}.time_since_epoch().count());
  if (SegmentName(day) != name) {
    return std::nullopt;
  }
  return day;
}

std::shared_ptr<const OwnedColumns> MergeRunRange(
    const std::vector<std::shared_ptr<const OwnedColumns>>& runs, std::size_t first,
    std::size_t last, const std::vector<std::shared_ptr<const std::vector<Checkin>>>* tail) {
  std::vector<Columns> parts;
  for (std::size_t i = first; i < last; ++i) {
    parts.push_back(runs[i]->view());
  }
  if (tail == nullptr || tail->empty()) {
    return std::make_shared<OwnedColumns>(OwnedColumns::Merge(parts));
  }
  std::vector<Checkin> rows;
  for (const Columns& p : parts) {
    for (std::size_t i = 0; i < p.rows; ++i) {
      rows.push_back(p.Row(i));
    }
  }
  for (const auto& batch : *tail) {
    rows.insert(rows.end(), batch->begin(), batch->end());
  }
  return std::make_shared<OwnedColumns>(OwnedColumns::Build(rows));
}

}  // namespace

// --- Snapshot -------------------------------------------------------------------------------

const Snapshot::DayPart* Snapshot::Find(Day day) const {
  auto it = std::ranges::lower_bound(days_, day, {}, &DayPart::day);
  return it != days_.end() && it->day == day ? &*it : nullptr;
}

Snapshot::DayPart* Snapshot::Find(Day day) {
  auto it = std::ranges::lower_bound(days_, day, {}, &DayPart::day);
  return it != days_.end() && it->day == day ? &*it : nullptr;
}

std::vector<Checkin> Snapshot::Trajectory(std::uint32_t person, std::uint32_t from,
                                          std::uint32_t to) const {
  std::vector<Checkin> out;
  if (from > to) {
    return out;
  }
  Parts(
      from, to,
      [&](const Columns& c) {
        auto [b, e] = c.PersonRange(person);
        for (std::size_t i = b; i < e; ++i) {
          const std::uint32_t row = c.by_person[i];
          if (c.time[row] >= from && c.time[row] <= to) {
            out.push_back(c.Row(row));
          }
        }
      },
      [&](std::span<const Checkin> batch) {
        for (const Checkin& c : batch) {
          if (c.person == person && c.time >= from && c.time <= to) {
            out.push_back(c);
          }
        }
      });
  std::ranges::sort(out, [](const Checkin& a, const Checkin& b) {
    return a.time != b.time ? a.time < b.time : a.venue < b.venue;
  });
  return out;
}

std::size_t Snapshot::rows() const {
  std::size_t n = 0;
  for (const DayPart& part : days_) {
    n += part.segment ? part.segment->columns().rows : 0;
    for (const auto& run : part.runs) {
      n += run->rows();
    }
    n += part.tail_rows;
  }
  return n;
}

// --- CheckinStore -----------------------------------------------------------------------------

CheckinStore::CheckinStore(StoreOptions options)
    : options_(std::move(options)), calendar_(options_.utc_offset_seconds) {
  if (!options_.now) {
    options_.now = SystemNow;
  }
}

Result<std::unique_ptr<CheckinStore>> CheckinStore::Open(StoreOptions options) {
  std::unique_ptr<CheckinStore> store(new CheckinStore(std::move(options)));
  CORDON_RETURN_IF_ERROR(store->Recover());
  if (store->options_.background && !store->options_.read_only) {
    store->background_ = std::thread([s = store.get()] { s->Background(); });
  }
  return store;
}

CheckinStore::~CheckinStore() {
  {
    std::lock_guard lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (background_.joinable()) {
    background_.join();
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

std::string CheckinStore::SegmentPath(Day day) const {
  return (fs::path(options_.dir) / SegmentName(day)).string();
}

Status CheckinStore::Recover() {
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec) {
    return Unavailable("cannot create " + options_.dir + ": " + ec.message());
  }
  ::chmod(options_.dir.c_str(), 0700);
  if (!options_.read_only) {
    const std::string lock_path = (fs::path(options_.dir) / "LOCK").string();
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      return FailedPrecondition("the check-in store " + options_.dir +
                                " is in use by another process (a running cordon serve?)");
    }
  }
  const Day first_kept = FirstRetainedDay();
  auto state = std::make_shared<Snapshot>();
  state->calendar_ = calendar_;
  std::map<Day, std::shared_ptr<const DaySegment>> segments;
  std::map<std::uint64_t, std::string> logs;
  for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".part")) {
      if (!options_.read_only) {
        fs::remove(entry.path(), ec);  // a seal that a crash interrupted; its rows are in a log
      }
      continue;
    }
    if (auto day = DayOfSegmentName(name)) {
      if (*day < first_kept) {
        if (!options_.read_only) {
          fs::remove(entry.path(), ec);
        }
        continue;
      }
      CORDON_ASSIGN_OR_RETURN(auto seg, DaySegment::Open(entry.path().string()));
      if (seg->day() != *day) {
        return Internal("check-in segment " + entry.path().string() + " holds day " +
                        std::to_string(seg->day()) + ", not the day its name says");
      }
      segments[*day] = std::move(seg);
    } else if (std::uint64_t g = CheckinLog::GenerationOf(name); g != 0) {
      logs[g] = entry.path().string();
    }
  }
  if (ec) {
    return Unavailable("cannot list " + options_.dir + ": " + ec.message());
  }
  std::uint64_t last_generation = 0;
  for (const auto& [day, seg] : segments) {
    last_generation = std::max(last_generation, seg->log_generation());
  }
  std::vector<ReplayedLog> replayed;
  std::uint64_t superseded = 0;
  for (const auto& [g, path] : logs) {
    CORDON_ASSIGN_OR_RETURN(ReplayedLog log, CheckinLog::Replay(path));
    log.generation = g;
    // A reader beside a running server may see a batch being written: not a crash.
    if (log.torn_tail && !options_.read_only) {
      spdlog::warn("check-in log {}: an unacknowledged batch cut short by a crash was dropped",
                   path);
    }
    for (std::uint64_t c : log.carried) {
      superseded = std::max(superseded, c);
    }
    last_generation = std::max(last_generation, g);
    replayed.push_back(std::move(log));
  }
  std::map<Day, std::vector<Checkin>> open_rows;
  std::size_t replayed_rows = 0;
  for (const ReplayedLog& log : replayed) {
    if (log.generation <= superseded) {
      continue;
    }
    for (const Checkin& c : log.rows) {
      const Day day = calendar_.DayOf(c.time);
      auto seg = segments.find(day);
      if (day < first_kept ||
          (seg != segments.end() && seg->second->log_generation() >= log.generation)) {
        continue;
      }
      open_rows[day].push_back(c);
      ++replayed_rows;
    }
  }
  std::set<Day> days;
  for (const auto& [day, seg] : segments) {
    days.insert(day);
  }
  for (const auto& [day, rows] : open_rows) {
    days.insert(day);
  }
  for (Day day : days) {
    Snapshot::DayPart part;
    part.day = day;
    if (auto it = segments.find(day); it != segments.end()) {
      part.segment = it->second;
    }
    if (auto it = open_rows.find(day); it != open_rows.end()) {
      part.runs.push_back(std::make_shared<OwnedColumns>(OwnedColumns::Build(it->second)));
    }
    state->days_.push_back(std::move(part));
  }
  if (replayed_rows > 0 && !options_.read_only) {
    spdlog::info("check-ins: {} rows replayed from {} logs", replayed_rows, replayed.size());
  }
  Publish(std::move(state));
  if (options_.read_only) {
    return Status::Ok();
  }
  const std::uint64_t generation = last_generation + 1;
  CORDON_ASSIGN_OR_RETURN(
      auto log,
      CheckinLog::Open((fs::path(options_.dir) / CheckinLog::FileName(generation)).string(),
                       generation, 0));
  log_.emplace(std::move(log));
  // Seals what the logs held for closed days and carries the rest into the new generation,
  // which supersedes every older log.
  return CloseDays();
}

void CheckinStore::Publish(std::shared_ptr<const Snapshot> next) {
  std::lock_guard lock(state_mu_);
  state_ = std::move(next);
}

std::shared_ptr<const Snapshot> CheckinStore::snapshot() const {
  std::lock_guard lock(state_mu_);
  return state_;
}

Status CheckinStore::Append(std::span<const Checkin> rows) {
  if (rows.empty()) {
    return Status::Ok();
  }
  const Day first = FirstRetainedDay();
  const Day last = Today() + 1;
  for (const Checkin& c : rows) {
    const Day day = calendar_.DayOf(c.time);
    if (day < first || day > last) {
      return InvalidArgument("check-in at " + std::to_string(c.time) +
                             " is outside the retention period");
    }
  }
  std::unique_lock lock(queue_mu_);
  pending_.insert(pending_.end(), rows.begin(), rows.end());
  const std::uint64_t ticket = ++enqueued_;
  while (durable_ < ticket) {
    if (writing_) {
      queue_cv_.wait(lock);
      continue;
    }
    writing_ = true;
    std::vector<Checkin> group;
    group.swap(pending_);
    const std::uint64_t first_ticket = durable_ + 1;
    const std::uint64_t last_ticket = enqueued_;
    lock.unlock();
    Status written = WriteGroup(std::move(group));
    lock.lock();
    writing_ = false;
    durable_ = last_ticket;
    if (!written.ok()) {
      failed_.push_back({first_ticket, last_ticket, written});
      if (failed_.size() > 64) {
        failed_.erase(failed_.begin());
      }
    }
    queue_cv_.notify_all();
  }
  for (const FailedGroup& f : failed_) {
    if (ticket >= f.first && ticket <= f.last) {
      return f.status;
    }
  }
  return Status::Ok();
}

Status CheckinStore::WriteGroup(std::vector<Checkin> rows) {
  std::lock_guard lock(log_mu_);
  if (!log_) {
    return FailedPrecondition("the check-in store is open read-only");
  }
  if (broken_) {
    return Unavailable("the check-in log could not be written earlier; restart the server");
  }
  Status status = log_->Append(rows);
  if (status.ok()) {
    status = log_->Sync();
  }
  if (!status.ok()) {
    broken_ = true;
    spdlog::error("check-in log: {}", status.message());
    return Unavailable("cannot write check-ins durably: " + status.message());
  }
  // Durable: now visible to readers.
  std::map<Day, std::vector<Checkin>> by_day;
  for (const Checkin& c : rows) {
    by_day[calendar_.DayOf(c.time)].push_back(c);
  }
  auto next = std::make_shared<Snapshot>(*snapshot());
  std::unique_lock maintenance(maintenance_mu_, std::try_to_lock);
  for (auto& [day, day_rows] : by_day) {
    auto* part = next->Find(day);
    if (part == nullptr) {
      Snapshot::DayPart fresh;
      fresh.day = day;
      auto it = std::ranges::lower_bound(next->days_, day, {}, &Snapshot::DayPart::day);
      part = &*next->days_.insert(it, std::move(fresh));
    }
    part->tail_rows += day_rows.size();
    part->tail.push_back(std::make_shared<const std::vector<Checkin>>(std::move(day_rows)));
    if (part->tail_rows >= options_.tail_rows) {
      // Fold the tail, and the small runs before it, into one sorted run.
      std::size_t start = part->runs.size();
      std::size_t acc = part->tail_rows;
      if (maintenance.owns_lock()) {
        while (start > 0 && part->runs[start - 1]->rows() <= 2 * acc &&
               acc + part->runs[start - 1]->rows() <= options_.inline_merge_rows) {
          --start;
          acc += part->runs[start]->rows();
        }
      }
      auto run = MergeRunRange(part->runs, start, part->runs.size(), &part->tail);
      part->runs.resize(start);
      part->runs.push_back(std::move(run));
      part->tail.clear();
      part->tail_rows = 0;
    }
  }
  Publish(std::move(next));
  return Status::Ok();
}

void CheckinStore::MergeRuns() {
  // Size-tiered: runs are grouped by size class (powers of four); four of a class become one of
  // the next. A day then has at most three runs a class, O(log n) in all, and each row is
  // rewritten O(log n) times. Order among runs does not matter to readers.
  std::lock_guard maintenance(maintenance_mu_);
  auto current = snapshot();
  for (const auto& part : current->days_) {
    std::vector<std::shared_ptr<const OwnedColumns>> runs = part.runs;
    while (true) {
      std::map<int, std::vector<std::shared_ptr<const OwnedColumns>>> classes;
      for (const auto& run : runs) {
        classes[static_cast<int>(std::bit_width(run->rows()) / 2)].push_back(run);
      }
      auto full = std::ranges::find_if(classes, [](const auto& c) { return c.second.size() >= 4; });
      if (full == classes.end()) {
        break;
      }
      const auto& chosen = full->second;
      auto merged = MergeRunRange(chosen, 0, chosen.size(), nullptr);
      std::lock_guard lock(log_mu_);
      auto next = std::make_shared<Snapshot>(*snapshot());
      auto* now = next->Find(part.day);
      if (now == nullptr) {
        break;
      }
      const std::size_t before = now->runs.size();
      std::erase_if(now->runs, [&](const auto& run) {
        return std::ranges::find(chosen, run) != chosen.end();
      });
      if (before - now->runs.size() != chosen.size()) {
        break;  // changed under us (a seal): the next pass will see
      }
      now->runs.push_back(merged);
      std::erase_if(
          runs, [&](const auto& run) { return std::ranges::find(chosen, run) != chosen.end(); });
      runs.push_back(std::move(merged));
      Publish(std::move(next));
    }
  }
}

Status CheckinStore::CloseDays() {
  std::lock_guard maintenance(maintenance_mu_);
  const Day today = Today();
  const Day first_kept = FirstRetainedDay();
  std::uint64_t old_generation = 0;
  std::shared_ptr<const Snapshot> frozen;
  {
    // Rotate the log: from here on appends go to the new generation; the rows in memory now
    // are exactly those of the older logs. Tails become runs so that they can be told apart.
    std::lock_guard lock(log_mu_);
    if (!log_) {
      return FailedPrecondition("the check-in store is open read-only");
    }
    if (broken_) {
      return Unavailable("the check-in log could not be written earlier; restart the server");
    }
    auto next = std::make_shared<Snapshot>(*snapshot());
    bool due = false;
    for (auto& part : next->days_) {
      if (!part.tail.empty()) {
        part.runs.push_back(MergeRunRange({}, 0, 0, &part.tail));
        part.tail.clear();
        part.tail_rows = 0;
      }
      due = due || part.day < first_kept || (part.day < today && !part.runs.empty());
    }
    std::error_code ec;
    bool older_logs = false;
    for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
      std::uint64_t g = CheckinLog::GenerationOf(entry.path().filename().string());
      older_logs = older_logs || (g != 0 && g < log_->generation());
    }
    if (!due && !older_logs) {
      return Status::Ok();
    }
    old_generation = log_->generation();
    const std::uint64_t generation = old_generation + 1;
    CORDON_ASSIGN_OR_RETURN(
        auto log,
        CheckinLog::Open((fs::path(options_.dir) / CheckinLog::FileName(generation)).string(),
                         generation, 0));
    log_.emplace(std::move(log));
    frozen = next;
    Publish(std::move(next));
  }

  std::vector<Checkin> carry;
  for (const auto& part : frozen->days_) {
    if (part.day < first_kept || part.runs.empty()) {
      continue;
    }
    if (part.day >= today) {
      for (const auto& run : part.runs) {
        Columns c = run->view();
        for (std::size_t i = 0; i < c.rows; ++i) {
          carry.push_back(c.Row(i));
        }
      }
      continue;
    }
    std::vector<Columns> parts;
    if (part.segment) {
      parts.push_back(part.segment->columns());
    }
    for (const auto& run : part.runs) {
      parts.push_back(run->view());
    }
    OwnedColumns sealed = OwnedColumns::Merge(parts);
    const std::string path = SegmentPath(part.day);
    CORDON_RETURN_IF_ERROR(DaySegment::Write(path, part.day, old_generation, sealed));
    CORDON_ASSIGN_OR_RETURN(std::shared_ptr<const DaySegment> segment, DaySegment::Open(path));
    std::lock_guard lock(log_mu_);
    auto next = std::make_shared<Snapshot>(*snapshot());
    auto* now = next->Find(part.day);
    now->segment = segment;
    // Drop the frozen runs; runs appended after the rotation stay.
    std::erase_if(now->runs, [&](const auto& run) {
      return std::ranges::find(part.runs, run) != part.runs.end();
    });
    Publish(std::move(next));
  }
  {
    std::lock_guard lock(log_mu_);
    Status written = log_->AppendCarry(old_generation, carry);
    if (written.ok()) {
      written = log_->Sync();
    }
    if (!written.ok()) {
      broken_ = true;
      return Unavailable("cannot write the check-in log: " + written.message());
    }
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
    std::uint64_t g = CheckinLog::GenerationOf(entry.path().filename().string());
    if (g != 0 && g <= old_generation) {
      fs::remove(entry.path(), ec);
    }
  }
  // Retention: whole days go.
  {
    std::lock_guard lock(log_mu_);
    auto next = std::make_shared<Snapshot>(*snapshot());
    std::vector<std::string> expired;
    std::erase_if(next->days_, [&](const Snapshot::DayPart& part) {
      if (part.day >= first_kept) {
        return false;
      }
      if (part.segment) {
        expired.push_back(part.segment->path());
      }
      return true;
    });
    Publish(std::move(next));
    for (const auto& path : expired) {
      fs::remove(path, ec);
    }
  }
  return SyncDirectory(options_.dir);
}

StoreStats CheckinStore::Stats() const {
  StoreStats stats;
  auto current = snapshot();
  for (const auto& part : current->days_) {
    ++stats.days;
    if (part.segment) {
      stats.sealed_rows += part.segment->columns().rows;
      stats.bytes += part.segment->bytes();
    }
    for (const auto& run : part.runs) {
      stats.open_rows += run->rows();
      stats.bytes += run->bytes();
      ++stats.runs;
    }
    stats.open_rows += part.tail_rows;
    stats.bytes += part.tail_rows * sizeof(Checkin);
  }
  stats.rows = stats.sealed_rows + stats.open_rows;
  return stats;
}

void CheckinStore::Background() {
  std::unique_lock lock(stop_mu_);
  while (!stop_) {
    lock.unlock();
    MergeRuns();
    auto current = snapshot();
    const Day today = Today();
    const Day first_kept = FirstRetainedDay();
    bool due = false;
    for (const auto& part : current->days_) {
      due = due || part.day < first_kept ||
            (part.day < today && (!part.runs.empty() || part.tail_rows > 0));
    }
    if (due) {
      if (Status closed = CloseDays(); !closed.ok()) {
        spdlog::error("check-ins: closing the day failed: {}", closed.message());
      }
    }
    lock.lock();
    stop_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; });
  }
}

}  // namespace cordon::checkins
