#include "auth/audit_log.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <span>
#include <thread>

#include "auth/audit_journal.h"
#include "auth/password.h"
#include "auth/pending_records.h"
#include "auth/rules.h"

namespace cordon::auth {
namespace {

constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

constexpr std::string_view kColumns =
    "id, at, actor, role, scope, action, object_type, object_id, outcome, reason, fields, "
    "request_id, ip, prev_hash, hash";

AuditRecord ReadRecord(const store::Row& row) {
  AuditRecord r;
  r.id = row.Int(0);
  r.at = row.Int(1);
  r.actor = row.Text(2);
  r.role = row.Text(3);
  r.scope = row.Text(4);
  r.entry.action = row.Text(5);
  r.entry.object_type = row.Text(6);
  r.entry.object_id = row.Text(7);
  r.entry.outcome = row.Text(8);
  r.entry.reason = row.Text(9);
  r.entry.fields = row.Text(10);
  r.request_id = row.Text(11);
  r.ip = row.Text(12);
  r.prev_hash = row.Text(13);
  r.hash = row.Text(14);
  return r;
}

}  // namespace

std::string AuditHash(const AuditRecord& r) {
  std::string data;
  data.reserve(256);
  Put(data, r.prev_hash);
  Put(data, std::to_string(r.id));
  Put(data, std::to_string(r.at));
  Put(data, r.actor);
  Put(data, r.role);
  Put(data, r.scope);
  Put(data, r.entry.action);
  Put(data, r.entry.object_type);
  Put(data, r.entry.object_id);
  Put(data, r.entry.outcome);
  Put(data, r.entry.reason);
  Put(data, r.entry.fields);
  Put(data, r.request_id);
  Put(data, r.ip);
  return Sha256Hex(data);
}

Result<AuditLog::ChainHead> AuditLog::Head(store::Session& session) {
  ChainHead head{1, std::string(kGenesis)};
  CORDON_RETURN_IF_ERROR(session.Query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", {},
                                       [&](const store::Row& row) {
                                         head.next_id = row.Int(0) + 1;
                                         head.prev_hash = row.Text(1);
                                         return Status::Ok();
                                       }));
  return head;
}

AuditRecord AuditLog::MakeRecord(const Principal& who, const AuditEntry& entry) const {
  AuditRecord r;
  r.at = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  r.actor = who.user.username.empty() ? "-" : who.user.username;
  // Only a real user has a role; the command line and anonymous callers (failed logins) do not.
  r.role = who.user.id == 0 ? "-" : std::string(RoleName(who.user.role));
  r.scope = who.user.region_code;
  r.entry = entry;
  r.request_id = who.request_id;
  r.ip = who.ip;
  return r;
}

Status AuditLog::Append(store::Session& session, const Principal& who, const AuditEntry& entry) {
  CORDON_ASSIGN_OR_RETURN(ChainHead head, Head(session));
  AuditRecord r = MakeRecord(who, entry);
  return AppendAt(session, who.user.id, r, head);
}

Status AuditLog::AppendAt(store::Session& session, std::int64_t actor_id, AuditRecord& r,
                          ChainHead& head) {
  r.id = head.next_id;
  r.prev_hash = head.prev_hash;
  r.hash = AuditHash(r);
  head.next_id = r.id + 1;
  head.prev_hash = r.hash;
  return session
      .Exec(
          "INSERT INTO audit (id, at, actor_id, actor, role, scope, action, object_type, "
          "object_id, outcome, reason, fields, request_id, ip, prev_hash, hash) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.id, r.at, actor_id == 0 ? store::Value{} : store::Value{actor_id}, r.actor, r.role,
           r.scope, r.entry.action, r.entry.object_type, r.entry.object_id, r.entry.outcome,
           r.entry.reason, r.entry.fields, r.request_id, r.ip, r.prev_hash, r.hash})
      .status();
}

AuditLog::AuditLog(store::Database& db, const base::Clock& clock)
    : db_(db), clock_(clock), writer_([this] { WriterLoop(); }) {}

AuditLog::AuditLog(store::Database& db, const base::Clock& clock,
                   std::unique_ptr<AuditJournal> journal, std::int64_t copied_seq,
                   CopyPolicy policy)
    : db_(db),
      clock_(clock),
      journal_(std::move(journal)),
      next_seq_(copied_seq + 1),
      policy_(policy),
      copied_seq_(copied_seq),
      writer_([this] { CopierLoop(); }) {}

Result<std::unique_ptr<AuditLog>> AuditLog::WithJournal(store::Database& db,
                                                        const base::Clock& clock,
                                                        const std::string& journal_path,
                                                        CopyPolicy policy) {
  // Locked first: what is in the files is then this process's to copy.
  CORDON_ASSIGN_OR_RETURN(AuditJournal journal, AuditJournal::Open(journal_path));
  std::int64_t copied_seq = 0;
  CORDON_RETURN_IF_ERROR(db.Read([&](store::Session& s) {
    return s.Query("SELECT copied_seq FROM audit_journal WHERE node = 'local'", {},
                   [&](const store::Row& row) {
                     copied_seq = row.Int(0);
                     return Status::Ok();
                   });
  }));
  CORDON_ASSIGN_OR_RETURN(std::vector<JournalEntry> left,
                          AuditJournal::ReadUncopied(journal_path, copied_seq));
  if (!left.empty()) {
    spdlog::info("audit journal: copying {} events a previous run left", left.size());
    CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) { return CopyEntries(s, left); }));
    copied_seq = left.back().seq;
  }
  CORDON_RETURN_IF_ERROR(journal.Clear());
  return std::unique_ptr<AuditLog>(new AuditLog(
      db, clock, std::make_unique<AuditJournal>(std::move(journal)), copied_seq, policy));
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  copied_.notify_all();
  writer_.join();
}

void AuditLog::Enqueue(Queued queued) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(queued));
  }
  wake_.notify_one();
}

Status AuditLog::Record(const Principal& who, const AuditEntry& entry) {
  if (journal_ != nullptr) {
    return Journal(who, entry);
  }
  if (auto* pending = DeferRecordsScope::Current(); pending != nullptr) {
    (*pending)->Add();
    Enqueue({who, entry, [p = *pending](const Status& status) { p->Complete(status); }});
    return Status::Ok();
  }
  struct Wait {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    Status status;
  };
  auto wait = std::make_shared<Wait>();
  Enqueue({who, entry, [wait](const Status& status) {
             std::lock_guard lock(wait->mu);
             wait->status = status;
             wait->done = true;
             wait->cv.notify_one();
           }});
  std::unique_lock lock(wait->mu);
  wait->cv.wait(lock, [&] { return wait->done; });
  return wait->status;
}

void AuditLog::WriterLoop() {
  std::vector<Queued> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything queued is committed
      }
      batch.swap(queue_);
    }
    Status status = db_.WriteFlushedSoon([&](store::Session& s) {
      // The chain head is read once per batch; each row then links to the one before it.
      CORDON_ASSIGN_OR_RETURN(ChainHead head, Head(s));
      for (const Queued& q : batch) {
        AuditRecord r = MakeRecord(q.who, q.entry);
        CORDON_RETURN_IF_ERROR(AppendAt(s, q.who.user.id, r, head));
      }
      return Status::Ok();
    });
    for (Queued& q : batch) {
      q.done(status);
    }
    batch.clear();
  }
}

Status AuditLog::Journal(const Principal& who, const AuditEntry& entry) {
  JournalEntry e{0, who.user.id, MakeRecord(who, entry)};
  std::unique_lock lock(mu_);
  // If copying falls this far behind (the database refuses, or the disk is saturated), reads
  // wait for it rather than grow memory without bound.
  const std::int64_t most_written = 2 * policy_.most_deferred + 100000;
  copied_.wait(lock, [&] { return written_count_ < most_written || stopping_; });
  e.seq = next_seq_;
  const std::string line = EncodeJournalLine(e);
  CORDON_RETURN_IF_ERROR(journal_->Write(line));
  ++next_seq_;
  written_ += line;
  ++written_count_;
  ++written_since_wake_;
  return Status::Ok();
}

// The copier shares the cores with the event loops. The kernel switches between busy threads
// only at its tick (4 ms here), so copying shows in the latency of the requests behind it. In a
// burst of reads it therefore waits (DeferCopy), and when it runs it runs in slices of well under a
// millisecond (decoding kDecodeSlice lines, or one transaction of kCopySlice rows), sleeping
// kCopyPause between them (docs/performance.md, "Where the p99 of H2 goes"). When more than
// kBacklog rows wait, it stops pausing: keeping up matters more than the tail then.
namespace {
constexpr std::size_t kDecodeSlice = 200;
constexpr std::size_t kCopySlice = 64;
constexpr std::size_t kBacklog = 20000;
constexpr auto kCopyPause = std::chrono::milliseconds(1);
}  // namespace

bool AuditLog::DeferCopy() {
  const bool burst = written_since_wake_ >= policy_.burst_lines;
  written_since_wake_ = 0;
  return burst && !stopping_ && settling_ == 0 && inflight_.empty() &&
         written_count_ < policy_.most_deferred;
}

void AuditLog::CopierLoop() {
  std::string taken;
  std::unique_lock lock(mu_);
  while (true) {
    if (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
    }
    if (DeferCopy()) {
      // The lines wait in the journal, which a power cut must not take either: an fsync every
      // wake keeps the promise of Record (the copier alone replaces the file, so it needs no lock).
      if (synced_count_ != written_count_) {
        synced_count_ = written_count_;
        lock.unlock();
        Status synced = journal_->Sync();
        lock.lock();
        if (!synced.ok()) {
          spdlog::warn("audit journal: {}", synced.message());
        }
      }
      continue;
    }
    if (inflight_.empty()) {
      if (written_count_ == 0) {
        copied_.notify_all();  // settled: nothing journalled is left uncopied
        if (stopping_) {
          return;
        }
        continue;
      }
      // Take what is written and start a new file, so that the copied file can go as a whole.
      Status rotated = journal_->Rotate();
      if (!rotated.ok()) {
        spdlog::warn("{}", rotated.message());
      }
      taken.swap(written_);
      written_count_ = 0;
      synced_count_ = 0;
      lock.unlock();
      Status decoded = Decode(taken);
      taken.clear();
      lock.lock();
      if (!decoded.ok()) {
        // Lines this process wrote itself: only a bug can get here. They stay in the journal
        // file, for the next start to copy or report.
        spdlog::error("audit journal: {}", decoded.message());
      }
    }
    ++copies_started_;
    lock.unlock();
    std::size_t committed = 0;
    Status status = CopyInflight(committed);
    lock.lock();
    last_copy_ = status;
    ++copies_finished_;
    if (committed > 0) {
      copied_seq_ = inflight_[committed - 1].seq;
      inflight_.erase(inflight_.begin(),
                      inflight_.begin() + static_cast<std::ptrdiff_t>(committed));
    }
    if (!status.ok()) {
      spdlog::error("audit journal: copy into the audit table failed, will retry: {}",
                    status.message());
    }
    copied_.notify_all();
    if (stopping_ && !status.ok()) {
      return;  // what is left stays in the journal and is copied at the next start
    }
  }
}

Status AuditLog::Decode(std::string_view lines) {
  while (!lines.empty()) {
    std::size_t end = lines.find('\n');
    CORDON_ASSIGN_OR_RETURN(JournalEntry e, DecodeJournalLine(lines.substr(0, end)));
    inflight_.push_back(std::move(e));
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 1);
    if (inflight_.size() % kDecodeSlice == 0 && inflight_.size() < kBacklog) {
      std::this_thread::sleep_for(kCopyPause);
    }
  }
  return Status::Ok();
}

Status AuditLog::CopyInflight(std::size_t& committed) {
  std::span<JournalEntry> all(inflight_);
  while (committed < all.size()) {
    std::span<JournalEntry> slice =
        all.subspan(committed, std::min(kCopySlice, all.size() - committed));
    auto copy = [&](store::Session& s) { return CopyEntries(s, slice); };
    // The last slice commits with synchronous=FULL: the rotated journal file is removed after it,
    // and its fsync of the WAL also covers the slices before it.
    const bool last = committed + slice.size() == all.size();
    CORDON_RETURN_IF_ERROR(last ? db_.Write(copy) : db_.WriteFlushedSoon(copy));
    committed += slice.size();
    if (!last && all.size() - committed < kBacklog) {
      std::this_thread::sleep_for(kCopyPause);
    }
  }
  journal_->DropRotated();
  return Status::Ok();
}

Status AuditLog::CopyEntries(store::Session& session, std::span<JournalEntry> entries) {
  CORDON_ASSIGN_OR_RETURN(ChainHead head, Head(session));
  for (JournalEntry& e : entries) {
    CORDON_RETURN_IF_ERROR(AppendAt(session, e.actor_id, e.record, head));
  }
  return session
      .Exec(
          "INSERT INTO audit_journal (node, copied_seq) VALUES ('local', ?) "
          "ON CONFLICT (node) DO UPDATE SET copied_seq = excluded.copied_seq",
          {entries.back().seq})
      .status();
}

Status AuditLog::Settle() {
  if (journal_ == nullptr) {
    return Status::Ok();
  }
  std::unique_lock lock(mu_);
  const std::int64_t target = next_seq_ - 1;
  const std::int64_t begun = copies_started_;
  ++settling_;
  wake_.notify_one();
  // Done when the target is copied, or when a copy begun after this call failed (an older
  // failure may since have cleared).
  bool answered = copied_.wait_for(lock, std::chrono::seconds(30), [&] {
    return copied_seq_ >= target || (copies_finished_ > begun && !last_copy_.ok());
  });
  --settling_;
  if (copied_seq_ >= target) {
    return Status::Ok();
  }
  return Unavailable("the audit journal is not copied yet: " +
                     (answered ? last_copy_.message() : std::string("timed out")));
}

Result<std::vector<AuditRecord>> AuditLog::List(const AuditQuery& q) {
  CORDON_RETURN_IF_ERROR(Settle());
  std::vector<AuditRecord> out;
  const bool newest_first = q.before > 0;
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit WHERE " +
                    (newest_first ? "id < ?" : "id > ?");
  store::Params params{newest_first ? q.before : q.after};
  if (!q.actor.empty()) {
    sql += " AND actor = ?";
    params.emplace_back(q.actor);
  }
  if (!q.action.empty()) {
    sql += " AND action = ?";
    params.emplace_back(q.action);
  }
  if (!q.object_type.empty()) {
    sql += " AND object_type = ?";
    params.emplace_back(q.object_type);
  }
  if (!q.object_id.empty()) {
    sql += " AND object_id = ?";
    params.emplace_back(q.object_id);
  }
  if (q.since > 0) {
    sql += " AND at >= ?";
    params.emplace_back(q.since);
  }
  if (q.until > 0) {
    sql += " AND at < ?";
    params.emplace_back(q.until);
  }
  sql += newest_first ? " ORDER BY id DESC LIMIT ?" : " ORDER BY id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    return s.Query(sql, params, [&](const store::Row& row) {
      out.push_back(ReadRecord(row));
      return Status::Ok();
    });
  }));
  return out;
}

Result<std::int64_t> AuditLog::Verify() {
  CORDON_RETURN_IF_ERROR(Settle());
  std::int64_t broken = 0;
  std::string prev(kGenesis);
  std::int64_t expected_id = 1;
  Status status = db_.Read([&](store::Session& s) {
    return s.Query("SELECT " + std::string(kColumns) + " FROM audit ORDER BY id", {},
                   [&](const store::Row& row) {
                     AuditRecord r = ReadRecord(row);
                     bool ok = r.id == expected_id && r.prev_hash == prev && AuditHash(r) == r.hash;
                     if (!ok) {
                       broken = r.id;
                       return FailedPrecondition("chain broken");  // stops the scan
                     }
                     prev = r.hash;
                     ++expected_id;
                     return Status::Ok();
                   });
  });
  if (broken == 0 && !status.ok()) {
    return status;
  }
  return broken;
}

}  // namespace cordon::auth
