// ossec-execd behind a real ossec-agentd and the test manager: the manager
// pushes "#!-execd ...", agentd hands it to execd through
// queue/alerts/execq, and a recording script in active-response/bin writes
// its argv (one line per run, fields separated by '|', with the time in
// nanoseconds) so the test sees exactly what ran and when.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "integration/agent_home.hpp"
#include "integration/child_process.hpp"
#include "testmanager/test_manager.hpp"

#ifndef AGENTD_EXE
#define AGENTD_EXE ""
#endif
#ifndef EXECD_EXE
#define EXECD_EXE ""
#endif

namespace integration {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kKeys =
    "001 test-agent any d4631114c6a7e4b1b0e8ee3bdc9c8b5fb4a9d0e1c2b3a4958677685940312e5a\n";
constexpr const char* kAlert =
    "#!-execd firewall-drop600 - 1.2.3.4 1701604800.12345 5712 (test-agent) "
    "any->/var/log/auth.log (null)";

struct ScriptRun {
    long long nanoseconds = 0;
    std::string argv;  // "add|-|1.2.3.4|..." (argv[1] on)
};

class ExecdIntegrationTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::string_view(AGENTD_EXE).empty() || std::string_view(EXECD_EXE).empty()) {
            GTEST_SKIP() << "ossec-agentd or ossec-execd is not a CMake target in this build";
        }
        ASSERT_FALSE(manager_.start());
        ASSERT_TRUE(manager_.load_keys(kKeys).empty());
        AgentConfig config;
        config.port = manager_.port();
        home_.write_config(config);
        home_.write_keys(kKeys);
        agentd_path_ = home_.install(AGENTD_EXE);
        execd_path_ = home_.install(EXECD_EXE);
        install_recorder();
        testing_support::write_file(home_.shared_dir() / "ar.conf",
                                    "restart-ossec0 - restart-ossec.sh - 0\n"
                                    "firewall-drop600 - recorder.sh - 600\n"
                                    "block1 - recorder.sh - 1\n"
                                    "block2 - recorder.sh - 2\n"
                                    "escape600 - ../../../bin/sh - 600\n");
    }

    void TearDown() override {
        if (agentd_) {
            agentd_->terminate();
        }
        if (execd_) {
            execd_->terminate();
        }
        if (HasFailure()) {
            std::cerr << "--- ossec.log\n" << home_.read_log() << "--- runs\n"
                      << read(runs_file()) << "--- active-responses.log\n"
                      << read(home_.root() / "logs" / "active-responses.log");
        }
    }

    std::filesystem::path runs_file() const { return home_.root() / "runs.txt"; }

    void install_recorder() {
        const auto script = home_.root() / "active-response" / "bin" / "recorder.sh";
        testing_support::write_file(
            script, "#!/bin/sh\n"
                    "line=$(date +%s%N)\n"
                    "for a in \"$@\"; do line=\"$line|$a\"; done\n"
                    "printf '%s\\n' \"$line\" >> '" + runs_file().string() + "'\n");
        std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    }

    void start_execd() {
        execd_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{execd_path_.string(), "-f"},
            home_.root() / "logs" / "ossec-execd.out");
        ASSERT_FALSE(execd_->start());
        ASSERT_TRUE(wait_for_path(home_.root() / "queue" / "alerts" / "execq", 10s));
    }

    void start_agent() {
        ASSERT_NO_FATAL_FAILURE(start_execd());
        agentd_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{agentd_path_.string(), "-f"},
            home_.root() / "logs" / "ossec-agentd.out");
        ASSERT_FALSE(agentd_->start());
        ASSERT_TRUE(manager_.wait_for_startups(1, 30s)) << "no startup from the agent";
        ASSERT_TRUE(manager_.wait_for_keepalives(1, 30s)) << "no keepalive from the agent";
    }

    void push(const std::string& payload) {
        ASSERT_FALSE(manager_.send_to_agent("001", payload));
    }

    static std::string read(const std::filesystem::path& path) {
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    std::vector<ScriptRun> runs() const {
        std::vector<ScriptRun> out;
        std::istringstream lines(read(runs_file()));
        std::string line;
        while (std::getline(lines, line)) {
            const auto bar = line.find('|');
            out.push_back(ScriptRun{std::stoll(line.substr(0, bar)), line.substr(bar + 1)});
        }
        return out;
    }

    bool wait_for_runs(std::size_t n, std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (runs().size() < n) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(10ms);
        }
        return true;
    }

    static bool wait_for_text(const std::filesystem::path& path, const std::string& text,
                              std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (read(path).find(text) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(10ms);
        }
        return true;
    }

    AgentHome home_;
    testmanager::TestManager manager_;
    std::filesystem::path agentd_path_;
    std::filesystem::path execd_path_;
    std::unique_ptr<ChildProcess> agentd_;
    std::unique_ptr<ChildProcess> execd_;
};

TEST_F(ExecdIntegrationTest, ManagerCommandRunsTheScriptWithOssecArgv) {
    ASSERT_NO_FATAL_FAILURE(start_agent());
    push(kAlert);
    ASSERT_TRUE(wait_for_runs(1, 10s));
    EXPECT_EQ(runs()[0].argv,
              "add|-|1.2.3.4|1701604800.12345|5712|(test-agent)|any->/var/log/auth.log|(null)");
    // execd writes its line once the script has exited.
    EXPECT_TRUE(wait_for_text(home_.root() / "logs" / "active-responses.log",
                              "recorder.sh add - 1.2.3.4 1701604800.12345 5712 (test-agent) "
                              "any->/var/log/auth.log (null): exit status 0",
                              10s));
}

TEST_F(ExecdIntegrationTest, DeleteRunsOnTime) {
    ASSERT_NO_FATAL_FAILURE(start_agent());
    push("#!-execd block1 - 1.2.3.4 (from_the_server) (no_rule_id)");
    ASSERT_TRUE(wait_for_runs(2, 10s));
    const auto all = runs();
    EXPECT_EQ(all[1].argv, "delete|-|1.2.3.4|(from_the_server)|(no_rule_id)");
    const double late_ms = (all[1].nanoseconds - all[0].nanoseconds) / 1e6 - 1000.0;
    std::cout << "delete ran " << late_ms << " ms after its 1 s timeout (script start to "
              << "script start)\n";
    EXPECT_GE(late_ms, -200.0);  // the timer starts as the add is started
    EXPECT_LT(late_ms, 300.0);
}

TEST_F(ExecdIntegrationTest, InjectionAndTraversalAttemptsRunNothing) {
    ASSERT_NO_FATAL_FAILURE(start_agent());
    for (const char* attempt : {
             "#!-execd ../recorder.sh - 1.2.3.4 1.1 1 (a) b c",
             "#!-execd ..\\recorder.sh - 1.2.3.4 1.1 1 (a) b c",
             "#!-execd /bin/sh - 1.2.3.4 1.1 1 (a) b c",
             "#!-execd escape600 - 1.2.3.4 1.1 1 (a) b c",
             "#!-execd firewall-drop600 a;reboot 1.2.3.4 1.1 1 (a) b c",
             "#!-execd firewall-drop600 - 1.2.3.4;id 1.1 1 (a) b c",
             "#!-execd firewall-drop600 - 1.2.3.5 1.1 1 (a) \"x\" $(touch${IFS}/tmp/p) c",
         }) {
        push(attempt);
    }
    push("#!-execd firewall-drop600 - 9.9.9.9 (from_the_server) (no_rule_id)");
    ASSERT_TRUE(wait_for_runs(1, 10s));
    std::this_thread::sleep_for(200ms);  // anything queued before has been handled
    const auto all = runs();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].argv, "add|-|9.9.9.9|(from_the_server)|(no_rule_id)");
    EXPECT_TRUE(wait_for_text(home_.log_file(), "refused", 10s));
}

TEST_F(ExecdIntegrationTest, PendingDeleteRunsAfterACrashAndRestart) {
    ASSERT_NO_FATAL_FAILURE(start_agent());
    push("#!-execd block2 - 1.2.3.4 (from_the_server) (no_rule_id)");
    ASSERT_TRUE(wait_for_runs(1, 10s));
    execd_->kill();
    ASSERT_NO_FATAL_FAILURE(start_execd());
    ASSERT_TRUE(wait_for_runs(2, 10s));
    const auto all = runs();
    EXPECT_EQ(all[1].argv, "delete|-|1.2.3.4|(from_the_server)|(no_rule_id)");
    // Not early: 2 s after the add. The times are taken by the scripts, so
    // a slow start of the add script (a loaded machine) shortens the gap;
    // the same 200 ms allowance as DeleteRunsOnTime.
    EXPECT_GE(all[1].nanoseconds - all[0].nanoseconds, 1'800'000'000LL);
}

TEST_F(ExecdIntegrationTest, CleanStopRunsPendingDeletes) {
    ASSERT_NO_FATAL_FAILURE(start_agent());
    push(kAlert);
    ASSERT_TRUE(wait_for_runs(1, 10s));
    const auto status = execd_->terminate();
    ASSERT_TRUE(status);
    EXPECT_EQ(describe(*status), "exit code 0");
    ASSERT_EQ(runs().size(), 2u);
    EXPECT_EQ(runs()[1].argv.substr(0, 7), "delete|");
}

}  // namespace
TEST_F(ExecdIntegrationTest, DisabledActiveResponseMeansExecdExitsAndRunsNothing) {
    for (const char* section : {"<active-response><disabled>yes</disabled></active-response>",
                                "<client><server-ip>127.0.0.1</server-ip>"
                                "<disable-active-response>yes</disable-active-response></client>"}) {
        SCOPED_TRACE(section);
        testing_support::write_file(home_.root() / "etc" / "ossec.conf",
                                    std::string("<ossec_config>") + section + "</ossec_config>\n");
        ChildProcess execd({execd_path_.string(), "-f"}, home_.root() / "logs" / "ossec-execd.out");
        ASSERT_FALSE(execd.start());
        const auto status = execd.wait_for_exit(10s);
        ASSERT_TRUE(status.has_value());
        EXPECT_FALSE(status->signaled);
        EXPECT_EQ(status->code, 0);
        EXPECT_FALSE(std::filesystem::exists(home_.root() / "queue" / "alerts" / "execq"));
        EXPECT_NE(home_.read_log().find("active response is disabled in"), std::string::npos);
    }
}

}  // namespace integration
