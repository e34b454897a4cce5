// FindContactsOfCluster (contacts.h): the check-ins of every case in the cluster are the
// triggers of one sweep (sweep.h), so a venue that many cases passed through is read once, and
// each person met keeps only their closest link: a thousand cases meet about a million people.
#include <algorithm>
#include <limits>
#include <tuple>

#include "trace/contacts.h"
#include "trace/sweep.h"

namespace cordon::trace {
namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

std::uint32_t Gap(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }

struct Link {
  std::uint32_t person = 0;
  int degree = 1;  // 0: companion
  ContactKind kind = ContactKind::kCoPresence;
  std::uint32_t gap = 0;
  std::uint32_t index_person = 0;
  std::uint32_t meetings = 1;  // for a secondary contact
  Evidence evidence;
};

// Closer first: degree 1, then 2, then companions; the shorter gap; the lower case number; then
// the evidence itself, so the choice does not depend on the order links are offered in.
auto Rank(const Link& l) {
  return std::tuple(l.degree == 0 ? 3 : l.degree, l.gap, l.index_person, l.evidence.contact_time,
                    l.evidence.venue, l.evidence.index_time);
}

// Each person's closest link so far, found through a dense array by person number.
class Links {
 public:
  void Offer(const Link& link) {
    if (link.person >= slots_.size()) {
      slots_.resize(std::max<std::size_t>(std::size_t{link.person} + 1, slots_.size() * 2), kNone);
    }
    std::uint32_t& slot = slots_[link.person];
    if (slot == kNone) {
      slot = static_cast<std::uint32_t>(links_.size());
      links_.push_back(link);
    } else if (Rank(link) < Rank(links_[slot])) {
      links_[slot] = link;
    }
  }
  void Add(const Links& other) {
    for (const Link& l : other.links_) {
      Offer(l);
    }
  }
  // In person order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (std::uint32_t slot : slots_) {
      if (slot != kNone) {
        fn(links_[slot]);
      }
    }
  }

 private:
  std::vector<std::uint32_t> slots_;
  std::vector<Link> links_;
};

}  // namespace

ContactResult FindContactsOfCluster(const checkins::Snapshot& snapshot, const VenueRules& rules,
                                    std::span<const ContactQuery> queries,
                                    std::size_t parallel_from) {
  PersonBits cases;
  std::vector<Trigger> triggers;
  for (const ContactQuery& q : queries) {
    cases.Set(q.person);
    for (const checkins::Checkin& own : snapshot.Trajectory(q.person, q.from, q.to)) {
      triggers.push_back({own.venue, own.time, q.person});
    }
  }
  auto gather = [&rules](Links& links) {
    return [&links, &rules](std::uint32_t person, std::uint32_t t, std::span<const Trigger> met) {
      // Of the cases met here, the nearest, then the lowest number.
      const Trigger* best = &met.front();
      for (const Trigger& x : met) {
        if (std::pair(Gap(x.time, t), x.via) < std::pair(Gap(best->time, t), best->via)) {
          best = &x;
        }
      }
      Link link;
      link.person = person;
      link.degree = rules.Of(best->venue).companion_only ? 0 : 1;
      link.gap = Gap(best->time, t);
      link.index_person = best->via;
      link.evidence = {best->venue, best->time, t, best->via};
      links.Offer(link);
    };
  };
  Links links;
  Links links_too;
  auto mine = gather(links);
  auto theirs = gather(links_too);
  const TriggerSweep sweep(snapshot, rules, std::move(triggers), cases, parallel_from);
  sweep.Scan(mine, &theirs);
  links.Add(links_too);

  for (const ContactQuery& q : queries) {
    for (const NamedContact& named : q.named) {
      if (!cases.Has(named.person)) {
        links.Offer({named.person, 1, named.kind, 0, q.person, 1,
                     Evidence{0, named.time, named.time, q.person}});
      }
    }
    if (q.depth >= 2) {
      ContactQuery one = q;
      one.secondary_after = 0;
      one.secondary_described = std::numeric_limits<std::size_t>::max();
      one.secondary_meetings = nullptr;
      for (const SecondaryContact& c : FindContacts(snapshot, rules, one).secondary) {
        if (!cases.Has(c.person)) {
          links.Offer({c.person, 2, ContactKind::kCoPresence, c.nearest_gap, c.index_person,
                       c.meetings, c.first});
        }
      }
    }
  }

  ContactResult result;
  links.ForEach([&](const Link& l) {
    if (l.degree == 2) {
      result.secondary_people.push_back(l.person);
      result.secondary.push_back({l.person, l.index_person, l.meetings, l.gap, l.evidence});
      return;
    }
    Contact c;
    c.person = l.person;
    c.degree = l.degree;
    c.kind = l.kind;
    c.index_person = l.index_person;
    c.first = l.evidence.contact_time;
    c.evidence = {l.evidence};
    (l.degree == 1 ? result.close : result.companions).push_back(std::move(c));
  });
  return result;
}

}  // namespace cordon::trace
