#include "retention/service.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "auth/rules.h"

namespace cordon::retention {
namespace {

using nlohmann::json;

// One statement of a kind's deletion, run with the batch's ids wherever `{ids}` stands.
struct Step {
  std::string_view table;
  std::string_view sql;
};

// A kind of record: which of its records are past due (`?` is the cutoff, as often as it
// appears), the audit object type of one record, and the statements that delete a batch, in an
// order the foreign keys accept.
struct Entity {
  std::string_view name;
  std::string_view object_type;
  std::string_view due;
  int cutoffs = 1;
  std::vector<Step> steps;
};

const std::vector<Entity>& Entities() {
  static const auto* entities = new std::vector<Entity>{
      // A screening task checked more than the period ago, with the leads that made it. A case's
      // contact list keeps its row (the case's own period) without the lead.
      {"close_contact",
       "task",
       "SELECT t.id FROM tasks t WHERE t.status = 'checked' AND t.checked_at < ?",
       1,
       {{"case_contacts",
         "UPDATE case_contacts SET lead_id = NULL WHERE lead_id IN "
         "(SELECT id FROM leads WHERE task_id IN ({ids}))"},
        {"leads", "DELETE FROM leads WHERE task_id IN ({ids})"},
        {"tasks", "DELETE FROM tasks WHERE id IN ({ids})"}}},
      // A closed case (recovered, died, excluded) last changed more than the period ago: its
      // investigation, its listed contacts, and the exposures that led to this person unless
      // another case of theirs is kept.
      {"case",
       "case",
       "SELECT c.id FROM cases c WHERE c.outcome <> 'under_treatment' AND c.updated_at < ?",
       1,
       {{"case_investigation", "DELETE FROM case_investigation WHERE case_id IN ({ids})"},
        {"case_contacts", "DELETE FROM case_contacts WHERE case_id IN ({ids})"},
        {"exposures",
         "DELETE FROM exposures WHERE target_person_id IN "
         "(SELECT person_id FROM cases WHERE id IN ({ids})) AND NOT EXISTS "
         "(SELECT 1 FROM cases o WHERE o.person_id = exposures.target_person_id "
         "AND o.id NOT IN ({ids}))"},
        {"cases", "DELETE FROM cases WHERE id IN ({ids})"}}},
      // A measure that ended (released, escalated, transferred, cancelled) more than the period
      // ago and that no kept measure follows: the stay with its test results, follow-ups,
      // alerts, self-report links and home services. A chain goes from its last link back.
      {"quarantine_stay",
       "measure",
       "SELECT m.id FROM measures m WHERE m.state IN ('released', 'escalated', 'transferred', "
       "'cancelled') AND m.updated_at < ? AND NOT EXISTS "
       "(SELECT 1 FROM measures n WHERE n.previous_id = m.id)",
       1,
       {{"measure_test_days", "DELETE FROM measure_test_days WHERE measure_id IN ({ids})"},
        {"measure_events", "DELETE FROM measure_events WHERE measure_id IN ({ids})"},
        {"followups", "DELETE FROM followups WHERE measure_id IN ({ids})"},
        {"alerts", "DELETE FROM alerts WHERE measure_id IN ({ids})"},
        {"followup_links", "DELETE FROM followup_links WHERE measure_id IN ({ids})"},
        {"home_services", "DELETE FROM home_services WHERE measure_id IN ({ids})"},
        {"measures", "DELETE FROM measures WHERE id IN ({ids})"}}},
      {"tip_off",
       "tip_off",
       "SELECT id FROM tip_offs WHERE status <> 'open' AND closed_at < ?",
       1,
       {{"tip_offs", "DELETE FROM tip_offs WHERE id IN ({ids})"}}},
      // A person file that is not on the household register (it came with a lead, a case or a
      // report) and that nothing holds any more: no task, lead, measure, alert, case, listed
      // contact, investigation record or exposure to someone with a case. Residents of the
      // register stay; their records go by the kinds above. Files made from check-ins alone
      // (unverified) are the tracing engine's directory and stay with it. Files merged into this
      // one go with it, with the duplicate pairs and merges that name them.
      {"person",
       "person",
       "SELECT p.id FROM people p WHERE p.household_id IS NULL AND p.merged_into IS NULL "
       "AND p.unverified = 0 AND p.updated_at < ? "
       "AND NOT EXISTS (SELECT 1 FROM tasks x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM leads x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM measures x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM alerts x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM cases x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM case_contacts x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM case_investigation x WHERE x.person_id = p.id) "
       "AND NOT EXISTS (SELECT 1 FROM exposures x JOIN cases c ON c.person_id IN "
       "(x.source_person_id, x.target_person_id) "
       "WHERE p.id IN (x.source_person_id, x.target_person_id)) "
       "AND NOT EXISTS (SELECT 1 FROM people m WHERE m.merged_into = p.id AND m.updated_at >= ?)",
       2,
       {{"exposures",
         "DELETE FROM exposures WHERE source_person_id IN ({ids}) OR target_person_id IN ({ids})"},
        {"duplicate_pairs",
         "DELETE FROM duplicate_pairs WHERE left_id IN ({ids}) OR right_id IN ({ids}) OR "
         "left_id IN (SELECT id FROM people WHERE merged_into IN ({ids})) OR "
         "right_id IN (SELECT id FROM people WHERE merged_into IN ({ids}))"},
        {"person_merges",
         "DELETE FROM person_merges WHERE kept_id IN ({ids}) OR merged_id IN ({ids}) OR "
         "merged_id IN (SELECT id FROM people WHERE merged_into IN ({ids}))"},
        {"people", "DELETE FROM people WHERE merged_into IN ({ids})"},
        {"people", "DELETE FROM people WHERE id IN ({ids})"}}},
  };
  return *entities;
}

// An import's report copies its rows: it goes once none of its leads is kept.
constexpr std::string_view kImportsWithoutLeads =
    "DELETE FROM lead_imports WHERE created_at < ? AND NOT EXISTS "
    "(SELECT 1 FROM leads l WHERE l.import_id = lead_imports.id)";

// `sql` with each `{ids}` replaced by one placeholder per id, and the parameters to match.
std::pair<std::string, store::Params> WithIds(std::string_view sql,
                                              const std::vector<std::int64_t>& ids) {
  std::string list;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    list += i == 0 ? "?" : ", ?";
  }
  std::string out;
  store::Params params;
  constexpr std::string_view kMark = "{ids}";
  std::size_t from = 0;
  for (std::size_t at = sql.find(kMark); at != std::string_view::npos; at = sql.find(kMark, from)) {
    out.append(sql.substr(from, at - from));
    out += list;
    params.insert(params.end(), ids.begin(), ids.end());
    from = at + kMark.size();
  }
  out.append(sql.substr(from));
  return {out, params};
}

store::Params Cutoffs(const Entity& e, std::int64_t cutoff) {
  return store::Params(static_cast<std::size_t>(e.cutoffs), cutoff);
}

Status Require(const auth::Principal& who) {
  if (!auth::Can(who.user.role, auth::Permission::kRetention)) {
    return PermissionDenied("只有系统管理员可以管理数据保留期限 (administrators only)");
  }
  return Status::Ok();
}

Result<std::map<std::string, int, std::less<>>> LoadDays(store::Session& s) {
  std::map<std::string, int, std::less<>> days;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT entity, days FROM retention_policies", {}, [&](const store::Row& row) {
        days[row.Text(0)] = static_cast<int>(row.Int(1));
        return Status::Ok();
      }));
  return days;
}

json DeletedJson(const RetentionRun& run) { return {{"records", run.records}, {"rows", run.rows}}; }

RetentionRun ReadRun(const store::Row& row) {
  RetentionRun r;
  r.id = row.Int(0);
  r.started_at = row.Int(1);
  r.finished_at = row.Int(2);
  r.actor = row.Text(3);
  r.outcome = row.Text(4);
  const json deleted = json::parse(row.Text(5), nullptr, false);
  if (deleted.is_object()) {
    r.records = deleted.value("records", std::map<std::string, std::int64_t>{});
    r.rows = deleted.value("rows", std::map<std::string, std::int64_t>{});
  }
  r.error = row.Text(6);
  return r;
}

constexpr std::int64_t kDay = 86400;

}  // namespace

std::int64_t RetentionService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<std::vector<RetentionPolicy>> RetentionService::Policies(const auth::Principal& who) {
  CORDON_RETURN_IF_ERROR(Require(who));
  const std::int64_t now = Now();
  std::vector<RetentionPolicy> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    std::map<std::string, RetentionPolicy, std::less<>> by_entity;
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT entity, days, updated_at, updated_by FROM retention_policies", {},
                [&](const store::Row& row) {
                  by_entity[row.Text(0)] = {row.Text(0), static_cast<int>(row.Int(1)), row.Int(2),
                                            row.Text(3), 0};
                  return Status::Ok();
                }));
    for (const Entity& e : Entities()) {
      auto it = by_entity.find(e.name);
      if (it == by_entity.end()) {
        return Internal("no retention policy for " + std::string(e.name));
      }
      RetentionPolicy p = it->second;
      CORDON_ASSIGN_OR_RETURN(p.due,
                              s.QueryInt("SELECT COUNT(*) FROM (" + std::string(e.due) + ") d",
                                         Cutoffs(e, now - p.days * kDay)));
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

Result<RetentionPolicy> RetentionService::SetPolicy(const auth::Principal& who,
                                                    std::string_view entity, int days) {
  CORDON_RETURN_IF_ERROR(Require(who));
  bool known = false;
  for (const Entity& e : Entities()) {
    known = known || e.name == entity;
  }
  if (!known) {
    return NotFound("没有这类数据的保留期限 (no retention policy of that kind)");
  }
  if (days < 1 || days > 3650) {
    return FieldInvalid("days", "应为 1 到 3650 天 (1 to 3650 days)");
  }
  const std::int64_t now = Now();
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE retention_policies SET days = ?, updated_at = ?, updated_by = ? "
               "WHERE entity = ?",
               {std::int64_t{days}, now, who.user.username, std::string(entity)})
            .status());
    return audit_.Append(
        s, who, {"retention.policy", "retention_policy", std::string(entity), "ok", "", "days"});
  }));
  CORDON_ASSIGN_OR_RETURN(auto policies, Policies(who));
  for (RetentionPolicy& p : policies) {
    if (p.entity == entity) {
      return std::move(p);
    }
  }
  return Internal("the policy just written is gone");
}

Result<RetentionRun> RetentionService::Run(const auth::Principal& who) {
  CORDON_RETURN_IF_ERROR(Require(who));
  return RunAs(who);
}

Result<RetentionRun> RetentionService::RunJob() {
  auth::Principal job;
  job.user.username = "retention-job";
  return RunAs(job);
}

Result<RetentionRun> RetentionService::RunAs(const auth::Principal& who) {
  RetentionRun run;
  run.started_at = Now();
  run.actor = who.user.username;
  std::map<std::string, int, std::less<>> days;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(days, LoadDays(s));
    return Status::Ok();
  }));
  std::set<std::string> touched;
  Status status = Status::Ok();
  for (const Entity& e : Entities()) {
    auto it = days.find(e.name);
    if (it == days.end()) {
      status = Internal("no retention policy for " + std::string(e.name));
      break;
    }
    const std::int64_t cutoff = run.started_at - it->second * kDay;
    run.records[std::string(e.name)] = 0;
    for (bool more = true; more && status.ok();) {
      status = db_.Write([&](store::Session& s) {
        std::vector<std::int64_t> ids;
        CORDON_RETURN_IF_ERROR(
            s.Query(std::string(e.due) + " ORDER BY 1 LIMIT " + std::to_string(kBatch),
                    Cutoffs(e, cutoff), [&](const store::Row& row) {
                      ids.push_back(row.Int(0));
                      return Status::Ok();
                    }));
        // Until a query finds nothing: deleting a chain's last link makes the one before due.
        more = !ids.empty();
        if (ids.empty()) {
          return Status::Ok();
        }
        std::map<std::string, std::int64_t> rows;
        for (const Step& step : e.steps) {
          auto [sql, params] = WithIds(step.sql, ids);
          CORDON_ASSIGN_OR_RETURN(std::int64_t n, s.Exec(sql, params));
          if (sql.rfind("DELETE", 0) == 0) {
            rows[std::string(step.table)] += n;
          }
        }
        for (std::int64_t id : ids) {
          CORDON_RETURN_IF_ERROR(
              audit_.Append(s, who,
                            {"auto_delete", std::string(e.object_type), std::to_string(id), "ok",
                             "", std::string(e.name)}));
        }
        // Counted only once the batch commits: a failed batch deleted nothing.
        run.records[std::string(e.name)] += static_cast<std::int64_t>(ids.size());
        for (auto& [table, n] : rows) {
          run.rows[table] += n;
          touched.insert(table);
        }
        return Status::Ok();
      });
    }
    if (status.ok() && e.name == "close_contact") {
      status = db_.Write([&](store::Session& s) {
        CORDON_ASSIGN_OR_RETURN(std::int64_t n, s.Exec(kImportsWithoutLeads, {cutoff}));
        if (n > 0) {
          run.rows["lead_imports"] += n;
          touched.insert("lead_imports");
        }
        return Status::Ok();
      });
    }
  }
  if (status.ok() && !touched.empty()) {
    status = db_.Scrub({touched.begin(), touched.end()});
  }
  run.finished_at = Now();
  run.outcome = status.ok() ? "ok" : "error";
  run.error = status.ok() ? "" : status.message();
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(
        run.id, s.QueryInt("INSERT INTO retention_runs (started_at, finished_at, actor, outcome, "
                           "deleted, error) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                           {run.started_at, run.finished_at, run.actor, run.outcome,
                            DeletedJson(run).dump(), run.error}));
    return audit_.Append(
        s, who, {"retention.run", "retention_run", std::to_string(run.id), run.outcome, "", ""});
  }));
  return run;
}

Result<std::vector<RetentionRun>> RetentionService::Runs(const auth::Principal& who, int limit) {
  CORDON_RETURN_IF_ERROR(Require(who));
  std::vector<RetentionRun> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    return s.Query(
        "SELECT id, started_at, finished_at, actor, outcome, deleted, error FROM retention_runs "
        "ORDER BY id DESC LIMIT ?",
        {std::int64_t{limit}}, [&](const store::Row& row) {
          out.push_back(ReadRun(row));
          return Status::Ok();
        });
  }));
  return out;
}

}  // namespace cordon::retention
