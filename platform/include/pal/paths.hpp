// Where the running program lives. The agent finds its home directory
// (the parent of bin/) from this, so an install under any prefix runs
// without flags.
#pragma once

#include <filesystem>

namespace pal {

// Absolute path of the running executable; empty if the OS cannot tell.
std::filesystem::path executable_path();

}  // namespace pal
