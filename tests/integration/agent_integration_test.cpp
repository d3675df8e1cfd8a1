// The real agent programs against the test manager on 127.0.0.1: each
// test lays out a fresh agent home, copies ossec-agentd and
// ossec-logcollector into its bin/, starts them with -f and checks what
// reaches the manager.
//
// Contract the programs follow (see issue 2):
//   - ossec-agentd -f reads etc/ossec.conf <client> and etc/client.keys,
//     does the startup handshake, sends "1:ossec:ossec: Agent started:
//     '<NAME>-><IP>'.", a keepalive every notify_time, forwards every
//     datagram of queue/ossec/queue as an event, keeps its counters in
//     queue/rids/sender_counter and logs to logs/ossec.log;
//   - ossec-logcollector -f tails the <localfile> syslog files and sends
//     "1:<path>:<line>" to queue/ossec/queue.

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "integration/agent_home.hpp"
#include "pal/local_queue.hpp"
#include "integration/child_process.hpp"
#include "testmanager/test_manager.hpp"

#ifndef AGENTD_EXE
#define AGENTD_EXE ""
#endif
#ifndef LOGCOLLECTOR_EXE
#define LOGCOLLECTOR_EXE ""
#endif
#ifndef TESTMANAGER_EXE
#define TESTMANAGER_EXE ""
#endif

namespace integration {
namespace {

using namespace std::chrono_literals;
using testmanager::ManagerState;
using testmanager::Received;

constexpr std::string_view kKeyValue =
    "d4631114c6a7e4b1b0e8ee3bdc9c8b5fb4a9d0e1c2b3a4958677685940312e5a";
constexpr std::string_view kProductVersion = " - OSSEC HIDS v3.8.0";

std::string key_line(std::string_view ip) {
    return "001 test-agent " + std::string(ip) + " " + std::string(kKeyValue) + "\n";
}

std::string agent_started_text(std::string_view ip) {
    return "ossec: Agent started: 'test-agent->" + std::string(ip) + "'.";
}

std::size_t count_event_text(const ManagerState& s, std::string_view text) {
    return static_cast<std::size_t>(std::count_if(
        s.messages.begin(), s.messages.end(),
        [&](const Received& m) { return m.event && m.event->text == text; }));
}

// Sends one datagram to a Unix datagram socket, as OSSEC's modules write
// to queue/ossec/queue (raw POSIX, so the test does not depend on the
// agent's own queue code).
bool send_to_queue(const std::filesystem::path& path, std::string_view data) {
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    const auto sent =
        ::sendto(fd, data.data(), data.size(), 0,
                 reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::close(fd);
    return sent == static_cast<ssize_t>(data.size());
}

class AgentIntegrationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (std::string_view(AGENTD_EXE).empty() ||
            std::string_view(LOGCOLLECTOR_EXE).empty()) {
            GTEST_SKIP() << "ossec-agentd or ossec-logcollector is not a CMake target "
                            "in this build, so there is nothing to run";
        }
        ASSERT_FALSE(manager_.start());
        keys_ = key_line("any");
        ASSERT_TRUE(manager_.load_keys(keys_).empty());
        config_.port = manager_.port();
        config_.log_files = {monitored_};
        agentd_path_ = home_.install(AGENTD_EXE);
        logcollector_path_ = home_.install(LOGCOLLECTOR_EXE);
        append_to_file(monitored_, "");
    }

    void TearDown() override {
        if (logcollector_) {
            logcollector_->terminate();
        }
        if (agentd_) {
            agentd_->terminate();
        }
        if (HasFailure()) {
            dump_diagnostics();
        }
    }

    void start_agentd() {
        home_.write_config(config_);
        home_.write_keys(keys_);
        std::vector<std::string> argv{agentd_path_.string(), "-f"};
        argv.insert(argv.end(), agentd_flags_.begin(), agentd_flags_.end());
        agentd_ = std::make_unique<ChildProcess>(argv,
                                                 home_.root() / "logs" / "ossec-agentd.out");
        ASSERT_FALSE(agentd_->start());
    }

    void start_logcollector() {
        std::vector<std::string> argv = logcollector_wrapper_;
        argv.push_back(logcollector_path_.string());
        argv.push_back("-f");
        logcollector_ = std::make_unique<ChildProcess>(
            std::move(argv),
            home_.root() / "logs" / "ossec-logcollector.out");
        ASSERT_FALSE(logcollector_->start());
    }

    bool wait_for_agent_started(std::size_t n, std::chrono::milliseconds timeout) {
        const std::string text = agent_started_text(key_ip_);
        return manager_.wait_until(
            [&](const ManagerState& s) { return count_event_text(s, text) >= n; },
            timeout);
    }

    // agentd started, handshake done, the local queue bound.
    void connect_agent() {
        ASSERT_NO_FATAL_FAILURE(start_agentd());
        ASSERT_TRUE(manager_.wait_for_startups(1, 30s)) << "no startup from the agent";
        ASSERT_TRUE(wait_for_agent_started(1, 10s)) << "no 'Agent started' event";
        ASSERT_TRUE(wait_for_path(home_.event_queue(), 10s))
            << "queue/ossec/queue not bound";
    }

    // Both programs running, and a line appended to the monitored file
    // seen at the manager: from then on logcollector is tailing the file.
    void connect_agent_and_logcollector() {
        ASSERT_NO_FATAL_FAILURE(connect_agent());
        ASSERT_NO_FATAL_FAILURE(start_logcollector());
        const std::string location = monitored_.string();
        for (int probe = 0; probe < 50; ++probe) {
            append_to_file(monitored_, "probe " + std::to_string(probe) + "\n");
            if (manager_.wait_until(
                    [&](const ManagerState& s) {
                        return std::any_of(
                            s.messages.begin(), s.messages.end(), [&](const Received& m) {
                                return m.event && m.event->location == location;
                            });
                    },
                    300ms)) {
                return;
            }
        }
        FAIL() << "no line of the monitored file reached the manager in 15 s";
    }

    // The events from the monitored file whose text starts with prefix.
    std::vector<std::string> monitored_lines(std::string_view prefix) const {
        std::vector<std::string> out;
        for (const auto& m : manager_.events()) {
            if (m.event && m.event->location == monitored_.string() &&
                m.event->text.compare(0, prefix.size(), prefix) == 0) {
                out.push_back(m.event->text);
            }
        }
        return out;
    }

    // Every accepted message of the agent has a higher pair than the one
    // before it (the manager would reject it otherwise; this says where).
    void expect_counters_increase() const {
        core::Counters last{};
        for (const auto& m : manager_.messages()) {
            EXPECT_TRUE(core::is_newer(m.counters, last))
                << m.counters.global << ":" << m.counters.local << " after "
                << last.global << ":" << last.local;
            last = m.counters;
        }
        EXPECT_EQ(manager_.stats().rejected_replay, 0u);
    }

    // Waits until ossec.log, past offset, has a line matching pattern
    // (case-insensitive); returns that line, or "" at the deadline.
    std::string wait_for_log_line(std::size_t offset, const std::string& pattern,
                                  std::chrono::milliseconds timeout) const {
        const std::regex re(pattern, std::regex::icase);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        do {
            const std::string log = home_.read_log();
            std::istringstream lines(offset < log.size() ? log.substr(offset) : "");
            for (std::string line; std::getline(lines, line);) {
                if (std::regex_search(line, re)) {
                    return line;
                }
            }
            std::this_thread::sleep_for(50ms);
        } while (std::chrono::steady_clock::now() < deadline);
        return {};
    }

    void dump_diagnostics() const {
        std::cerr << "--- agent home " << home_.root() << "\n--- ossec.log:\n"
                  << home_.read_log();
        for (const char* out : {"ossec-agentd.out", "ossec-logcollector.out"}) {
            if (!std::filesystem::exists(home_.root() / "logs" / out)) {
                continue;
            }
            std::cerr << "--- " << out << ":\n"
                      << testing_support::read_file(home_.root() / "logs" / out);
        }
        const auto state = manager_.snapshot();
        std::cerr << "--- test manager: " << state.messages.size() << " accepted, "
                  << state.rejections.size() << " rejected\n";
        const std::size_t from =
            state.messages.size() > 20 ? state.messages.size() - 20 : 0;
        for (std::size_t i = from; i < state.messages.size(); ++i) {
            const auto& m = state.messages[i];
            std::cerr << "  " << m.counters.global << ":" << m.counters.local << " "
                      << m.payload.substr(0, 120) << "\n";
        }
        for (const auto& r : state.rejections) {
            std::cerr << "  rejected " << testmanager::to_string(r.reason) << " "
                      << r.detail << "\n";
        }
    }

    testmanager::TestManager manager_;
    AgentHome home_;
    AgentConfig config_;
    std::string keys_;
    std::string key_ip_ = "any";
    std::filesystem::path monitored_ = home_.root() / "monitored.log";
    std::filesystem::path agentd_path_;
    std::vector<std::string> agentd_flags_;  // after "-f"
    std::filesystem::path logcollector_path_;
    std::unique_ptr<ChildProcess> agentd_;
    std::unique_ptr<ChildProcess> logcollector_;
    // Put before logcollector's path (a program that then runs it).
    std::vector<std::string> logcollector_wrapper_;
};

TEST_F(AgentIntegrationTest, ConnectsWithStartupThenAgentStartedAndKeepalive) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));

    const auto messages = manager_.messages();
    ASSERT_FALSE(messages.empty());
    EXPECT_TRUE(messages.front().is_startup()) << messages.front().payload;
    EXPECT_EQ(messages.front().payload, "#!-agent startup ");

    const auto started =
        std::find_if(messages.begin(), messages.end(), [](const auto& m) {
            return m.event && m.event->text == agent_started_text("any");
        });
    ASSERT_NE(started, messages.end());
    EXPECT_EQ(started->payload, "1:ossec:" + agent_started_text("any"));

    const auto keepalive = std::find_if(messages.begin(), messages.end(),
                                        [](const auto& m) { return m.is_keepalive(); });
    ASSERT_NE(keepalive, messages.end());
    EXPECT_EQ(keepalive->payload.rfind("#!-", 0), 0u);
    const std::string first = keepalive->first_line();
    ASSERT_GE(first.size(), kProductVersion.size());
    EXPECT_EQ(first.substr(first.size() - kProductVersion.size()), kProductVersion)
        << first;
    const std::string second =
        keepalive->payload.substr(keepalive->payload.find('\n') + 1);
    EXPECT_EQ(second.substr(0, second.find('\n')), "x merged.mg")
        << "no etc/shared/merged.mg, so its checksum is 'x'";

    EXPECT_TRUE(manager_.rejections().empty());
    EXPECT_GE(manager_.stats().acks_sent, 2u);
}

TEST_F(AgentIntegrationTest, SendsKeepalivesEveryNotifyTime) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));
    const auto first = std::chrono::steady_clock::now();

    ASSERT_TRUE(manager_.wait_for_keepalives(4, 10s));
    // notify_time is 1 s: three more keepalives take about 3 s.
    EXPECT_GE(std::chrono::steady_clock::now() - first, 2s);
    EXPECT_EQ(manager_.snapshot().count_startups(), 1u) << "the agent reconnected";
}

TEST_F(AgentIntegrationTest, ConnectsWithSingleHostKey) {
    keys_ = key_line("127.0.0.1");
    key_ip_ = "127.0.0.1";
    ASSERT_TRUE(manager_.load_keys(keys_).empty());

    ASSERT_NO_FATAL_FAILURE(connect_agent());
    EXPECT_TRUE(manager_.rejections().empty());
}

TEST_F(AgentIntegrationTest, ForwardsQueueMessagesAsEvents) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());

    ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:/var/log/test.log:hello there"));
    ASSERT_TRUE(manager_.wait_for_event_text("hello there", 5s));
    const auto events = manager_.events();
    EXPECT_EQ(events.back().payload, "1:/var/log/test.log:hello there");
}

// OSSEC's modules send strlen + 1 bytes; the NUL is not part of the event.
TEST_F(AgentIntegrationTest, ForwardsQueueMessageWithoutItsTrailingNul) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());

    using namespace std::string_literals;
    ASSERT_TRUE(send_to_queue(home_.event_queue(), "9:rootcheck:from a stock module\0"s));
    ASSERT_TRUE(manager_.wait_until(
        [](const ManagerState& s) {
            return std::any_of(s.messages.begin(), s.messages.end(), [](const auto& m) {
                return m.event && m.event->location == "rootcheck";
            });
        },
        5s));
    const auto events = manager_.events();
    EXPECT_EQ(events.back().payload, "9:rootcheck:from a stock module");
}

TEST_F(AgentIntegrationTest, AppendedLineArrivesWithinTwoSeconds) {
    ASSERT_NO_FATAL_FAILURE(connect_agent_and_logcollector());

    const std::string line = "Dec  3 10:00:00 host sshd[42]: Accepted password for test";
    append_to_file(monitored_, line + "\n");
    const auto written = std::chrono::steady_clock::now();

    ASSERT_TRUE(manager_.wait_for_event_text(line, 2s));
    std::cout << "line arrived after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - written)
                     .count()
              << " ms\n";
    const auto lines = manager_.events();
    const auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& m) {
        return m.event && m.event->text == line;
    });
    ASSERT_NE(it, lines.end());
    EXPECT_EQ(it->payload, "1:" + monitored_.string() + ":" + line);
}

TEST_F(AgentIntegrationTest, ThousandAppendedLinesArriveAllInOrder) {
    ASSERT_NO_FATAL_FAILURE(connect_agent_and_logcollector());

    constexpr int kLines = 1000;
    std::string block;
    for (int i = 0; i < kLines; ++i) {
        block += "line " + std::to_string(i) + " of the bulk test\n";
        if (i % 100 == 99) {
            append_to_file(monitored_, block);
            block.clear();
        }
    }

    const bool all = manager_.wait_until(
        [&](const ManagerState& s) {
            return count_event_text(s, "line 999 of the bulk test") > 0;
        },
        30s);
    const auto lines = monitored_lines("line ");
    ASSERT_TRUE(all) << lines.size() << " of " << kLines << " lines arrived";
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(kLines));
    for (int i = 0; i < kLines; ++i) {
        ASSERT_EQ(lines[i], "line " + std::to_string(i) + " of the bulk test");
    }
    expect_counters_increase();
}

TEST_F(AgentIntegrationTest, RestartKeepsCountersIncreasing) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(2, 10s));
    const auto status = agentd_->terminate();
    ASSERT_TRUE(status);
    EXPECT_EQ(describe(*status), "exit code 0");
    EXPECT_TRUE(std::filesystem::exists(home_.rids_dir() / "sender_counter"));

    ASSERT_NO_FATAL_FAILURE(start_agentd());
    ASSERT_TRUE(manager_.wait_for_startups(2, 30s)) << "no startup after the restart";
    ASSERT_TRUE(wait_for_agent_started(2, 10s));
    expect_counters_increase();
}

TEST_F(AgentIntegrationTest, CrashKeepsCountersIncreasing) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    for (int i = 0; i < 300; ++i) {
        send_to_queue(home_.event_queue(), "1:crash-test:before " + std::to_string(i));
        if (i == 150) {
            agentd_->kill();
            break;
        }
    }
    ASSERT_FALSE(agentd_->running());

    ASSERT_NO_FATAL_FAILURE(start_agentd());
    ASSERT_TRUE(manager_.wait_for_startups(2, 30s)) << "no startup after the crash";
    ASSERT_TRUE(wait_for_agent_started(2, 10s));
    ASSERT_TRUE(wait_for_path(home_.event_queue(), 10s));
    ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:crash-test:after"));
    ASSERT_TRUE(manager_.wait_for_event_text("after", 5s));
    expect_counters_increase();
}

TEST_F(AgentIntegrationTest, ManagerCommandsKeepTheLink) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));

    ASSERT_FALSE(manager_.send_to_agent(
        "001", "#!-execd restart-ossec0 - null (from_the_server) (no_rule_id)"));
    ASSERT_FALSE(manager_.send_to_agent("001", "#!-syscheck restart"));
    ASSERT_FALSE(manager_.send_to_agent(
        "001",
        "#!-execd firewall-drop600 - 10.0.0.5 1701604800.12345 5712 "
        "(test-agent) any->/var/log/auth.log (null)"));

    const auto acks = manager_.stats().acks_sent;
    const auto keepalives = manager_.snapshot().count_keepalives();
    ASSERT_TRUE(manager_.wait_for_keepalives(keepalives + 2, 10s));
    EXPECT_GE(manager_.stats().acks_sent, acks + 2);
    EXPECT_EQ(manager_.snapshot().count_startups(), 1u) << "the agent reconnected";
    EXPECT_TRUE(manager_.rejections().empty());
    EXPECT_TRUE(agentd_->running());

    ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:after-commands:still here"));
    EXPECT_TRUE(manager_.wait_for_event_text("still here", 5s));
}

TEST_F(AgentIntegrationTest, PushedMergedFileIsReportedInTheNextKeepalive) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));

    const std::string ar_conf = "restart-ossec0 - restart-ossec.sh - 0\n";
    const std::string merged =
        "!" + std::to_string(ar_conf.size()) + " ar.conf\n" + ar_conf;
    const std::string md5 = core::md5_hex(merged);
    ASSERT_FALSE(manager_.push_file("001", "merged.mg", merged));

    const bool reported = manager_.wait_until(
        [&](const ManagerState& s) {
            return std::any_of(s.messages.begin(), s.messages.end(), [&](const auto& m) {
                return m.is_keepalive() &&
                       m.payload.find("\n" + md5 + " merged.mg\n") != std::string::npos;
            });
        },
        10s);
    EXPECT_TRUE(reported) << "no keepalive reported md5 " << md5;
    EXPECT_EQ(testing_support::read_file(home_.shared_dir() / "ar.conf"), ar_conf);
}

TEST_F(AgentIntegrationTest, ReplayedManagerMessageIsRefusedAndLogged) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));
    ASSERT_FALSE(manager_.send_to_agent("001", "#!-syscheck restart"));
    ASSERT_TRUE(manager_.wait_for_keepalives(2, 10s));  // it has read the command

    const std::size_t log_size = home_.read_log().size();
    ASSERT_FALSE(manager_.resend_last("001"));

    const std::string line =
        wait_for_log_line(log_size, "duplicat|replay|counter|old message", 5s);
    EXPECT_FALSE(line.empty()) << "ossec.log says nothing about the replayed message";
    std::cout << "agent logged: " << line << "\n";
    EXPECT_EQ(manager_.snapshot().count_startups(), 1u);
    EXPECT_TRUE(agentd_->running());
}

TEST_F(AgentIntegrationTest, ManagerCounterGoingBackIsRefused) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));
    const std::size_t log_size = home_.read_log().size();

    manager_.set_sender_counter({0, 0});
    ASSERT_FALSE(manager_.send_to_agent("001", "#!-syscheck restart"));

    const std::string line =
        wait_for_log_line(log_size, "duplicat|replay|counter|old message", 5s);
    EXPECT_FALSE(line.empty()) << "ossec.log says nothing about the old counters";
    std::cout << "agent logged: " << line << "\n";
    EXPECT_TRUE(agentd_->running());
}

TEST_F(AgentIntegrationTest, ReconnectsWhenTheManagerComesBack) {
    config_.time_reconnect = 3;
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    ASSERT_TRUE(manager_.wait_for_keepalives(1, 10s));

    manager_.set_away(true);
    ASSERT_TRUE(manager_.wait_until(
        [](const ManagerState& s) { return s.stats.dropped_away >= 1; }, 10s));
    std::this_thread::sleep_for(5s);  // past time-reconnect with no answer
    manager_.set_away(false);

    EXPECT_TRUE(manager_.wait_for_startups(2, 30s)) << "no new handshake";
    EXPECT_TRUE(agentd_->running());
}

// The README demo: ossec-testmanager prints what the real agent sends.
TEST_F(AgentIntegrationTest, TestManagerProgramPrintsEventsFromTheAgent) {
    manager_.stop();
    testing_support::write_file(home_.root() / "manager.keys", keys_);
    const auto output = home_.root() / "testmanager.out";
    ChildProcess program({TESTMANAGER_EXE, "--port", "0", "--keys",
                          (home_.root() / "manager.keys").string()},
                         output);
    ASSERT_FALSE(program.start());

    std::smatch match;
    const std::regex listening(R"(listening on 127\.0\.0\.1:([0-9]+))");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    std::string text;
    while (
        !std::regex_search(text = testing_support::read_file(output), match, listening)) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << text;
        std::this_thread::sleep_for(20ms);
    }
    config_.port = static_cast<std::uint16_t>(std::stoul(match[1]));
    ASSERT_NO_FATAL_FAILURE(start_agentd());
    ASSERT_TRUE(wait_for_path(home_.event_queue(), 30s));
    ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:/var/log/dpkg.log:demo line"));

    const std::string expected =
        "event agent=001 queue=1 location=/var/log/dpkg.log: demo line\n";
    while ((text = testing_support::read_file(output)).find(expected) ==
           std::string::npos) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline + 20s) << text;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_NE(text.find("startup agent=001\n"), std::string::npos) << text;
    EXPECT_NE(text.find("event agent=001 queue=1 location=ossec: " +
                        agent_started_text("any") + "\n"),
              std::string::npos)
        << text;

    const auto status = program.terminate();
    ASSERT_TRUE(status);
    EXPECT_EQ(describe(*status), "exit code 0");
    EXPECT_NE(testing_support::read_file(output).find("stopped: accepted "),
              std::string::npos);
}


// Sends numbered events through the local queue at a steady pace, with
// the platform's queue sender as the modules use it, retrying each one
// until agentd takes it (as the modules do while agentd is down).
class SteadyWriter {
public:
    SteadyWriter(std::filesystem::path queue, std::string prefix, int count,
                 std::chrono::microseconds gap)
        : thread_([=, this] {
              std::unique_ptr<pal::QueueSender> sender;
              const auto send = [&](const std::string& text) {
                  std::error_code ec;
                  if (!sender) {
                      sender = pal::connect_queue(queue, ec);
                  }
                  return sender && !sender->send(text);
              };
              for (int i = 0; i < count && !stop_; ++i) {
                  const std::string text = "1:no-loss:" + prefix + std::to_string(i);
                  while (!stop_ && !send(text)) {
                      std::this_thread::sleep_for(20ms);
                  }
                  std::this_thread::sleep_for(gap);
              }
              done_ = true;
          }) {}
    ~SteadyWriter() {
        stop_ = true;
        thread_.join();
    }
    bool done() const { return done_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// Every "prefix<i>" for i < count arrived, first arrivals in order.
void expect_all_in_order(const std::vector<Received>& events, const std::string& prefix,
                         int count) {
    SCOPED_TRACE("checking " + prefix + " events");
    std::vector<int> first_seen;
    std::set<int> seen;
    for (const auto& m : events) {
        if (!m.event || m.event->location != "no-loss" ||
            m.event->text.rfind(prefix, 0) != 0) {
            continue;
        }
        const int n = std::stoi(m.event->text.substr(prefix.size()));
        if (seen.insert(n).second) {
            first_seen.push_back(n);
        }
    }
    std::string missing;
    for (int i = 0, shown = 0; i < count && shown < 20; ++i) {
        if (seen.count(i) == 0) {
            missing += " " + std::to_string(i);
            ++shown;
        }
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(count)) << "events lost, first:" << missing;
    EXPECT_TRUE(std::is_sorted(first_seen.begin(), first_seen.end())) << "order broken";
}

bool wait_for_numbered(testmanager::TestManager& manager, const std::string& prefix, int count,
                       std::chrono::milliseconds timeout) {
    // Polls a copy, so the manager's lock is never held for the counting
    // (its receive thread would stall and the kernel drop datagrams).
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
        std::set<std::string> texts;
        for (const auto& m : manager.events()) {
            if (m.event && m.event->text.rfind(prefix, 0) == 0) {
                texts.insert(m.event->text);
            }
        }
        if (texts.size() >= static_cast<std::size_t>(count)) {
            return true;
        }
        std::this_thread::sleep_for(250ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

TEST_F(AgentIntegrationTest, ManagerAwayUnderSteadyInputLosesNothing) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    constexpr int kEvents = 2000;
    SteadyWriter writer(home_.event_queue(), "away-", kEvents, 2ms);

    std::this_thread::sleep_for(1500ms);
    manager_.set_away(true);  // as if stopped: nothing answered, nothing kept
    std::this_thread::sleep_for(5s);
    manager_.set_away(false);

    EXPECT_TRUE(wait_for_numbered(manager_, "away-", kEvents, 40s))
        << "not every event arrived after the manager came back";
    expect_all_in_order(manager_.events(), "away-", kEvents);
    EXPECT_GE(manager_.snapshot().count_startups(), 2u) << "the agent never reconnected";
    expect_counters_increase();
}

TEST_F(AgentIntegrationTest, AgentKilledThreeTimesUnderInputLosesNothing) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    constexpr int kEvents = 1500;
    SteadyWriter writer(home_.event_queue(), "kill-", kEvents, 2ms);

    for (int round = 0; round < 3; ++round) {
        std::this_thread::sleep_for(700ms);
        agentd_->kill();
        std::this_thread::sleep_for(300ms);
        ASSERT_NO_FATAL_FAILURE(start_agentd());
    }
    EXPECT_TRUE(wait_for_numbered(manager_, "kill-", kEvents, 40s))
        << "not every event arrived after the agent was killed";
    expect_all_in_order(manager_.events(), "kill-", kEvents);
    expect_counters_increase();
}
}  // namespace
}  // namespace integration

namespace integration {
namespace {

TEST_F(AgentIntegrationTest, RecoversWhenTheManagerHoldsAHigherCounter) {
    // As after restoring the agent from a snapshot: the manager remembers
    // a global counter above anything the agent will use on its own.
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    ASSERT_TRUE(manager_.set_agent_counter("001", {static_cast<std::uint32_t>(minutes + 5000),
                                                   9000}));
    const std::size_t log_offset = home_.read_log().size();
    ASSERT_NO_FATAL_FAILURE(start_agentd());

    ASSERT_TRUE(manager_.wait_for_startups(1, 45s))
        << "the agent never passed the manager's counter";
    ASSERT_TRUE(wait_for_agent_started(1, 10s));
    EXPECT_GE(manager_.stats().rejected_replay, 1u);
    EXPECT_FALSE(wait_for_log_line(log_offset, "message counter moved forward", 1s).empty());
}

}  // namespace
}  // namespace integration

namespace integration {
namespace {

std::size_t count_startups(const testmanager::TestManager& m) {
    return m.snapshot().count_startups();
}

// The texts of the "1:link:<text>" events a manager accepted, in order.
std::vector<std::string> link_texts(const testmanager::TestManager& m) {
    std::vector<std::string> out;
    for (const auto& e : m.events()) {
        if (e.event && e.event->location == "link") {
            out.push_back(e.event->text);
        }
    }
    return out;
}

TEST_F(AgentIntegrationTest, TcpWithAesCarriesEventsAndCommandsExactly) {
    testmanager::ManagerOptions options;
    options.tcp = true;
    testmanager::TestManager tcp_manager(options);
    ASSERT_FALSE(tcp_manager.start());
    ASSERT_TRUE(tcp_manager.load_keys(keys_).empty());
    manager_.stop();
    config_.servers = {{"127.0.0.1", tcp_manager.port(), "tcp"}};
    config_.crypto_method = "aes";
    std::error_code ec;
    const auto execq = home_.root() / "queue" / "alerts" / "execq";
    auto exec_queue = pal::bind_queue(execq, ec);
    ASSERT_TRUE(exec_queue) << ec.message();

    ASSERT_NO_FATAL_FAILURE(start_agentd());
    ASSERT_TRUE(tcp_manager.wait_for_startups(1, 20s)) << "no startup over TCP";
    ASSERT_TRUE(tcp_manager.wait_for_event_text(agent_started_text("any"), 10s));
    ASSERT_TRUE(wait_for_path(home_.event_queue(), 10s));

    // Events, some near the payload limit, each exactly once and in order.
    std::vector<std::string> sent;
    for (int i = 0; i < 300; ++i) {
        std::string text = "tcp-aes " + std::to_string(i) + " ";
        text += std::string(static_cast<std::size_t>(i % 7 == 0 ? 5000 : i), 'a' + i % 26);
        sent.push_back(text);
        ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:link:" + text));
    }
    ASSERT_TRUE(tcp_manager.wait_until(
        [](const ManagerState& s) { return s.count_events() >= 301; }, 20s));
    EXPECT_EQ(link_texts(tcp_manager), sent);
    for (const auto& m : tcp_manager.messages()) {
        EXPECT_TRUE(m.aes) << "not sealed with AES: " << m.payload.substr(0, 60);
    }
    EXPECT_EQ(tcp_manager.stats().tcp_connections, 1u);
    EXPECT_EQ(tcp_manager.stats().rejected_bad, 0u);

    // Commands from the manager (sealed with AES, framed) reach this host.
    const std::string ar = "restart-ossec0 - null (from_the_server) (no_rule_id)";
    ASSERT_FALSE(tcp_manager.send_to_agent("001", "#!-execd " + ar));
    const auto received = exec_queue->receive(5s, ec);
    ASSERT_TRUE(received) << "no active response reached execq";
    EXPECT_EQ(*received, ar);

    ASSERT_FALSE(tcp_manager.send_to_agent("001", "#!-syscheck restart"));
    EXPECT_TRUE(wait_for_path(home_.root() / "var" / "run" / ".syscheck_run", 5s));

    const std::string ar_conf = "restart-ossec0 - restart-ossec.sh - 0\n";
    const std::string merged = "!" + std::to_string(ar_conf.size()) + " ar.conf\n" + ar_conf;
    ASSERT_FALSE(tcp_manager.push_file("001", "merged.mg", merged));
    const std::string md5 = core::md5_hex(merged);
    EXPECT_TRUE(tcp_manager.wait_until(
        [&](const ManagerState& s) {
            return std::any_of(s.messages.begin(), s.messages.end(), [&](const auto& m) {
                return m.is_keepalive() &&
                       m.payload.find("\n" + md5 + " merged.mg\n") != std::string::npos;
            });
        },
        10s));
    EXPECT_EQ(testing_support::read_file(home_.shared_dir() / "ar.conf"), ar_conf);
    EXPECT_EQ(count_startups(tcp_manager), 1u);
}

TEST_F(AgentIntegrationTest, TcpManagerRestartUnderSteadyInputLosesNothing) {
    testmanager::ManagerOptions options;
    options.tcp = true;
    testmanager::TestManager tcp_manager(options);
    ASSERT_FALSE(tcp_manager.start());
    ASSERT_TRUE(tcp_manager.load_keys(keys_).empty());
    manager_.stop();
    config_.servers = {{"127.0.0.1", tcp_manager.port(), "tcp"}};
    ASSERT_NO_FATAL_FAILURE(start_agentd());
    ASSERT_TRUE(tcp_manager.wait_for_startups(1, 20s));
    ASSERT_TRUE(wait_for_path(home_.event_queue(), 10s));

    constexpr int kEvents = 1500;
    SteadyWriter writer(home_.event_queue(), "tcp-", kEvents, 2ms);
    std::this_thread::sleep_for(1s);
    tcp_manager.stop();  // closes the connection
    std::this_thread::sleep_for(2s);
    const auto restart_ec = tcp_manager.restart();
    ASSERT_FALSE(restart_ec) << restart_ec.message();

    EXPECT_TRUE(wait_for_numbered(tcp_manager, "tcp-", kEvents, 40s));
    expect_all_in_order(tcp_manager.events(), "tcp-", kEvents);
    EXPECT_GE(count_startups(tcp_manager), 2u);
    EXPECT_GE(tcp_manager.stats().tcp_connections, 2u);
    EXPECT_FALSE(wait_for_log_line(0, "closed the connection", 1s).empty());
}

std::string state_file_manager(const std::filesystem::path& home) {
    const std::string text =
        testing_support::read_file(home / "var" / "run" / "ossec-agentd.state");
    const auto at = text.find("manager='");
    if (at == std::string::npos) {
        return "";
    }
    const auto start = at + 9;
    return text.substr(start, text.find('\'', start) - start);
}

TEST_F(AgentIntegrationTest, FailsOverToTheSecondManagerWhenTheFirstStops) {
    testmanager::TestManager second;
    ASSERT_FALSE(second.start());
    ASSERT_TRUE(second.load_keys(keys_).empty());
    config_.servers = {{"127.0.0.1", manager_.port(), "udp"},
                       {"127.0.0.1", second.port(), "udp"}};
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    EXPECT_EQ(count_startups(second), 0u);

    constexpr int kEvents = 2000;
    SteadyWriter writer(home_.event_queue(), "failover-", kEvents, 2ms);
    std::this_thread::sleep_for(1500ms);
    manager_.stop();

    ASSERT_TRUE(second.wait_for_startups(1, 30s)) << "no failover to the second manager";
    ASSERT_TRUE(wait_for_numbered(second, "failover-", 1, 10s));
    // Every event reached one manager or the other; the second got
    // everything the first could not confirm.
    const auto all_arrived = [&] {
        std::set<std::string> texts;
        for (const auto* m : {&manager_, &second}) {
            for (const auto& e : m->events()) {
                if (e.event && e.event->location == "no-loss") {
                    texts.insert(e.event->text);
                }
            }
        }
        return texts.size();
    };
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    while (all_arrived() < kEvents && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(250ms);
    }
    EXPECT_EQ(all_arrived(), static_cast<std::size_t>(kEvents));
    std::vector<Received> both = manager_.events();
    for (auto& e : second.events()) {
        both.push_back(std::move(e));
    }
    expect_all_in_order(both, "failover-", kEvents);

    const std::string expected = "127.0.0.1:" + std::to_string(second.port()) + "/udp";
    const auto state_deadline = std::chrono::steady_clock::now() + 12s;
    while (state_file_manager(home_.root()) != expected &&
           std::chrono::steady_clock::now() < state_deadline) {
        std::this_thread::sleep_for(200ms);
    }
    EXPECT_EQ(state_file_manager(home_.root()), expected);
}

TEST_F(AgentIntegrationTest, ConnectsToAnIpv6Manager) {
    testmanager::ManagerOptions options;
    options.bind_address = "::1";
    testmanager::TestManager v6(options);
    if (const auto ec = v6.start()) {
        GTEST_SKIP() << "cannot bind [::1] here (" << ec.message()
                     << "): this machine has no IPv6 loopback";
    }
    ASSERT_TRUE(v6.load_keys(keys_).empty());
    config_.servers = {{"::1", v6.port(), "udp"}};
    ASSERT_NO_FATAL_FAILURE(start_agentd());
    ASSERT_TRUE(v6.wait_for_startups(1, 20s));
    ASSERT_TRUE(wait_for_path(home_.event_queue(), 10s));
    ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:link:over v6"));
    ASSERT_TRUE(v6.wait_for_event_text("over v6", 10s));
    EXPECT_EQ(v6.events().back().source_address, "::1");
    EXPECT_FALSE(wait_for_log_line(0, "connected to the manager \\[::1\\]:" +
                                          std::to_string(v6.port()) + "/udp",
                                   2s)
                     .empty());
}

// The account agentd switches to in the privilege test: "ossec" where it
// exists, else a system account made for the test and removed after it.
class AgentAccount {
public:
    AgentAccount() {
        if (lookup(kDefault)) {
            return;
        }
        name_ = "ossectest" + std::to_string(::getpid() % 100000);
        const std::string add = "useradd --system --user-group --no-create-home "
                                "--shell /usr/sbin/nologin " + name_ + " >/dev/null 2>&1";
        created_ = std::system(add.c_str()) == 0;
        if (created_ && !lookup(name_)) {
            error_ = "useradd made no account " + name_;
        } else if (!created_) {
            error_ = "cannot create a throwaway account with useradd";
        }
    }
    ~AgentAccount() {
        if (created_) {
            const std::string del = "userdel " + name_ + " >/dev/null 2>&1";
            if (std::system(del.c_str()) != 0) {
                std::cerr << "could not remove the test account " << name_ << "\n";
            }
        }
    }
    const std::string& error() const { return error_; }
    const std::string& name() const { return name_; }
    const std::string& group() const { return group_; }
    uid_t uid() const { return uid_; }
    gid_t gid() const { return gid_; }

private:
    static constexpr char kDefault[] = "ossec";

    bool lookup(const std::string& name) {
        const passwd* user = ::getpwnam(name.c_str());
        if (user == nullptr) {
            return false;
        }
        const struct group* primary = ::getgrgid(user->pw_gid);
        if (primary == nullptr) {
            return false;
        }
        name_ = name;
        group_ = primary->gr_name;
        uid_ = user->pw_uid;
        gid_ = user->pw_gid;
        return true;
    }

    std::string name_;
    std::string group_;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    bool created_ = false;
    std::string error_;
};

// Owners and modes as the installer sets them (installer/debian/postinst):
// root owns what agentd only reads, the agent group may write only where
// agentd writes.
void lay_out_for(const std::filesystem::path& root, const AgentAccount& account) {
    struct Entry {
        const char* path;
        bool user_owned;
        mode_t mode;
    };
    std::filesystem::create_directories(root / "queue" / "buffer");
    for (const Entry& entry : std::initializer_list<Entry>{
             {".", false, 0750}, {"etc", false, 0750}, {"etc/ossec.conf", false, 0640},
             {"etc/client.keys", false, 0640}, {"etc/shared", true, 0770},
             {"bin", false, 0750}, {"queue", false, 0750}, {"queue/ossec", true, 02770},
             {"queue/alerts", true, 02770}, {"queue/rids", true, 0770},
             {"queue/buffer", true, 0770}, {"var", false, 0750}, {"var/run", false, 0770},
             {"logs", true, 0770}}) {
        const std::filesystem::path path = root / entry.path;
        ASSERT_EQ(::chown(path.c_str(), entry.user_owned ? account.uid() : 0, account.gid()), 0)
            << path;
        ASSERT_EQ(::chmod(path.c_str(), entry.mode), 0) << path;
    }
}

// The values of a "Name:\tv1\tv2..." line of /proc/PID/status.
std::string proc_status_field(pid_t pid, const std::string& name) {
    std::istringstream lines(
        testing_support::read_file("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(name + ":", 0) == 0) {
            std::istringstream values(line.substr(name.size() + 1));
            std::string out;
            for (std::string value; values >> value;) {
                out += (out.empty() ? "" : " ") + value;
            }
            return out;
        }
    }
    return "(no " + name + " line)";
}

TEST_F(AgentIntegrationTest, RunsAsTheAgentUserConfinedToItsHome) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "agentd switches user and chroots only when started as root; "
                        "this test runs as uid "
                     << ::geteuid();
    }
    const AgentAccount account;
    ASSERT_TRUE(account.error().empty()) << account.error();
    agentd_flags_ = {"-u", account.name(), "-g", account.group()};
    home_.write_config(config_);
    home_.write_keys(keys_);
    ASSERT_NO_FATAL_FAILURE(lay_out_for(home_.root(), account));

    ASSERT_NO_FATAL_FAILURE(connect_agent());
    const pid_t pid = agentd_->pid();
    const std::string uid = std::to_string(account.uid());
    const std::string gid = std::to_string(account.gid());
    EXPECT_EQ(proc_status_field(pid, "Uid"), uid + " " + uid + " " + uid + " " + uid);
    EXPECT_EQ(proc_status_field(pid, "Gid"), gid + " " + gid + " " + gid + " " + gid);
    EXPECT_EQ(proc_status_field(pid, "Groups"), gid);
    EXPECT_EQ(std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/root"),
              std::filesystem::canonical(home_.root()));

    // Confined and unprivileged, it still does its work: an event goes
    // out, the pid file and the state file are where ossec-control looks.
    ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:confined:event from the queue"));
    EXPECT_TRUE(manager_.wait_until(
        [](const ManagerState& s) { return count_event_text(s, "event from the queue") == 1; },
        10s));
    const auto pid_file =
        home_.root() / "var" / "run" / ("ossec-agentd-" + std::to_string(pid) + ".pid");
    EXPECT_EQ(testing_support::read_file(pid_file), std::to_string(pid) + "\n");
    EXPECT_TRUE(wait_for_path(home_.root() / "var" / "run" / "ossec-agentd.state", 10s));
    EXPECT_FALSE(
        wait_for_log_line(0, "now running as user '" + account.name() + "'", 1s).empty());

    const auto status = agentd_->terminate();
    ASSERT_TRUE(status);
    EXPECT_EQ(describe(*status), "exit code 0");
    EXPECT_FALSE(std::filesystem::exists(pid_file));
}

// SIGTERM while the manager is away: what agentd holds in memory and
// what the modules queued goes to the disk buffer; after a restart with
// the manager back, every event arrives.
TEST_F(AgentIntegrationTest, SigtermKeepsEveryQueuedEventForTheNextStart) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    manager_.set_away(true);
    constexpr int kEvents = 600;
    for (int i = 0; i < kEvents; ++i) {
        ASSERT_TRUE(send_to_queue(home_.event_queue(), "1:no-loss:term-" + std::to_string(i)));
    }
    const std::size_t log_offset = home_.read_log().size();
    agentd_->signal(SIGTERM);
    const auto status = agentd_->wait_for_exit(15s);
    ASSERT_TRUE(status) << "agentd did not stop on SIGTERM";
    EXPECT_EQ(describe(*status), "exit code 0");
    EXPECT_FALSE(wait_for_log_line(log_offset,
                                   "events not yet confirmed by the manager stay in the "
                                   "buffer for the next start",
                                   1s)
                     .empty());

    manager_.set_away(false);
    ASSERT_NO_FATAL_FAILURE(start_agentd());
    EXPECT_TRUE(wait_for_numbered(manager_, "term-", kEvents, 40s))
        << "not every event arrived after the restart";
    expect_all_in_order(manager_.events(), "term-", kEvents);
    expect_counters_increase();
}

}  // namespace
}  // namespace integration

// Fault injection (issue 8): the real programs under the faults an agent
// meets in the field, every event counted end to end.
namespace integration {
namespace {

// Appends "prefix<i>\n" for i < count to a file at a steady pace.
class SteadyLineWriter {
public:
    SteadyLineWriter(std::filesystem::path file, std::string prefix, int count,
                     std::chrono::microseconds gap)
        : thread_([=, this] {
              for (int i = 0; i < count && !stop_; ++i) {
                  append_to_file(file, prefix + std::to_string(i) + "\n");
                  std::this_thread::sleep_for(gap);
              }
              done_ = true;
          }) {}
    ~SteadyLineWriter() {
        stop_ = true;
        thread_.join();
    }
    bool done() const { return done_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// Every "prefix<i>" (i < count) from location arrived; first arrivals in
// order. Returns how many distinct ones arrived.
std::size_t count_lines_in_order(const std::vector<Received>& events,
                                 const std::string& location, const std::string& prefix,
                                 int count, bool& in_order) {
    std::set<int> seen;
    std::vector<int> first_seen;
    for (const auto& m : events) {
        if (m.event && m.event->location == location &&
            m.event->text.rfind(prefix, 0) == 0) {
            const int n = std::stoi(m.event->text.substr(prefix.size()));
            if (n < count && seen.insert(n).second) {
                first_seen.push_back(n);
            }
        }
    }
    in_order = std::is_sorted(first_seen.begin(), first_seen.end());
    return seen.size();
}

bool wait_for_lines(const testmanager::TestManager& manager, const std::string& location,
                    const std::string& prefix, int count,
                    std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool in_order = false;
    do {
        if (count_lines_in_order(manager.events(), location, prefix, count, in_order) ==
            static_cast<std::size_t>(count)) {
            return true;
        }
        std::this_thread::sleep_for(250ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

// The lines of ossec.log past offset that contain text.
std::vector<std::string> log_lines_with(const std::string& log, std::size_t offset,
                                        const std::string& text) {
    std::vector<std::string> out;
    std::istringstream lines(offset < log.size() ? log.substr(offset) : "");
    for (std::string line; std::getline(lines, line);) {
        if (line.find(text) != std::string::npos) {
            out.push_back(line);
        }
    }
    return out;
}

TEST_F(AgentIntegrationTest, AgentdAndLogcollectorKilledFiveTimesLoseNoLine) {
    ASSERT_NO_FATAL_FAILURE(connect_agent_and_logcollector());
    constexpr int kLines = 2500;
    SteadyLineWriter writer(monitored_, "steady ", kLines, 2ms);

    for (int round = 0; round < 5; ++round) {
        std::this_thread::sleep_for(700ms);
        // Both at once, as the OOM killer or a power cut would.
        logcollector_->kill();
        agentd_->kill();
        std::this_thread::sleep_for(200ms);
        ASSERT_NO_FATAL_FAILURE(start_agentd());
        ASSERT_NO_FATAL_FAILURE(start_logcollector());
    }
    const bool all = wait_for_lines(manager_, monitored_.string(), "steady ", kLines, 30s);
    bool in_order = false;
    const std::size_t arrived = count_lines_in_order(manager_.events(), monitored_.string(),
                                                     "steady ", kLines, in_order);
    EXPECT_TRUE(all) << arrived << " of " << kLines << " lines arrived";
    EXPECT_EQ(arrived, static_cast<std::size_t>(kLines));
    EXPECT_TRUE(in_order) << "first arrivals out of order";
    std::size_t copies = 0;
    for (const auto& m : manager_.events()) {
        copies += m.event && m.event->location == monitored_.string() &&
                  m.event->text.rfind("steady ", 0) == 0;
    }
    std::cout << kLines << " lines, 5 kills of both programs: " << arrived
              << " arrived, " << copies - arrived << " sent twice\n";
    expect_counters_increase();
}

// Slow manager: every ACK comes 1.5 s after the keep-alive that asked for
// it (notify_time is 1 s, so keep-alives and ACKs overlap).
TEST_F(AgentIntegrationTest, SlowManagerWithLateAcksLosesNothing) {
    manager_.set_ack_delay(1500ms);
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    constexpr int kEvents = 2000;
    SteadyWriter writer(home_.event_queue(), "slow-", kEvents, 2ms);
    EXPECT_TRUE(wait_for_numbered(manager_, "slow-", kEvents, 40s))
        << "not every event arrived at the slow manager";
    expect_all_in_order(manager_.events(), "slow-", kEvents);
    EXPECT_GE(manager_.stats().acks_sent, 3u);
    std::cout << "startups " << manager_.snapshot().count_startups() << ", ACKs sent "
              << manager_.stats().acks_sent << "\n";
    expect_counters_increase();
}

// The number of distinct "prefix<i>" events the manager holds.
std::size_t count_numbered(testmanager::TestManager& manager, const std::string& prefix) {
    std::set<std::string> texts;
    for (const auto& m : manager.events()) {
        if (m.event && m.event->text.rfind(prefix, 0) == 0) {
            texts.insert(m.event->text);
        }
    }
    return texts.size();
}

// The value of key='...' in agentd's state file, or -1.
long state_file_number(const std::filesystem::path& home, const std::string& key) {
    const std::string text =
        testing_support::read_file(home / "var" / "run" / "ossec-agentd.state");
    const auto at = text.find("\n" + key + "='");
    if (at == std::string::npos) {
        return -1;
    }
    return std::strtol(text.c_str() + at + key.size() + 3, nullptr, 10);
}

// Adaptive pacing (pace_controller.hpp): keep-alives ACKed at once teach
// the agent a round trip of about a millisecond; then every ACK comes
// 1.2 s late (above the 500 ms cut bound, below the 2 s ACK timeout that
// notify_time 1 s gives), so the agent halves its rate from the configured
// 500/s and the manager receives at most that; when ACKs are quick again
// the rate climbs back to 500/s, and every event arrived.
TEST_F(AgentIntegrationTest, SlowAcksCutTheEventRateAndNothingIsLost) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    const std::size_t log_offset = home_.read_log().size();
    constexpr int kEvents = 4000;
    SteadyWriter writer(home_.event_queue(), "pace-", kEvents, 2ms);
    std::this_thread::sleep_for(2500ms);
    EXPECT_EQ(log_lines_with(home_.read_log(), log_offset, "events now go at").size(), 0u)
        << "rate cut while ACKs were quick";
    manager_.set_ack_delay(1200ms);

    const std::string cut = wait_for_log_line(log_offset, "events now go at 125/s", 20s);
    ASSERT_FALSE(cut.empty()) << "the rate was not cut to 125/s";
    EXPECT_NE(cut.find("confirms slowly (keep-alive round trip 1"), std::string::npos) << cut;
    EXPECT_NE(cut.find("(configured 500/s)"), std::string::npos) << cut;
    EXPECT_EQ(log_lines_with(home_.read_log(), log_offset, "events now go at 250/s").size(), 1u);
    // From here the rate is at most 125/s (it only falls while ACKs stay
    // slow): in 2 s at most 2 x 125 events plus a burst of 125 / 4 (and
    // the few that were in flight when counting began).
    const std::size_t before = count_numbered(manager_, "pace-");
    std::this_thread::sleep_for(2s);
    const std::size_t in_window = count_numbered(manager_, "pace-") - before;
    EXPECT_LE(in_window, 2u * 125u + 32u + 8u);  // + a few datagrams in flight
    EXPECT_GT(in_window, 0u) << "nothing sent while the rate was cut";
    EXPECT_FALSE(writer.done() && count_numbered(manager_, "pace-") == kEvents)
        << "every event arrived before the window ended: the window measured nothing";
    // The state file (written every 5 s) shows the cut rate.
    long rate = -1;
    for (int i = 0; i < 60 && !(rate > 0 && rate <= 125); ++i) {
        std::this_thread::sleep_for(100ms);
        rate = state_file_number(home_.root(), "events_per_second");
    }
    EXPECT_GE(rate, 20);
    EXPECT_LE(rate, 125);

    manager_.set_ack_delay(0ms);
    EXPECT_TRUE(wait_for_numbered(manager_, "pace-", kEvents, 60s))
        << "not every event arrived";
    expect_all_in_order(manager_.events(), "pace-", kEvents);
    const std::string back = wait_for_log_line(
        log_offset, "confirms quickly again: events go at the configured 500/s", 40s);
    EXPECT_FALSE(back.empty()) << "the rate did not return to the ceiling";
    for (int i = 0; i < 60 && rate != 500; ++i) {
        std::this_thread::sleep_for(100ms);
        rate = state_file_number(home_.root(), "events_per_second");
    }
    EXPECT_EQ(rate, 500);
    EXPECT_EQ(log_lines_with(home_.read_log(), log_offset, "confirms quickly again").size(), 1u);
    std::cout << "events in a 2 s window at <= 125/s: " << in_window << "; ossec.log lines:\n";
    for (const auto& line : log_lines_with(home_.read_log(), log_offset, "/s")) {
        std::cout << line << "\n";
    }
    expect_counters_increase();
}

// A manager that follows each ACK with garbage, a truncated copy, a
// replay, an oversized datagram or a bad seal: the agent logs and drops
// them, the link stays up and every event arrives.
TEST_F(AgentIntegrationTest, ManagerNoiseKeepsTheLinkAndLosesNothing) {
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    const std::size_t log_offset = home_.read_log().size();
    manager_.set_reply_noise(true);
    constexpr int kEvents = 1500;
    SteadyWriter writer(home_.event_queue(), "noise-", kEvents, 2ms);
    const auto keepalives = manager_.snapshot().count_keepalives();
    EXPECT_TRUE(manager_.wait_for_keepalives(keepalives + 6, 20s));
    EXPECT_TRUE(wait_for_numbered(manager_, "noise-", kEvents, 40s))
        << "not every event arrived";
    expect_all_in_order(manager_.events(), "noise-", kEvents);
    EXPECT_GE(manager_.stats().noise_sent, 5u) << "every kind of noise sent at least once";
    EXPECT_TRUE(agentd_->running());
    EXPECT_EQ(manager_.snapshot().count_startups(), 1u)
        << "the agent dropped the link and did the handshake again";
    const std::string log = home_.read_log();
    std::cout << "noise datagrams " << manager_.stats().noise_sent << "; ossec.log since:\n"
              << log.substr(std::min(log_offset, log.size())) << "\n";
    expect_counters_increase();
}

class QueueMount {
public:
    explicit QueueMount(std::filesystem::path dir) : dir_(std::move(dir)) {}
    ~QueueMount() {
        if (mounted_) {
            ::umount2(dir_.c_str(), MNT_DETACH);
        }
    }
    // "" when mounted, else why not.
    std::string mount(std::size_t bytes) {
        if (::geteuid() != 0) {
            return "not root, so no tmpfs can be mounted under queue/";
        }
        const std::string options = "size=" + std::to_string(bytes);
        if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
            return std::string("mount -t tmpfs on queue/ failed: ") + std::strerror(errno);
        }
        mounted_ = true;
        return {};
    }

private:
    std::filesystem::path dir_;
    bool mounted_ = false;
};

// Writes to path until the file system refuses; true when it did.
bool fill_disk(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    const std::string block(4096, 'f');
    bool full = false;
    for (int i = 0; i < 1 << 16 && !full; ++i) {
        full = ::write(fd, block.data(), block.size()) < 0 && errno == ENOSPC;
    }
    // The last bytes of a partly filled page.
    while (full && ::write(fd, block.data(), 1) == 1) {
    }
    ::close(fd);
    return full;
}

TEST_F(AgentIntegrationTest, FullDiskUnderQueueIsLoggedAndRecovers) {
    const auto queue = home_.root() / "queue";
    QueueMount mount(queue);
    if (const std::string why = mount.mount(4u << 20); !why.empty()) {
        GTEST_SKIP() << why;
    }
    for (const char* dir : {"ossec", "rids", "alerts"}) {
        std::filesystem::create_directories(queue / dir);
    }
    ASSERT_NO_FATAL_FAILURE(connect_agent());
    const std::size_t log_offset = home_.read_log().size();
    constexpr int kEvents = 1500;
    SteadyWriter writer(home_.event_queue(), "full-", kEvents, 2ms);
    std::this_thread::sleep_for(1s);

    ASSERT_TRUE(fill_disk(queue / "filler")) << "could not fill the tmpfs";
    const std::string full_line =
        wait_for_log_line(log_offset, "cannot write to the event buffer", 10s);
    EXPECT_FALSE(full_line.empty()) << "ossec.log says nothing about the full disk";
    const auto keepalives = manager_.snapshot().count_keepalives();
    EXPECT_TRUE(manager_.wait_for_keepalives(keepalives + 2, 10s))
        << "agentd stopped talking to the manager while the disk was full";
    EXPECT_TRUE(agentd_->running());

    std::filesystem::remove(queue / "filler");
    EXPECT_FALSE(wait_for_log_line(log_offset, "can be written again", 10s).empty())
        << "ossec.log does not say the buffer works again";
    EXPECT_TRUE(wait_for_numbered(manager_, "full-", kEvents, 40s))
        << "not every event arrived after space returned";
    expect_all_in_order(manager_.events(), "full-", kEvents);
    const std::string log = home_.read_log();
    const auto errors = log_lines_with(log, log_offset, "ERROR");
    std::cout << "agent logged: " << full_line << "\n"
              << errors.size() << " ERROR lines while full; ossec.log since:\n"
              << log.substr(std::min(log_offset, log.size())) << "\n";
    expect_counters_increase();
}

TEST_F(AgentIntegrationTest, UnreadableDeletedAndDirectoryLogFilesAreOneLineEach) {
    const auto unreadable = home_.root() / "unreadable.log";
    const auto deleted = home_.root() / "deleted.log";
    const auto directory = home_.root() / "directory.log";
    const auto other = home_.root() / "other.log";
    for (const auto& f : {unreadable, deleted, directory, other}) {
        append_to_file(f, "");
    }
    config_.log_files = {monitored_, unreadable, deleted, directory, other};
    if (::geteuid() == 0) {
        // root reads any file; without these two capabilities it reads
        // by the mode bits, as the agent's own user would.
        if (::access("/usr/bin/setpriv", X_OK) != 0) {
            GTEST_SKIP() << "running as root without /usr/bin/setpriv, so a file cannot be "
                            "made unreadable for logcollector";
        }
        logcollector_wrapper_ = {"/usr/bin/setpriv",
                                 "--inh-caps=-dac_override,-dac_read_search",
                                 "--bounding-set=-dac_override,-dac_read_search"};
    }
    ASSERT_NO_FATAL_FAILURE(connect_agent_and_logcollector());
    for (const auto& f : {unreadable, deleted, directory, other}) {
        append_to_file(f, "before\n");
    }
    ASSERT_TRUE(manager_.wait_until(
        [&](const ManagerState& s) { return count_event_text(s, "before") == 4; }, 10s))
        << "the four files are not all read";
    const std::size_t log_offset = home_.read_log().size();

    // Unreadable: replaced (as by rotation) by a file logcollector may not
    // read. Deleted. Replaced by a directory.
    // The new file is made unreadable before it takes the name: created
    // in place and then chmod-ed, a loaded machine let logcollector open
    // it in between and read "secret".
    const auto replacement = home_.root() / "unreadable.new";
    append_to_file(replacement, "secret\n");
    std::filesystem::permissions(replacement, std::filesystem::perms::none);
    std::filesystem::rename(unreadable, home_.root() / "unreadable.log.1");
    std::filesystem::rename(replacement, unreadable);
    std::filesystem::remove(deleted);
    std::filesystem::remove(directory);
    std::filesystem::create_directory(directory);

    constexpr int kLines = 300;
    SteadyLineWriter writer(other, "other ", kLines, 5ms);
    SteadyLineWriter writer2(monitored_, "main ", kLines, 5ms);
    EXPECT_TRUE(wait_for_lines(manager_, other.string(), "other ", kLines, 20s));
    EXPECT_TRUE(wait_for_lines(manager_, monitored_.string(), "main ", kLines, 20s));
    std::this_thread::sleep_for(3s);  // many retries of the three files

    const std::string log = home_.read_log();
    const auto lines_about = [&](const std::filesystem::path& f) {
        return log_lines_with(log, log_offset, "'" + f.string() + "'");
    };
    // Warnings: one per file that cannot be read, none for the deleted
    // one (an INFO line says it was deleted). Depending on timing the
    // directory is first seen deleted (INFO) or as a rotation (INFO).
    const auto warnings_about = [&](const std::filesystem::path& f) {
        std::vector<std::string> out;
        for (const auto& line : lines_about(f)) {
            if (line.find("WARNING") != std::string::npos ||
                line.find("ERROR") != std::string::npos) {
                out.push_back(line);
            }
        }
        return out;
    };
    const auto u = warnings_about(unreadable);
    const auto r = warnings_about(directory);
    EXPECT_EQ(u.size(), 1u);
    EXPECT_EQ(warnings_about(deleted).size(), 0u);
    EXPECT_EQ(log_lines_with(log, log_offset,
                             "log file '" + deleted.string() +
                                 "' was deleted and read to its end")
                  .size(),
              1u);
    EXPECT_EQ(r.size(), 1u);
    if (u.size() == 1) {
        EXPECT_NE(u[0].find("cannot open log file '" + unreadable.string() + "': " +
                            std::make_error_code(std::errc::permission_denied).message()),
                  std::string::npos)
            << u[0];
    }
    if (r.size() == 1) {
        EXPECT_NE(r[0].find("cannot open log file '" + directory.string() + "': " +
                            std::make_error_code(std::errc::is_a_directory).message()),
                  std::string::npos)
            << r[0];
    }
    EXPECT_EQ(count_event_text(manager_.snapshot(), "secret"), 0u);
    std::cout << "ossec.log since the faults:\n"
              << log.substr(std::min(log_offset, log.size())) << "\n";
}

}  // namespace
}  // namespace integration

namespace integration {
namespace {

// SIGHUP (what 'ossec-control reload' sends it): logcollector reads
// ossec.conf again and follows the new <localfile> set, without a
// restart, and the file it followed before goes on where it was.
TEST_F(AgentIntegrationTest, LogcollectorFollowsTheNewLocalfileSetOnSighup) {
    ASSERT_NO_FATAL_FAILURE(connect_agent_and_logcollector());
    const std::filesystem::path added = home_.root() / "added.log";
    append_to_file(added, "written before the reload\n");
    config_.log_files = {monitored_, added};
    home_.write_config(config_);
    const std::size_t log_offset = home_.read_log().size();

    logcollector_->signal(SIGHUP);
    EXPECT_FALSE(wait_for_log_line(log_offset,
                                   "ossec-logcollector: INFO: configuration reloaded from "
                                   "'.*ossec.conf': following 2 log files, 0 commands "
                                   "and 0 event channels",
                                   10s)
                     .empty());
    ASSERT_TRUE(logcollector_->running()) << "SIGHUP stopped logcollector";
    append_to_file(added, "written after the reload\n");
    append_to_file(monitored_, "old file after the reload\n");

    EXPECT_TRUE(manager_.wait_until(
        [&](const ManagerState& s) {
            return count_event_text(s, "written after the reload") == 1 &&
                   count_event_text(s, "old file after the reload") == 1;
        },
        15s));
    // A file new to logcollector is read from its end, as at start-up.
    EXPECT_EQ(count_event_text(manager_.snapshot(), "written before the reload"), 0u);
}

}  // namespace
}  // namespace integration
