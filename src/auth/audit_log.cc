#include "auth/audit_log.h"

#include <chrono>

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

Status AuditLog::Append(store::Session& session, const Principal& who, const AuditEntry& entry) {
  CORDON_ASSIGN_OR_RETURN(ChainHead head, Head(session));
  return AppendAt(session, who, entry, head);
}

Status AuditLog::AppendAt(store::Session& session, const Principal& who, const AuditEntry& entry,
                          ChainHead& head) {
  AuditRecord r;
  r.id = head.next_id;
  r.prev_hash = head.prev_hash;
  r.at = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  r.actor = who.user.username.empty() ? "-" : who.user.username;
  // Only a real user has a role; the command line and anonymous callers (failed logins) do not.
  r.role = who.user.id == 0 ? "-" : std::string(RoleName(who.user.role));
  r.scope = who.user.region_code;
  r.entry = entry;
  r.request_id = who.request_id;
  r.ip = who.ip;
  r.hash = AuditHash(r);
  head.next_id = r.id + 1;
  head.prev_hash = r.hash;
  return session
      .Exec(
          "INSERT INTO audit (id, at, actor_id, actor, role, scope, action, object_type, "
          "object_id, outcome, reason, fields, request_id, ip, prev_hash, hash) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.id, r.at, who.user.id == 0 ? store::Value{} : store::Value{who.user.id}, r.actor,
           r.role, r.scope, r.entry.action, r.entry.object_type, r.entry.object_id, r.entry.outcome,
           r.entry.reason, r.entry.fields, r.request_id, r.ip, r.prev_hash, r.hash})
      .status();
}

AuditLog::AuditLog(store::Database& db, const base::Clock& clock)
    : db_(db), clock_(clock), writer_([this] { WriterLoop(); }) {}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
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
        CORDON_RETURN_IF_ERROR(AppendAt(s, q.who, q.entry, head));
      }
      return Status::Ok();
    });
    for (Queued& q : batch) {
      q.done(status);
    }
    batch.clear();
  }
}

Result<std::vector<AuditRecord>> AuditLog::List(const AuditQuery& q) {
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
  if (!q.object_id.empty()) {
    sql += " AND object_id = ?";
    params.emplace_back(q.object_id);
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
