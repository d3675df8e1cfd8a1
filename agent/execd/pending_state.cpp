#include "execd/pending_state.hpp"

#include "execd/validation.hpp"

namespace execd {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr std::size_t kMaxStateSize = 16 * 1024 * 1024;

JsonValue strings(const std::vector<std::string>& values) {
    JsonValue array = JsonValue::array();
    for (const auto& value : values) {
        array.items.push_back(JsonValue::string(value));
    }
    return array;
}

JsonValue format_entry(const PendingDelete& entry, const Clock& clock) {
    const auto wall = clock.wall_now() + (entry.deadline - clock.now());
    JsonValue out = JsonValue::object();
    out.set("protocol",
            JsonValue::string(entry.protocol == ArProtocol::kOssec ? "ossec" : "wazuh"));
    out.set("executable", JsonValue::string(entry.executable));
    out.set("key", JsonValue::string(entry.key));
    out.set("args", strings(entry.args));
    out.set("stdin", JsonValue::string(entry.stdin_text));
    out.set("block", JsonValue::number(entry.block.count()));
    out.set("deadline_ms", JsonValue::number(
                               duration_cast<milliseconds>(wall.time_since_epoch()).count()));
    return out;
}

std::optional<long long> integer(const JsonValue* value) {
    if (value == nullptr || value->type != JsonType::kNumber || value->text.size() > 18 ||
        value->text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return std::stoll(value->text);
}

const std::string* text_of(const JsonValue& object, std::string_view key) {
    const JsonValue* value = object.find(key);
    return value != nullptr && value->is_string() ? &value->text : nullptr;
}

bool valid_args(const std::vector<std::string>& args) {
    if (args.size() < 2 || args.size() > kMaxArguments || !is_valid_user(args[0]) ||
        !is_valid_srcip(args[1])) {
        return false;
    }
    for (std::size_t i = 2; i < args.size(); ++i) {
        if (!is_safe_word(args[i])) {
            return false;
        }
    }
    return true;
}

std::optional<PendingDelete> parse_entry(const JsonValue& item, const Clock& clock) {
    PendingDelete entry;
    const std::string* protocol = text_of(item, "protocol");
    const std::string* executable = text_of(item, "executable");
    const std::string* key = text_of(item, "key");
    const std::string* stdin_text = text_of(item, "stdin");
    const JsonValue* args = item.find("args");
    const auto block = integer(item.find("block"));
    const auto deadline = integer(item.find("deadline_ms"));
    if (!protocol || !executable || !key || !stdin_text || !args || !args->is_array() ||
        !block || !deadline || !is_plain_name(*executable)) {
        return std::nullopt;
    }
    entry.protocol = *protocol == "wazuh" ? ArProtocol::kWazuh : ArProtocol::kOssec;
    for (const JsonValue& arg : args->items) {
        entry.args.push_back(arg.text);
    }
    const bool ok = entry.protocol == ArProtocol::kOssec
                        ? *protocol == "ossec" && valid_args(entry.args)
                        : entry.args.empty() && parse_json(*stdin_text).has_value();
    if (!ok) {
        return std::nullopt;
    }
    entry.executable = *executable;
    entry.key = *key;
    entry.stdin_text = *stdin_text;
    entry.block = std::chrono::seconds(*block);
    const WallTime wall{milliseconds(*deadline)};
    entry.deadline = clock.now() + std::max(milliseconds(0),
                                            duration_cast<milliseconds>(wall - clock.wall_now()));
    return entry;
}

}  // namespace

std::string format_state(const PendingState& state, const Clock& clock) {
    JsonValue doc = JsonValue::object();
    doc.set("version", JsonValue::number(1));
    JsonValue pending = JsonValue::array();
    for (const auto& entry : state.pending) {
        pending.items.push_back(format_entry(entry, clock));
    }
    doc.set("pending", std::move(pending));
    JsonValue offenders = JsonValue::array();
    for (const auto& [key, count] : state.offenders) {
        JsonValue item = JsonValue::object();
        item.set("key", JsonValue::string(key));
        item.set("count", JsonValue::number(count));
        offenders.items.push_back(std::move(item));
    }
    doc.set("offenders", std::move(offenders));
    return to_json(doc) + "\n";
}

core::Result<PendingState> parse_state(std::string_view text, const Clock& clock,
                                       std::vector<std::string>& problems) {
    const auto doc = parse_json(text, JsonLimits{kMaxStateSize, 8});
    const JsonValue* version = doc ? doc->find("version") : nullptr;
    const JsonValue* pending = doc ? doc->find("pending") : nullptr;
    const JsonValue* offenders = doc ? doc->find("offenders") : nullptr;
    if (!version || version->text != "1" || !pending || !pending->is_array() || !offenders ||
        !offenders->is_array()) {
        return core::Error{"not an execd state document (version 1)"};
    }
    PendingState state;
    for (std::size_t i = 0; i < pending->items.size(); ++i) {
        if (auto entry = parse_entry(pending->items[i], clock)) {
            state.pending.push_back(std::move(*entry));
        } else {
            problems.push_back("pending delete " + std::to_string(i + 1) +
                               " is malformed; skipped");
        }
    }
    for (const JsonValue& item : offenders->items) {
        const std::string* key = text_of(item, "key");
        const auto count = integer(item.find("count"));
        if (key != nullptr && count && *count < 1000000) {
            state.offenders[*key] = static_cast<int>(*count);
        }
    }
    return state;
}

}  // namespace execd
