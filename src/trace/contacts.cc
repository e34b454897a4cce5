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

// Person number -> slot, open addressing: a secondary search can meet a million people, where a
// node-based map spent more time allocating than the search did reading check-ins.
class PersonSlots {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t Find(std::uint32_t person) const {
    if (keys_.empty()) {
      return kNone;
    }
    for (std::size_t i = Hash(person) & mask_;; i = (i + 1) & mask_) {
      if (keys_[i] == person) {
        return values_[i];
      }
      if (keys_[i] == kNone) {
        return kNone;
      }
    }
  }
  // The slot of `person`, or `fresh` stored as its slot when it has none.
  std::pair<std::uint32_t, bool> Insert(std::uint32_t person, std::uint32_t fresh) {
    if ((size_ + 1) * 2 > keys_.size()) {
      Grow();
    }
    for (std::size_t i = Hash(person) & mask_;; i = (i + 1) & mask_) {
      if (keys_[i] == person) {
        return {values_[i], false};
      }
      if (keys_[i] == kNone) {
        keys_[i] = person;
        values_[i] = fresh;
        ++size_;
        return {fresh, true};
      }
    }
  }

 private:
  static std::size_t Hash(std::uint32_t x) {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(x) * 0x9E3779B97F4A7C15ULL) >> 20);
  }
  void Grow() {
    std::vector<std::uint32_t> keys = std::move(keys_);
    std::vector<std::uint32_t> values = std::move(values_);
    const std::size_t capacity = keys.empty() ? 1024 : keys.size() * 2;
    keys_.assign(capacity, kNone);
    values_.assign(capacity, 0);
    mask_ = capacity - 1;
    size_ = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != kNone) {
        Insert(keys[i], values[i]);
      }
    }
  }
  std::vector<std::uint32_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// Contacts found so far: a head per person and all evidence in one flat array, grouped and
// sorted once at the end.
class ContactSet {
 public:
  std::uint32_t At(std::uint32_t person, int degree, ContactKind kind, std::uint32_t index_person) {
    auto [slot, fresh] = slots_.Insert(person, static_cast<std::uint32_t>(heads_.size()));
    if (fresh) {
      Contact c;
      c.person = person;
      c.degree = degree;
      c.kind = kind;
      c.index_person = index_person;
      c.first = std::numeric_limits<std::uint32_t>::max();
      heads_.push_back(std::move(c));
    }
    return slot;
  }
  void Add(std::uint32_t slot, const Evidence& e) {
    evidence_.push_back({slot, e});
    heads_[slot].first = std::min(heads_[slot].first, e.contact_time);
  }
  bool Has(std::uint32_t person) const { return slots_.Find(person) != PersonSlots::kNone; }
  Contact& Head(std::uint32_t slot) { return heads_[slot]; }
  const std::vector<Contact>& Heads() const { return heads_; }

  std::vector<Contact> Take() {
    std::ranges::sort(evidence_, [](const Item& a, const Item& b) {
      return std::tie(a.slot, a.e.contact_time, a.e.venue, a.e.index_time, a.e.via) <
             std::tie(b.slot, b.e.contact_time, b.e.venue, b.e.index_time, b.e.via);
    });
    std::size_t at = 0;
    for (std::uint32_t slot = 0; slot < heads_.size(); ++slot) {
      std::size_t end = at;
      while (end < evidence_.size() && evidence_[end].slot == slot) {
        ++end;
      }
      auto& out = heads_[slot].evidence;
      out.reserve(end - at);
      for (std::size_t i = at; i < end; ++i) {
        const Evidence& e = evidence_[i].e;
        if (out.empty() || out.back().venue != e.venue || out.back().index_time != e.index_time ||
            out.back().contact_time != e.contact_time || out.back().via != e.via) {
          out.push_back(e);
        }
      }
      at = end;
    }
    evidence_.clear();
    std::ranges::sort(heads_, {}, &Contact::person);
    return std::move(heads_);
  }

 private:
  struct Item {
    std::uint32_t slot;
    Evidence e;
  };
  PersonSlots slots_;
  std::vector<Contact> heads_;
  std::vector<Item> evidence_;
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
  ContactSet close;
  ContactSet companions;
  Meet(
      snapshot, rules, index, query.from, query.to, [](std::uint32_t) { return false; },
      [&](bool companion_only, std::uint32_t met, const Evidence& e) {
        ContactSet& set = companion_only ? companions : close;
        set.Add(set.At(met, companion_only ? 0 : 1, ContactKind::kCoPresence, index), e);
      });
  for (const NamedContact& named : query.named) {
    if (named.person == index) {
      continue;
    }
    close.Add(close.At(named.person, 1, named.kind, index),
              Evidence{0, named.time, named.time, index});
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
