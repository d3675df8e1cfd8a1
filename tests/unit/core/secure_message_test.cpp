#include "core/secure_message.hpp"

#include <gtest/gtest.h>

#include "core/client_keys.hpp"
#include "support/test_support.hpp"

namespace core {
namespace {

using testing_support::data_dir;
using testing_support::from_hex;
using testing_support::read_vectors;
using testing_support::vector_value;

const auto kVectors = [] { return data_dir() / "ossec-crypto-vectors.txt"; };

AgentKey key_from_line(const std::string& line) {
    Result<AgentKey> key = first_agent_key(line);
    EXPECT_TRUE(key.ok()) << line;
    return key.value();
}

Counters parse_pair(const std::string& text) {
    const auto colon = text.find(':');
    return Counters{static_cast<std::uint32_t>(std::stoul(text.substr(0, colon))),
                    static_cast<std::uint32_t>(std::stoul(text.substr(colon + 1)))};
}

struct Keys {
    SecureCodec key1;
    SecureCodec key2;
};

Keys vector_keys() {
    const AgentKey k1 = key_from_line(vector_value(kVectors(), "client_keys_line"));
    const AgentKey k2 = key_from_line(vector_value(kVectors(), "client_keys_line_2"));
    return Keys{SecureCodec(derive_session_key(k1)), SecureCodec(derive_session_key(k2))};
}

TEST(SecureCodecTest, SealsEveryAgentVectorByteForByte) {
    const Keys keys = vector_keys();
    int checked = 0;
    for (const auto& v : read_vectors(kVectors())) {
        if (v.name.empty() || v.name[0] != 'D') {
            continue;
        }
        const bool key2 = v.fields.at("key_id") == "002";
        const SecureCodec& codec = key2 ? keys.key2 : keys.key1;
        const std::string prefix = key2 ? "" : "!001!";
        const std::string payload = from_hex(v.fields.at("payload_hex"));
        const Counters counters = parse_pair(v.fields.at("global_local_used"));
        const auto random = static_cast<std::uint16_t>(std::stoul(v.fields.at("rand")));

        const std::string wire = prefix + codec.seal(payload, counters, random);
        EXPECT_EQ(testing_support::to_hex(wire), v.fields.at("wire_hex")) << v.name;
        EXPECT_EQ(wire.size(), std::stoul(v.fields.at("wire_len"))) << v.name;
        ++checked;
    }
    EXPECT_EQ(checked, 5);
}

TEST(SecureCodecTest, SealsEveryManagerVectorByteForByte) {
    const Keys keys = vector_keys();
    int checked = 0;
    for (const auto& v : read_vectors(kVectors())) {
        if (v.name.empty() || v.name[0] != 'E') {
            continue;
        }
        const std::string payload = from_hex(v.fields.at("payload_hex"));
        const std::string wire = keys.key1.seal(
            payload, parse_pair(v.fields.at("global_local_used")),
            static_cast<std::uint16_t>(std::stoul(v.fields.at("rand"))));
        EXPECT_EQ(testing_support::to_hex(wire), v.fields.at("wire_hex")) << v.name;
        ++checked;
    }
    EXPECT_EQ(checked, 6);
}

TEST(SecureCodecTest, OpensEveryVectorIncludingOtherDeflatersAndExtraPadding) {
    const Keys keys = vector_keys();
    int checked = 0;
    for (const auto& v : read_vectors(kVectors())) {
        if (v.name.empty() || v.fields.count("wire_hex") == 0 || v.name[0] == 'H') {
            continue;
        }
        const bool key2 = v.fields.count("key_id") && v.fields.at("key_id") == "002";
        std::string id;
        std::string_view rest;
        const std::string wire = from_hex(v.fields.at("wire_hex"));
        split_agent_prefix(wire, id, rest);

        Result<OpenedMessage> opened = (key2 ? keys.key2 : keys.key1).open(rest);
        ASSERT_TRUE(opened.ok()) << v.name << ": " << opened.error();
        if (v.fields.count("payload_hex")) {
            EXPECT_EQ(opened.value().payload, from_hex(v.fields.at("payload_hex"))) << v.name;
            EXPECT_EQ(opened.value().counters, parse_pair(v.fields.at("global_local_used")));
        }
        ++checked;
    }
    EXPECT_EQ(checked, 13);  // D1-D5, E1-E6, two section G vectors
}

TEST(SecureCodecTest, SectionGVectorsCarryTheirPayload) {
    const Keys keys = vector_keys();
    for (const auto& v : read_vectors(kVectors())) {
        if (v.name.rfind("G_", 0) != 0) {
            continue;
        }
        std::string id;
        std::string_view rest;
        const std::string wire = from_hex(v.fields.at("wire_hex"));
        ASSERT_TRUE(split_agent_prefix(wire, id, rest));
        EXPECT_EQ(id, "001");
        Result<OpenedMessage> opened = keys.key1.open(rest);
        ASSERT_TRUE(opened.ok()) << opened.error();
        EXPECT_EQ(opened.value().payload.rfind("1:/var/log/test.log:hello from python", 0), 0u);
    }
}

TEST(SecureCodecTest, RejectsTamperedCiphertext) {
    const Keys keys = vector_keys();
    std::string wire = keys.key1.seal("1:x:hello", Counters{0, 1}, 5);
    wire[wire.size() - 3] ^= 0x40;
    EXPECT_FALSE(keys.key1.open(wire).ok());
}

TEST(SecureCodecTest, RejectsWrongKey) {
    const Keys keys = vector_keys();
    const std::string wire = keys.key1.seal("1:x:hello", Counters{0, 1}, 5);
    EXPECT_FALSE(keys.key2.open(wire).ok());
}

TEST(SecureCodecTest, RejectsLengthThatIsNotAMultipleOfEight) {
    const Keys keys = vector_keys();
    const std::string wire = keys.key1.seal("1:x:hello", Counters{0, 1}, 5);
    Result<OpenedMessage> opened = keys.key1.open(wire.substr(0, wire.size() - 1));
    ASSERT_FALSE(opened.ok());
    EXPECT_NE(opened.error().find("multiple of 8"), std::string::npos);
}

TEST(SecureCodecTest, RejectsInflatedSizeAboveLimit) {
    const Keys keys = vector_keys();
    // 6144 - 32 (md5) - 21 (header) = 6091 is the largest payload that fits.
    EXPECT_TRUE(keys.key1.open(keys.key1.seal(std::string(6091, 'a'), {0, 1}, 1)).ok());
    EXPECT_FALSE(keys.key1.open(keys.key1.seal(std::string(6092, 'a'), {0, 1}, 1)).ok());
}

TEST(SecureCodecTest, RoundTripsBinaryPayload) {
    const Keys keys = vector_keys();
    std::string payload;
    for (int i = 0; i < 256; ++i) {
        payload.push_back(static_cast<char>(i));
    }
    Result<OpenedMessage> opened = keys.key2.open(keys.key2.seal(payload, {7, 9997}, 65535));
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(opened.value().payload, payload);
    EXPECT_EQ(opened.value().counters, (Counters{7, 9997}));
}

TEST(CountersTest, LocalWrapsAfter9997AndGlobalAdvances) {
    EXPECT_EQ(next_counters({0, 0}), (Counters{0, 1}));
    EXPECT_EQ(next_counters({0, 9996}), (Counters{0, 9997}));
    EXPECT_EQ(next_counters({41, 9997}), (Counters{42, 1}));
}

// Section F of the vectors: OSSEC's acceptance rule.
TEST(CountersTest, ReplayRuleMatchesOssec) {
    EXPECT_TRUE(is_newer({0, 3}, {0, 2}));
    EXPECT_FALSE(is_newer({0, 3}, {0, 3}));
    EXPECT_FALSE(is_newer({0, 3}, {1, 0}));
    EXPECT_TRUE(is_newer({42, 1}, {41, 9997}));
}

TEST(AgentPrefixTest, SplitsIdAndRest) {
    std::string id;
    std::string_view rest;
    EXPECT_TRUE(split_agent_prefix("!001!:abc", id, rest));
    EXPECT_EQ(id, "001");
    EXPECT_EQ(rest, ":abc");
    EXPECT_FALSE(split_agent_prefix(":abc", id, rest));
    EXPECT_EQ(rest, ":abc");
    EXPECT_FALSE(split_agent_prefix("!0a1!:abc", id, rest));
    EXPECT_FALSE(split_agent_prefix("!!:abc", id, rest));
    EXPECT_FALSE(split_agent_prefix("!001", id, rest));
}

TEST(CapturedPacketsTest, EveryRealPacketDecodesWithItsChecksum) {
    const auto file = data_dir() / "ossec-sample-packets.txt";
    const std::string key_line =
        "001 ref-agent any d4a7022571ca8b5394b80ad348d1f8299bc7638d753ddb16ece7fb4da2970043";
    const std::string session = derive_session_key(key_from_line(key_line));
    EXPECT_EQ(session, "3c41aba2ecac66b3ad33c99b70a332d4d682fca0fdeb44e");
    const SecureCodec codec(session);

    const auto packets = testing_support::read_packets(file);
    ASSERT_EQ(packets.size(), 17u);
    for (const auto& packet : packets) {
        std::string id;
        std::string_view rest;
        const bool has_prefix = split_agent_prefix(packet.wire, id, rest);
        EXPECT_EQ(has_prefix, packet.from_agent) << packet.number;
        EXPECT_EQ(has_prefix ? "!" + id + "!" : "", packet.prefix) << packet.number;

        Result<OpenedMessage> opened = codec.open(rest);
        ASSERT_TRUE(opened.ok()) << "packet " << packet.number << ": " << opened.error();
        const OpenedMessage& m = opened.value();
        EXPECT_EQ(m.counters.global, packet.global) << packet.number;
        EXPECT_EQ(m.counters.local, packet.local) << packet.number;
        EXPECT_EQ(m.payload.size(), packet.message_size) << packet.number;
        EXPECT_EQ(m.payload.substr(0, packet.message_start.size()), packet.message_start)
            << packet.number;
    }
}

}  // namespace
}  // namespace core

namespace core {
namespace {

// Section H: Wazuh 4.x's AES variant, cipher step checked against Wazuh's
// own OS_AES_Str.
TEST(SecureCodecTest, SealsTheWazuhAesVectorByteForByte) {
    const auto file = data_dir() / "ossec-crypto-vectors.txt";
    const AgentKey key = key_from_line(vector_value(file, "client_keys_line"));
    const SecureCodec codec(derive_session_key(key), Cipher::kAes);
    const std::string payload = "#!-agent startup {\"version\":\"v4.14.7\"}";

    const std::string wire = "!001!" + codec.seal(payload, Counters{0, 1}, 12345);
    EXPECT_EQ(testing_support::to_hex(wire), vector_value(file, "wire_hex", "[H]"));

    // Wazuh's TCP frame: 4-byte little-endian length, then the wire bytes.
    const std::string frame = from_hex(vector_value(file, "tcp_frame_hex", "[H]"));
    ASSERT_GE(frame.size(), 4u);
    EXPECT_EQ(static_cast<unsigned char>(frame[0]) | static_cast<unsigned char>(frame[1]) << 8,
              static_cast<int>(wire.size()));
    EXPECT_EQ(frame.substr(4), wire);
}

TEST(SecureCodecTest, OpensTheWazuhAesVectorAndAnswersInAnyCipher) {
    const auto file = data_dir() / "ossec-crypto-vectors.txt";
    const AgentKey key = key_from_line(vector_value(file, "client_keys_line"));
    // A Blowfish codec opens AES too: the wire says which cipher it is.
    const SecureCodec codec(derive_session_key(key));
    std::string id;
    std::string_view rest;
    const std::string wire = from_hex(vector_value(file, "wire_hex", "[H]"));
    ASSERT_TRUE(split_agent_prefix(wire, id, rest));
    Result<OpenedMessage> opened = codec.open(rest);
    ASSERT_TRUE(opened.ok()) << opened.error();
    EXPECT_EQ(opened.value().payload, "#!-agent startup {\"version\":\"v4.14.7\"}");
    EXPECT_EQ(opened.value().counters, (Counters{0, 1}));
}

TEST(SecureCodecTest, AesRejectsBadPaddingAndPartialBlocks) {
    const SecureCodec codec(std::string(47, 'k'), Cipher::kAes);
    std::string wire = codec.seal("1:x:y", {0, 1}, 1);
    EXPECT_TRUE(codec.open(wire).ok());
    EXPECT_FALSE(codec.open(wire.substr(0, wire.size() - 1)).ok());
    wire.back() ^= 0x55;
    EXPECT_FALSE(codec.open(wire).ok());
    const SecureCodec other(std::string(47, 'x'), Cipher::kAes);
    EXPECT_FALSE(other.open(codec.seal("1:x:y", {0, 1}, 1)).ok());
}

}  // namespace
}  // namespace core
