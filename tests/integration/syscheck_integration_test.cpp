// ossec-syscheckd behind a real ossec-agentd and the test manager: the
// first scan's messages reach the manager, and after the manager sends
// "#!-syscheck restart" (agentd leaves var/run/.syscheck_run) a changed
// file arrives as OSSEC's checksum line, and only that file.
#include <gtest/gtest.h>

#include <memory>

#include "integration/agent_home.hpp"
#include "integration/child_process.hpp"
#include "testmanager/test_manager.hpp"

#ifndef AGENTD_EXE
#define AGENTD_EXE ""
#endif
#ifndef SYSCHECKD_EXE
#define SYSCHECKD_EXE ""
#endif

namespace integration {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kKeys =
    "001 test-agent any d4631114c6a7e4b1b0e8ee3bdc9c8b5fb4a9d0e1c2b3a4958677685940312e5a\n";
constexpr const char* kHello =
    "6:0:0:0:b1946ac92492d2347c6235b4d2611184:f572d396fae9206628714fb2ce00f72e94f2258f";
constexpr const char* kBye =
    "4:0:0:0:91fc14ad02afd60985bb8165bda320a6:ee9e51458f4642f48efe956962058245ee7127b1";

class SyscheckIntegrationTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::string_view(AGENTD_EXE).empty() || std::string_view(SYSCHECKD_EXE).empty()) {
            GTEST_SKIP() << "ossec-agentd or ossec-syscheckd is not a CMake target here";
        }
        ASSERT_FALSE(manager_.start());
        ASSERT_TRUE(manager_.load_keys(kKeys).empty());
        configure("check_sum=\"yes\" check_size=\"yes\"");
        home_.write_keys(kKeys);
        std::filesystem::create_directories(watched_);
        testing_support::write_file(watched_ / "a", "hello\n");
        testing_support::write_file(watched_ / "b", "hello\n");
    }

    // rootcheck_section replaces the default one, which turns rootcheck
    // off (it runs by default, as in OSSEC, and would add its messages).
    void configure(const std::string& attributes,
                   const std::string& rootcheck_section =
                       "  <rootcheck><disabled>yes</disabled></rootcheck>\n") {
        AgentConfig config;
        config.port = manager_.port();
        std::string xml = format_config(config);
        xml.insert(xml.rfind("</ossec_config>"),
                   "  <syscheck>\n"
                   "    <frequency>3600</frequency>\n"
                   "    <directories " + attributes + ">" +
                       watched_.string() + "</directories>\n"
                       "  </syscheck>\n" + rootcheck_section);
        testing_support::write_file(home_.root() / "etc" / "ossec.conf", xml);
    }

    void TearDown() override {
        for (auto* child : {syscheckd_.get(), agentd_.get()}) {
            if (child) {
                child->terminate();
            }
        }
        if (HasFailure()) {
            std::cerr << "--- ossec.log\n" << home_.read_log();
        }
    }

    void start(std::unique_ptr<ChildProcess>& child, const char* program) {
        const auto path = home_.install(program);
        child = std::make_unique<ChildProcess>(
            std::vector<std::string>{path.string(), "-f"},
            home_.root() / "logs" / (path.filename().string() + ".out"));
        ASSERT_FALSE(child->start());
    }

    std::vector<std::string> syscheck_texts() const {
        std::vector<std::string> texts;
        for (const auto& event : manager_.events()) {
            if (event.event && (event.event->queue == '8' || event.event->queue == '9')) {
                texts.push_back(std::string(1, event.event->queue) + ":" +
                                event.event->location + ":" + event.event->text);
            }
        }
        return texts;
    }

    testmanager::TestManager manager_;
    AgentHome home_;
    std::filesystem::path watched_ = home_.root() / "watched";
    std::unique_ptr<ChildProcess> agentd_;
    std::unique_ptr<ChildProcess> syscheckd_;
};

TEST_F(SyscheckIntegrationTest, ChangedFileArrivesAfterRestartRequestFromManager) {
    ASSERT_NO_FATAL_FAILURE(start(agentd_, AGENTD_EXE));
    ASSERT_TRUE(manager_.wait_for_startups(1, 30s)) << "no startup from the agent";
    ASSERT_NO_FATAL_FAILURE(start(syscheckd_, SYSCHECKD_EXE));
    ASSERT_TRUE(manager_.wait_for_event_text("syscheck-db-completed", 30s));
    EXPECT_EQ(syscheck_texts(),
              (std::vector<std::string>{
                  "9:rootcheck:Starting syscheck scan.",
                  "8:syscheck:" + std::string(kHello) + " " + (watched_ / "a").string(),
                  "8:syscheck:" + std::string(kHello) + " " + (watched_ / "b").string(),
                  "9:rootcheck:Ending syscheck scan.", "8:syscheck:syscheck-db-completed"}));

    manager_.clear_records();
    testing_support::write_file(watched_ / "a", "bye\n");
    ASSERT_FALSE(manager_.send_to_agent("001", "#!-syscheck restart"));
    ASSERT_TRUE(manager_.wait_for_event_text("syscheck-db-completed", 30s));
    EXPECT_EQ(syscheck_texts(),
              (std::vector<std::string>{
                  "9:rootcheck:Starting syscheck scan.",
                  "8:syscheck:" + std::string(kBye) + " " + (watched_ / "a").string(),
                  "9:rootcheck:Ending syscheck scan.", "8:syscheck:syscheck-db-completed"}));
}

TEST_F(SyscheckIntegrationTest, RealtimeChangeArrivesWithoutAScan) {
    configure("check_sum=\"yes\" check_size=\"yes\" realtime=\"yes\"");
    ASSERT_NO_FATAL_FAILURE(start(agentd_, AGENTD_EXE));
    ASSERT_TRUE(manager_.wait_for_startups(1, 30s)) << "no startup from the agent";
    ASSERT_NO_FATAL_FAILURE(start(syscheckd_, SYSCHECKD_EXE));
    ASSERT_TRUE(manager_.wait_for_event_text("syscheck-db-completed", 30s));

    manager_.clear_records();
    // Written beside, then renamed in: the agent never sees half a file.
    testing_support::write_file(home_.root() / "c.new", "bye\n");
    std::filesystem::rename(home_.root() / "c.new", watched_ / "c");
    const std::string text = std::string(kBye) + " " + (watched_ / "c").string();
    const std::string expected = "8:syscheck:" + text;
    ASSERT_TRUE(manager_.wait_for_event_text(text, 30s));
    EXPECT_EQ(syscheck_texts(), std::vector<std::string>{expected});
}

TEST_F(SyscheckIntegrationTest, RootcheckFindingsReachTheManager) {
    const auto base = home_.root() / "rootcheck-tree";
    testing_support::write_file(base / "tmp" / "mcliZokhb", "x");
    testing_support::write_file(home_.root() / "rootkit_files.txt",
                                "tmp/mcliZokhb ! Bash door ::/rootkits/bashdoor.php\n"
                                "usr/bin/adore ! Adore Worm ::/rootkits/adorew.php\n");
    configure("check_sum=\"yes\"",
              "  <rootcheck>\n"
              "    <rootkit_files>" + (home_.root() / "rootkit_files.txt").string() +
                  "</rootkit_files>\n"
              "    <base_directory>" + base.string() + "</base_directory>\n"
              "    <check_trojans>no</check_trojans><check_dev>no</check_dev>\n"
              "    <check_sys>no</check_sys><check_pids>no</check_pids>\n"
              "    <check_ports>no</check_ports><check_if>no</check_if>\n"
              "  </rootcheck>\n");
    ASSERT_NO_FATAL_FAILURE(start(agentd_, AGENTD_EXE));
    ASSERT_TRUE(manager_.wait_for_startups(1, 30s)) << "no startup from the agent";
    ASSERT_NO_FATAL_FAILURE(start(syscheckd_, SYSCHECKD_EXE));
    ASSERT_TRUE(manager_.wait_for_event_text("Ending rootcheck scan.", 30s));

    std::vector<std::string> rootcheck;
    for (const auto& text : syscheck_texts()) {
        if (text.rfind("9:rootcheck:", 0) == 0 && text.find("syscheck scan") == std::string::npos) {
            rootcheck.push_back(text);
        }
    }
    EXPECT_EQ(rootcheck,
              (std::vector<std::string>{
                  "9:rootcheck:Starting rootcheck scan.",
                  "9:rootcheck:Rootkit 'Bash' detected by the presence of file '" +
                      (base / "tmp" / "mcliZokhb").string() + "'.",
                  "9:rootcheck:Ending rootcheck scan."}));
}

}  // namespace
}  // namespace integration
