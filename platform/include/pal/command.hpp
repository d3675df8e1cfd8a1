// Turning a command an admin configured (<command> in ossec.conf) into an
// argv for run_process.
//
// A command made of plain words ("df -P", "netstat -tan") is split into
// words as the OS's own shell would split it and its program looked up in
// PATH: no shell runs. A command holding shell syntax the admin wrote
// (pipes, redirections, ';', '&&', '$' expansions, globs on POSIX; '|',
// '&', '<', '>', '^', '%' on Windows) can only mean what the admin meant
// when a shell runs it, so it is handed as written to /bin/sh -c on POSIX
// or cmd.exe /c on Windows. Thread safe.
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace pal {

struct CommandArgv {
    std::vector<std::string> argv;  // argv[0] an absolute path
    bool through_shell = false;     // argv runs the system shell
};

// Fails (no_such_file_or_directory) when a plain command's program is not
// found in PATH, and (invalid_argument) for an empty command or unbalanced
// quotes.
std::error_code command_argv(std::string_view command, CommandArgv& out);

}  // namespace pal
