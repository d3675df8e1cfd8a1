#include "syscheck/line_diff.hpp"

#include <algorithm>
#include <vector>

namespace syscheck {
namespace {

constexpr std::string_view kBinary = "Binary files differ\n";
constexpr std::string_view kNoNewline = "\\ No newline at end of file\n";
constexpr std::size_t kExcerptRead = 4095;
constexpr std::size_t kExcerptWholeLines = 4000;
constexpr std::size_t kExcerptLongLine = 256;
constexpr std::size_t kExcerptLines = 20;
constexpr std::string_view kMoreChanges = "\nMore changes..";

// Each line keeps its newline, so "x" at the end differs from "x\n".
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size() - 1) + 1;
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end);
    }
    return lines;
}

enum class Op { kKeep, kDelete, kInsert };

// The shortest edit script between a and b (Myers, "An O(ND) Difference
// Algorithm"), in order; empty when it needs more than kMaxEdits edits.
std::vector<Op> shortest_edit(const std::vector<std::string_view>& a,
                              const std::vector<std::string_view>& b) {
    const long n = static_cast<long>(a.size());
    const long m = static_cast<long>(b.size());
    const long limit = std::min<long>(n + m, static_cast<long>(kMaxEdits));
    const long offset = limit + 1;
    std::vector<long> v(static_cast<std::size_t>(2 * limit + 3), 0);
    std::vector<std::vector<long>> trace;
    const auto at = [offset](std::vector<long>& row, long k) -> long& {
        return row[static_cast<std::size_t>(k + offset)];
    };

    long found = -1;
    for (long d = 0; d <= limit && found < 0; ++d) {
        trace.push_back(v);
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && at(v, k - 1) < at(v, k + 1))) ? at(v, k + 1)
                                                                         : at(v, k - 1) + 1;
            long y = x - k;
            while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
                ++x;
                ++y;
            }
            at(v, k) = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0) {
        return {};
    }

    std::vector<Op> ops;
    long x = n;
    long y = m;
    for (long d = found; d >= 0; --d) {
        auto& row = trace[static_cast<std::size_t>(d)];
        const long k = x - y;
        const long previous_k =
            (k == -d || (k != d && at(row, k - 1) < at(row, k + 1))) ? k + 1 : k - 1;
        const long previous_x = d == 0 ? 0 : at(row, previous_k);
        const long previous_y = d == 0 ? 0 : previous_x - previous_k;
        while (x > previous_x && y > previous_y) {
            ops.push_back(Op::kKeep);
            --x;
            --y;
        }
        if (d > 0) {
            ops.push_back(x == previous_x ? Op::kInsert : Op::kDelete);
        }
        x = previous_x;
        y = previous_y;
    }
    std::reverse(ops.begin(), ops.end());
    return ops;
}

std::string range(std::size_t first, std::size_t end) {
    return end - first == 1 ? std::to_string(first + 1)
                            : std::to_string(first + 1) + "," + std::to_string(end);
}

void append_lines(std::string& out, std::string_view marker,
                  const std::vector<std::string_view>& lines, std::size_t first,
                  std::size_t end) {
    for (std::size_t i = first; i < end; ++i) {
        out.append(marker).append(lines[i]);
        if (lines[i].back() != '\n') {
            out.append("\n").append(kNoNewline);
        }
    }
}

// One hunk: a[a_first, a_end) became b[b_first, b_end).
void append_hunk(std::string& out, const std::vector<std::string_view>& a,
                 std::size_t a_first, std::size_t a_end,
                 const std::vector<std::string_view>& b, std::size_t b_first,
                 std::size_t b_end) {
    if (a_first == a_end) {
        out += std::to_string(a_first) + "a" + range(b_first, b_end) + "\n";
    } else if (b_first == b_end) {
        out += range(a_first, a_end) + "d" + std::to_string(b_first) + "\n";
    } else {
        out += range(a_first, a_end) + "c" + range(b_first, b_end) + "\n";
    }
    append_lines(out, "< ", a, a_first, a_end);
    if (a_first != a_end && b_first != b_end) {
        out += "---\n";
    }
    append_lines(out, "> ", b, b_first, b_end);
}

}  // namespace

std::string normal_diff(std::string_view before, std::string_view after) {
    if (before == after) {
        return {};
    }
    if (before.find('\0') != std::string_view::npos ||
        after.find('\0') != std::string_view::npos) {
        return std::string(kBinary);
    }
    const auto a = split_lines(before);
    const auto b = split_lines(after);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
        ++prefix;
    }
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    const std::vector<std::string_view> a_mid(a.begin() + static_cast<long>(prefix),
                                              a.end() - static_cast<long>(suffix));
    const std::vector<std::string_view> b_mid(b.begin() + static_cast<long>(prefix),
                                              b.end() - static_cast<long>(suffix));
    std::vector<Op> ops = shortest_edit(a_mid, b_mid);
    if (ops.empty()) {  // too many edits: one change for the whole middle
        ops.assign(a_mid.size(), Op::kDelete);
        ops.insert(ops.end(), b_mid.size(), Op::kInsert);
    }

    std::string out;
    std::size_t i = prefix;  // next line of a
    std::size_t j = prefix;  // next line of b
    for (std::size_t o = 0; o < ops.size();) {
        if (ops[o] == Op::kKeep) {
            ++i;
            ++j;
            ++o;
            continue;
        }
        const std::size_t a_first = i;
        const std::size_t b_first = j;
        for (; o < ops.size() && ops[o] != Op::kKeep; ++o) {
            ++(ops[o] == Op::kDelete ? i : j);
        }
        append_hunk(out, a, a_first, i, b, b_first, j);
    }
    return out;
}

std::string ossec_diff_excerpt(std::string_view diff) {
    std::string text(diff.substr(0, kExcerptRead));
    if (text.size() >= kExcerptWholeLines) {
        const auto last = text.rfind('\n');
        text.resize(last != std::string::npos ? last : kExcerptLongLine);
    }
    // As OSSEC counts: cut at the 20th newline, and say "More changes.."
    // from the 19th on (so also after exactly 19 lines).
    std::size_t lines = 0;
    for (std::size_t at = text.find('\n'); at != std::string::npos;
         at = text.find('\n', at + 1)) {
        if (++lines == kExcerptLines) {
            text.resize(at);
            break;
        }
    }
    if (lines + 1 >= kExcerptLines) {
        text += kMoreChanges;
    }
    text.resize(std::min(text.size(), kExcerptRead - 1));
    return text;
}

}  // namespace syscheck
