// Event channels exist only on Windows. The Windows reader (wevtapi:
// EvtSubscribe or EvtQuery from a bookmark, EvtRender, EvtCreateBookmark)
// is not written yet, so every build uses this one for now and the
// collector reports eventchannel entries as not supported.
#include "pal/event_channel.hpp"

namespace pal {

std::unique_ptr<EventChannelReader> open_event_channel(const std::string&, const std::string&,
                                                       const std::string&,
                                                       std::error_code& ec) {
    ec = std::make_error_code(std::errc::function_not_supported);
    return nullptr;
}

}  // namespace pal
