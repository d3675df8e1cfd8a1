#include "core/rootcheck_config.hpp"

#include <gtest/gtest.h>

namespace core {
namespace {

TEST(RootcheckConfigTest, ReadsEveryOption) {
    const auto loaded = parse_rootcheck_config(
        "<ossec_config><rootcheck>\n"
        "  <rootkit_files>/r/files.txt</rootkit_files>\n"
        "  <rootkit_trojans>/r/trojans.txt</rootkit_trojans>\n"
        "  <system_audit>/r/a.txt</system_audit>\n"
        "  <system_audit>/r/b.txt</system_audit>\n"
        "  <frequency>600</frequency>\n"
        "  <check_dev>no</check_dev><check_sys>no</check_sys><check_pids>no</check_pids>\n"
        "  <check_ports>no</check_ports><check_if>no</check_if>\n"
        "  <check_files>no</check_files><check_trojans>no</check_trojans>\n"
        "  <check_unixaudit>no</check_unixaudit><disabled>yes</disabled>\n"
        "  <base_directory>/mnt/x</base_directory><ignore>/tmp/big</ignore>\n"
        "  <future_option>1</future_option>\n"
        "</rootcheck></ossec_config>\n",
        "ossec.conf");
    ASSERT_TRUE(loaded) << loaded.error();
    const auto& c = loaded.value().config;
    EXPECT_EQ(c.rootkit_files, "/r/files.txt");
    EXPECT_EQ(c.rootkit_trojans, "/r/trojans.txt");
    EXPECT_EQ(c.system_audit, (std::vector<std::string>{"/r/a.txt", "/r/b.txt"}));
    EXPECT_EQ(c.frequency.count(), 600);
    EXPECT_FALSE(c.check_dev || c.check_sys || c.check_pids || c.check_ports || c.check_if ||
                 c.check_files || c.check_trojans || c.check_unixaudit);
    EXPECT_TRUE(c.disabled);
    EXPECT_EQ(c.base_directory, "/mnt/x");
    EXPECT_EQ(c.ignore, std::vector<std::string>{"/tmp/big"});
    ASSERT_EQ(loaded.value().warnings.size(), 1u);
    EXPECT_EQ(loaded.value().warnings[0],
              "ossec.conf:12: unknown option <future_option> in <rootcheck>; ignored");
}

TEST(RootcheckConfigTest, DefaultsAreOssecs) {
    const auto loaded = parse_rootcheck_config("<ossec_config/>", "c");
    ASSERT_TRUE(loaded);
    const auto& c = loaded.value().config;
    EXPECT_EQ(c.frequency.count(), 72000);
    EXPECT_TRUE(c.check_dev && c.check_sys && c.check_pids && c.check_ports && c.check_if);
    EXPECT_FALSE(c.disabled);
}

TEST(RootcheckConfigTest, RefusesBadValuesWithTheirLine) {
    auto bad = parse_rootcheck_config(
        "<ossec_config>\n<rootcheck>\n<check_dev>maybe</check_dev>\n</rootcheck>\n"
        "</ossec_config>",
        "ossec.conf");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(),
              "ossec.conf:3: invalid value 'maybe' for <check_dev>: expected yes or no");
    bad = parse_rootcheck_config(
        "<ossec_config><rootcheck><frequency>10m</frequency></rootcheck></ossec_config>", "c");
    EXPECT_EQ(bad.error(), "c:1: invalid value '10m' for <frequency>: expected seconds");
}

}  // namespace
}  // namespace core
