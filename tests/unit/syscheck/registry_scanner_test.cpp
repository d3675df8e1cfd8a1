#include "syscheck/registry_scanner.hpp"

#include <gtest/gtest.h>

#include <map>

#include "support/test_support.hpp"

namespace syscheck {
namespace {

const std::string kTop = "HKEY_LOCAL_MACHINE\\Software\\ossec-agent-ng-test";
const std::string kTopKey = "Software\\ossec-agent-ng-test";
// Sums of "Count=ffffffff\nName=agent\n" (the DWORD 255 as OSSEC prints
// it: its first byte, sign-extended), of
// "@=default text\nBlob=01ffffff80\nList=a b \n" and of
// "Count=ffffffff\nName=changed\n" (computed with Python's hashlib). The
// values are listed in name order: Windows enumerates them in the order
// they were created, Wine sorts them; creating them sorted suits both.
const std::string kTopSums =
    "ee0c8b169e1c29fcb1e7b90b70b50f3b:2773beb83075e1518f74790b7cf4591b96c1a828";
const std::string kSubSums =
    "241d7d944d5de9f0fec931d16c399d4d:215f62a1c8097604efbff54862fa2721ff3b0a4e";
const std::string kChangedSums =
    "ad30e3d8a36e37e999ac67fd65a176c5:a92579181962133eded93b64c31251285bdc6d87";
const std::string kCompleted = "8:syscheck-registry:syscheck-db-completed";

std::string event(const std::string& sums, const std::string& key) {
    return "8:syscheck-registry:0:0:0:0:" + sums + " " + key;
}

std::vector<pal::RegistryValue> top_values(const std::string& name = "agent") {
    return {{"Count", pal::kRegDword, std::string("\xff\0\0\0", 4)}, {"Name", pal::kRegSz, name}};
}

std::vector<pal::RegistryValue> sub_values() {
    return {{"", pal::kRegSz, "default text"},
            {"Blob", pal::kRegBinary, std::string("\x01\x80", 2)},
            {"List", pal::kRegMultiSz, std::string("a\0b\0", 4)}};
}

// An in-memory registry under HKEY_LOCAL_MACHINE.
class FakeRegistry final : public RegistryReader {
public:
    std::error_code subkeys(pal::RegistryRoot, const std::string& key,
                            std::vector<std::string>& out) override {
        out.clear();
        if (values_.count(key) == 0) {
            return std::make_error_code(std::errc::no_such_file_or_directory);
        }
        for (const auto& [path, _] : values_) {
            if (path.size() > key.size() + 1 && path.compare(0, key.size(), key) == 0 &&
                path[key.size()] == '\\' && path.find('\\', key.size() + 1) == std::string::npos) {
                out.push_back(path.substr(key.size() + 1));
            }
        }
        return {};
    }
    std::error_code values(pal::RegistryRoot, const std::string& key,
                           std::vector<pal::RegistryValue>& out) override {
        out = values_[key];
        return {};
    }
    std::map<std::string, std::vector<pal::RegistryValue>> values_;
};

core::SyscheckConfig config_with(std::vector<std::string> entries) {
    core::SyscheckConfig config;
    config.windows_registry = std::move(entries);
    return config;
}

TEST(RegistryValuesTextTest, BuildsOssecsListing) {
    EXPECT_EQ(registry_values_text(top_values()), "Count=ffffffff\nName=agent\n");
    EXPECT_EQ(registry_values_text(sub_values()), "@=default text\nBlob=01ffffff80\nList=a b \n");
    // A value larger than OSSEC's 16383-byte buffer ends the listing.
    const std::vector<pal::RegistryValue> big = {{"A", pal::kRegSz, "x"},
                                                 {"B", pal::kRegBinary, std::string(16384, 'y')},
                                                 {"C", pal::kRegSz, "z"}};
    EXPECT_EQ(registry_values_text(big), "A=x\n");
}

class RegistryScannerTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry_.values_[kTopKey] = top_values();
        registry_.values_[kTopKey + "\\Sub"] = sub_values();
        registry_.values_[kTopKey + "\\Empty"] = {};
    }

    std::vector<std::string> scan(const core::SyscheckConfig& config) {
        RecordingSink sink;
        RegistryScanner scanner(config, registry_, sink, logger_, temp_.path() / "registry");
        const auto stats = scanner.scan([] { return false; });
        EXPECT_TRUE(stats.complete);
        return sink.messages;
    }

    FakeRegistry registry_;
    testing_support::TempDir temp_;
    core::Logger logger_{"registry-test"};
};

TEST_F(RegistryScannerTest, FirstScanReportsEveryKeyWithValuesSubkeysFirst) {
    EXPECT_EQ(scan(config_with({kTop})),
              (std::vector<std::string>{event(kSubSums, kTop + "\\Sub"), event(kTopSums, kTop),
                                        kCompleted}));
}

TEST_F(RegistryScannerTest, OnlyChangesAreSentEvenAfterARestart) {
    const auto config = config_with({kTop});
    scan(config);
    EXPECT_EQ(scan(config), std::vector<std::string>{kCompleted});
    registry_.values_[kTopKey] = top_values("changed");
    EXPECT_EQ(scan(config),
              (std::vector<std::string>{event(kChangedSums, kTop), kCompleted}));
}

TEST_F(RegistryScannerTest, IgnoredKeysAreLeftOutWithTheirSubtree) {
    auto config = config_with({kTop});
    config.registry_ignore.push_back({"hkey_local_machine\\software\\OSSEC-agent-ng-test\\sub",
                                      std::nullopt});
    EXPECT_EQ(scan(config), (std::vector<std::string>{event(kTopSums, kTop), kCompleted}));

    auto by_pattern = config_with({kTop});
    by_pattern.registry_ignore.push_back({"", core::SimpleRegex::compile("test$")});
    EXPECT_EQ(scan(by_pattern), std::vector<std::string>{kCompleted});
}

TEST_F(RegistryScannerTest, CommaListsAndInvalidEntries) {
    EXPECT_EQ(scan(config_with({"HKEY_CURRENT_USER\\Software, " + kTop + "\\Sub"})),
              (std::vector<std::string>{event(kSubSums, kTop + "\\Sub"), kCompleted}));
}

// The real registry (Windows; Wine in CI): keys created by the test under
// HKLM\Software\ossec-agent-ng-test, read back through the platform layer.
TEST(RegistryScannerRealTest, ReadsKeysCreatedInTheRegistry) {
    const auto root = pal::RegistryRoot::kLocalMachine;
    pal::registry_delete_tree(root, kTopKey);
    const auto ec = pal::registry_set_value(root, kTopKey, top_values()[0]);
    if (ec == std::errc::not_supported) {
        GTEST_SKIP() << "this system has no registry (" << ec.message() << ")";
    }
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_FALSE(pal::registry_set_value(root, kTopKey, top_values()[1]));  // Name
    for (const auto& value : sub_values()) {
        ASSERT_FALSE(pal::registry_set_value(root, kTopKey + "\\Sub", value));
    }

    testing_support::TempDir temp;
    core::Logger logger("registry-test");
    PalRegistry registry;
    const auto config = config_with({kTop});
    RecordingSink first;
    RegistryScanner(config, registry, first, logger, temp.path() / "registry")
        .scan([] { return false; });
    EXPECT_EQ(first.messages,
              (std::vector<std::string>{event(kSubSums, kTop + "\\Sub"), event(kTopSums, kTop),
                                        kCompleted}));

    ASSERT_FALSE(pal::registry_set_value(root, kTopKey, {"Name", pal::kRegSz, "changed"}));
    RecordingSink second;
    RegistryScanner(config, registry, second, logger, temp.path() / "registry")
        .scan([] { return false; });
    EXPECT_EQ(second.messages,
              (std::vector<std::string>{event(kChangedSums, kTop), kCompleted}));
    EXPECT_FALSE(pal::registry_delete_tree(root, kTopKey));
}

}  // namespace
}  // namespace syscheck
