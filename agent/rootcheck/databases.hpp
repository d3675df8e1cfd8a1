// OSSEC's rootkit databases, read as OSSEC 3.8 reads them.
//
// rootkit_files: "<file> ! <name> ::<link>" per line; '#' starts a comment
// line. A file starting with '*' is looked for by name in every directory
// check_sys visits; any other is a path under the base directory. The name
// ends at its first space, as in OSSEC ("Bash door" is reported as 'Bash'),
// because the manager's users know the alerts that way.
//
// rootkit_trojans: "<file> !<signature>!<comment>" per line. A relative
// file is looked for in bin, sbin, usr/bin and usr/sbin under the base
// directory, an absolute one as written; the signature is a POSIX extended
// regular expression matched against the printable strings of the file.
//
// Lines are read as OSSEC reads them, at most 1023 bytes at a time (a
// longer line is cut in pieces). Lines that do not fit the format are
// skipped, as OSSEC skips them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rootcheck {

struct RootkitFile {
    std::string file;  // without the leading '*' (and '/') when anywhere
    std::string name;
    bool anywhere = false;
};

struct TrojanSignature {
    std::string file;
    std::string signature;
    std::string comment;  // "" when none
};

std::vector<RootkitFile> parse_rootkit_files(std::string_view text);
std::vector<TrojanSignature> parse_rootkit_trojans(std::string_view text);

// Splits text in lines the way OSSEC's fgets loops do: at '\n', and every
// max_length bytes of a longer line. A trailing '\r' is removed.
std::vector<std::string_view> split_lines(std::string_view text, std::size_t max_length);

}  // namespace rootcheck
