// Decrypted payloads from the manager, as the session handles them:
// control messages, shared-file transfers, stray data. The input is split
// at 0x00 bytes into several messages so transfers can span messages.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "agentd/session.hpp"

namespace {

const core::AgentKey kKey{"001", "test-agent", "any", "fuzz-key"};

class Hooks final : public agentd::SessionHooks {
public:
    void transmit(const std::string&) override {}
    void next_server() override {}
    void active_response(std::string_view) override {}
    void restart_syscheck() override {}
    std::string keepalive_text() override { return "#!-fuzz\nx merged.mg\n"; }
    std::string server_name() const override { return "fuzz"; }
};

struct World {
    World()
        // tmpfs when there is one: the session's durable writes (fsync)
        // would otherwise dominate the run time.
        : dir((std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                         : std::filesystem::temp_directory_path()) /
              "agent-fuzz-manager"),
          logger("fuzz", "/dev/null", false, 0),
          codec(core::derive_session_key(kKey)) {
        std::filesystem::create_directories(dir);
    }
    std::filesystem::path dir;
    core::Logger logger;
    core::SecureCodec codec;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    std::error_code ec;
    // Created once: each one writes (and flushes) a reservation.
    static core::SenderCounter sender(world.dir / "sender", 0, ec);
    core::ReceiveCounter receiver(world.dir / "rids-does-not-persist-across-runs");
    agentd::SharedFileReceiver shared(world.dir / "shared", world.logger);
    Hooks hooks;
    agentd::Session session({kKey, std::chrono::seconds(60), std::chrono::seconds(180), false},
                            sender, receiver, shared, hooks, world.logger);
    const auto now = agentd::Clock::time_point{} + std::chrono::hours(1);
    session.start(now);

    std::string_view input(reinterpret_cast<const char*>(data), size);
    core::Counters counters{1000000, 0};
    while (!input.empty()) {
        const auto end = input.find('\0');
        std::string_view payload = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        if (payload.empty() || payload.size() > core::kMaxPayload) {
            continue;
        }
        counters = core::next_counters(counters);
        session.on_datagram(world.codec.seal(payload, counters, 1), now);
    }
    std::filesystem::remove(world.dir / "rids-does-not-persist-across-runs", ec);
    return 0;
}
