// Venue review (场所核实): TraceService's venue use cases. Kept apart from service.cc, which is
// about check-ins and searches.
#include "trace/venues.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "auth/rules.h"
#include "base/text.h"
#include "trace/service.h"

namespace cordon::trace {
namespace {

constexpr std::string_view kUnknownType = "unknown";
constexpr std::size_t kVenueCodeMax = 64;

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

// The same rule as ingest's: a code that could never have been registered is simply unknown.
bool IsVenueCode(std::string_view code) {
  return !code.empty() && code.size() <= kVenueCodeMax && std::ranges::all_of(code, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_';
  });
}

std::string_view TrimSpaces(std::string_view s) {
  constexpr std::string_view kSpaces = " \t\r\n";
  const std::size_t b = s.find_first_not_of(kSpaces);
  if (b == std::string_view::npos) {
    return {};
  }
  return s.substr(b, s.find_last_not_of(kSpaces) - b + 1);
}

// "%text%" for LIKE with a backslash escape, ASCII letters lower-cased (as LOWER() leaves the
// column on both backends).
std::string ContainsPattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  out += '%';
  return out;
}

// The name problem, or empty when acceptable.
std::string NameProblem(std::string_view name) {
  if (name.empty()) {
    return "场所名称不能为空 (required)";
  }
  if (!base::IsValidUtf8(name)) {
    return "不是有效的 UTF-8 文本 (not valid UTF-8)";
  }
  if (std::ranges::any_of(name, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
      })) {
    return "不能包含控制字符 (no control characters)";
  }
  if (base::CodePoints(name) > kVenueNameMaxChars) {
    return "最多 " + std::to_string(kVenueNameMaxChars) + " 个字 (at most " +
           std::to_string(kVenueNameMaxChars) + " characters)";
  }
  return "";
}

// The types a venue may have: those of the contact rule, and 'unknown' (the default window).
std::vector<VenueType> TypesOf(const std::map<std::string, VenueRule>& rules) {
  std::vector<VenueType> out;
  for (const auto& [type, rule] : rules) {
    if (type != kUnknownType) {
      out.push_back({type, rule});
    }
  }
  auto unknown = rules.find(std::string(kUnknownType));
  out.push_back(
      {std::string(kUnknownType), unknown != rules.end() ? unknown->second : VenueRule{}});
  return out;
}

// Check-ins held for a venue over the retained days: each day's venue range, counted, not read.
std::int64_t HeldAt(const checkins::Snapshot& snapshot, std::uint32_t venue) {
  constexpr std::uint32_t kAll = std::numeric_limits<std::uint32_t>::max();
  std::int64_t n = 0;
  snapshot.Parts(
      0, kAll,
      [&](const checkins::Columns& c) {
        auto [b, e] = c.VenueRange(venue, 0, kAll);
        n += static_cast<std::int64_t>(e - b);
      },
      [&](std::span<const checkins::Checkin> batch) {
        n += std::ranges::count(batch, venue, &checkins::Checkin::venue);
      });
  return n;
}

}  // namespace

Result<VenuePage> TraceService::ListVenues(const auth::Principal& who, const VenueQuery& query) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTrace));
  const std::string_view text = TrimSpaces(query.text);
  const std::string like = text.empty() ? std::string() : ContainsPattern(text);
  const int limit = std::clamp(query.limit, 1, 1000);
  VenuePage page;
  std::vector<VenueInfo> venues;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    // One more than asked tells whether there is a next page.
    CORDON_ASSIGN_OR_RETURN(venues,
                            SelectVenues(s, query.needs_review_only, like, query.after, limit + 1));
    CORDON_ASSIGN_OR_RETURN(page.needs_review, CountVenuesToReview(s));
    return Status::Ok();
  }));
  if (venues.size() > static_cast<std::size_t>(limit)) {
    venues.resize(static_cast<std::size_t>(limit));
    page.next = venues.back().id;
  }
  // A few binary searches a venue and day, through each day's venue directory.
  auto held = engine_->snapshot();
  page.items.reserve(venues.size());
  for (VenueInfo& v : venues) {
    const std::int64_t n = HeldAt(*held, v.id);
    page.items.push_back({std::move(v), n});
  }
  return page;
}

Result<std::vector<VenueType>> TraceService::VenueTypes(const auth::Principal& who) const {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTrace));
  std::map<std::string, VenueRule> rules;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(rules, LoadVenueRules(s));
    return Status::Ok();
  }));
  return TypesOf(rules);
}

Result<VenueListed> TraceService::UpdateVenue(const auth::Principal& who, std::string_view code,
                                              const VenueChange& change) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCheckinsWrite));
  std::vector<FieldError> errors;
  std::optional<std::string> name;
  if (change.name) {
    name = std::string(TrimSpaces(*change.name));
    if (std::string problem = NameProblem(*name); !problem.empty()) {
      errors.push_back({"name", std::move(problem)});
    }
  }
  if (change.type && change.type->empty()) {
    errors.push_back({"type", "场所类型不能为空 (required)"});
  }
  if (!errors.empty()) {
    std::string message = errors.front().field + ": " + errors.front().message;
    return InvalidArgument(std::move(message), std::move(errors));
  }
  if (!name && !change.type && !change.reviewed) {
    return InvalidArgument(
        "请修改名称、类型或核实状态 (nothing to change: name, type or reviewed)");
  }
  if (!IsVenueCode(code)) {
    return NotFound("场所不存在 (no such venue)");
  }

  // No venue is registered meanwhile: the reload below must not drop one that ingest adds.
  std::lock_guard ingest(ingest_mu_);
  VenueInfo saved;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto found, FindVenue(s, std::string(code)));
    if (!found) {
      return NotFound("场所不存在 (no such venue)");
    }
    if (change.type) {
      CORDON_ASSIGN_OR_RETURN(auto rules, LoadVenueRules(s));
      if (*change.type != kUnknownType && !rules.contains(*change.type)) {
        std::string known;
        for (const VenueType& t : TypesOf(rules)) {
          known += known.empty() ? t.type : ", " + t.type;
        }
        return FieldInvalid(
            "type", "不是已配置的场所类型 (not a venue type of the contact rule: " + known + ")");
      }
    }
    saved = *found;
    if (name) {
      saved.name = *name;
    }
    if (change.type) {
      saved.type = *change.type;
    }
    if (change.reviewed) {
      saved.needs_review = !*change.reviewed;
    } else if (name || change.type) {
      saved.needs_review = false;
    }
    std::string fields;
    auto changed = [&fields](bool differs, const char* field) {
      if (differs) {
        fields += fields.empty() ? field : std::string(",") + field;
      }
    };
    changed(saved.name != found->name, "name");
    changed(saved.type != found->type, "type");
    changed(saved.needs_review != found->needs_review, "needs_review");
    if (fields.empty()) {
      return Status::Ok();  // as it was: nothing to write or record
    }
    CORDON_RETURN_IF_ERROR(SaveVenue(s, saved));
    // The other nodes' followers reload when they see the version move.
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE venue_edits SET version = version + 1 WHERE singleton = 1", {}).status());
    return audit_.Append(s, who, {"venues.update", "venue", saved.code, "ok", "", fields});
  }));
  // The next search uses the new type's window.
  CORDON_RETURN_IF_ERROR(ReloadVenues());
  const std::int64_t n = HeldAt(*engine_->snapshot(), saved.id);
  return VenueListed{std::move(saved), n};
}

}  // namespace cordon::trace
