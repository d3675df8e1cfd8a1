// ControlHub: one stop reaches every module of the Windows service, also
// a module that subscribes after the stop.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/module_host.hpp"

namespace daemon_support {
namespace {

TEST(ControlHubTest, StopReachesEverySubscriberOnce) {
    ControlHub hub;
    std::vector<std::string> calls;
    hub.subscribe([&](pal::ControlRequest) { calls.push_back("a"); });
    hub.subscribe([&](pal::ControlRequest) { calls.push_back("b"); });
    hub.request(pal::ControlRequest::kStop);
    hub.request(pal::ControlRequest::kStop);
    EXPECT_EQ(calls, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(hub.stop_requested());
}

TEST(ControlHubTest, LateSubscriberIsStoppedAtOnce) {
    ControlHub hub;
    hub.request(pal::ControlRequest::kStop);
    int stops = 0;
    hub.subscribe([&](pal::ControlRequest request) {
        stops += request == pal::ControlRequest::kStop ? 1 : 0;
    });
    EXPECT_EQ(stops, 1);
}

TEST(ControlHubTest, ReloadIsPassedOnAndNotRemembered) {
    ControlHub hub;
    int reloads = 0;
    hub.subscribe([&](pal::ControlRequest request) {
        reloads += request == pal::ControlRequest::kReload ? 1 : 0;
    });
    hub.request(pal::ControlRequest::kReload);
    hub.request(pal::ControlRequest::kReload);
    EXPECT_EQ(reloads, 2);
    EXPECT_FALSE(hub.stop_requested());
}

}  // namespace
}  // namespace daemon_support
