#include "pal/terminal.hpp"

#include <unistd.h>

namespace pal {

bool standard_input_is_terminal() {
    return ::isatty(STDIN_FILENO) == 1;
}

}  // namespace pal
