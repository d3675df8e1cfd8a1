// OSSEC 3.8's own databases and policies (../shared/samples) must read
// without a single error.
#include <gtest/gtest.h>

#include <filesystem>

#include "rootcheck/databases.hpp"
#include "rootcheck/policy.hpp"
#include "support/test_support.hpp"

namespace rootcheck {
namespace {

namespace fs = std::filesystem;

fs::path samples() { return testing_support::shared_dir() / "samples/ossec-3.8/rootcheck"; }

TEST(OssecSamplesTest, EveryPolicyAndDatabaseReadsWithoutError) {
    if (!fs::is_directory(samples())) {
        GTEST_SKIP() << "OSSEC's sample files are not at " << samples().string()
                     << " (../shared is absent)";
    }
    const auto files = parse_rootkit_files(testing_support::read_file(samples() /
                                                                      "rootkit_files.txt"));
    EXPECT_GT(files.size(), 100u);
    const auto trojans = parse_rootkit_trojans(
        testing_support::read_file(samples() / "rootkit_trojans.txt"));
    EXPECT_GT(trojans.size(), 30u);

    int policies = 0;
    for (const auto& entry : fs::directory_iterator(samples())) {
        const auto name = entry.path().filename().string();
        if (name.find("_rcl") == std::string::npos && name.find("audit_") == std::string::npos) {
            continue;
        }
        const auto policy = parse_policy(testing_support::read_file(entry.path()));
        EXPECT_FALSE(policy.error) << name << ": " << *policy.error;
        EXPECT_FALSE(policy.entries.empty()) << name;
        for (const auto& e : policy.entries) {
            EXPECT_FALSE(e.checks.empty()) << name << ": " << e.title;
        }
        ++policies;
    }
    EXPECT_EQ(policies, 6);
}

}  // namespace
}  // namespace rootcheck
