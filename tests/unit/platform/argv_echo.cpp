// A helper for process_argv_test: writes each argument it was given (argv[1]
// onwards) to standard output as one line of lowercase hex, so the test can
// compare the bytes exactly, whatever the argument holds ('\n', quotes,
// spaces, nothing at all). Exits with the argument count.
#include <cstdio>
#include <string_view>

int main(int argc, char** argv) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 1; i < argc; ++i) {
        for (const char c : std::string_view(argv[i])) {
            const auto byte = static_cast<unsigned char>(c);
            std::fputc(kDigits[byte >> 4], stdout);
            std::fputc(kDigits[byte & 0x0f], stdout);
        }
        // A marker ends each line, so an empty argument is still a line.
        std::fputs(".\n", stdout);
    }
    std::fflush(stdout);
    return argc - 1;
}
