// A small, strict JSON reader and writer for the Wazuh active-response
// messages and execd's own state file. RFC 8259 only: no comments, no
// trailing commas, no duplicate keys, valid UTF-8, bounded depth and size.
// Numbers keep their original text, so ids round-trip exactly.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace execd {

enum class JsonType { kNull, kBool, kNumber, kString, kArray, kObject };

struct JsonMember;

struct JsonValue {
    JsonType type = JsonType::kNull;
    bool boolean = false;
    std::string text;  // a string's value, or a number as written
    std::vector<JsonValue> items;                              // kArray
    std::vector<JsonMember> members;                           // kObject, in order

    static JsonValue string(std::string value);
    static JsonValue number(long long value);
    static JsonValue object();
    static JsonValue array();

    bool is_string() const { return type == JsonType::kString; }
    bool is_object() const { return type == JsonType::kObject; }
    bool is_array() const { return type == JsonType::kArray; }

    // The member named key of an object; nullptr when absent or not an object.
    const JsonValue* find(std::string_view key) const;
    // Replaces or appends the member (the value must be an object).
    void set(std::string key, JsonValue value);
};

struct JsonMember {
    std::string key;
    JsonValue value;
};

struct JsonLimits {
    std::size_t max_size = 64 * 1024;  // bytes of input
    std::size_t max_depth = 32;        // nested arrays and objects
};

// The document, or nullopt when the text is not exactly one valid value
// (surrounding whitespace allowed) within the limits.
std::optional<JsonValue> parse_json(std::string_view text, const JsonLimits& limits = {});

// Compact text: no whitespace, control characters and '"' '\' escaped,
// other characters as they are.
std::string to_json(const JsonValue& value);

}  // namespace execd
