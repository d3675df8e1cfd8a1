// A TCP byte stream from the manager, cut into frames. The input is fed
// in pieces of varying size (taken from the first byte) so partial
// headers and bodies are exercised; every frame taken must be within the
// bound and the buffer must stay bounded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/tcp_frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t kMax = 4096;
    if (size == 0) {
        return 0;
    }
    const std::size_t piece = 1 + data[0] % 64;
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    core::FrameReader reader(kMax);
    while (!input.empty()) {
        const std::size_t n = input.size() < piece ? input.size() : piece;
        reader.feed(input.substr(0, n));
        input.remove_prefix(n);
        std::string_view body;
        core::FrameReader::Status status;
        while ((status = reader.next(body)) == core::FrameReader::Status::kFrame) {
            if (body.empty() || body.size() > kMax) {
                std::abort();
            }
        }
        if (reader.buffered() > kMax + core::kFrameHeader + piece) {
            std::abort();
        }
        if (status == core::FrameReader::Status::kBadLength) {
            return 0;
        }
    }
    return 0;
}
