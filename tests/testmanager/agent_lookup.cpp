#include "testmanager/agent_lookup.hpp"

#include <asio/ip/address.hpp>

#include <charconv>
#include <string>

#include "core/secure_message.hpp"

namespace testmanager {
namespace {

using asio::ip::address;

std::optional<address> parse_address(std::string_view text) {
    std::error_code ec;
    address a = asio::ip::make_address(std::string(text), ec);
    if (ec) {
        return std::nullopt;
    }
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return address(asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()));
    }
    return a;
}

// The address as big-endian bytes: 4 for IPv4, 16 for IPv6.
std::vector<unsigned char> address_bytes(const address& a) {
    if (a.is_v4()) {
        const auto b = a.to_v4().to_bytes();
        return {b.begin(), b.end()};
    }
    const auto b = a.to_v6().to_bytes();
    return {b.begin(), b.end()};
}

bool same_prefix(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b,
                 unsigned bits) {
    for (std::size_t i = 0; i < a.size() && bits > 0; ++i) {
        const unsigned take = bits >= 8 ? 8 : bits;
        const auto mask = static_cast<unsigned char>(0xff00u >> take);
        if ((a[i] & mask) != (b[i] & mask)) {
            return false;
        }
        bits -= take;
    }
    return true;
}

}  // namespace

bool address_allowed(std::string_view ip_field, std::string_view source_ip) {
    if (ip_field == "any") {
        return true;
    }
    const auto source = parse_address(source_ip);
    if (!source) {
        return false;
    }

    const auto slash = ip_field.find('/');
    const auto network = parse_address(ip_field.substr(0, slash));
    if (!network || network->is_v4() != source->is_v4()) {
        return false;
    }
    const auto a = address_bytes(*network);
    unsigned bits = static_cast<unsigned>(a.size() * 8);
    if (slash != std::string_view::npos) {
        const std::string_view text = ip_field.substr(slash + 1);
        const auto [end, ec] =
            std::from_chars(text.data(), text.data() + text.size(), bits);
        if (ec != std::errc() || end != text.data() + text.size() ||
            bits > a.size() * 8) {
            return false;
        }
    }
    return same_prefix(a, address_bytes(*source), bits);
}

std::optional<AgentLookup> find_agent(const std::vector<core::AgentKey>& entries,
                                      std::string_view datagram,
                                      std::string_view source_ip) {
    std::string id;
    std::string_view rest;
    if (core::split_agent_prefix(datagram, id, rest)) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].id == id) {
                if (!address_allowed(entries[i].ip, source_ip)) {
                    return std::nullopt;
                }
                return AgentLookup{i, rest};
            }
        }
        return std::nullopt;
    }

    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].ip == source_ip) {
            return AgentLookup{i, datagram};
        }
    }
    return std::nullopt;
}

}  // namespace testmanager
