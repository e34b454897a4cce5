#include "checkins/columns.h"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <tuple>

namespace cordon::checkins {
namespace {

constexpr int kDigitBits = 11;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;

struct KeyedRow {
  std::uint64_t key;
  std::uint32_t row;
};

std::uint64_t KeyOf(std::uint64_t k) { return k; }
std::uint64_t KeyOf(const KeyedRow& k) { return k.key; }

// Least-significant-digit radix sort on the low `bits` bits of the key; stable. Digits whose
// value is the same for every element are skipped, so narrow keys cost few passes.
template <typename T>
void RadixSort(std::vector<T>& items, int bits) {
  std::vector<T> scratch(items.size());
  for (int shift = 0; shift < bits; shift += kDigitBits) {
    std::array<std::size_t, kBuckets> counts{};
    for (const T& item : items) {
      ++counts[(KeyOf(item) >> shift) & (kBuckets - 1)];
    }
    if (std::ranges::find(counts, items.size()) != counts.end()) {
      continue;
    }
    std::size_t sum = 0;
    for (auto& c : counts) {
      std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (const T& item : items) {
      scratch[counts[(KeyOf(item) >> shift) & (kBuckets - 1)]++] = item;
    }
    items.swap(scratch);
  }
}

int BitsFor(std::uint32_t span) { return span == 0 ? 0 : static_cast<int>(std::bit_width(span)); }

struct OutColumns {
  std::uint32_t* venue;
  std::uint32_t* time;
  std::uint32_t* person;
};

// One bucket per venue number, then each venue's rows by (time, person).
void SortByVenueBuckets(std::span<const Checkin> rows, std::uint32_t vmin, std::uint32_t vspan,
                        const OutColumns& out) {
  const std::size_t n = rows.size();
  std::vector<std::uint32_t> next(static_cast<std::size_t>(vspan) + 2, 0);
  for (const Checkin& c : rows) {
    ++next[c.venue - vmin + 1];
  }
  for (std::size_t v = 1; v < next.size(); ++v) {
    next[v] += next[v - 1];
  }
  std::vector<std::uint32_t> bounds(next.begin(), next.end());
  std::unique_ptr<Checkin[]> sorted(new Checkin[n]);  // every element is written below
  for (const Checkin& c : rows) {
    sorted[next[c.venue - vmin]++] = c;
  }
  for (std::size_t v = 0; v + 1 < bounds.size(); ++v) {
    if (bounds[v + 1] - bounds[v] > 1) {
      std::sort(sorted.get() + bounds[v], sorted.get() + bounds[v + 1],
                [](const Checkin& a, const Checkin& b) {
                  return a.time != b.time ? a.time < b.time : a.person < b.person;
                });
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    out.venue[i] = sorted[i].venue;
    out.time[i] = sorted[i].time;
    out.person[i] = sorted[i].person;
  }
}

// The whole row as one 64-bit key, when it fits: sparse venue numbers.
void SortByRadix(std::span<const Checkin> rows, std::uint32_t vmin, std::uint32_t tmin,
                 std::uint32_t pmin, int vbits, int tbits, int pbits, const OutColumns& out) {
  const std::size_t n = rows.size();
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Checkin& c = rows[i];
    // vbits + tbits + pbits <= 64, so a shift of 64 happens only when the venue part is 0.
    const std::uint64_t venue_part =
        tbits + pbits >= 64 ? 0 : static_cast<std::uint64_t>(c.venue - vmin) << (tbits + pbits);
    keys[i] = venue_part | (static_cast<std::uint64_t>(c.time - tmin) << pbits) | (c.person - pmin);
  }
  RadixSort(keys, vbits + tbits + pbits);
  const std::uint64_t pmask = pbits == 0 ? 0 : (std::uint64_t{1} << pbits) - 1;
  const std::uint64_t tmask = tbits == 0 ? 0 : (std::uint64_t{1} << tbits) - 1;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t k = keys[i];
    out.person[i] = static_cast<std::uint32_t>(k & pmask) + pmin;
    out.time[i] = static_cast<std::uint32_t>((k >> pbits) & tmask) + tmin;
    out.venue[i] =
        (tbits + pbits >= 64 ? 0 : static_cast<std::uint32_t>(k >> (tbits + pbits))) + vmin;
  }
}

}  // namespace

Directory Directory::Count(const std::uint32_t* keys, std::size_t rows,
                           std::size_t rows_per_entry) {
  Directory d;
  if (rows == 0) {
    return d;
  }
  std::uint32_t lo = UINT32_MAX;
  std::uint32_t hi = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    lo = std::min(lo, keys[i]);
    hi = std::max(hi, keys[i]);
  }
  const std::size_t entries =
      std::max<std::size_t>(1, rows / std::max<std::size_t>(1, rows_per_entry));
  d.base = lo;
  while ((static_cast<std::size_t>(hi - lo) >> d.shift) + 1 > entries) {
    ++d.shift;
  }
  d.first.assign((static_cast<std::size_t>(hi - lo) >> d.shift) + 2, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    ++d.first[((keys[i] - lo) >> d.shift) + 1];
  }
  for (std::size_t k = 1; k < d.first.size(); ++k) {
    d.first[k] += d.first[k - 1];
  }
  return d;
}

Directory VenueDirectory(const Columns& c) { return Directory::Count(c.venue, c.rows, 4); }
Directory PersonDirectory(const Columns& c) { return Directory::Count(c.person, c.rows, 8); }

std::pair<std::size_t, std::size_t> Columns::VenueRange(std::uint32_t v, std::uint32_t lo,
                                                        std::uint32_t hi) const {
  auto before = [&](std::size_t i, std::uint32_t t) {
    return venue[i] < v || (venue[i] == v && time[i] < t);
  };
  std::size_t begin = 0;
  std::size_t end = rows;
  if (venues != nullptr) {
    std::tie(begin, end) = venues->Block(v);
  }
  auto first_not = [&](auto&& pred) {
    std::size_t lo_i = begin;
    std::size_t n = end - begin;
    while (n > 0) {
      std::size_t half = n / 2;
      if (pred(lo_i + half)) {
        lo_i += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo_i;
  };
  std::size_t first = first_not([&](std::size_t i) { return before(i, lo); });
  if (hi == UINT32_MAX) {
    std::size_t last = first_not([&](std::size_t i) { return venue[i] <= v; });
    return {first, std::max(first, last)};
  }
  std::size_t last = first_not([&](std::size_t i) { return before(i, hi + 1); });
  return {first, std::max(first, last)};
}

std::pair<std::size_t, std::size_t> Columns::VenueRangeFrom(std::uint32_t v, std::uint32_t lo,
                                                            std::uint32_t hi,
                                                            std::size_t from) const {
  std::size_t begin = 0;
  std::size_t end = rows;
  if (venues != nullptr) {
    std::tie(begin, end) = venues->Block(v);
  }
  begin = std::min(std::max(begin, from), end);
  // The first position in [start, end) where `pred` turns false, by steps doubling from start.
  auto gallop = [&](std::size_t start, auto&& pred) {
    if (start >= end || !pred(start)) {
      return start;
    }
    std::size_t known = start;  // pred(known) holds
    std::size_t step = 1;
    while (known + step < end && pred(known + step)) {
      known += step;
      step *= 2;
    }
    std::size_t lo_i = known + 1;
    std::size_t n = std::min(known + step, end) - lo_i;
    while (n > 0) {
      const std::size_t half = n / 2;
      if (pred(lo_i + half)) {
        lo_i += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo_i;
  };
  auto before = [&](std::uint32_t t) {
    return [this, v, t](std::size_t i) { return venue[i] < v || (venue[i] == v && time[i] < t); };
  };
  const std::size_t first = gallop(begin, before(lo));
  const std::size_t last = hi == UINT32_MAX
                               ? gallop(first, [&](std::size_t i) { return venue[i] <= v; })
                               : gallop(first, before(hi + 1));
  return {first, last};
}

std::pair<std::size_t, std::size_t> Columns::PersonRange(std::uint32_t p) const {
  const std::uint32_t* begin = by_person;
  const std::uint32_t* end = by_person + rows;
  if (people != nullptr) {
    auto [b, e] = people->Block(p);
    end = by_person + e;
    begin = by_person + b;
  }
  const std::uint32_t* first = std::lower_bound(
      begin, end, p, [&](std::uint32_t row, std::uint32_t value) { return person[row] < value; });
  const std::uint32_t* last = std::upper_bound(
      first, end, p, [&](std::uint32_t value, std::uint32_t row) { return value < person[row]; });
  return {static_cast<std::size_t>(first - by_person), static_cast<std::size_t>(last - by_person)};
}

OwnedColumns OwnedColumns::Build(std::span<const Checkin> rows) {
  OwnedColumns out;
  const std::size_t n = rows.size();
  if (n == 0) {
    return out;
  }
  std::uint32_t vmin = UINT32_MAX;
  std::uint32_t vmax = 0;
  std::uint32_t tmin = UINT32_MAX;
  std::uint32_t tmax = 0;
  std::uint32_t pmin = UINT32_MAX;
  std::uint32_t pmax = 0;
  for (const Checkin& c : rows) {
    vmin = std::min(vmin, c.venue);
    vmax = std::max(vmax, c.venue);
    tmin = std::min(tmin, c.time);
    tmax = std::max(tmax, c.time);
    pmin = std::min(pmin, c.person);
    pmax = std::max(pmax, c.person);
  }
  const int vbits = BitsFor(vmax - vmin);
  const int tbits = BitsFor(tmax - tmin);
  const int pbits = BitsFor(pmax - pmin);
  out.venue_.resize(n);
  out.time_.resize(n);
  out.person_.resize(n);
  out.by_person_.resize(n);

  // Dense numbers (the usual case: database row ids) are counted into one bucket per venue and
  // per person, each a short run sorted on its own: two scatter passes instead of ten radix
  // passes, and a 20-million-row day sorts in about a second. Sparse numbers take radix sorts.
  const auto dense = [&](std::uint32_t span_minus_one) {
    return static_cast<std::size_t>(span_minus_one) <= 4 * n + 1024;
  };
  const OutColumns parts{out.venue_.data(), out.time_.data(), out.person_.data()};
  if (dense(vmax - vmin)) {
    SortByVenueBuckets(rows, vmin, vmax - vmin, parts);
  } else if (vbits + tbits + pbits <= 64) {
    SortByRadix(rows, vmin, tmin, pmin, vbits, tbits, pbits, parts);
  } else {
    std::vector<Checkin> sorted(rows.begin(), rows.end());
    std::ranges::sort(sorted, [](const Checkin& a, const Checkin& b) {
      return std::tie(a.venue, a.time, a.person) < std::tie(b.venue, b.time, b.person);
    });
    for (std::size_t i = 0; i < n; ++i) {
      out.venue_[i] = sorted[i].venue;
      out.time_[i] = sorted[i].time;
      out.person_[i] = sorted[i].person;
    }
  }

  // The person index: row numbers in (person, time) order; ties keep venue order.
  if (dense(pmax - pmin)) {
    std::vector<std::uint32_t> next(static_cast<std::size_t>(pmax - pmin) + 2, 0);
    for (std::size_t i = 0; i < n; ++i) {
      ++next[out.person_[i] - pmin + 1];
    }
    for (std::size_t p = 1; p < next.size(); ++p) {
      next[p] += next[p - 1];
    }
    std::vector<std::uint32_t> bounds(next.begin(), next.end());
    for (std::size_t i = 0; i < n; ++i) {
      out.by_person_[next[out.person_[i] - pmin]++] = static_cast<std::uint32_t>(i);
    }
    const std::uint32_t* time = out.time_.data();
    for (std::size_t p = 0; p + 1 < bounds.size(); ++p) {
      if (bounds[p + 1] - bounds[p] > 1) {
        std::sort(out.by_person_.begin() + bounds[p], out.by_person_.begin() + bounds[p + 1],
                  [time](std::uint32_t a, std::uint32_t b) {
                    return time[a] != time[b] ? time[a] < time[b] : a < b;
                  });
      }
    }
    out.BuildDirectories();
    return out;
  }
  std::vector<KeyedRow> keyed(n);
  for (std::size_t i = 0; i < n; ++i) {
    keyed[i] = {
        (static_cast<std::uint64_t>(out.person_[i] - pmin) << tbits) | (out.time_[i] - tmin),
        static_cast<std::uint32_t>(i)};
  }
  RadixSort(keyed, pbits + tbits);
  for (std::size_t i = 0; i < n; ++i) {
    out.by_person_[i] = keyed[i].row;
  }
  out.BuildDirectories();
  return out;
}

void OwnedColumns::BuildDirectories() {
  const Columns c = view();
  venues_ = VenueDirectory(c);
  people_ = PersonDirectory(c);
}

OwnedColumns OwnedColumns::Merge(std::span<const Columns> parts) {
  std::size_t total = 0;
  for (const Columns& p : parts) {
    total += p.rows;
  }
  std::vector<Checkin> rows;
  rows.reserve(total);
  for (const Columns& p : parts) {
    for (std::size_t i = 0; i < p.rows; ++i) {
      rows.push_back(p.Row(i));
    }
  }
  return Build(rows);
}

}  // namespace cordon::checkins
