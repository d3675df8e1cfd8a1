// The difference between two versions of a file's content, as report_changes
// sends it: the "normal" output of diff(1) (hunks "2c2", "5a6,7", "3,4d2"
// with "< " and "> " lines and "---"), computed in-process, then cut the
// way OSSEC 3.x cuts it before appending it to the syscheck message.
//
// Lines are compared whole, bytes as they are. The middle that differs
// (after the common first and last lines are set aside) is diffed with
// Myers' algorithm up to kMaxEdits edits; beyond that the whole middle is
// shown as one change, still a true diff though not the shortest. Content
// with a NUL byte is binary and yields "Binary files differ". Pure
// functions; thread safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace syscheck {

inline constexpr std::size_t kMaxEdits = 1000;

// diff(1)'s normal output turning before into after; "" when they are equal.
std::string normal_diff(std::string_view before, std::string_view after);

// What OSSEC 3.x keeps of a diff for the message: at most its first 4095
// bytes (cut back to the last whole line when 4000 or more), and at most 20
// lines, the 20th without its newline and followed by "\nMore changes..".
std::string ossec_diff_excerpt(std::string_view diff);

}  // namespace syscheck
