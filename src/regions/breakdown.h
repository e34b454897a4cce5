// A region and its children, for counts "at any level of the tree": each capability groups its
// own rows by the child that holds them (GROUP BY the first child_path_length bytes of
// region_path), so one indexed range scan answers a whole level.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.h"
#include "store/database.h"

namespace cordon::regions {

struct BreakdownNode {
  std::string code, name, path;
  int level = 0;
};

struct Breakdown {
  BreakdownNode node;
  std::vector<BreakdownNode> children;  // by code
  // The length of a child's path: every child of a node has a code of the same length. 0 for a
  // node with no children (a grid).
  std::size_t child_path_length = 0;

  // The child a row with this region_path belongs to, or nullptr for a row placed on the node
  // itself (待分配: not yet routed further down).
  const BreakdownNode* ChildOf(std::string_view region_path) const;
};

// `region` (a code inside the caller's jurisdiction) or, when empty, the caller's own node.
// nullopt when the region is missing or outside (the caller answers RegionDenied).
// Errors: kInvalidArgument on field "region" for a malformed code.
Result<std::optional<Breakdown>> BreakdownOf(store::Session& s, const auth::Principal& who,
                                             std::string_view region);

}  // namespace cordon::regions
