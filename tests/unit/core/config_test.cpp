#include "core/config.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace core {
namespace {

LoadedConfig parse_ok(const std::string& text) {
    Result<LoadedConfig> loaded = parse_config(text, "ossec.conf");
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error());
    return loaded.ok() ? loaded.value() : LoadedConfig{};
}

std::string parse_error(const std::string& text) {
    Result<LoadedConfig> loaded = parse_config(text, "ossec.conf");
    EXPECT_FALSE(loaded.ok());
    return loaded.ok() ? "" : loaded.error();
}

TEST(ConfigTest, ReadsClientAndLocalfiles) {
    const LoadedConfig loaded = parse_ok(R"(<ossec_config>
  <client>
    <server-ip>10.1.2.3</server-ip>
    <server-hostname>manager.example.com</server-hostname>
    <port>1600</port>
    <notify_time>60</notify_time>
    <time-reconnect>300</time-reconnect>
  </client>
  <localfile>
    <log_format>syslog</log_format>
    <location>/var/log/syslog</location>
  </localfile>
</ossec_config>)");
    const ClientConfig& client = loaded.config.client;
    ASSERT_EQ(client.servers.size(), 2u);
    EXPECT_EQ(client.servers[0].host, "10.1.2.3");
    EXPECT_EQ(client.servers[0].port, 1600);
    EXPECT_EQ(client.servers[1].host, "manager.example.com");
    EXPECT_EQ(client.servers[1].transport, Transport::kUdp);
    EXPECT_EQ(client.notify_time.count(), 60);
    EXPECT_EQ(client.time_reconnect.count(), 300);
    ASSERT_EQ(loaded.config.localfiles.size(), 1u);
    EXPECT_EQ(loaded.config.localfiles[0].location, "/var/log/syslog");
    EXPECT_EQ(loaded.config.localfiles[0].log_format, "syslog");
    EXPECT_TRUE(loaded.warnings.empty());
}

TEST(ConfigTest, DefaultsMatchOssec) {
    const LoadedConfig loaded =
        parse_ok("<ossec_config><client><server-ip>1.2.3.4</server-ip></client></ossec_config>");
    EXPECT_EQ(loaded.config.client.notify_time.count(), 600);
    EXPECT_EQ(loaded.config.client.time_reconnect.count(), 1800);
    EXPECT_EQ(loaded.config.client.servers.at(0).port, 1514);
}

TEST(ConfigTest, ReconnectNotAboveNotifyBecomesThreeNotifyTimes) {
    const LoadedConfig loaded = parse_ok(
        "<ossec_config><client><server-ip>1.2.3.4</server-ip><notify_time>100</notify_time>"
        "<time-reconnect>50</time-reconnect></client></ossec_config>");
    EXPECT_EQ(loaded.config.client.time_reconnect.count(), 300);
}

TEST(ConfigTest, ServerBlocksKeepTheirOwnPortAndProtocol) {
    const LoadedConfig loaded = parse_ok(R"(<ossec_config><client>
      <server><address>::1</address><port>1515</port><protocol>tcp</protocol></server>
      <server><address>127.0.0.1</address></server>
      <port>2000</port>
    </client></ossec_config>)");
    const auto& servers = loaded.config.client.servers;
    ASSERT_EQ(servers.size(), 2u);
    EXPECT_EQ(servers[0].host, "::1");
    EXPECT_EQ(servers[0].port, 1515);
    EXPECT_EQ(servers[0].transport, Transport::kTcp);
    EXPECT_EQ(servers[1].port, 1514);
}

TEST(ConfigTest, UnknownElementsAreWarningsWithLineNumbers) {
    const LoadedConfig loaded = parse_ok(
        "<ossec_config>\n"
        "  <client>\n"
        "    <server-ip>1.2.3.4</server-ip>\n"
        "    <bogus>1</bogus>\n"
        "  </client>\n"
        "  <whatever/>\n"
        "</ossec_config>\n");
    ASSERT_EQ(loaded.warnings.size(), 2u);
    EXPECT_EQ(loaded.warnings[0], "ossec.conf:4: unknown option <bogus> in <client>; ignored");
    EXPECT_EQ(loaded.warnings[1], "ossec.conf:6: unknown section <whatever>; ignored");
}

TEST(ConfigTest, MalformedXmlNamesTheLine) {
    const std::string error = parse_error("<ossec_config>\n<client>\n</clinet>\n</ossec_config>");
    EXPECT_EQ(error.rfind("ossec.conf:3: XML error:", 0), 0u) << error;
}

TEST(ConfigTest, InvalidValuesNameTheLineAndProblem) {
    EXPECT_EQ(parse_error("<ossec_config>\n<client><port>99999</port></client></ossec_config>"),
              "ossec.conf:2: invalid port '99999'");
    EXPECT_EQ(parse_error("<ossec_config><client>\n<notify_time>soon</notify_time>"
                          "</client></ossec_config>"),
              "ossec.conf:2: invalid value 'soon' for <notify_time>: expected seconds > 0");
    EXPECT_EQ(parse_error("<ossec_config>\n\n<localfile><log_format>weird</log_format>"
                          "<location>/x</location></localfile></ossec_config>"),
              "ossec.conf:3: unknown <log_format> 'weird'");
    EXPECT_EQ(parse_error("<ossec_config><localfile><log_format>syslog</log_format>"
                          "</localfile></ossec_config>"),
              "ossec.conf:1: <localfile> has no <location>");
    EXPECT_EQ(parse_error("<ossec_config><client><server-ip>a b</server-ip>"
                          "</client></ossec_config>"),
              "ossec.conf:1: invalid <server-ip> 'a b'");
}

TEST(ConfigTest, OnlyFutureEventsDefaultsToYes) {
    const LoadedConfig loaded = parse_ok(
        "<ossec_config><localfile><log_format>syslog</log_format><location>/a</location>"
        "</localfile><localfile><log_format>syslog</log_format><location>/b</location>"
        "<only-future-events>no</only-future-events></localfile></ossec_config>");
    EXPECT_TRUE(loaded.config.localfiles.at(0).only_future_events);
    EXPECT_FALSE(loaded.config.localfiles.at(1).only_future_events);
}

TEST(ConfigTest, ClientBufferSetsPacingAndQueueSize) {
    const LoadedConfig loaded = parse_ok(
        "<ossec_config><client_buffer><events_per_second>2000</events_per_second>"
        "<queue_size>100</queue_size></client_buffer></ossec_config>");
    EXPECT_EQ(loaded.config.buffer.events_per_second, 2000u);
    EXPECT_EQ(loaded.config.buffer.queue_size, 100u);
    EXPECT_EQ(parse_error("<ossec_config><client_buffer><queue_size>0</queue_size>"
                          "</client_buffer></ossec_config>"),
              "ossec.conf:1: invalid value '0' for <queue_size>");
}

TEST(ConfigTest, CryptoMethodSelectsAes) {
    EXPECT_TRUE(parse_ok("<ossec_config><client><crypto_method>aes</crypto_method></client>"
                         "</ossec_config>")
                    .config.client.aes);
    EXPECT_FALSE(parse_ok("<ossec_config><client></client></ossec_config>").config.client.aes);
    EXPECT_EQ(parse_error("<ossec_config><client><crypto_method>rot13</crypto_method>"
                          "</client></ossec_config>"),
              "ossec.conf:1: invalid <crypto_method> 'rot13': expected aes or blowfish");
}

TEST(ConfigTest, NoRootElementIsAnError) {
    EXPECT_EQ(parse_error("<other/>"), "ossec.conf:1: no <ossec_config> element");
}

TEST(ConfigTest, SeveralRootsAreMerged) {
    const LoadedConfig loaded = parse_ok(
        "<ossec_config><client><server-ip>1.1.1.1</server-ip></client></ossec_config>\n"
        "<ossec_config><localfile><log_format>syslog</log_format><location>/a</location>"
        "</localfile></ossec_config>");
    EXPECT_EQ(loaded.config.client.servers.size(), 1u);
    EXPECT_EQ(loaded.config.localfiles.size(), 1u);
}

TEST(ConfigTest, CommandLocalfileNeedsCommand) {
    const LoadedConfig loaded = parse_ok(
        "<ossec_config><localfile><log_format>full_command</log_format>"
        "<command>df -P</command><alias>disk</alias><frequency>360</frequency>"
        "</localfile></ossec_config>");
    ASSERT_EQ(loaded.config.localfiles.size(), 1u);
    EXPECT_EQ(loaded.config.localfiles[0].command, "df -P");
    EXPECT_EQ(loaded.config.localfiles[0].alias, "disk");
    EXPECT_EQ(loaded.config.localfiles[0].frequency.count(), 360);
}

TEST(ConfigTest, RealOssec38AgentConfigParsesWithoutError) {
    const auto file = testing_support::data_dir() / "ossec-3.8-agent.conf";
    Result<LoadedConfig> loaded = load_config(file);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    EXPECT_TRUE(loaded.value().warnings.empty());
    ASSERT_EQ(loaded.value().config.client.servers.size(), 1u);
    EXPECT_EQ(loaded.value().config.client.servers[0].host, "192.168.10.100");
    EXPECT_EQ(loaded.value().config.localfiles.size(), 8u);
    EXPECT_EQ(loaded.value().config.localfiles[6].log_format, "apache");
}

TEST(ConfigTest, RealOssec38WindowsAgentConfigParses) {
    const auto file = testing_support::data_dir() / "ossec-3.8-agent-windows.conf";
    Result<LoadedConfig> loaded = load_config(file);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    EXPECT_FALSE(loaded.value().config.localfiles.empty());
}

TEST(ConfigTest, MissingFileIsAnError) {
    Result<LoadedConfig> loaded = load_config("/nonexistent/ossec.conf");
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error(), "cannot read configuration file '/nonexistent/ossec.conf'");
}

TEST(ConfigTest, MultiLineCountAndMultilineRegexOptions) {
    const LoadedConfig loaded = parse_ok(R"(<ossec_config>
  <localfile>
    <log_format>multi-line: 3 </log_format>
    <location>/var/log/m.log</location>
  </localfile>
  <localfile>
    <log_format>multi-line-regex</log_format>
    <location>/var/log/app.log</location>
    <multiline_regex match="end" replace="wspace" timeout="30">^\d+ END$</multiline_regex>
  </localfile>
  <localfile>
    <log_format>multi-line-regex</log_format>
    <location>/var/log/b.log</location>
    <multiline_regex match="middle" timeout="999">^x</multiline_regex>
  </localfile>
</ossec_config>)");
    ASSERT_EQ(loaded.config.localfiles.size(), 3u);
    EXPECT_EQ(loaded.config.localfiles[0].log_format, "multi-line");
    EXPECT_EQ(loaded.config.localfiles[0].multiline_lines, 3);
    const MultilineRegex& end = loaded.config.localfiles[1].multiline_regex;
    EXPECT_EQ(end.pattern, "^\\d+ END$");
    EXPECT_EQ(end.match, MultilineMatch::kEnd);
    EXPECT_EQ(end.replace, MultilineReplace::kWhitespace);
    EXPECT_EQ(end.timeout.count(), 30);
    const MultilineRegex& defaults = loaded.config.localfiles[2].multiline_regex;
    EXPECT_EQ(defaults.match, MultilineMatch::kStart);
    EXPECT_EQ(defaults.replace, MultilineReplace::kNoReplace);
    EXPECT_EQ(defaults.timeout.count(), 5);
    ASSERT_EQ(loaded.warnings.size(), 2u);
    EXPECT_EQ(loaded.warnings[0], "ossec.conf:14: invalid value 'middle' for attribute 'match' "
                                  "in <multiline_regex>; the default is used");
}

TEST(ConfigTest, BadMultiLineFormatsAndRegexesAreErrors) {
    const auto wrap = [](const std::string& inner) {
        return "<ossec_config><localfile><location>/x</location>" + inner +
               "</localfile></ossec_config>";
    };
    EXPECT_EQ(parse_error(wrap("<log_format>multi-line:x</log_format>")),
              "ossec.conf:1: invalid <log_format> 'multi-line:x': expected multi-line:N with N "
              "from 1 to 1000");
    EXPECT_EQ(parse_error(wrap("<log_format>multi-line-regex</log_format>")),
              "ossec.conf:1: <localfile> with multi-line-regex has no <multiline_regex>");
    EXPECT_EQ(parse_error(wrap("<log_format>multi-line-regex</log_format>"
                               "<multiline_regex>(a{200}){200}(b{2})</multiline_regex>"))
                  .rfind("ossec.conf:1: regular expression in <multiline_regex> is too large", 0),
              0u);
    EXPECT_EQ(parse_error(wrap("<log_format>multi-line-regex</log_format>"
                               "<multiline_regex>([a</multiline_regex>"))
                  .rfind("ossec.conf:1: invalid regular expression '([a' in <multiline_regex>", 0),
              0u);
}

}  // namespace
}  // namespace core
