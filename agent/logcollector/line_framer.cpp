#include "logcollector/line_framer.hpp"

namespace logcollector {

std::string_view LineFramer::text_of(std::string_view raw, std::string_view marker) {
    if (marker.empty() && raw.size() <= max_text_ && !needs_escape(raw)) {
        return raw;
    }
    scratch_.clear();
    escape_line(raw, scratch_);
    const bool over = scratch_.size() > max_text_;
    if (over || !marker.empty()) {
        const std::string_view end = over && marker.empty() ? kCutMarker : marker;
        const std::size_t room = max_text_ - end.size();
        if (scratch_.size() > room) {
            scratch_.resize(safe_cut(scratch_, room));
        }
        scratch_.append(end);
    }
    return scratch_;
}

}  // namespace logcollector
