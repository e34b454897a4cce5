#include "trace/contacts.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace cordon::trace {
namespace {

using checkins::Checkin;
using checkins::Snapshot;

std::uint32_t Gap(const Evidence& e) {
  return e.index_time > e.contact_time ? e.index_time - e.contact_time
                                       : e.contact_time - e.index_time;
}

// Contacts keyed by person, kept in the order first met; sorted at the end.
class ContactSet {
 public:
  Contact& At(std::uint32_t person, int degree, ContactKind kind, std::uint32_t index_person) {
    auto [it, inserted] = where_.try_emplace(person, contacts_.size());
    if (inserted) {
      Contact c;
      c.person = person;
      c.degree = degree;
      c.kind = kind;
      c.index_person = index_person;
      c.first = std::numeric_limits<std::uint32_t>::max();
      contacts_.push_back(std::move(c));
    }
    return contacts_[it->second];
  }
  bool Has(std::uint32_t person) const { return where_.contains(person); }
  std::vector<Contact>& List() { return contacts_; }

  std::vector<Contact> Take() {
    for (Contact& c : contacts_) {
      std::ranges::sort(c.evidence, [](const Evidence& a, const Evidence& b) {
        return std::tie(a.contact_time, a.venue, a.index_time, a.via) <
               std::tie(b.contact_time, b.venue, b.index_time, b.via);
      });
      c.evidence.erase(std::unique(c.evidence.begin(), c.evidence.end(),
                                   [](const Evidence& a, const Evidence& b) {
                                     return a.venue == b.venue && a.index_time == b.index_time &&
                                            a.contact_time == b.contact_time && a.via == b.via;
                                   }),
                       c.evidence.end());
    }
    std::ranges::sort(contacts_, {}, &Contact::person);
    where_.clear();
    return std::move(contacts_);
  }

 private:
  std::unordered_map<std::uint32_t, std::size_t> where_;
  std::vector<Contact> contacts_;
};

void AddEvidence(Contact& c, const Evidence& e) {
  c.evidence.push_back(e);
  c.first = std::min(c.first, e.contact_time);
}

// Everyone at each of `who`'s check-ins in [from, to] within the venue's window, other than
// those `skip` rejects. `emit(venue_rule_companion, met, evidence)`.
template <typename Skip, typename Emit>
void Meet(const Snapshot& snapshot, const VenueRules& rules, std::uint32_t who, std::uint32_t from,
          std::uint32_t to, Skip&& skip, Emit&& emit) {
  for (const Checkin& own : snapshot.Trajectory(who, from, to)) {
    const VenueRule& rule = rules.Of(own.venue);
    const std::uint32_t lo = own.time > rule.window_seconds ? own.time - rule.window_seconds : 0;
    const std::uint32_t hi =
        own.time > std::numeric_limits<std::uint32_t>::max() - rule.window_seconds
            ? std::numeric_limits<std::uint32_t>::max()
            : own.time + rule.window_seconds;
    snapshot.AtVenue(own.venue, lo, hi, [&](const Checkin& other) {
      if (other.person == who || skip(other.person)) {
        return;
      }
      emit(rule.companion_only, other.person, Evidence{own.venue, own.time, other.time, who});
    });
  }
}

}  // namespace

void VenueRules::Set(std::uint32_t venue, VenueRule rule) {
  if (venue >= rules_.size()) {
    rules_.resize(venue + 1);
  }
  rules_[venue] = {rule, true};
}

ContactResult FindContacts(const Snapshot& snapshot, const VenueRules& rules,
                           const ContactQuery& query) {
  const std::uint32_t index = query.person;
  ContactSet close;
  ContactSet companions;
  Meet(
      snapshot, rules, index, query.from, query.to, [](std::uint32_t) { return false; },
      [&](bool companion_only, std::uint32_t met, const Evidence& e) {
        AddEvidence(companion_only ? companions.At(met, 0, ContactKind::kCoPresence, index)
                                   : close.At(met, 1, ContactKind::kCoPresence, index),
                    e);
      });
  for (const NamedContact& named : query.named) {
    if (named.person == index) {
      continue;
    }
    const bool known = close.Has(named.person);
    Contact& c = close.At(named.person, 1, named.kind, index);
    if (!known) {
      c.kind = named.kind;
    }
    AddEvidence(c, Evidence{0, named.time, named.time, index});
  }

  ContactSet secondary;
  if (query.depth >= 2) {
    auto excluded = [&](std::uint32_t p) { return p == index || close.Has(p); };
    for (const Contact& c : close.List()) {
      // From when they met the case: a contact passes on only what they caught after it.
      Meet(snapshot, rules, c.person, c.first, query.to, excluded,
           [&](bool companion_only, std::uint32_t met, const Evidence& e) {
             if (!companion_only) {
               AddEvidence(secondary.At(met, 2, ContactKind::kCoPresence, index), e);
             }
           });
    }
  }
  ContactResult result;
  result.close = close.Take();
  result.secondary = secondary.Take();
  // A person who is also a close contact is on that list only.
  auto companions_list = companions.Take();
  std::erase_if(companions_list, [&](const Contact& c) {
    return std::ranges::binary_search(result.close, c.person, {}, &Contact::person);
  });
  result.companions = std::move(companions_list);
  return result;
}

ContactResult FindContactsOfCluster(const Snapshot& snapshot, const VenueRules& rules,
                                    std::span<const ContactQuery> queries) {
  std::unordered_set<std::uint32_t> cases;
  for (const ContactQuery& q : queries) {
    cases.insert(q.person);
  }
  // Closest link: lower degree first (companions, degree 0, rank after 2), then shorter gap.
  auto rank = [](const Contact& c) {
    std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
    for (const Evidence& e : c.evidence) {
      best = std::min(best, Gap(e));
    }
    return std::make_tuple(c.degree == 0 ? 3 : c.degree, best, c.index_person);
  };
  std::unordered_map<std::uint32_t, Contact> best;
  for (const ContactQuery& q : queries) {
    ContactResult one = FindContacts(snapshot, rules, q);
    for (auto* list : {&one.close, &one.secondary, &one.companions}) {
      for (Contact& c : *list) {
        if (cases.contains(c.person)) {
          continue;
        }
        auto [it, inserted] = best.try_emplace(c.person, c);
        if (!inserted && rank(c) < rank(it->second)) {
          it->second = std::move(c);
        }
      }
    }
  }
  ContactResult result;
  for (auto& [person, c] : best) {
    (c.degree == 1   ? result.close
     : c.degree == 2 ? result.secondary
                     : result.companions)
        .push_back(std::move(c));
  }
  for (auto* list : {&result.close, &result.secondary, &result.companions}) {
    std::ranges::sort(*list, {}, &Contact::person);
  }
  return result;
}

}  // namespace cordon::trace
