#include "core/queue_message.hpp"

#include <gtest/gtest.h>

namespace core {
namespace {

TEST(QueueMessageTest, FormatsAndParsesBack) {
    const std::string text = format_queue_message('1', "/var/log/auth.log", "a: b: c");
    EXPECT_EQ(text, "1:/var/log/auth.log:a: b: c");
    auto parsed = parse_queue_message(text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->queue, '1');
    EXPECT_EQ(parsed->location, "/var/log/auth.log");
    EXPECT_EQ(parsed->text, "a: b: c");
}

TEST(QueueMessageTest, RejectsMessagesWithoutLocation) {
    EXPECT_FALSE(parse_queue_message("1:nolocation").has_value());
    EXPECT_FALSE(parse_queue_message("1").has_value());
    EXPECT_FALSE(parse_queue_message("12:x:y").has_value());
}

}  // namespace
}  // namespace core
