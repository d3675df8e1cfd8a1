// Base64 (RFC 4648, standard alphabet) decoding for keys that an admin
// pastes: manage_agents -i takes the manager's exported key this way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace enroll {

// Decodes text. Padding ('=') is optional; spaces, tabs, CR and LF
// anywhere are ignored, so a key pasted across lines still decodes.
// Returns nullopt on any other character, on data after padding, or on a
// length that no encoder produces (one leftover character).
std::optional<std::string> decode_base64(std::string_view text);

std::string encode_base64(std::string_view bytes);

}  // namespace enroll
