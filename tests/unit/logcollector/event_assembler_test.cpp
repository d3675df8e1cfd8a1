// Each format's events for a given input, as OSSEC 3.x's reader for it
// (Wazuh's for json and multi-line-regex) sends them.
#include "logcollector/event_assembler.hpp"

#include <gtest/gtest.h>

#include "core/logger.hpp"
#include "support/test_support.hpp"

namespace logcollector {
namespace {

using Events = std::vector<std::string>;

class Recorder final : public EventOut {
public:
    bool emit(char queue, std::string_view text) override {
        if (refuse) {
            return false;
        }
        events.push_back(std::string(1, queue) + ":" + std::string(text));
        return true;
    }
    Events events;
    bool refuse = false;
};

class EventAssemblerTest : public ::testing::Test {
protected:
    EventAssemblerTest() : logger_("ossec-logcollector", dir_.path() / "ossec.log", false, 1) {}

    std::unique_ptr<EventAssembler> make(const std::string& format,
                                         const std::string& location = "/var/log/x") {
        file_.log_format = format;
        const FormatContext context{location, "myhost", 5888, &clock_, &logger_};
        auto choice = make_assembler(file_, context);
        EXPECT_TRUE(choice.error.empty()) << choice.error;
        return std::move(choice.assembler);
    }

    Events feed(EventAssembler& assembler, const std::vector<std::string>& lines) {
        for (const std::string& line : lines) {
            EXPECT_TRUE(assembler.take(line, out_)) << line;
        }
        return out_.events;
    }

    int log_lines_with(const std::string& text) const {
        const std::string log = testing_support::read_file(dir_.path() / "ossec.log");
        int count = 0;
        for (std::size_t at = log.find(text); at != std::string::npos;
             at = log.find(text, at + 1)) {
            ++count;
        }
        return count;
    }

    testing_support::TempDir dir_;
    core::Logger logger_;
    FakeClock clock_;
    core::LocalFile file_;
    Recorder out_;
};

TEST_F(EventAssemblerTest, MultiLineJoinsEveryNLinesWithASpace) {
    file_.multiline_lines = 3;
    auto a = make("multi-line");
    EXPECT_EQ(feed(*a, {"Dec 3 a", "b", "c", "", "e", "f", "g"}),
              (Events{"1:Dec 3 a b c", "1:e f"}));
    EXPECT_EQ(a->held_lines(), 1u);
    EXPECT_FALSE(a->hold_timeout().has_value());  // OSSEC waits for the group
    EXPECT_TRUE(a->flush(out_));
    EXPECT_EQ(out_.events.back(), "1:g");
}

TEST_F(EventAssemblerTest, RefusedEventLeavesTheLineToBeOfferedAgain) {
    file_.multiline_lines = 2;
    auto a = make("multi-line");
    EXPECT_TRUE(a->take("one", out_));
    out_.refuse = true;
    EXPECT_FALSE(a->take("two", out_));
    out_.refuse = false;
    EXPECT_TRUE(a->take("two", out_));
    EXPECT_EQ(out_.events, (Events{"1:one two"}));
}

TEST_F(EventAssemblerTest, SnortFullJoinsAlertClassificationAndAddresses) {
    auto a = make("snort-full");
    const Events events = feed(*a, {
        "[**] [1:2000537:8] ET SCAN NMAP -sS [**]",
        "[Classification: Attempted Information Leak] [Priority: 2]",
        "01/13-15:12:43.123456 10.0.0.1:4444 -> 10.0.0.2:80",
        "TCP TTL:44 TOS:0x0 ID:1 IpLen:20 DgmLen:44",
        "",
        "[**] [122:1:1] (portscan) TCP Portscan [**]",
        "[Priority: 3]",
        "01/13-15:12:44.000001 10.0.0.9 -> 10.0.0.2",
        "[**] [116:46:1] (snort_decoder) WARNING: TCP Data Offset is less than 5! [**]",
        "01/13-15:12:45.5 10.0.0.7:1 -> 10.0.0.2:2",
    });
    EXPECT_EQ(events,
              (Events{"1:[**] [1:2000537:8] ET SCAN NMAP -sS [**][Classification: Attempted "
                      "Information Leak] [Priority: 2]10.0.0.1:4444 -> 10.0.0.2:80",
                      "1:[**] [122:1:1] (portscan) TCP Portscan [**][Classification: "
                      "Preprocessor] [Priority: 3] 10.0.0.9 -> 10.0.0.2",
                      "1:[**] [116:46:1] (snort_decoder) WARNING: TCP Data Offset is less "
                      "than 5! [**][Classification: Preprocessor] [Priority: 3] 10.0.0.7:1 "
                      "-> 10.0.0.2:2"}));
}

TEST_F(EventAssemblerTest, SnortFullDropsABrokenAlertAndSaysSoOnce) {
    auto a = make("snort-full");
    EXPECT_EQ(feed(*a, {"[**] [1:1:1] a [**]", "garbage", "[**] [1:1:1] b [**]", "junk",
                        "[**] [1:2:1] c [**]", "[Priority: 1]", "01/13-15:12:45 1.1.1.1"}),
              (Events{"1:[**] [1:2:1] c [**][Classification: Preprocessor] [Priority: 3] "
                      "1.1.1.1"}));
    EXPECT_EQ(log_lines_with("bad snort-full line"),
              1);
}

TEST_F(EventAssemblerTest, MysqlLogPrefixesAndCarriesTheTimeToSameSecondLines) {
    auto a = make("mysql_log");
    EXPECT_EQ(feed(*a, {"\t\t      1 Query  ignored: no time seen yet",
                        "Time                 Id Command    Argument",
                        "070823 21:01:30      1 Connect     root@localhost on",
                        "\t\t      1 Query       SELECT 1",
                        "070823 21:01:31\t2 Quit"}),
              (Events{"a:MySQL log: 070823 21:01:30 1 Connect     root@localhost on",
                      "a:MySQL log: 070823 21:01:30 1 Query       SELECT 1",
                      "a:MySQL log: 070823 21:01:31 2 Quit"}));
}

TEST_F(EventAssemblerTest, PostgresqlJoinsTabbedLinesToTheirStatement) {
    auto a = make("postgresql_log");
    EXPECT_EQ(feed(*a, {"[2007-08-31 19:17:32.186 ADT] 192.168.2.99:db LOG:  statement: SELECT",
                        "\t  a, b",
                        "\tFROM t;",
                        "not a postgresql line",
                        "[2007-08-31 19:17:33.001 ADT] 192.168.2.99:db LOG:  disconnection"}),
              (Events{"b:[2007-08-31 19:17:32.186 ADT] 192.168.2.99:db LOG:  statement: "
                      "SELECT \t  a, b \tFROM t;"}));
    EXPECT_EQ(a->held_lines(), 1u);
    EXPECT_EQ(a->hold_timeout(), std::chrono::milliseconds(1000));
    EXPECT_TRUE(a->flush(out_));
    EXPECT_EQ(out_.events.back(),
              "b:[2007-08-31 19:17:33.001 ADT] 192.168.2.99:db LOG:  disconnection");
}

TEST_F(EventAssemblerTest, DjbMultilogAddsASyslogHeaderWithHostAndProgram) {
    std::tm now{};
    now.tm_mon = 3;
    now.tm_mday = 7;
    now.tm_hour = 14;
    now.tm_min = 5;
    now.tm_sec = 2;
    clock_.set_local_time(now);
    auto a = make("djb-multilog", "/var/log/qmail-send/current");
    EXPECT_EQ(feed(*a, {"@400000004632460206cea8a4 new msg 98765",
                        "@400000004632460206cea8a4 Apr 27 14:50:32 box qmail: status: 0/10",
                        "no timestamp here, ignored as by OSSEC"}),
              (Events{"a:Apr 07 14:05:02 myhost qmail-send: new msg 98765",
                      "a:box qmail: status: 0/10"}));
}

TEST_F(EventAssemblerTest, DjbMultilogNeedsAProgramDirectoryHoldingCurrent) {
    file_.log_format = "djb-multilog";
    const FormatContext context{"/var/log/qmail.log", "h", 5888, &clock_, &logger_};
    const auto choice = make_assembler(file_, context);
    EXPECT_EQ(choice.assembler, nullptr);
    EXPECT_EQ(choice.error, "djb-multilog file '/var/log/qmail.log' is not named "
                            "'<directory>/<program>/current'; it is not read");
}

TEST_F(EventAssemblerTest, NmapGrepableListsOpenPortsOfEachHost) {
    auto a = make("nmapg");
    EXPECT_EQ(
        feed(*a, {"# Nmap 7.93 scan initiated Thu Dec  3 10:00:00 2026 as: nmap -oG - x",
                  "Host: 192.168.1.1 (router.lan)\tStatus: Up",
                  "Host: 192.168.1.1 (router.lan)\tPorts: 22/open/tcp//ssh///, "
                  "80/open/tcp//http///, 443/closed/tcp//https///, 53/open/udp//domain///"
                  "\tIgnored State: filtered (996)",
                  "Host: 10.0.0.5 ()\tPorts: 8080/filtered/tcp//http-proxy///",
                  "# Nmap done at Thu Dec  3 10:00:09 2026 -- 1 IP address scanned"}),
        (Events{"3:Host: 192.168.1.1 (router.lan), open ports: 22(tcp) 80(tcp) 53(udp)",
                "3:Host: 10.0.0.5 (), open ports:"}));
}

TEST_F(EventAssemblerTest, NmapGrepableReportsABadLineOnceAndGoesOn) {
    auto a = make("nmapg");
    EXPECT_EQ(feed(*a, {"garbage", "more garbage",
                        "Host: 1.2.3.4 (a)\tPorts: 25/open/tcp//smtp///"}),
              (Events{"3:Host: 1.2.3.4 (a), open ports: 25(tcp)"}));
    EXPECT_EQ(log_lines_with("bad nmap grepable line"),
              1);
}

TEST_F(EventAssemblerTest, JsonPassesObjectsUnchangedAndSkipsTheRest) {
    auto a = make("json");
    EXPECT_EQ(feed(*a, {R"({"user":"root","ok":true,"n":[1,-2.5e3,null],"o":{}})",
                        "[1,2]", R"({"a":)", "plain text", R"( {"t":"tab\there"} )",
                        R"({"a":1} trailing)"}),
              (Events{R"(1:{"user":"root","ok":true,"n":[1,-2.5e3,null],"o":{}})",
                      R"(1: {"t":"tab\there"} )"}));
}

TEST_F(EventAssemblerTest, MultiLineRegexStartBeginsAnEventAtEachMatch) {
    file_.multiline_regex.pattern = R"(^\d{4}-\d\d-\d\d )";
    auto a = make("multi-line-regex");
    EXPECT_EQ(feed(*a, {"2026-12-03 ERROR boom", "  at f()", "  at g()",
                        "2026-12-03 INFO next"}),
              (Events{"1:2026-12-03 ERROR boom\n  at f()\n  at g()"}));
    EXPECT_EQ(a->hold_timeout(), std::chrono::milliseconds(5000));
    EXPECT_TRUE(a->flush(out_));
    EXPECT_EQ(out_.events.back(), "1:2026-12-03 INFO next");
}

TEST_F(EventAssemblerTest, MultiLineRegexEndAndAllWithEachReplacement) {
    file_.multiline_regex.pattern = "END$";
    file_.multiline_regex.match = core::MultilineMatch::kEnd;
    file_.multiline_regex.replace = core::MultilineReplace::kWhitespace;
    auto end = make("multi-line-regex");
    EXPECT_EQ(feed(*end, {"a", "b END", "c END"}), (Events{"1:a b END", "1:c END"}));

    out_.events.clear();
    file_.multiline_regex.pattern = R"(^BEGIN\n(.*\n)*END$)";
    file_.multiline_regex.match = core::MultilineMatch::kAll;
    file_.multiline_regex.replace = core::MultilineReplace::kTab;
    auto all = make("multi-line-regex");
    EXPECT_EQ(feed(*all, {"BEGIN", "x", "y", "END"}), (Events{"1:BEGIN\tx\ty\tEND"}));

    out_.events.clear();
    file_.multiline_regex.replace = core::MultilineReplace::kNone;
    auto none = make("multi-line-regex");
    EXPECT_EQ(feed(*none, {"BEGIN", "END"}), (Events{"1:BEGINEND"}));
}

TEST_F(EventAssemblerTest, MultiLineRegexSendsALogThatReachedTheSizeLimitCut) {
    file_.multiline_regex.pattern = "END$";
    file_.multiline_regex.match = core::MultilineMatch::kEnd;
    auto a = make("multi-line-regex");
    EXPECT_EQ(feed(*a, {"a", std::string(6000, 'x'), "b END"}),
              (Events{"1:a\n" + std::string(5888 - 2 - 11, 'x') + " [line cut]", "1:b END"}));
}

}  // namespace
}  // namespace logcollector
