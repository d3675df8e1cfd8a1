// report_changes through the scanner: the kept copy, the diff appended to
// the message as OSSEC 3.x appends it, <nodiff>, and the size bounds.
#include "syscheck/diff_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_support.hpp"
#include "syscheck/path_escape.hpp"
#include "syscheck/scanner.hpp"

namespace syscheck {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHelloSums =
    "b1946ac92492d2347c6235b4d2611184:f572d396fae9206628714fb2ce00f72e94f2258f";
constexpr const char* kByeSums =
    "91fc14ad02afd60985bb8165bda320a6:ee9e51458f4642f48efe956962058245ee7127b1";

class DiffStoreTest : public ::testing::Test {
protected:
    DiffStoreTest() : logger_("ossec-syscheckd", dir_.path() / "ossec.log", false, 2) {
        fs::create_directories(root_);
    }

    void configure(const std::string& extra = "") {
        const std::string text =
            "<ossec_config><syscheck><directories check_sum=\"yes\" check_size=\"yes\" "
            "report_changes=\"yes\">" +
            raw_text(root_) + "</directories>" + extra + "</syscheck></ossec_config>";
        auto loaded = core::parse_syscheck_config(text, "ossec.conf");
        ASSERT_TRUE(loaded.ok()) << loaded.error();
        config_ = loaded.value().config;
        diffs_ = std::make_unique<DiffStore>(
            diff_root_, DiffLimits{config_.diff_file_size_limit, config_.diff_disk_quota},
            logger_);
    }

    // The messages of one scan, notices left out.
    std::vector<std::string> scan() {
        RecordingSink sink;
        Scanner scanner(config_, baseline_, sink, pool_, logger_, diffs_.get());
        scanner.scan([] { return false; });
        std::vector<std::string> events;
        for (auto& message : sink.messages) {
            if (message.rfind("8:syscheck:", 0) == 0 &&
                message != "8:syscheck:syscheck-db-completed") {
                events.push_back(message);
            }
        }
        return events;
    }

    std::string event(const std::string& checksum, const fs::path& path) const {
        return "8:syscheck:" + checksum + " " + escape_path(raw_text(path));
    }

    testing_support::TempDir dir_;
    fs::path root_ = dir_.path() / "watched";
    fs::path diff_root_ = dir_.path() / "queue" / "diff";
    core::Logger logger_;
    WorkerPool pool_{2};
    core::SyscheckConfig config_;
    Baseline baseline_{dir_.path() / "baseline", "001 agent abc"};
    std::unique_ptr<DiffStore> diffs_;
};

TEST_F(DiffStoreTest, ChangedFileCarriesItsDiffAfterTheChecksum) {
    configure();
    testing_support::write_file(root_ / "a", "hello\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          event(std::string("6:0:0:0:") + kHelloSums, root_ / "a")}));
    EXPECT_EQ(testing_support::read_file(diffs_->copy_of(raw_text(root_ / "a"))), "hello\n");

    testing_support::write_file(root_ / "a", "bye\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          event(std::string("4:0:0:0:") + kByeSums, root_ / "a") +
                          "\n1c1\n< hello\n---\n> bye\n"}));
    EXPECT_EQ(testing_support::read_file(diffs_->copy_of(raw_text(root_ / "a"))), "bye\n");
    EXPECT_EQ(diffs_->used(), 4u);
}

TEST_F(DiffStoreTest, CopyIsKeptUnderQueueDiffLocalAsOssecDoes) {
    configure();
    const std::string raw = raw_text(root_ / "a");
    std::string relative = raw;
    relative.erase(std::remove(relative.begin(), relative.end(), ':'), relative.end());
    while (!relative.empty() && is_separator(relative.front())) {
        relative.erase(0, 1);
    }
    EXPECT_EQ(diffs_->copy_of(raw), diff_root_ / "local" / path_of(relative) / "last-entry");
}

TEST_F(DiffStoreTest, NodiffFileSendsOssecsNoticeAndKeepsNoCopy) {
    configure("<nodiff>" + raw_text(root_ / "secret") + "</nodiff>");
    testing_support::write_file(root_ / "secret", "hello\n");
    scan();
    EXPECT_FALSE(fs::exists(diffs_->copy_of(raw_text(root_ / "secret"))));
    testing_support::write_file(root_ / "secret", "bye\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          event(std::string("4:0:0:0:") + kByeSums, root_ / "secret") +
                          "\n<Diff truncated because nodiff option>"}));
    EXPECT_FALSE(fs::exists(diffs_->copy_of(raw_text(root_ / "secret"))));
}

TEST_F(DiffStoreTest, NodiffInsideTheDiffBlockAndAsSregex) {
    configure("<diff><nodiff type=\"sregex\">.key$</nodiff></diff>");
    testing_support::write_file(root_ / "tls.key", "hello\n");
    scan();
    testing_support::write_file(root_ / "tls.key", "bye\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          event(std::string("4:0:0:0:") + kByeSums, root_ / "tls.key") +
                          "\n<Diff truncated because nodiff option>"}));
}

TEST_F(DiffStoreTest, FileOverTheSizeLimitHasNoCopyAndNoDiff) {
    configure("<diff><file_size><enabled>yes</enabled><limit>1KB</limit></file_size></diff>");
    EXPECT_EQ(config_.diff_file_size_limit, 1024u);
    testing_support::write_file(root_ / "big", std::string(2000, 'x'));
    scan();
    EXPECT_FALSE(fs::exists(diffs_->copy_of(raw_text(root_ / "big"))));
    testing_support::write_file(root_ / "big", std::string(2001, 'x'));
    const auto events = scan();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].find('\n'), std::string::npos);
}

TEST_F(DiffStoreTest, DiskQuotaStopsNewCopiesWithOneWarning) {
    configure("<diff><disk_quota><limit>10B</limit></disk_quota></diff>");
    EXPECT_EQ(config_.diff_disk_quota, 10u);
    testing_support::write_file(root_ / "a", "hello\n");
    testing_support::write_file(root_ / "b", "hello\n");
    testing_support::write_file(root_ / "c", "hello\n");
    scan();
    EXPECT_TRUE(fs::exists(diffs_->copy_of(raw_text(root_ / "a"))));
    EXPECT_FALSE(fs::exists(diffs_->copy_of(raw_text(root_ / "b"))));
    EXPECT_FALSE(fs::exists(diffs_->copy_of(raw_text(root_ / "c"))));
    const std::string log = testing_support::read_file(dir_.path() / "ossec.log");
    const std::string warning = "would pass the disk quota of 10 bytes; no new copies are "
                                "kept, so changes to further files come without a diff";
    EXPECT_NE(log.find(warning), std::string::npos);
    EXPECT_EQ(log.find(warning), log.rfind(warning));
}

TEST_F(DiffStoreTest, DeletedFileLosesItsCopy) {
    configure();
    testing_support::write_file(root_ / "a", "hello\n");
    scan();
    fs::remove(root_ / "a");
    EXPECT_EQ(scan(), (std::vector<std::string>{"8:syscheck:-1 " +
                                                escape_path(raw_text(root_ / "a"))}));
    EXPECT_FALSE(fs::exists(diffs_->copy_of(raw_text(root_ / "a"))));
    EXPECT_EQ(diffs_->used(), 0u);
}

TEST_F(DiffStoreTest, DirectoryWithoutReportChangesSendsNoDiff) {
    const std::string text =
        "<ossec_config><syscheck><directories check_sum=\"yes\" check_size=\"yes\">" +
        raw_text(root_) + "</directories></syscheck></ossec_config>";
    config_ = core::parse_syscheck_config(text, "ossec.conf").value().config;
    diffs_ = std::make_unique<DiffStore>(diff_root_, DiffLimits{}, logger_);
    testing_support::write_file(root_ / "a", "hello\n");
    scan();
    testing_support::write_file(root_ / "a", "bye\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          event(std::string("4:0:0:0:") + kByeSums, root_ / "a")}));
    EXPECT_FALSE(fs::exists(diff_root_));
}

TEST(DiffConfigTest, DefaultsAreWazuhsAndDisabledLiftsTheBound) {
    core::SyscheckConfig defaults;
    EXPECT_EQ(defaults.diff_file_size_limit, 50u * 1024 * 1024);
    EXPECT_EQ(defaults.diff_disk_quota, 1024u * 1024 * 1024);
    auto loaded = core::parse_syscheck_config(
        "<ossec_config><syscheck><diff><disk_quota><enabled>no</enabled></disk_quota>"
        "<file_size><limit>2gb</limit></file_size></diff></syscheck></ossec_config>",
        "ossec.conf");
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    EXPECT_EQ(loaded.value().config.diff_disk_quota, UINT64_MAX);
    EXPECT_EQ(loaded.value().config.diff_file_size_limit, 2ull * 1024 * 1024 * 1024);
    auto bad = core::parse_syscheck_config(
        "<ossec_config><syscheck><diff>\n<file_size><limit>lots</limit></file_size></diff>"
        "</syscheck></ossec_config>",
        "ossec.conf");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(),
              "ossec.conf:2: invalid size 'lots' for <file_size>: expected e.g. 50MB or 1GB");
}

}  // namespace
}  // namespace syscheck
