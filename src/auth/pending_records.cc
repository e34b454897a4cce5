#include "auth/pending_records.h"

namespace cordon::auth {
namespace {

thread_local std::shared_ptr<PendingRecords>* t_current = nullptr;

}  // namespace

bool PendingRecords::empty() const {
  std::lock_guard lock(mu_);
  return recorded_ == 0;
}

void PendingRecords::Add() {
  std::lock_guard lock(mu_);
  ++outstanding_;
  ++recorded_;
}

void PendingRecords::Complete(const Status& status) {
  std::function<void(const Status&)> done;
  Status result;
  {
    std::lock_guard lock(mu_);
    if (!status.ok() && first_failure_.ok()) {
      first_failure_ = status;
    }
    if (--outstanding_ > 0 || !done_) {
      return;
    }
    done = std::move(done_);
    done_ = nullptr;
    result = first_failure_;
  }
  done(result);
}

void PendingRecords::WhenDurable(std::function<void(const Status&)> done) {
  Status result;
  {
    std::lock_guard lock(mu_);
    if (outstanding_ > 0) {
      done_ = std::move(done);
      return;
    }
    result = first_failure_;
  }
  done(result);
}

DeferRecordsScope::DeferRecordsScope()
    : pending_(std::make_shared<PendingRecords>()), previous_(t_current) {
  t_current = &pending_;
}

DeferRecordsScope::~DeferRecordsScope() { t_current = previous_; }

std::shared_ptr<PendingRecords>* DeferRecordsScope::Current() { return t_current; }

}  // namespace cordon::auth
