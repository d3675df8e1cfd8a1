// ar.conf as the manager writes it.
#include "execd/ar_table.hpp"

#include <gtest/gtest.h>

namespace execd {
namespace {

TEST(ArTableTest, ReadsTheManagersFormat) {
    const ArConf conf = parse_ar_conf(
        "restart-ossec0 - restart-ossec.sh - 0\n"
        "restart-ossec0 - restart-ossec.cmd - 0\n"
        "firewall-drop600 - firewall-drop.sh - 600\n\n");
    ASSERT_EQ(conf.entries.size(), 3u);
    EXPECT_TRUE(conf.problems.empty());
    EXPECT_EQ(conf.find("restart-ossec0")->executable, "restart-ossec.sh");
    EXPECT_EQ(conf.find("firewall-drop600")->timeout.count(), 600);
    EXPECT_EQ(conf.find("nope"), nullptr);
}

TEST(ArTableTest, SkipsLinesThatCouldEscapeTheScriptDirectory) {
    const ArConf conf = parse_ar_conf(
        "a - ../../bin/sh - 0\nb - /bin/sh - 0\nc - ..\\x.cmd - 0\nd - ok.sh - x\n"
        "e ok.sh 0\nf - ok.sh - 600\n");
    ASSERT_EQ(conf.entries.size(), 1u);
    EXPECT_EQ(conf.entries[0].name, "f");
    ASSERT_EQ(conf.problems.size(), 5u);
    EXPECT_EQ(conf.problems[0], "line 1: executable is not a plain file name");
}

}  // namespace
}  // namespace execd
