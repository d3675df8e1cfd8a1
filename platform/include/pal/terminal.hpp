// Whether a person is at the keyboard: tools ask for confirmation only
// then, so scripts and installers can run them unattended.
#pragma once

namespace pal {

// True when standard input is an interactive terminal (a console on
// Windows); false for a pipe, a file or /dev/null.
bool standard_input_is_terminal();

}  // namespace pal
