#include "pal/system_info.hpp"

#include <gtest/gtest.h>

#include "pal/paths.hpp"

namespace pal {
namespace {

TEST(SystemInfoTest, DescriptionIsOneLineWithSeveralFields) {
    const std::string text = os_description();
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_GE(std::count(text.begin(), text.end(), ' '), 2) << text;
}

TEST(SystemInfoTest, HostNameIsNotEmpty) { EXPECT_FALSE(host_name().empty()); }

TEST(PathsTest, ExecutablePathNamesThisTestProgram) {
    const auto path = executable_path();
    ASSERT_FALSE(path.empty());
    EXPECT_NE(path.filename().string().find("platform_tests"), std::string::npos)
        << path.string();
}

}  // namespace
}  // namespace pal
