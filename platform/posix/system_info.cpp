#include "pal/system_info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

namespace pal {

std::string os_description() {
    struct utsname names {};
    if (uname(&names) != 0) {
        return "Unknown";
    }
    std::string text = names.sysname;
    for (const char* part : {names.nodename, names.release, names.version, names.machine}) {
        text.append(" ").append(part);
    }
    return text;
}

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
        return "unknown";
    }
    return name;
}

long process_id() { return static_cast<long>(getpid()); }

}  // namespace pal
