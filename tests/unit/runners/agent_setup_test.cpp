// "ossec-agent setup", what the MSI runs with its public properties.
#include "runners/agent_setup.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.hpp"

namespace agent_setup {
namespace {

constexpr char kConfig[] =
    "<ossec_config>\n  <client>\n    <server-ip>127.0.0.1</server-ip>\n"
    "    <port>1514</port>\n  </client>\n</ossec_config>\n";

TEST(AgentSetupTest, SetsAnIpAddressAndPort) {
    const auto text = set_manager(kConfig, "10.1.2.3", "15140");
    ASSERT_TRUE(text.ok()) << text.error();
    EXPECT_EQ(text.value(),
              "<ossec_config>\n  <client>\n    <server-ip>10.1.2.3</server-ip>\n"
              "    <port>15140</port>\n  </client>\n</ossec_config>\n");
}

TEST(AgentSetupTest, AHostNameBecomesServerHostname) {
    const auto text = set_manager(kConfig, "manager.example.org", "");
    ASSERT_TRUE(text.ok()) << text.error();
    EXPECT_NE(text.value().find("<server-hostname>manager.example.org</server-hostname>"),
              std::string::npos);
    EXPECT_EQ(text.value().find("server-ip"), std::string::npos);
    EXPECT_NE(text.value().find("<port>1514</port>"), std::string::npos);
}

TEST(AgentSetupTest, RefusesValuesThatWouldBreakTheXml) {
    EXPECT_EQ(set_manager(kConfig, "a</server-ip><x>", "").error(),
              "'a</server-ip><x>' is not a manager address (IP or host name)");
    EXPECT_EQ(set_manager(kConfig, "1.2.3.4", "70000").error(),
              "'70000' is not a port number (1-65535)");
    EXPECT_EQ(set_manager("<ossec_config/>", "1.2.3.4", "").error(),
              "no <server-ip> or <server-hostname> element to set");
}

TEST(AgentSetupTest, EmptyValuesAreNotGiven) {
    const auto options = parse_setup_options({"-m", "", "-p", "", "-k", ""});
    ASSERT_TRUE(options.ok());
    EXPECT_TRUE(options.value().manager.empty());
    EXPECT_EQ(parse_setup_options({"-m"}).error(), "option '-m' needs a value");
    EXPECT_EQ(parse_setup_options({"-x", "y"}).error(), "unknown setup option '-x'");
}

TEST(AgentSetupTest, FirstInstallCopiesTheDefaultAndImportsTheKey) {
    testing_support::TempDir dir;
    const core::Home home(dir.path());
    std::filesystem::create_directories(dir.path() / "etc");
    std::ofstream(dir.path() / "etc" / "ossec.conf.default") << kConfig;
    const std::string line = "001 win-agent any " + std::string(64, 'a');
    // base64 of the line, as the manager's manage_agents -e prints it.
    const std::string key =
        "MDAxIHdpbi1hZ2VudCBhbnkgYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh"
        "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYQ==";
    std::vector<std::string> out;
    const auto done = run_setup(home, SetupOptions{"192.168.0.9", "", key}, out);
    ASSERT_TRUE(done.ok()) << done.error();
    const std::string config = testing_support::read_file(home.config_file());
    EXPECT_NE(config.find("<server-ip>192.168.0.9</server-ip>"), std::string::npos);
    EXPECT_EQ(testing_support::read_file(home.client_keys()), line + "\n");
    EXPECT_TRUE(std::filesystem::is_directory(home.rids_dir()));
    EXPECT_EQ(out.size(), 3u);
}

TEST(AgentSetupTest, UpgradeKeepsTheAdminsConfigAndKeys) {
    testing_support::TempDir dir;
    const core::Home home(dir.path());
    std::filesystem::create_directories(dir.path() / "etc");
    std::ofstream(dir.path() / "etc" / "ossec.conf.default") << kConfig;
    std::ofstream(home.config_file(), std::ios::binary)
        << "<ossec_config>admin's</ossec_config>";
    std::ofstream(home.client_keys(), std::ios::binary) << "002 kept any key\n";
    std::vector<std::string> out;
    ASSERT_TRUE(run_setup(home, SetupOptions{}, out).ok());
    EXPECT_EQ(testing_support::read_file(home.config_file()),
              "<ossec_config>admin's</ossec_config>");
    EXPECT_EQ(testing_support::read_file(home.client_keys()), "002 kept any key\n");
    EXPECT_TRUE(out.empty());
}

TEST(AgentSetupTest, ABadKeyFailsAndSaysWhy) {
    testing_support::TempDir dir;
    const core::Home home(dir.path());
    std::filesystem::create_directories(dir.path() / "etc");
    std::ofstream(dir.path() / "etc" / "ossec.conf.default") << kConfig;
    std::vector<std::string> out;
    const auto done = run_setup(home, SetupOptions{"", "", "not base64!"}, out);
    ASSERT_FALSE(done.ok());
    EXPECT_EQ(done.error().rfind("cannot import the agent key: ", 0), 0u) << done.error();
}

}  // namespace
}  // namespace agent_setup
