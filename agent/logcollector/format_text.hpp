// Text helpers shared by the format assemblers.
#pragma once

#include <string>

#include "logcollector/line_escape.hpp"
#include "logcollector/line_framer.hpp"

namespace logcollector {

// text, cut to at most max bytes with kCutMarker at its end when longer
// (never inside a UTF-8 character or an "\xHH" escape).
inline std::string fit(std::string text, std::size_t max) {
    if (text.size() <= max) {
        return text;
    }
    const std::size_t room = max > kCutMarker.size() ? max - kCutMarker.size() : 0;
    text.resize(safe_cut(text, room));
    text.append(kCutMarker);
    return text;
}

}  // namespace logcollector
