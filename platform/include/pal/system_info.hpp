// Facts about the host that the agent reports to the manager.
#pragma once

#include <string>

namespace pal {

// The OS description OSSEC puts in keep-alives: on Unix the five uname
// fields separated by spaces ("Linux host 6.1.0 #1 SMP ... x86_64"); on
// Windows the product name, version and build.
std::string os_description();

// This machine's host name, or "unknown".
std::string host_name();

// The process id of the calling process.
long process_id();

}  // namespace pal
