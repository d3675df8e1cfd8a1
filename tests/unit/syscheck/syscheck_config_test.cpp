#include "core/syscheck_config.hpp"

#include <gtest/gtest.h>

namespace core {
namespace {

SyscheckConfig parse_ok(const std::string& body) {
    auto loaded = parse_syscheck_config("<ossec_config>\n" + body + "</ossec_config>\n",
                                        "ossec.conf");
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error());
    return loaded.ok() ? loaded.value().config : SyscheckConfig{};
}

std::string parse_error(const std::string& body) {
    auto loaded = parse_syscheck_config("<ossec_config>\n" + body + "</ossec_config>\n",
                                        "ossec.conf");
    return loaded.ok() ? "" : loaded.error();
}

TEST(SyscheckConfigTest, DefaultsAreOssecs) {
    const auto config = parse_ok("<syscheck></syscheck>\n");
    EXPECT_EQ(config.frequency, std::chrono::seconds(79200));
    EXPECT_TRUE(config.scan_on_start);
    EXPECT_FALSE(config.skip_nfs);
    EXPECT_TRUE(config.directories.empty());
    // Not OSSEC's (it has no such option): what an OSSEC 3.8 manager absorbed
    // without loss in a 20k-file first scan.
    EXPECT_EQ(config.max_eps, 100u);
}

TEST(SyscheckConfigTest, CommaListGivesEachEntryTheElementsOptions) {
    const auto config = parse_ok(
        "<syscheck>\n"
        "  <directories check_all=\"yes\" realtime=\"yes\"> /etc , /usr/bin,/sbin </directories>\n"
        "</syscheck>\n");
    ASSERT_EQ(config.directories.size(), 3u);
    EXPECT_EQ(config.directories[0].path, "/etc");
    EXPECT_EQ(config.directories[1].path, "/usr/bin");
    EXPECT_EQ(config.directories[2].path, "/sbin");
    for (const auto& dir : config.directories) {
        EXPECT_TRUE(dir.checks.md5 && dir.checks.sha1 && dir.checks.sha256);
        EXPECT_TRUE(dir.checks.size && dir.checks.owner && dir.checks.group &&
                    dir.checks.perm);
        EXPECT_TRUE(dir.realtime);
        EXPECT_EQ(dir.line, 3);
    }
}

TEST(SyscheckConfigTest, SingleChecksAndLaterAttributesOverrideEarlierOnes) {
    const auto config = parse_ok(
        "<syscheck><directories check_all=\"yes\" check_md5sum=\"no\" check_owner=\"no\" "
        "report_changes=\"yes\" no_recurse=\"yes\" restrict=\".conf$\">/etc</directories>"
        "<directories check_sha1sum=\"yes\" recursion_level=\"3\" "
        "follow_symbolic_link=\"yes\">/opt</directories></syscheck>\n");
    ASSERT_EQ(config.directories.size(), 2u);
    const auto& etc = config.directories[0];
    EXPECT_FALSE(etc.checks.md5);
    EXPECT_TRUE(etc.checks.sha1);
    EXPECT_FALSE(etc.checks.owner);
    EXPECT_TRUE(etc.report_changes);
    EXPECT_EQ(etc.recursion_level, 0);
    ASSERT_TRUE(etc.restrict.has_value());
    EXPECT_TRUE(etc.restrict->matches("/etc/x.conf"));
    const auto& opt = config.directories[1];
    EXPECT_TRUE(opt.checks.sha1);
    EXPECT_FALSE(opt.checks.md5);
    EXPECT_EQ(opt.recursion_level, 3);
    EXPECT_TRUE(opt.follow_symbolic_link);
}

TEST(SyscheckConfigTest, SectionsCombineAndDuplicateKeepsFirstOptions) {
    auto loaded = parse_syscheck_config(
        "<ossec_config><syscheck><directories check_sum=\"yes\">/etc</directories>"
        "</syscheck></ossec_config>\n"
        "<ossec_config><syscheck><directories check_size=\"yes\">/etc,/var</directories>"
        "<frequency>3600</frequency></syscheck></ossec_config>\n",
        "ossec.conf");
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    const auto& config = loaded.value().config;
    ASSERT_EQ(config.directories.size(), 2u);
    EXPECT_TRUE(config.directories[0].checks.md5);
    EXPECT_FALSE(config.directories[0].checks.size);
    EXPECT_EQ(config.directories[1].path, "/var");
    EXPECT_EQ(config.frequency, std::chrono::seconds(3600));
    ASSERT_EQ(loaded.value().warnings.size(), 1u);
    EXPECT_EQ(loaded.value().warnings[0],
              "ossec.conf:2: directory '/etc' is already configured; keeping its first "
              "options");
}

TEST(SyscheckConfigTest, IgnoreIsCaseInsensitivePrefixAndSregexIsPattern) {
    const auto config = parse_ok(
        "<syscheck><ignore>/etc/mtab</ignore><ignore>/etc/mtab</ignore>"
        "<ignore type=\"sregex\">.log$|.swp$</ignore>"
        "<nodiff>/etc/shadow</nodiff></syscheck>\n");
    ASSERT_EQ(config.ignore.size(), 2u);  // the duplicate plain entry is dropped
    EXPECT_TRUE(config.ignored("/etc/mtab"));
    EXPECT_TRUE(config.ignored("/ETC/MTAB.lock"));
    EXPECT_TRUE(config.ignored("/var/app.log"));
    EXPECT_FALSE(config.ignored("/var/app.log.1"));
    EXPECT_FALSE(config.ignored("/x/etc/mtab"));
    ASSERT_EQ(config.nodiff.size(), 1u);
    EXPECT_TRUE(config.nodiff[0].matches("/etc/shadow"));
}

TEST(SyscheckConfigTest, ScalarOptions) {
    const auto config = parse_ok(
        "<syscheck><frequency>600</frequency><scan_on_start>no</scan_on_start>"
        "<alert_new_files>yes</alert_new_files><skip_nfs>yes</skip_nfs>"
        "<scan_time>10pm</scan_time><scan_day>saturday</scan_day>"
        "<prefilter_cmd>/usr/sbin/prelink -y</prefilter_cmd><max_eps>50</max_eps>"
        "<windows_registry>HKEY_LOCAL_MACHINE\\Software</windows_registry>"
        "<registry_ignore type=\"sregex\">\\Enum$</registry_ignore>"
        "<disabled>no</disabled><auto_ignore>no</auto_ignore></syscheck>\n");
    EXPECT_EQ(config.frequency, std::chrono::seconds(600));
    EXPECT_FALSE(config.scan_on_start);
    EXPECT_TRUE(config.alert_new_files);
    EXPECT_TRUE(config.skip_nfs);
    EXPECT_EQ(config.scan_time, "10pm");
    EXPECT_EQ(config.scan_day, "saturday");
    EXPECT_EQ(config.prefilter_cmd, "/usr/sbin/prelink -y");
    EXPECT_EQ(config.max_eps, 50u);
    ASSERT_EQ(config.windows_registry.size(), 1u);
    ASSERT_EQ(config.registry_ignore.size(), 1u);
    EXPECT_FALSE(config.disabled);
}

TEST(SyscheckConfigTest, DirectoryWithoutOptionIsAnErrorWithItsLine) {
    EXPECT_EQ(parse_error("<syscheck>\n<directories>/etc</directories>\n</syscheck>\n"),
              "ossec.conf:3: no option provided for directories '/etc' (add "
              "check_all=\"yes\", for example)");
}

TEST(SyscheckConfigTest, InvalidValuesAreErrorsWithTheirLine) {
    EXPECT_EQ(parse_error("<syscheck>\n<directories check_all=\"maybe\">/etc</directories>"
                          "</syscheck>\n"),
              "ossec.conf:3: invalid value 'maybe' for check_all: expected yes or no");
    EXPECT_EQ(parse_error("<syscheck>\n<directories check_al=\"yes\">/etc</directories>"
                          "</syscheck>\n"),
              "ossec.conf:3: invalid attribute 'check_al' in <directories>");
    EXPECT_EQ(parse_error("<syscheck>\n\n<frequency>soon</frequency></syscheck>\n"),
              "ossec.conf:4: invalid value 'soon' for <frequency>: expected seconds > 0");
    EXPECT_EQ(parse_error("<syscheck><ignore type=\"regex\">x</ignore></syscheck>\n"),
              "ossec.conf:2: invalid type 'regex' for <ignore>: expected sregex");
    EXPECT_EQ(parse_error("<syscheck><directories recursion_level=\"x\" check_all=\"yes\">"
                          "/e</directories></syscheck>\n"),
              "ossec.conf:2: invalid recursion_level 'x': expected 0 to 320");
}

TEST(SyscheckConfigTest, MalformedXmlNamesTheLine) {
    EXPECT_EQ(parse_error("<syscheck>\n<directories check_all=\"yes\">/etc</syscheck>\n"),
              "ossec.conf:3: XML error: Start-end tags mismatch");
}

TEST(SyscheckConfigTest, UnknownOptionIsAWarning) {
    auto loaded = parse_syscheck_config(
        "<ossec_config><syscheck><whodata>yes</whodata></syscheck></ossec_config>", "c");
    ASSERT_TRUE(loaded.ok());
    ASSERT_EQ(loaded.value().warnings.size(), 1u);
    EXPECT_EQ(loaded.value().warnings[0],
              "c:1: unknown option <whodata> in <syscheck>; ignored");
}

}  // namespace
}  // namespace core
