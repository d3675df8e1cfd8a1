// The spool when the disk refuses a write half way through a record (a
// full disk): POSIX only, as the refusal is made with RLIMIT_FSIZE, which
// turns a write past the limit into a short write and then EFBIG, the
// same path as ENOSPC.
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "agentd/spool.hpp"
#include "support/test_support.hpp"

namespace agentd {
namespace {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        ok_ = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit() { lift(); }
    void lift() {
        if (ok_) {
            ::setrlimit(RLIMIT_FSIZE, &saved_);
            std::signal(SIGXFSZ, old_handler_);
            ok_ = false;
        }
    }
    bool ok() const { return ok_; }

private:
    rlimit saved_{};
    void (*old_handler_)(int) = SIG_DFL;
    bool ok_ = false;
};

TEST(SpoolShortWriteTest, RecordCutByAFullDiskIsRemovedAndTheEventCanBeRetried) {
    testing_support::TempDir dir;
    auto opened = Spool::open(dir.path(), SpoolLimits{});
    ASSERT_TRUE(opened.ok());
    auto spool = std::move(opened.value());
    const std::string event(26, 'e');  // records of 30 bytes

    std::error_code ec;
    {
        FileSizeLimit limit(100);
        ASSERT_TRUE(limit.ok());
        for (int i = 0; i < 3; ++i) {
            ASSERT_TRUE(spool->append(event, ec)) << ec.message();
        }
        // 90 bytes written; this record gets 10 bytes in, then EFBIG.
        EXPECT_FALSE(spool->append("the cut one, 26 bytes long", ec));
        EXPECT_EQ(ec, std::make_error_code(std::errc::file_too_large));
        EXPECT_EQ(spool->stats().dropped, 0u) << "a failed write is not a drop";
    }
    EXPECT_TRUE(spool->append("the cut one, 26 bytes long", ec)) << ec.message();
    EXPECT_TRUE(spool->append("after", ec)) << ec.message();
    spool->flush();

    std::vector<std::string> events;
    while (auto e = spool->next()) {
        events.push_back(*e);
    }
    EXPECT_EQ(events, (std::vector<std::string>{event, event, event,
                                                "the cut one, 26 bytes long", "after"}));
}

}  // namespace
}  // namespace agentd
