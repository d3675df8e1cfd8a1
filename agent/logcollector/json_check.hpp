// Whether a line holds exactly one JSON object (RFC 8259), with only
// whitespace around it. Nesting deeper than kMaxJsonDepth is refused, so
// hostile input costs at most linear time and bounded stack.
#pragma once

#include <string_view>

namespace logcollector {

inline constexpr int kMaxJsonDepth = 64;

bool is_json_object(std::string_view text);

}  // namespace logcollector
