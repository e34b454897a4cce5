#include "trace/contacts.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <tuple>

#include "trace/secondary.h"

namespace cordon::trace {
namespace {

using checkins::Checkin;
using checkins::Snapshot;

// Contacts found so far: every meeting in one flat array, sorted once by person and time at the
// end and cut into contacts. A map from person to contact, and sorting the contacts afterwards,
// cost more than finding them.
class ContactSet {
 public:
  ContactSet(int degree, std::uint32_t index_person)
      : degree_(degree), index_person_(index_person) {}

  void Add(std::uint32_t person, ContactKind kind, const Evidence& e) {
    items_.push_back({person, static_cast<std::uint32_t>(items_.size()), kind, e});
  }

  // By person; each with its evidence by contact time, the same meeting once.
  std::vector<Contact> Take() {
    std::ranges::sort(items_, [](const Item& a, const Item& b) {
      return std::tie(a.person, a.e.contact_time, a.e.venue, a.e.index_time, a.e.via, a.seq) <
             std::tie(b.person, b.e.contact_time, b.e.venue, b.e.index_time, b.e.via, b.seq);
    });
    std::vector<Contact> out;
    for (std::size_t at = 0; at < items_.size();) {
      std::size_t end = at + 1;
      while (end < items_.size() && items_[end].person == items_[at].person) {
        ++end;
      }
      Contact c;
      c.person = items_[at].person;
      c.degree = degree_;
      c.index_person = index_person_;
      c.first = items_[at].e.contact_time;
      // The kind of the first meeting added: in person (all added before any named), else the
      // first name given.
      const Item* kind_from = &items_[at];
      c.evidence.reserve(end - at);
      for (std::size_t i = at; i < end; ++i) {
        const Item& x = items_[i];
        if (x.seq < kind_from->seq) {
          kind_from = &x;
        }
        if (c.evidence.empty() || c.evidence.back().venue != x.e.venue ||
            c.evidence.back().index_time != x.e.index_time ||
            c.evidence.back().contact_time != x.e.contact_time ||
            c.evidence.back().via != x.e.via) {
          c.evidence.push_back(x.e);
        }
      }
      c.kind = kind_from->kind;
      out.push_back(std::move(c));
      at = end;
    }
    items_.clear();
    return out;
  }

 private:
  struct Item {
    std::uint32_t person;
    std::uint32_t seq;  // order added
    ContactKind kind;
    Evidence e;
  };
  int degree_;
  std::uint32_t index_person_;
  std::vector<Item> items_;
};

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
  ContactSet close(1, index);
  ContactSet companions(0, index);
  Meet(
      snapshot, rules, index, query.from, query.to, [](std::uint32_t) { return false; },
      [&](bool companion_only, std::uint32_t met, const Evidence& e) {
        (companion_only ? companions : close).Add(met, ContactKind::kCoPresence, e);
      });
  for (const NamedContact& named : query.named) {
    if (named.person != index) {
      close.Add(named.person, named.kind, Evidence{0, named.time, named.time, index});
    }
  }

  ContactResult result;
  result.close = close.Take();
  if (query.depth >= 2) {
    // From when they met the case: a contact passes on only what they caught after it.
    std::vector<CloseStart> starts;
    starts.reserve(result.close.size());
    for (const Contact& c : result.close) {
      starts.push_back({c.person, c.first});
    }
    const SecondarySweep sweep(snapshot, rules, index, starts, query.to,
                               query.secondary_parallel_from);
    result.secondary_people = sweep.People();
    auto first = std::ranges::upper_bound(result.secondary_people, query.secondary_after);
    const auto described = std::min<std::size_t>(
        query.secondary_described, static_cast<std::size_t>(result.secondary_people.end() - first));
    result.secondary = sweep.Describe(
        std::span<const std::uint32_t>(
            result.secondary_people.data() + (first - result.secondary_people.begin()), described),
        query.secondary_meetings);
  }
  // A person who is also a close contact is on that list only.
  auto companions_list = companions.Take();
  std::erase_if(companions_list, [&](const Contact& c) {
    return std::ranges::binary_search(result.close, c.person, {}, &Contact::person);
  });
  result.companions = std::move(companions_list);
  return result;
}

}  // namespace cordon::trace
