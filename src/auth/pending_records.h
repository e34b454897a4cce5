// Lets a caller that can wait without blocking a thread (the HTTP server's event loops) take
// over AuditLog::Record's wait. While a DeferRecordsScope is open on a thread, Record queues its
// row and returns at once; the scope's PendingRecords then says, asynchronously, when every row
// is committed. The caller must not let the answer leave before that: a read that is not on
// record did not happen (security.md C2).
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "base/status.h"

namespace cordon::auth {

class PendingRecords {
 public:
  bool empty() const;
  // `done(status)` runs exactly once: at once when nothing is outstanding, else on the audit
  // writer's thread after the last row commits. `status` is the first failure, or Ok.
  void WhenDurable(std::function<void(const Status&)> done);

  // For AuditLog: one more row outstanding / one row committed or failed.
  void Add();
  void Complete(const Status& status);

 private:
  mutable std::mutex mu_;
  int outstanding_ = 0;
  int recorded_ = 0;
  Status first_failure_;
  std::function<void(const Status&)> done_;
};

class DeferRecordsScope {
 public:
  DeferRecordsScope();
  ~DeferRecordsScope();
  DeferRecordsScope(const DeferRecordsScope&) = delete;
  DeferRecordsScope& operator=(const DeferRecordsScope&) = delete;

  const std::shared_ptr<PendingRecords>& pending() const { return pending_; }
  // The scope open on this thread, or nullptr.
  static std::shared_ptr<PendingRecords>* Current();

 private:
  std::shared_ptr<PendingRecords> pending_;
  std::shared_ptr<PendingRecords>* previous_;
};

}  // namespace cordon::auth
