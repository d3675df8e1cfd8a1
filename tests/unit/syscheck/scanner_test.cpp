#include "syscheck/scanner.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/sregex.hpp"
#include "pal/command.hpp"
#include "pal/process.hpp"
#include "pal/file_metadata.hpp"
#include "support/test_support.hpp"
#include "syscheck/path_escape.hpp"

namespace syscheck {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHelloSums =
    "b1946ac92492d2347c6235b4d2611184:f572d396fae9206628714fb2ce00f72e94f2258f";
constexpr const char* kByeSums =
    "91fc14ad02afd60985bb8165bda320a6:ee9e51458f4642f48efe956962058245ee7127b1";

const std::string kStart = "9:rootcheck:Starting syscheck scan.";
const std::string kEnd = "9:rootcheck:Ending syscheck scan.";
const std::string kCompleted = "8:syscheck:syscheck-db-completed";

std::string raw(const fs::path& path) {
    const auto text = path.u8string();
    return std::string(text.begin(), text.end());
}

fs::path from_raw(const std::string& text) {
    return fs::path(std::u8string(text.begin(), text.end()));
}

bool windows_paths() { return fs::path::preferred_separator == '\\'; }

// A watched directory in a temporary home, scanned with a fresh Scanner
// and a Baseline loaded from disk each time, as after a restart.
class ScannerTest : public ::testing::Test {
protected:
    ScannerTest() : logger_("ossec-syscheckd", dir_.path() / "ossec.log", false, 2) {
        fs::create_directories(root_);
    }

    void configure(const std::string& attributes, const std::string& extra = "") {
        const std::string text = "<ossec_config><syscheck><directories " + attributes +
                                 ">" + raw(root_) + "</directories>" + extra +
                                 "</syscheck></ossec_config>";
        auto loaded = core::parse_syscheck_config(text, "ossec.conf");
        ASSERT_TRUE(loaded.ok()) << loaded.error();
        config_ = loaded.value().config;
    }

    std::vector<std::string> scan(const Scanner::StopCheck& stop = [] { return false; },
                                  std::size_t fail_after = static_cast<std::size_t>(-1)) {
        Baseline baseline(baseline_file_, identity_);
        load_result_ = baseline.load();
        RecordingSink sink;
        sink.fail_after = fail_after;
        Scanner scanner(config_, baseline, sink, pool_, logger_);
        stats_ = scanner.scan(stop);
        EXPECT_FALSE(baseline.save());
        return sink.messages;
    }

    static std::string event(const std::string& checksum, const fs::path& path) {
        return "8:syscheck:" + checksum + " " + escape_path(raw(path));
    }
    static std::string hello(const fs::path& path) {
        return event(std::string("6:0:0:0:") + kHelloSums, path);
    }
    static std::string deleted(const fs::path& path) {
        return "8:syscheck:-1 " + escape_path(raw(path));
    }

    testing_support::TempDir dir_;
    fs::path root_ = dir_.path() / "watched";
    fs::path baseline_file_ = dir_.path() / "queue" / "syscheck" / "baseline";
    std::string identity_ = "001 agent abc";
    core::Logger logger_;
    WorkerPool pool_{3};
    core::SyscheckConfig config_;
    ScanStats stats_;
    BaselineLoad load_result_ = BaselineLoad::kMissing;
};

const std::string kSumAndSize = "check_sum=\"yes\" check_size=\"yes\"";

TEST_F(ScannerTest, FirstScanSendsEveryFileThenTheEndNotices) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    fs::create_directories(root_ / "sub");
    testing_support::write_file(root_ / "sub" / "c", "hello\n");
    testing_support::write_file(root_ / "z", "hello\n");

    // A directory's files first, then its subdirectories, names sorted.
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "a"),
                                                hello(root_ / "z"),
                                                hello(root_ / "sub" / "c"), kEnd,
                                                kCompleted}));
    EXPECT_TRUE(stats_.complete);
    EXPECT_EQ(stats_.files, 3u);
    EXPECT_EQ(stats_.added, 3u);
}

TEST_F(ScannerTest, UnchangedFilesSendNothingAfterRestart) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    scan();
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, kEnd, kCompleted}));
    EXPECT_EQ(load_result_, BaselineLoad::kLoaded);
}

TEST_F(ScannerTest, ChangedFileIsSentWithItsNewChecksum) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    scan();
    testing_support::write_file(root_ / "a", "bye\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          kStart, event(std::string("4:0:0:0:") + kByeSums, root_ / "a"),
                          kEnd, kCompleted}));
    EXPECT_EQ(stats_.changed, 1u);
}

TEST_F(ScannerTest, DeletedFileIsReportedOnce) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    testing_support::write_file(root_ / "b", "hello\n");
    scan();
    fs::remove(root_ / "a");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, deleted(root_ / "a"), kEnd,
                                                kCompleted}));
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, kEnd, kCompleted}));
}

TEST_F(ScannerTest, InterruptedScanReportsNothingItDidNotReachAsDeleted) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    fs::create_directories(root_ / "sub");
    testing_support::write_file(root_ / "sub" / "b", "hello\n");
    scan();

    testing_support::write_file(root_ / "a", "bye\n");
    int polls = 0;
    // The first poll lets the top directory be listed; the second stops
    // the scan before its files are examined or sub/ is reached.
    EXPECT_EQ(scan([&polls] { return ++polls > 1; }), (std::vector<std::string>{kStart}));
    EXPECT_FALSE(stats_.complete);

    // The change not sent then is sent by the next full scan; nothing is
    // reported deleted.
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          kStart, event(std::string("4:0:0:0:") + kByeSums, root_ / "a"),
                          kEnd, kCompleted}));
}

TEST_F(ScannerTest, ChangeNotDeliveredBeforeAStopIsSentAgain) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    testing_support::write_file(root_ / "b", "hello\n");
    scan();
    testing_support::write_file(root_ / "a", "bye\n");
    testing_support::write_file(root_ / "b", "bye\n");
    const auto first = scan([] { return false; }, 2);  // start notice and a only
    ASSERT_EQ(first.size(), 2u);
    EXPECT_FALSE(stats_.complete);
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          kStart, event(std::string("4:0:0:0:") + kByeSums, root_ / "b"),
                          kEnd, kCompleted}));
}

TEST_F(ScannerTest, BaselineOfAnotherIdentityIsNotTrusted) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    scan();
    identity_ = "002 other def";
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "a"), kEnd,
                                                kCompleted}));
    EXPECT_EQ(load_result_, BaselineLoad::kOtherIdentity);
}

TEST_F(ScannerTest, NamesWithSpaceNewlineAndInvalidUtf8AreSentEscaped) {
    if (windows_paths()) {
        GTEST_SKIP() << "Windows names are UTF-16 and cannot hold a newline or "
                        "invalid UTF-8";
    }
    configure(kSumAndSize);
    const fs::path space = root_ / "a b";
    const fs::path newline = from_raw(raw(root_) + "/line\nbreak");
    const fs::path invalid = from_raw(raw(root_) + "/bad\xFF");
    for (const auto& path : {space, newline, invalid}) {
        testing_support::write_file(path, "hello\n");
    }
    const auto messages = scan();
    EXPECT_EQ(messages,
              (std::vector<std::string>{
                  kStart, "8:syscheck:6:0:0:0:" + std::string(kHelloSums) + " " +
                              raw(root_) + "/a b",
                  "8:syscheck:6:0:0:0:" + std::string(kHelloSums) + " " + raw(root_) +
                      "/bad\\xFF",
                  "8:syscheck:6:0:0:0:" + std::string(kHelloSums) + " " + raw(root_) +
                      "/line\\x0Abreak",
                  kEnd, kCompleted}));
    // The baseline keeps the raw names: nothing changed, nothing sent.
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, kEnd, kCompleted}));
    fs::remove(newline);
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          kStart, "8:syscheck:-1 " + raw(root_) + "/line\\x0Abreak", kEnd,
                          kCompleted}));
}

TEST_F(ScannerTest, SymlinkLoopIsScannedOnce) {
    configure(kSumAndSize + " follow_symbolic_link=\"yes\"");
    fs::create_directories(root_ / "sub");
    testing_support::write_file(root_ / "sub" / "f", "hello\n");
    std::error_code ec;
    fs::create_directory_symlink(root_, root_ / "sub" / "loop", ec);
    if (ec) {
        GTEST_SKIP() << "cannot create a directory symlink here: " << ec.message();
    }
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "sub" / "f"), kEnd,
                                                kCompleted}));
    EXPECT_EQ(stats_.loops, 1u);
}

TEST_F(ScannerTest, SymlinkIsReportedItselfWhenNotFollowed) {
    configure(kSumAndSize);
    testing_support::write_file(dir_.path() / "target", "hello\n");
    std::error_code ec;
    fs::create_symlink(dir_.path() / "target", root_ / "link", ec);
    if (ec) {
        GTEST_SKIP() << "cannot create a symlink here: " << ec.message();
    }
    pal::FileMetadata link;
    ASSERT_FALSE(pal::read_metadata(root_ / "link", pal::FollowLinks::kNo, false, link));
    // OSSEC: the link's own size, the digests of the file it leads to.
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          kStart,
                          event(std::to_string(link.size) + ":0:0:0:" + kHelloSums,
                                root_ / "link"),
                          kEnd, kCompleted}));
}

TEST_F(ScannerTest, IgnoredPrefixAndSregexAreLeftOut) {
    configure(kSumAndSize, "<ignore>" + raw(root_ / "SKIP") +
                               "</ignore><ignore type=\"sregex\">.log$</ignore>");
    fs::create_directories(root_ / "skip");
    testing_support::write_file(root_ / "skip" / "x", "hello\n");
    testing_support::write_file(root_ / "skipped-too", "hello\n");  // a prefix match
    testing_support::write_file(root_ / "app.log", "hello\n");
    testing_support::write_file(root_ / "app.log.1", "hello\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "app.log.1"), kEnd,
                                                kCompleted}));
}

TEST_F(ScannerTest, NewlyIgnoredFileIsDroppedWithoutADeletion) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "app.log", "hello\n");
    scan();
    configure(kSumAndSize, "<ignore type=\"sregex\">.log$</ignore>");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, kEnd, kCompleted}));
}

TEST_F(ScannerTest, RestrictAndNoRecurseLimitTheFiles) {
    configure(kSumAndSize + " restrict=\".conf$\" no_recurse=\"yes\"");
    fs::create_directories(root_ / "sub");
    testing_support::write_file(root_ / "a.conf", "hello\n");
    testing_support::write_file(root_ / "b.txt", "hello\n");
    testing_support::write_file(root_ / "sub" / "c.conf", "hello\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "a.conf"), kEnd,
                                                kCompleted}));
}

TEST_F(ScannerTest, RecursionLevelCountsSubdirectories) {
    configure(kSumAndSize + " recursion_level=\"1\"");
    fs::create_directories(root_ / "one" / "two");
    testing_support::write_file(root_ / "one" / "a", "hello\n");
    testing_support::write_file(root_ / "one" / "two" / "b", "hello\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "one" / "a"), kEnd,
                                                kCompleted}));
}

TEST_F(ScannerTest, ChecksTurnedOffReportZeroAndXxx) {
    configure("check_size=\"yes\"");
    testing_support::write_file(root_ / "a", "hello\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, event("6:0:0:0:xxx:xxx", root_ / "a"),
                                                kEnd, kCompleted}));
}

TEST_F(ScannerTest, CheckAllReportsModeOwnerAndGroup) {
    configure("check_all=\"yes\"");
    testing_support::write_file(root_ / "a", "hello\n");
    pal::FileMetadata metadata;
    ASSERT_FALSE(pal::read_metadata(root_ / "a", pal::FollowLinks::kNo, false, metadata));
    const std::string owner =
        metadata.owner_sid.empty() ? std::to_string(metadata.uid) : metadata.owner_sid;
    const std::string checksum = "6:" + std::to_string(metadata.mode) + ":" + owner + ":" +
                                 std::to_string(metadata.gid) + ":" + kHelloSums;
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, event(checksum, root_ / "a"), kEnd,
                                                kCompleted}));
    if (!windows_paths()) {
        EXPECT_EQ(metadata.mode & 0170000u, 0100000u);
    }
}

TEST_F(ScannerTest, ManyFilesKeepTheirOrderAcrossBatches) {
    configure(kSumAndSize);
    std::vector<std::string> expected{kStart};
    for (int i = 0; i < 1200; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "f%05d", i);
        testing_support::write_file(root_ / name, "hello\n");
        expected.push_back(hello(root_ / name));
    }
    expected.push_back(kEnd);
    expected.push_back(kCompleted);
    EXPECT_EQ(scan(), expected);
}

TEST_F(ScannerTest, MissingDirectoryReportsItsFilesDeleted) {
    configure(kSumAndSize);
    testing_support::write_file(root_ / "a", "hello\n");
    scan();
    fs::remove_all(root_);
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, deleted(root_ / "a"), kEnd,
                                                kCompleted}));
}

TEST_F(ScannerTest, PrefilterOutputIsHashedInsteadOfTheFile) {
    configure(kSumAndSize, "<prefilter_cmd>head -c 3</prefilter_cmd>");
    testing_support::write_file(root_ / "a", "hello\n");
    pal::CommandArgv command;
    pal::ProcessResult result;
    if (!pal::command_argv("head -c 3", command)) {
        pal::ProcessRequest request;
        request.argv = command.argv;
        request.argv.push_back(raw(root_ / "a"));
        pal::run_process(request, result);
    }
    if (result.output != "hel") {
        GTEST_SKIP() << "no head program here that runs as a prefilter";
    }
    // md5 and sha1 of "hel"; the size is the file's.
    EXPECT_EQ(scan(), (std::vector<std::string>{
                          kStart,
                          event("6:0:0:0:46356afe55fa3cea9cbe73ad442cad47:"
                                "3617b3d66d38049664288366ce2ef9f8b9747883",
                                root_ / "a"),
                          kEnd, kCompleted}));
}

TEST_F(ScannerTest, PrefilterWithShellSyntaxIsRefusedWithOneLine) {
    configure(kSumAndSize, "<prefilter_cmd>cat | head</prefilter_cmd>");
    testing_support::write_file(root_ / "a", "hello\n");
    EXPECT_EQ(scan(), (std::vector<std::string>{kStart, hello(root_ / "a"), kEnd, kCompleted}));
    EXPECT_NE(testing_support::read_file(dir_.path() / "ossec.log")
                  .find("cannot use <prefilter_cmd> 'cat | head': shell syntax is not "
                        "supported; files are hashed as they are"),
              std::string::npos);
}

}  // namespace
}  // namespace syscheck
