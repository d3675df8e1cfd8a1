#include "execd/ar_message.hpp"

#include "execd/validation.hpp"

namespace execd {
namespace {

core::Error refuse(const std::string& what, std::string_view value) {
    return core::Error{what + " '" + printable(value) + "'"};
}

std::vector<std::string_view> split_spaces(std::string_view text) {
    std::vector<std::string_view> words;
    for (;;) {
        const std::size_t space = text.find(' ');
        words.push_back(text.substr(0, space));
        if (space == std::string_view::npos || words.size() > kMaxArguments + 1) {
            return words;
        }
        text.remove_prefix(space + 1);
    }
}

core::Result<ArMessage> parse_ossec(std::string_view text) {
    const std::vector<std::string_view> words = split_spaces(text);
    if (words.size() < 3) {
        return core::Error{"too few fields: expected name, user and source IP"};
    }
    if (words.size() > kMaxArguments + 1) {
        return core::Error{"too many fields: at most " + std::to_string(kMaxArguments) +
                           " after the name"};
    }
    ArMessage message;
    if (!is_plain_name(words[0])) {
        return refuse("invalid command name", words[0]);
    }
    if (!is_valid_user(words[1])) {
        return refuse("invalid user name", words[1]);
    }
    if (!is_valid_srcip(words[2])) {
        return refuse("invalid source IP", words[2]);
    }
    for (std::size_t i = 3; i < words.size(); ++i) {
        if (!is_safe_word(words[i])) {
            return refuse("refused argument " + std::to_string(i), words[i]);
        }
    }
    message.name = std::string(words[0]);
    message.args.assign(words.begin() + 1, words.end());
    message.srcip = std::string(words[2]);
    return message;
}

// Fields of alert.data that scripts pass on to other programs.
std::optional<core::Error> check_alert_data(const JsonValue& parameters, std::string& srcip) {
    const JsonValue* alert = parameters.find("alert");
    if (alert == nullptr) {
        return std::nullopt;
    }
    if (!alert->is_object()) {
        return core::Error{"parameters.alert is not an object"};
    }
    const JsonValue* data = alert->find("data");
    if (data == nullptr || !data->is_object()) {
        return std::nullopt;
    }
    if (const JsonValue* ip = data->find("srcip")) {
        if (!ip->is_string() || !is_ip_address(ip->text)) {
            return refuse("invalid alert.data.srcip", ip->text);
        }
        srcip = ip->text;
    }
    for (const char* field : {"dstuser", "srcuser"}) {
        const JsonValue* user = data->find(field);
        if (user != nullptr && (!user->is_string() || !is_valid_user(user->text))) {
            return refuse(std::string("invalid alert.data.") + field, user->text);
        }
    }
    return std::nullopt;
}

std::optional<core::Error> check_parameters(const JsonValue& parameters, std::string& srcip) {
    if (!parameters.is_object()) {
        return core::Error{"no \"parameters\" object"};
    }
    if (const JsonValue* extra = parameters.find("extra_args")) {
        if (!extra->is_array() || extra->items.size() > kMaxArguments) {
            return core::Error{"parameters.extra_args is not an array of at most " +
                               std::to_string(kMaxArguments) + " words"};
        }
        for (const JsonValue& arg : extra->items) {
            if (!arg.is_string() || !is_safe_word(arg.text)) {
                return refuse("refused parameters.extra_args word", arg.text);
            }
        }
    }
    return check_alert_data(parameters, srcip);
}

core::Result<ArMessage> parse_wazuh(std::string_view text) {
    std::optional<JsonValue> json = parse_json(text, JsonLimits{kMaxMessage, 32});
    if (!json || !json->is_object()) {
        return core::Error{"not a valid JSON object"};
    }
    const JsonValue* version = json->find("version");
    const JsonValue* command = json->find("command");
    const JsonValue* parameters = json->find("parameters");
    if (version == nullptr || version->type != JsonType::kNumber || version->text != "1") {
        return core::Error{"unsupported message version (expected 1)"};
    }
    if (command == nullptr || !command->is_string() || !is_plain_name(command->text)) {
        return refuse("invalid command name", command && command->is_string()
                                                  ? command->text : std::string());
    }
    ArMessage message;
    message.protocol = ArProtocol::kWazuh;
    if (parameters == nullptr) {
        return core::Error{"no \"parameters\" object"};
    }
    if (auto error = check_parameters(*parameters, message.srcip)) {
        return *error;
    }
    message.name = command->text;
    message.json = std::move(*json);
    return message;
}

}  // namespace

core::Result<ArMessage> parse_ar_message(std::string_view text) {
    if (text.size() > kMaxMessage) {
        return core::Error{"message too long (" + std::to_string(text.size()) + " bytes)"};
    }
    if (!text.empty() && text.front() == '{') {
        return parse_wazuh(text);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) {
        text.remove_suffix(1);
    }
    return parse_ossec(text);
}

std::string printable(std::string_view text, std::size_t max_length) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (char c : text.substr(0, max_length)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7F || c == '\\') {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
        } else {
            out += c;
        }
    }
    if (text.size() > max_length) {
        out += "...";
    }
    return out;
}

}  // namespace execd
