// FindContactsOfCluster (contacts.h): the check-ins of every case in the cluster are the
// triggers of one sweep (sweep.h), so a venue that many cases passed through is read once, and
// each person met keeps only their closest link: a thousand cases meet millions of people.
#include <algorithm>
#include <limits>
#include <tuple>

#include "trace/contacts.h"
#include "trace/sweep.h"

namespace cordon::trace {
namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

std::uint32_t Gap(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }

// A link, and for a secondary contact (degree 2) how many meetings lie behind it.
struct Link {
  ClusterLink link;
  std::uint32_t meetings = 1;
};

// Closer first: degree 1, then 2, then companions; the shorter gap; the lower case number; then
// the evidence itself, so the choice does not depend on the order links are offered in.
auto Rank(const Link& x) {
  const ClusterLink& l = x.link;
  return std::tuple(l.degree == 0 ? 3 : l.degree, l.gap, l.index_person, l.evidence.contact_time,
                    l.evidence.venue, l.evidence.index_time);
}

// Each person's closest link so far, found through a dense array by person number.
class Links {
 public:
  void Offer(const Link& link) {
    const std::uint32_t person = link.link.person;
    if (person >= slots_.size()) {
      slots_.resize(std::max<std::size_t>(std::size_t{person} + 1, slots_.size() * 2), kNone);
    }
    std::uint32_t& slot = slots_[person];
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

ClusterResult FindContactsOfCluster(const checkins::Snapshot& snapshot, const VenueRules& rules,
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
      link.link.person = person;
      link.link.degree = rules.Of(best->venue).companion_only ? 0 : 1;
      link.link.gap = Gap(best->time, t);
      link.link.index_person = best->via;
      link.link.evidence = {best->venue, best->time, t, best->via};
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
        links.Offer({{named.person, 1, named.kind, q.person, 0,
                      Evidence{0, named.time, named.time, q.person}},
                     1});
      }
    }
    if (q.depth >= 2) {
      ContactQuery one = q;
      one.secondary_after = 0;
      one.secondary_described = std::numeric_limits<std::size_t>::max();
      one.secondary_meetings = nullptr;
      for (const SecondaryContact& c : FindContacts(snapshot, rules, one).secondary) {
        if (!cases.Has(c.person)) {
          links.Offer(
              {{c.person, 2, ContactKind::kCoPresence, c.index_person, c.nearest_gap, c.first},
               c.meetings});
        }
      }
    }
  }

  ClusterResult result;
  links.ForEach([&](const Link& x) {
    const ClusterLink& l = x.link;
    if (l.degree == 2) {
      result.secondary.push_back({l.person, l.index_person, x.meetings, l.gap, l.evidence});
    } else {
      (l.degree == 1 ? result.close : result.companions).push_back(l);
    }
  });
  return result;
}

}  // namespace cordon::trace
