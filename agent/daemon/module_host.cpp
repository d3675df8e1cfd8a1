#include "daemon/module_host.hpp"

namespace daemon_support {

ModuleHost standalone_host(const DaemonOptions& options, const core::Home& home,
                           const std::filesystem::path& config_file) {
    ModuleHost host{home, config_file, options.foreground, options.debug_level, true, {},
                    options.user, options.group};
    host.on_control = [](ControlCallback callback) {
        pal::on_control_request(std::move(callback));
    };
    return host;
}

void ControlHub::subscribe(ControlCallback callback) {
    bool stopped = false;
    {
        std::lock_guard lock(mutex_);
        subscribers_.push_back(callback);
        stopped = stopped_;
    }
    if (stopped) {
        callback(pal::ControlRequest::kStop);
    }
}

void ControlHub::request(pal::ControlRequest request) {
    std::vector<ControlCallback> subscribers;
    {
        std::lock_guard lock(mutex_);
        if (request == pal::ControlRequest::kStop) {
            if (stopped_) {
                return;
            }
            stopped_ = true;
        }
        subscribers = subscribers_;
    }
    for (const auto& callback : subscribers) {
        callback(request);
    }
}

bool ControlHub::stop_requested() const {
    std::lock_guard lock(mutex_);
    return stopped_;
}

}  // namespace daemon_support
