// Who was with this person, where and when (domain.md section 7; api-contract.md "Contact
// rule"). Pure functions over a snapshot of the check-in engine: people and venues are the
// numbers of their database rows; names, codes and masking belong to the service.
//
// Close contact (degree 1) of index X over [from, to]: X at venue V at t1 (from <= t1 <= to),
// C != X at V at t2 with |t2 - t1| <= W(V). Secondary (degree 2): the same rule applied to each
// degree-1 contact C over [first(C), to], first(C) being C's earliest contact time, excluding X
// and the degree-1 contacts. At companion-only venues (transit hubs) co-presence makes a
// spatiotemporal companion (时空伴随者) instead, a list of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "checkins/checkin_store.h"

namespace cordon::trace {

struct VenueRule {
  std::uint32_t window_seconds = 1800;
  bool companion_only = false;
};

// Rules by venue number; venues without one use the default (unknown types count, ±30 min).
class VenueRules {
 public:
  explicit VenueRules(VenueRule fallback = {}) : fallback_(fallback) {}
  void Set(std::uint32_t venue, VenueRule rule);
  const VenueRule& Of(std::uint32_t venue) const {
    return venue < rules_.size() && rules_[venue].set ? rules_[venue].rule : fallback_;
  }

 private:
  struct Slot {
    VenueRule rule;
    bool set = false;
  };
  VenueRule fallback_;
  std::vector<Slot> rules_;
};

enum class ContactKind { kCoPresence, kHousehold, kExposure };

struct Evidence {
  std::uint32_t venue = 0;  // 0 for household members and hand-entered exposures
  std::uint32_t index_time = 0;
  std::uint32_t contact_time = 0;
  std::uint32_t via = 0;  // who they met: the index person, or for degree 2 a close contact
};

struct Contact {
  std::uint32_t person = 0;
  int degree = 1;  // 0: spatiotemporal companion
  ContactKind kind = ContactKind::kCoPresence;
  std::uint32_t index_person = 0;  // the case this contact is traced from
  std::uint32_t first = 0;         // earliest contact_time in the evidence
  std::vector<Evidence> evidence;  // by contact time
};

// Called for each meeting behind a secondary contact, when every one is wanted (an export).
using MeetingSink = std::function<void(std::uint32_t person, const Evidence& meeting)>;

// A degree-2 contact, kept small: the set can be most of a city, so instead of every meeting it
// holds how many there were, the earliest (by the contact's own check-in time, then the
// nearest) and the shortest gap of any.
struct SecondaryContact {
  std::uint32_t person = 0;
  std::uint32_t index_person = 0;
  std::uint32_t meetings = 0;  // (close contact's check-in, own check-in) pairs within the window
  std::uint32_t nearest_gap = 0;
  Evidence first;  // `via` is the close contact met
};

// Someone named by the investigation or living with the case: degree 1 with its own evidence.
struct NamedContact {
  std::uint32_t person = 0;
  ContactKind kind = ContactKind::kHousehold;
  std::uint32_t time = 0;  // when they were exposed; for a household, the look-back start
};

struct ContactQuery {
  std::uint32_t person = 0;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  int depth = 1;  // 1: close contacts; 2: and secondary contacts
  std::vector<NamedContact> named;
  // Which secondary contacts to describe (all are counted): the first `secondary_described`
  // above person `secondary_after`. An export hears every meeting behind them.
  std::uint32_t secondary_after = 0;
  std::size_t secondary_described = std::numeric_limits<std::size_t>::max();
  const MeetingSink* secondary_meetings = nullptr;
  // With at least this many close-contact check-ins the secondary sweep takes two threads.
  std::size_t secondary_parallel_from = 2'048;
};

struct ContactResult {
  std::vector<Contact> close;                   // degree 1, by person
  std::vector<std::uint32_t> secondary_people;  // degree 2, all of them, by person
  std::vector<SecondaryContact> secondary;      // those described, by person
  std::vector<Contact> companions;              // degree 0, by person; nobody already in `close`
};

ContactResult FindContacts(const checkins::Snapshot& snapshot, const VenueRules& rules,
                           const ContactQuery& query);

// A person's closest link to a cluster: a thousand cases meet millions of people at city
// scale, so each keeps one meeting, not a list.
struct ClusterLink {
  std::uint32_t person = 0;
  int degree = 1;  // 0: spatiotemporal companion
  ContactKind kind = ContactKind::kCoPresence;
  std::uint32_t index_person = 0;  // the case
  std::uint32_t gap = 0;
  Evidence evidence;  // the closest meeting
};

struct ClusterResult {
  std::vector<ClusterLink> close;           // by person
  std::vector<SecondaryContact> secondary;  // by person
  std::vector<ClusterLink> companions;      // by person
};

// An outbreak cluster at once: the union over the cases, each person once with the closest link
// (lowest degree, companions after secondary; then the shortest gap between the two check-ins;
// then the lower case number; then the meeting itself); the cases themselves are not their own
// contacts. Close contacts and companions of every case come from one sweep (cluster.cc);
// secondary contacts, for queries of depth 2, case by case.
ClusterResult FindContactsOfCluster(const checkins::Snapshot& snapshot, const VenueRules& rules,
                                    std::span<const ContactQuery> queries,
                                    std::size_t parallel_from = 2'048);

}  // namespace cordon::trace
