// agentd's service in this process against the test manager, with an
// injected wall clock that jumps: set back 30 minutes, then forward a day.
// Keep-alives must keep their spacing (they run on the steady clock) and
// the message counters must keep increasing, also across restarts that
// read the jumped clock for the counters' starting floor.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <mutex>
#include <thread>

#include "agentd/agentd_service.hpp"
#include "support/test_support.hpp"
#include "testmanager/test_manager.hpp"

namespace integration {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

const core::AgentKey kKey{"001", "clock-agent", "any",
                          "d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5"};

class WallClockJumpTest : public ::testing::Test {
protected:
    void SetUp() override {
        testmanager::ManagerOptions options;
        options.on_received = [this](const testmanager::Received& r) {
            if (r.is_keepalive()) {
                std::lock_guard lock(mutex_);
                keepalive_times_.push_back(SteadyClock::now());
            }
        };
        manager_ = std::make_unique<testmanager::TestManager>(options);
        ASSERT_FALSE(manager_->start());
        manager_->add_key(kKey);
    }

    void start_service() {
        core::AgentConfig config;
        config.client.servers = {{"127.0.0.1", manager_->port(), core::Transport::kUdp}};
        config.client.notify_time = 1s;
        config.client.time_reconnect = 60s;
        agentd::AgentdSettings settings{core::Home(home_.path()), config, kKey, "Linux test",
                                        "OSSEC HIDS v3.8.0"};
        settings.wall_clock = [this] {
            return std::chrono::system_clock::now() + std::chrono::seconds(offset_.load());
        };
        service_ = std::make_unique<agentd::AgentdService>(settings, logger_);
        const auto opened = service_->open();
        ASSERT_TRUE(opened.ok()) << opened.error();
        thread_ = std::thread([this] { service_->run(); });
    }

    void stop_service() {
        service_->stop();
        thread_.join();
        service_.reset();
    }

    void TearDown() override {
        if (service_) {
            stop_service();
        }
    }

    std::size_t keepalives() {
        std::lock_guard lock(mutex_);
        return keepalive_times_.size();
    }

    // Gaps between consecutive keep-alives from index from on.
    std::vector<std::chrono::milliseconds> gaps(std::size_t from) {
        std::lock_guard lock(mutex_);
        std::vector<std::chrono::milliseconds> out;
        for (std::size_t i = from + 1; i < keepalive_times_.size(); ++i) {
            out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                keepalive_times_[i] - keepalive_times_[i - 1]));
        }
        return out;
    }

    testing_support::TempDir home_;
    core::Logger logger_{"ossec-agentd", home_.path() / "ossec.log", false, 0};
    std::unique_ptr<testmanager::TestManager> manager_;
    std::unique_ptr<agentd::AgentdService> service_;
    std::thread thread_;
    std::atomic<long long> offset_{0};
    std::mutex mutex_;
    std::vector<SteadyClock::time_point> keepalive_times_;
};

std::string read_or_empty(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec) ? testing_support::read_file(path) : "";
}

std::string local_date(std::chrono::system_clock::time_point when) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm parts{};
    localtime_r(&t, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return text;
}

TEST_F(WallClockJumpTest, KeepaliveSpacingAndCountersSurviveJumpsBothWays) {
    ASSERT_NO_FATAL_FAILURE(start_service());
    ASSERT_TRUE(manager_->wait_for_keepalives(3, 20s));

    offset_ = -30 * 60;  // set back 30 minutes
    const std::size_t before_back = keepalives();
    ASSERT_TRUE(manager_->wait_for_keepalives(before_back + 3, 10s))
        << "keep-alives stopped after the wall clock went back";
    offset_ = 24 * 3600;  // forward a day
    const std::size_t before_forward = keepalives();
    ASSERT_TRUE(manager_->wait_for_keepalives(before_forward + 3, 10s));

    // notify_time is 1 s; ticks are 100 ms. A schedule on the wall clock
    // would wait 30 minutes after the first jump, or fire at once after
    // the second.
    for (const auto gap : gaps(before_back - 1)) {
        EXPECT_GE(gap, 700ms);
        EXPECT_LE(gap, 2500ms);
    }

    // The state file shows dates on the jumped wall clock.
    const auto state = home_.path() / "var" / "run" / "ossec-agentd.state";
    const std::string expected_date =
        "last_keepalive='" +
        local_date(std::chrono::system_clock::now() + std::chrono::hours(24));
    const auto deadline = SteadyClock::now() + 8s;
    while (read_or_empty(state).find(expected_date) ==
               std::string::npos &&
           SteadyClock::now() < deadline) {
        std::this_thread::sleep_for(200ms);
    }
    EXPECT_NE(read_or_empty(state).find(expected_date),
              std::string::npos)
        << read_or_empty(state);

    // Restarts that read the jumped clock for the counters' floor: back
    // 30 minutes (the saved counter wins), then forward a day.
    for (const long long offset : {-30LL * 60, 24LL * 3600}) {
        stop_service();
        offset_ = offset;
        const std::size_t startups = manager_->snapshot().count_startups();
        ASSERT_NO_FATAL_FAILURE(start_service());
        ASSERT_TRUE(manager_->wait_for_startups(startups + 1, 20s));
        ASSERT_TRUE(manager_->wait_for_keepalives(keepalives() + 1, 10s));
    }

    core::Counters last{};
    for (const auto& m : manager_->messages()) {
        EXPECT_TRUE(core::is_newer(m.counters, last))
            << m.counters.global << ":" << m.counters.local << " after " << last.global << ":"
            << last.local;
        last = m.counters;
    }
    EXPECT_EQ(manager_->stats().rejected_replay, 0u);
    EXPECT_EQ(manager_->snapshot().count_startups(), 3u);
}

}  // namespace
}  // namespace integration
