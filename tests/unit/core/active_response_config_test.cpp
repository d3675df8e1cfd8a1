// <active-response> in the agent's ossec.conf: what execd reads from it.
#include <gtest/gtest.h>

#include "core/config.hpp"

namespace core {
namespace {

Result<LoadedConfig> parse(const std::string& section) {
    return parse_config("<ossec_config>" + section + "</ossec_config>", "ossec.conf");
}

TEST(ActiveResponseConfigTest, EnabledWithoutOffenderStepsByDefault) {
    const auto loaded = parse("");
    ASSERT_TRUE(loaded.ok());
    EXPECT_FALSE(loaded.value().config.active_response.disabled);
    EXPECT_TRUE(loaded.value().config.active_response.repeated_offenders.empty());
}

TEST(ActiveResponseConfigTest, ReadsDisabledAndRepeatedOffenders) {
    const auto loaded = parse(
        "<active-response><disabled>yes</disabled>"
        "<repeated_offenders>30, 60,120</repeated_offenders></active-response>");
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    const ActiveResponseConfig& ar = loaded.value().config.active_response;
    EXPECT_TRUE(ar.disabled);
    ASSERT_EQ(ar.repeated_offenders.size(), 3u);
    EXPECT_EQ(ar.repeated_offenders[0].count(), 30);
    EXPECT_EQ(ar.repeated_offenders[2].count(), 120);
    EXPECT_TRUE(loaded.value().warnings.empty());
}

TEST(ActiveResponseConfigTest, IgnoresManagerSideOptions) {
    const auto loaded = parse(
        "<active-response><command>firewall-drop</command><location>local</location>"
        "<timeout>600</timeout></active-response>");
    ASSERT_TRUE(loaded.ok());
    EXPECT_FALSE(loaded.value().config.active_response.disabled);
}

TEST(ActiveResponseConfigTest, RejectsBadValues) {
    EXPECT_FALSE(parse("<active-response><disabled>maybe</disabled></active-response>").ok());
    for (const char* bad : {"0", "10,,20", "a", "1,2,3,4,5,6", "-5"}) {
        const auto loaded = parse(std::string("<active-response><repeated_offenders>") + bad +
                                  "</repeated_offenders></active-response>");
        EXPECT_FALSE(loaded.ok()) << bad;
    }
}

}  // namespace
}  // namespace core
