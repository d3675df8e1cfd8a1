// The framing of every log format: the first byte picks the format, the
// rest is the file's bytes. No crash, no event longer than the limit, and
// a refused event leaves the assembler as it was.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "logcollector/clock.hpp"
#include "logcollector/event_assembler.hpp"
#include "logcollector/line_framer.hpp"

namespace {

constexpr std::size_t kMaxText = 300;

class CheckingOut final : public logcollector::EventOut {
public:
    bool emit(char, std::string_view text) override {
        if (text.size() > kMaxText) {
            __builtin_trap();
        }
        refuse_next = !refuse_next;  // every other event is refused once
        return !refuse_next;
    }
    bool refuse_next = false;
};

core::LocalFile format_for(std::uint8_t selector) {
    core::LocalFile file;
    static constexpr const char* kFormats[] = {
        "multi-line", "multi-line-regex", "multi-line-regex", "multi-line-regex",
        "snort-full", "mysql_log", "postgresql_log", "djb-multilog", "nmapg", "json",
    };
    const std::size_t index = selector % (sizeof(kFormats) / sizeof(kFormats[0]));
    file.log_format = kFormats[index];
    file.multiline_lines = 1 + selector / 16;
    file.multiline_regex.pattern = R"(^\d{4}-\d\d|END$|^B(.|\n)*E$)";
    file.multiline_regex.match = index == 1   ? core::MultilineMatch::kStart
                                 : index == 2 ? core::MultilineMatch::kEnd
                                              : core::MultilineMatch::kAll;
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    static logcollector::FakeClock clock;
    const logcollector::FormatContext context{"/var/log/prog/current", "host", kMaxText, &clock,
                                              nullptr};
    auto choice = logcollector::make_assembler(format_for(data[0]), context);
    if (!choice.assembler) {
        __builtin_trap();
    }
    logcollector::EventAssembler& assembler = *choice.assembler;
    CheckingOut out;
    logcollector::LineFramer framer(kMaxText);
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    auto take = [&](std::string_view line) {
        while (!assembler.take(line, out)) {
        }
        return true;
    };
    const std::size_t done = framer.frame(input, take);
    if (done < input.size()) {
        framer.flush_partial(input.substr(done), take);
    }
    while (!assembler.flush(out)) {
    }
    if (assembler.held_lines() != 0) {
        __builtin_trap();  // flush sends or drops every held line
    }
    return 0;
}
