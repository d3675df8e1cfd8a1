#include "pal/terminal.hpp"

#include <windows.h>

namespace pal {

// GetConsoleMode succeeds only on a console handle, not on a pipe or file.
bool standard_input_is_terminal() {
    DWORD mode = 0;
    return GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) != 0;
}

}  // namespace pal
