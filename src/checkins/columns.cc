#include "checkins/columns.h"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <tuple>

namespace cordon::checkins {

// The rows to sort: new check-ins, or the columns of runs being merged, read in place rather
// than copied out first (a 20-million-row merge otherwise wrote 240 MB it read once).
class RowSource {
 public:
  explicit RowSource(std::span<const Checkin> rows) : rows_(rows), size_(rows.size()) {}
  explicit RowSource(std::span<const Columns> parts) : parts_(parts) {
    for (const Columns& p : parts) {
      size_ += p.rows;
    }
  }
  std::size_t Count() const { return size_; }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Checkin& c : rows_) {
      fn(c);
    }
    for (const Columns& p : parts_) {
      for (std::size_t i = 0; i < p.rows; ++i) {
        fn(Checkin{p.venue[i], p.time[i], p.person[i]});
      }
    }
  }

 private:
  std::span<const Checkin> rows_;
  std::span<const Columns> parts_;
  std::size_t size_ = 0;
};

namespace {

// Digits of up to 13 bits: 8,192 buckets, whose counts and write positions stay in cache.
constexpr int kMaxDigitBits = 13;

std::uint64_t KeyOf(std::uint64_t k) { return k; }

// Least-significant-digit radix sort on bits [first_bit, first_bit + bits) of the key; stable.
// Digits whose value is the same for every element are skipped, so narrow keys cost few passes.
template <typename T>
void RadixSort(ColumnBuffer<T>& items, int bits, int first_bit = 0) {
  if (bits <= 0 || items.size() < 2) {
    return;
  }
  const int passes = (bits + kMaxDigitBits - 1) / kMaxDigitBits;
  const int digit = (bits + passes - 1) / passes;
  const std::size_t buckets = std::size_t{1} << digit;
  ColumnBuffer<T> scratch(items.size());
  std::vector<std::size_t> counts(buckets);
  for (int shift = first_bit; shift < first_bit + bits; shift += digit) {
    std::ranges::fill(counts, 0);
    for (const T& item : items) {
      ++counts[(KeyOf(item) >> shift) & (buckets - 1)];
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
      scratch[counts[(KeyOf(item) >> shift) & (buckets - 1)]++] = item;
    }
    items.swap(scratch);
  }
}

// The same on the low `bits` bits of `keys`, moving `rows` along with them (12 bytes an element
// rather than a padded 16-byte pair).
void RadixSortCarrying(ColumnBuffer<std::uint64_t>& keys, ColumnBuffer<std::uint32_t>& rows,
                       int bits) {
  const std::size_t n = keys.size();
  if (bits <= 0 || n < 2) {
    return;
  }
  const int passes = (bits + kMaxDigitBits - 1) / kMaxDigitBits;
  const int digit = (bits + passes - 1) / passes;
  const std::size_t buckets = std::size_t{1} << digit;
  ColumnBuffer<std::uint64_t> keys_to(n);
  ColumnBuffer<std::uint32_t> rows_to(n);
  std::vector<std::size_t> counts(buckets);
  for (int shift = 0; shift < bits; shift += digit) {
    std::ranges::fill(counts, 0);
    for (std::uint64_t k : keys) {
      ++counts[(k >> shift) & (buckets - 1)];
    }
    if (std::ranges::find(counts, n) != counts.end()) {
      continue;
    }
    std::size_t sum = 0;
    for (auto& c : counts) {
      const std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = counts[(keys[i] >> shift) & (buckets - 1)]++;
      keys_to[to] = keys[i];
      rows_to[to] = rows[i];
    }
    keys.swap(keys_to);
    rows.swap(rows_to);
  }
}

int BitsFor(std::uint32_t span) { return span == 0 ? 0 : static_cast<int>(std::bit_width(span)); }

struct OutColumns {
  std::uint32_t* venue;
  std::uint32_t* time;
  std::uint32_t* person;
};

// One bucket per venue number, then each venue's rows by (time, person).
void SortByVenueBuckets(const RowSource& rows, std::uint32_t vmin, std::uint32_t vspan,
                        const OutColumns& out, ColumnBuffer<std::uint64_t>& packed) {
  const std::size_t n = rows.Count();
  std::vector<std::uint32_t> next(static_cast<std::size_t>(vspan) + 2, 0);
  rows.ForEach([&](const Checkin& c) { ++next[c.venue - vmin + 1]; });
  for (std::size_t v = 1; v < next.size(); ++v) {
    next[v] += next[v - 1];
  }
  // Each row as (time, person) in one u64, in its venue's bucket: 8 bytes to move instead of 12,
  // and each bucket then sorts as plain integers.
  packed.resize(n);  // every element is written below
  rows.ForEach([&](const Checkin& c) {
    packed[next[c.venue - vmin]++] = (static_cast<std::uint64_t>(c.time) << 32) | c.person;
  });
  // Each bucket now ends where the next one began.
  for (std::size_t v = 0; v + 1 < next.size(); ++v) {
    const std::size_t begin = v == 0 ? 0 : next[v - 1];
    const std::size_t end = next[v];
    if (end - begin > 1) {
      std::sort(packed.begin() + static_cast<std::ptrdiff_t>(begin),
                packed.begin() + static_cast<std::ptrdiff_t>(end));
    }
    std::fill(out.venue + begin, out.venue + end, vmin + static_cast<std::uint32_t>(v));
  }
  for (std::size_t i = 0; i < n; ++i) {
    out.time[i] = static_cast<std::uint32_t>(packed[i] >> 32);
    out.person[i] = static_cast<std::uint32_t>(packed[i]);
  }
}

// The whole row as one 64-bit key, when it fits: sparse venue numbers.
void SortByRadix(const RowSource& rows, std::uint32_t vmin, std::uint32_t tmin, std::uint32_t pmin,
                 int vbits, int tbits, int pbits, const OutColumns& out) {
  const std::size_t n = rows.Count();
  ColumnBuffer<std::uint64_t> keys(n);
  std::size_t at = 0;
  rows.ForEach([&](const Checkin& c) {
    // vbits + tbits + pbits <= 64, so a shift of 64 happens only when the venue part is 0.
    const std::uint64_t venue_part =
        tbits + pbits >= 64 ? 0 : static_cast<std::uint64_t>(c.venue - vmin) << (tbits + pbits);
    keys[at++] =
        venue_part | (static_cast<std::uint64_t>(c.time - tmin) << pbits) | (c.person - pmin);
  });
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

// The first position in [begin, end) where `pred` turns false (it holds, then does not).
template <typename Pred>
std::size_t FirstNot(std::size_t begin, std::size_t end, Pred&& pred) {
  std::size_t n = end - begin;
  while (n > 0) {
    const std::size_t half = n / 2;
    if (pred(begin + half)) {
      begin += half + 1;
      n -= half + 1;
    } else {
      n = half;
    }
  }
  return begin;
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
    ++d.first[(static_cast<std::size_t>(keys[i] - lo) >> d.shift) + 1];
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
  auto first_not = [&](auto&& pred) { return FirstNot(begin, end, pred); };
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
    return FirstNot(known + 1, std::min(known + step, end), pred);
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

OwnedColumns OwnedColumns::Build(std::span<const Checkin> rows) { return Build(RowSource(rows)); }

OwnedColumns OwnedColumns::Build(const RowSource& rows) {
  OwnedColumns out;
  const std::size_t n = rows.Count();
  if (n == 0) {
    return out;
  }
  std::uint32_t vmin = UINT32_MAX;
  std::uint32_t vmax = 0;
  std::uint32_t tmin = UINT32_MAX;
  std::uint32_t tmax = 0;
  std::uint32_t pmin = UINT32_MAX;
  std::uint32_t pmax = 0;
  rows.ForEach([&](const Checkin& c) {
    vmin = std::min(vmin, c.venue);
    vmax = std::max(vmax, c.venue);
    tmin = std::min(tmin, c.time);
    tmax = std::max(tmax, c.time);
    pmin = std::min(pmin, c.person);
    pmax = std::max(pmax, c.person);
  });
  const int vbits = BitsFor(vmax - vmin);
  const int tbits = BitsFor(tmax - tmin);
  const int pbits = BitsFor(pmax - pmin);
  out.venue_.resize(n);
  out.time_.resize(n);
  out.person_.resize(n);
  out.by_person_.resize(n);

  // Dense venue numbers (the usual case: database row ids) are counted into one bucket per
  // venue, each a short run sorted on its own; sparse numbers take a radix sort of the whole row.
  const auto dense = [&](std::uint32_t span_minus_one) {
    return static_cast<std::size_t>(span_minus_one) <= 4 * n + 1024;
  };
  const OutColumns parts{out.venue_.data(), out.time_.data(), out.person_.data()};
  // Scratch for both sorts: memory this machine has already faulted in is cheap to reuse.
  ColumnBuffer<std::uint64_t> work;
  if (dense(vmax - vmin)) {
    SortByVenueBuckets(rows, vmin, vmax - vmin, parts, work);
  } else if (vbits + tbits + pbits <= 64) {
    SortByRadix(rows, vmin, tmin, pmin, vbits, tbits, pbits, parts);
  } else {
    std::vector<Checkin> sorted;
    sorted.reserve(n);
    rows.ForEach([&](const Checkin& c) { sorted.push_back(c); });
    std::ranges::sort(sorted, [](const Checkin& a, const Checkin& b) {
      return std::tie(a.venue, a.time, a.person) < std::tie(b.venue, b.time, b.person);
    });
    for (std::size_t i = 0; i < n; ++i) {
      out.venue_[i] = sorted[i].venue;
      out.time_[i] = sorted[i].time;
      out.person_[i] = sorted[i].person;
    }
  }

  // The person index: row numbers in (person, time) order; ties keep venue order. A radix
  // sort of (person, time) keys carrying the row: counting into one bucket per person, then
  // ordering each person's rows by time, read and wrote all over arrays of the city's size.
  work.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    work[i] = (static_cast<std::uint64_t>(out.person_[i] - pmin) << tbits) | (out.time_[i] - tmin);
    out.by_person_[i] = static_cast<std::uint32_t>(i);
  }
  RadixSortCarrying(work, out.by_person_, pbits + tbits);
  out.BuildDirectories();
  return out;
}

void OwnedColumns::BuildDirectories() {
  const Columns c = view();
  venues_ = VenueDirectory(c);
  people_ = PersonDirectory(c);
}

OwnedColumns OwnedColumns::Merge(std::span<const Columns> parts) { return Build(RowSource(parts)); }

}  // namespace cordon::checkins
