// Splitting counts into parts, and the formatting helpers the phases share.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "base/check.h"
#include "sim/internal/generator.h"
#include "sim/internal/tables.h"

namespace cordon::sim::internal {
namespace {

// The grid size the generator aims for, in households (real grids hold 300–800).
constexpr std::int64_t kGridMinHouseholds = 300;
constexpr std::int64_t kGridMaxHouseholds = 800;
constexpr std::int64_t kGridTargetHouseholds = 530;

}  // namespace

std::vector<std::int64_t> Partition(Rng& rng, std::int64_t total, std::int64_t parts,
                                    std::int64_t lo, std::int64_t hi) {
  CORDON_CHECK(parts >= 1 && lo >= 0 && lo <= hi);
  CORDON_CHECK(lo * parts <= total && total <= hi * parts);
  std::vector<std::int64_t> out(static_cast<std::size_t>(parts), lo);
  const std::int64_t extra = total - lo * parts;
  const std::int64_t room = hi - lo;
  // Weights 50–150 give each part between a half and one and a half times the mean.
  std::vector<std::int64_t> weights(out.size());
  std::int64_t weight_sum = 0;
  for (std::int64_t& weight : weights) {
    weight = rng.Between(50, 150);
    weight_sum += weight;
  }
  std::int64_t given = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t share = std::min(room, extra * weights[i] / weight_sum);
    out[i] += share;
    given += share;
  }
  // Rounding and the cap leave a rest; hand it out round-robin from a random part. Terminates
  // because total <= hi * parts.
  std::int64_t rest = extra - given;
  std::size_t i = rng.Uniform(out.size());
  const std::int64_t step = 1 + rest / parts;
  while (rest > 0) {
    const std::int64_t take = std::min({hi - out[i], step, rest});
    out[i] += take;
    rest -= take;
    i = (i + 1) % out.size();
  }
  return out;
}

std::int64_t GridCount(std::int64_t household_count) {
  if (household_count <= kGridMaxHouseholds) {
    return 1;
  }
  // [fewest, most] is never empty above 800 households: its width is at least 800/300-800/800.
  const std::int64_t fewest = (household_count + kGridMaxHouseholds - 1) / kGridMaxHouseholds;
  const std::int64_t most = household_count / kGridMinHouseholds;
  const std::int64_t target = (household_count + kGridTargetHouseholds / 2) / kGridTargetHouseholds;
  return std::clamp(target, fewest, most);
}

void AppendDecimal(std::int64_t value, int width, std::string* out) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  CORDON_DCHECK(ec == std::errc());
  const auto length = static_cast<int>(end - buffer);
  if (length < width) {
    out->append(static_cast<std::size_t>(width - length), '0');
  }
  out->append(buffer, end);
}

void AppendOrdinal(std::int64_t n, std::string* out) {
  if (n >= 1 && n <= static_cast<std::int64_t>(ChineseNumerals().size())) {
    out->append(ChineseNumerals()[static_cast<std::size_t>(n - 1)]);
  } else {
    AppendDecimal(n, 1, out);
  }
}

}  // namespace cordon::sim::internal
