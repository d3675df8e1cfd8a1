// Execd's behaviour end to end with fakes: the argv OSSEC scripts get, the
// Wazuh stdin dialogue, deletes on time, duplicates, repeated offenders,
// state across restarts, and refusals that run nothing.
#include "execd/execd.hpp"

#include "execd/json.hpp"
#include "execd_fixture.hpp"

namespace execd {
namespace {

using namespace std::chrono_literals;
using Args = std::vector<std::string>;

constexpr const char* kAlert =
    "firewall-drop600 - 10.0.0.5 1701604800.12345 5712 (test-agent) any->/var/log/auth.log "
    "(null)";

class ExecdTest : public ExecdTestBase {};

TEST_F(ExecdTest, RunsOssecScriptWithTheArgvOssecGives) {
    execd().handle(kAlert);
    ASSERT_EQ(runner_.requests.size(), 1u);
    EXPECT_EQ(runner_.argv(0),
              (Args{script("firewall-drop.sh"), "add", "-", "10.0.0.5", "1701604800.12345",
                    "5712", "(test-agent)", "any->/var/log/auth.log", "(null)"}));
    EXPECT_TRUE(runner_.requests[0].stdin_data.empty());
    EXPECT_FALSE(runner_.requests[0].on_output_line);
    EXPECT_EQ(runner_.requests[0].working_directory, home());
}

TEST_F(ExecdTest, RunsAgentControlCommands) {
    execd().handle("firewall-drop600 - 1.2.3.4 (from_the_server) (no_rule_id)");
    execd().handle("restart-ossec0 - null (from_the_server) (no_rule_id)");
    ASSERT_EQ(runner_.requests.size(), 2u);
    EXPECT_EQ(runner_.argv(0), (Args{script("firewall-drop.sh"), "add", "-", "1.2.3.4",
                                     "(from_the_server)", "(no_rule_id)"}));
    EXPECT_EQ(runner_.argv(1), (Args{script("restart-ossec.sh"), "add", "-", "null",
                                     "(from_the_server)", "(no_rule_id)"}));
    EXPECT_EQ(execd().pending_count(), 1u);  // restart-ossec0 has no delete
}

TEST_F(ExecdTest, DeletesExactlyAtTheTimeout) {
    execd().handle(kAlert);
    ASSERT_TRUE(execd().next_deadline());
    EXPECT_EQ(*execd().next_deadline(), clock_.now() + 600s);

    advance(599s);
    clock_.advance(999ms);
    execd().run_due();
    EXPECT_EQ(runner_.requests.size(), 1u);
    clock_.advance(1ms);
    execd().run_due();
    ASSERT_EQ(runner_.requests.size(), 2u);
    EXPECT_EQ(runner_.argv(1),
              (Args{script("firewall-drop.sh"), "delete", "-", "10.0.0.5", "1701604800.12345",
                    "5712", "(test-agent)", "any->/var/log/auth.log", "(null)"}));
    EXPECT_EQ(execd().pending_count(), 0u);
    advance(3600s);
    EXPECT_EQ(runner_.requests.size(), 2u);
}

TEST_F(ExecdTest, SameScriptAndIpWithinTheTimeoutRunsOnceAndRestartsTheTimer) {
    execd().handle(kAlert);
    advance(500s);
    execd().handle(kAlert);
    EXPECT_EQ(runner_.requests.size(), 1u);
    advance(599s);
    EXPECT_EQ(runner_.requests.size(), 1u) << "the timer restarted at the duplicate";
    advance(1s);
    ASSERT_EQ(runner_.requests.size(), 2u);
    EXPECT_EQ(runner_.argv(1)[1], "delete");
}

TEST_F(ExecdTest, OtherIpOrOtherScriptIsNotADuplicate) {
    execd().handle(kAlert);
    execd().handle("firewall-drop600 - 10.0.0.6 1.1 5712 (a) b c");
    execd().handle("host-deny600 - 10.0.0.5 1.1 5712 (a) b c");
    EXPECT_EQ(runner_.requests.size(), 3u);
    EXPECT_EQ(execd().pending_count(), 3u);
}

TEST_F(ExecdTest, RepeatedOffendersGetLongerBlocks) {
    offenders_ = {1min, 5min};
    const auto block_of = [&](std::chrono::seconds expected) {
        execd().handle(kAlert);
        ASSERT_TRUE(execd().next_deadline());
        EXPECT_EQ(*execd().next_deadline() - clock_.now(), expected);
        advance(expected);
        EXPECT_EQ(execd().pending_count(), 0u);
    };
    block_of(600s);   // first block: the AR timeout
    block_of(60s);    // then the offender steps
    block_of(300s);
    block_of(300s);   // staying on the last
    EXPECT_EQ(runner_.requests.size(), 8u);
}

TEST_F(ExecdTest, RepeatedOffenderStepsUpOnADuplicateDuringTheBlock) {
    offenders_ = {30min};
    execd().handle(kAlert);
    advance(10s);
    execd().handle(kAlert);
    EXPECT_EQ(*execd().next_deadline() - clock_.now(), 1800s);
    EXPECT_EQ(runner_.requests.size(), 1u);
}

TEST_F(ExecdTest, PendingDeletesSurviveARestart) {
    execd().handle(kAlert);
    execd().handle("host-deny600 - 10.0.0.9 1.1 5712 (a) b c");
    advance(100s);
    restart();
    EXPECT_EQ(execd().pending_count(), 2u);
    EXPECT_EQ(*execd().next_deadline(), clock_.now() + 500s);
    advance(500s);
    ASSERT_EQ(runner_.requests.size(), 4u);
    EXPECT_EQ(runner_.argv(2)[1], "delete");
    EXPECT_EQ(runner_.argv(2)[3], "10.0.0.5");
    EXPECT_EQ(runner_.argv(3)[0], script("host-deny.sh"));

    restart();
    EXPECT_EQ(execd().pending_count(), 0u) << "done deletes are not run again";
}

TEST_F(ExecdTest, DeletesDueWhileStoppedRunAtStart) {
    execd().handle(kAlert);
    execd_.reset();
    clock_.advance(2h);
    execd().run_due();
    ASSERT_EQ(runner_.requests.size(), 2u);
    EXPECT_EQ(runner_.argv(1)[1], "delete");
}

TEST_F(ExecdTest, RunsEveryPendingDeleteOnStop) {
    execd().handle(kAlert);
    execd().handle("host-deny600 - 10.0.0.9 1.1 5712 (a) b c");
    execd().run_all_pending();
    ASSERT_EQ(runner_.requests.size(), 4u);
    EXPECT_EQ(runner_.argv(2)[1], "delete");
    EXPECT_EQ(runner_.argv(3)[1], "delete");
    restart();
    EXPECT_EQ(execd().pending_count(), 0u);
}

TEST_F(ExecdTest, RecordsEveryRunInTheActiveResponseLog) {
    runner_.next_result.exit_code = 2;
    runner_.next_result.duration = 15ms;
    runner_.next_result.output = "blocked\n";
    execd().handle(kAlert);
    ASSERT_EQ(run_log_.lines.size(), 1u);
    EXPECT_EQ(run_log_.lines[0],
              "firewall-drop.sh add - 10.0.0.5 1701604800.12345 5712 (test-agent) "
              "any->/var/log/auth.log (null): exit status 2 after 15 ms; output: "
              "blocked\\x0a");
}

TEST_F(ExecdTest, ScriptThatCannotStartIsLoggedAndNotUndone) {
    runner_.error = std::make_error_code(std::errc::permission_denied);
    execd().handle(kAlert);
    EXPECT_EQ(execd().pending_count(), 0u);
    ASSERT_EQ(run_log_.lines.size(), 1u);
    EXPECT_NE(run_log_.lines[0].find("not run"), std::string::npos);
}

TEST_F(ExecdTest, HungScriptsAreGivenTheConfiguredTimeLimit) {
    execd().handle(kAlert);
    EXPECT_EQ(runner_.requests.at(0).timeout, settings().script_timeout);
    EXPECT_LE(runner_.requests.at(0).output_limit, 64u * 1024);
}

TEST_F(ExecdTest, ReadsArConfAgainWhenItChanges) {
    execd().handle("new-block30 - 1.2.3.4 1.1 1 (a) b c");
    EXPECT_TRUE(runner_.requests.empty());
    write_ar_conf("new-block30 - host-deny.sh - 30\n");
    execd().handle("new-block30 - 1.2.3.4 1.1 1 (a) b c");
    ASSERT_EQ(runner_.requests.size(), 1u);
    EXPECT_EQ(runner_.argv(0)[0], script("host-deny.sh"));
}

// --- refusals: nothing runs, nothing is scheduled -------------------------

constexpr char kWithNul[] = "firewall-drop600 - 1.2.3.4 1.1 5712 (a) x\0y (null)";

class ExecdRefusalTest : public ExecdTestBase,
                         public ::testing::WithParamInterface<std::string> {};

TEST_P(ExecdRefusalTest, RunsNothing) {
    write_ar_conf(
        "firewall-drop600 - firewall-drop.sh - 600\n"
        "escape600 - ../../../bin/sh - 600\n"
        "escape2 - ..\\..\\cmd.exe - 600\n"
        "abs600 - /bin/sh - 600\n"
        "drive600 - C:cmd.exe - 600\n"
        "missing600 - not-there.sh - 600\n"
        "wazuh-block60 - wazuh-block - 60\n");
    std::filesystem::create_directories(bin() / "dir.sh");
    execd().handle(GetParam());
    EXPECT_TRUE(runner_.requests.empty()) << GetParam();
    EXPECT_EQ(execd().pending_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    InjectionAndTraversal, ExecdRefusalTest,
    ::testing::Values(
        "../firewall-drop600 - 1.2.3.4 1.1 5712 (a) b c",
        "..\\firewall-drop600 - 1.2.3.4 1.1 5712 (a) b c",
        "/bin/sh - 1.2.3.4 1.1 5712 (a) b c",
        "C:\\Windows\\System32\\cmd.exe - 1.2.3.4 1.1 5712 (a) b c",
        "escape600 - 1.2.3.4 1.1 5712 (a) b c", "escape2 - 1.2.3.4 1.1 5712 (a) b c",
        "abs600 - 1.2.3.4 1.1 5712 (a) b c", "drive600 - 1.2.3.4 1.1 5712 (a) b c",
        "missing600 - 1.2.3.4 1.1 5712 (a) b c", "unknown600 - 1.2.3.4 1.1 5712 (a) b c",
        "firewall-drop600 a;reboot 1.2.3.4 1.1 5712 (a) b c",
        "firewall-drop600 -rf 1.2.3.4 1.1 5712 (a) b c",
        "firewall-drop600 $(reboot) 1.2.3.4 1.1 5712 (a) b c",
        "firewall-drop600 - 1.2.3.4;id 1.1 5712 (a) b c",
        "firewall-drop600 - 1.2.3.4|id 1.1 5712 (a) b c",
        "firewall-drop600 - 1.2.3.256 1.1 5712 (a) b c",
        "firewall-drop600 - ::1::2 1.1 5712 (a) b c",
        "firewall-drop600 - -1.2.3.4 1.1 5712 (a) b c",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) any->/var/log/\"x\" (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) any->'x' (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) $(reboot) (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) `reboot` (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) x;reboot (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) x&&reboot (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a) x\nreboot (null)",
        "firewall-drop600 - 1.2.3.4 1.1 5712 (a)  (null)",
        "firewall-drop600 - 1.2.3.4  1.1",
        "firewall-drop600 -",
        "firewall-drop600 - 1.2.3.4 a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3",
        std::string(kWithNul, sizeof kWithNul - 1),
        "dir.sh - 1.2.3.4 1.1 1 (a) b c",
        R"j({"version":1,"command":"../wazuh-block60","parameters":{}})j",
        R"j({"version":1,"command":"wazuh-block60","parameters":{"alert":{"data":{"srcip":"1.2.3.4;id"}}}})j",
        R"j({"version":1,"command":"wazuh-block60","parameters":{"alert":{"data":{"dstuser":"a;reboot"}}}})j",
        R"j({"version":1,"command":"wazuh-block60","parameters":{"extra_args":["$(reboot)"]}})j",
        R"j({"version":1,"command":"wazuh-block60","parameters":{}} trailing)j",
        R"j({"version":2,"command":"wazuh-block60","parameters":{}})j",
        R"j({"version":1,"command":"wazuh-block60","command":"x","parameters":{}})j"));

// --- Wazuh 4.x ------------------------------------------------------------

constexpr const char* kWazuhAdd =
    R"({"version":1,"origin":{"name":"node01","module":"wazuh-analysisd"},)"
    R"("command":"wazuh-block60","parameters":{"extra_args":[],"alert":{"rule":)"
    R"({"id":"5712"},"full_log":"Failed \"root\" from $(reboot) `id` ';'",)"
    R"("data":{"srcip":"10.0.0.5","dstuser":"root"}}}})";

std::string check_keys_line(const std::string& key) {
    return R"({"version":1,"origin":{"name":"wazuh-block","module":"active-response"},)"
           R"("command":"check_keys","parameters":{"keys":[")" + key + R"("]}})";
}

TEST_F(ExecdTest, WazuhMessageGoesToStdinAndArgvIsTheProgramOnly) {
    runner_.script_says = {check_keys_line("10.0.0.5")};
    execd().handle(kWazuhAdd);
    ASSERT_EQ(runner_.requests.size(), 1u);
    EXPECT_EQ(runner_.argv(0), Args{script("wazuh-block")});
    const std::string& line = runner_.requests[0].stdin_data;
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    const auto json = parse_json(line.substr(0, line.size() - 1));
    ASSERT_TRUE(json);
    EXPECT_EQ(json->find("command")->text, "add");
    EXPECT_EQ(json->find("origin")->find("module")->text, "ossec-execd");
    EXPECT_EQ(json->find("parameters")->find("program")->text,
              "active-response/bin/wazuh-block");
    // The log text arrives intact, as JSON, never on a command line.
    EXPECT_EQ(json->find("parameters")->find("alert")->find("full_log")->text,
              "Failed \"root\" from $(reboot) `id` ';'");
    ASSERT_EQ(runner_.answers.size(), 1u);
    EXPECT_NE(runner_.answers[0].find("\"command\":\"continue\""), std::string::npos);
}

TEST_F(ExecdTest, WazuhKeysAlreadyBlockedAreAborted) {
    runner_.script_says = {check_keys_line("10.0.0.5")};
    execd().handle(kWazuhAdd);
    execd().handle(kWazuhAdd);
    ASSERT_EQ(runner_.answers.size(), 2u);
    EXPECT_NE(runner_.answers[1].find("\"command\":\"abort\""), std::string::npos);
    EXPECT_EQ(execd().pending_count(), 1u);
}

TEST_F(ExecdTest, WazuhDeleteRunsAtTheTimeoutWithTheDeleteCommand) {
    runner_.script_says = {check_keys_line("10.0.0.5")};
    execd().handle(kWazuhAdd);
    advance(59s);
    EXPECT_EQ(runner_.requests.size(), 1u);
    advance(1s);
    ASSERT_EQ(runner_.requests.size(), 2u);
    EXPECT_EQ(runner_.argv(1), Args{script("wazuh-block")});
    const std::string& line = runner_.requests[1].stdin_data;
    const auto json = parse_json(line.substr(0, line.size() - 1));
    ASSERT_TRUE(json);
    EXPECT_EQ(json->find("command")->text, "delete");
    EXPECT_FALSE(runner_.requests[1].on_output_line);
}

TEST_F(ExecdTest, WazuhPendingDeleteSurvivesARestart) {
    execd().handle(kWazuhAdd);
    restart();
    advance(60s);
    ASSERT_EQ(runner_.requests.size(), 2u);
    EXPECT_NE(runner_.requests[1].stdin_data.find("\"command\":\"delete\""),
              std::string::npos);
}

}  // namespace
}  // namespace execd
