#include "agentd/pace_controller.hpp"

#include <algorithm>

namespace agentd {

PaceController::PaceController(std::uint32_t ceiling)
    : ceiling_(ceiling), floor_(std::min(ceiling, kFloor)), rate_(ceiling) {}

PaceController::Clock::duration PaceController::base() const {
    if (samples_.empty()) {
        return Clock::duration::zero();
    }
    Clock::duration smallest = samples_.front().second;
    for (const auto& sample : samples_) {
        smallest = std::min(smallest, sample.second);
    }
    return smallest;
}

void PaceController::forget_base() { samples_.clear(); }

PaceController::Change PaceController::cut(Clock::time_point now) {
    last_cut_ = now;
    cut_once_ = true;
    const std::uint32_t lower = std::max(floor_, rate_ / kCutDivisor);
    if (lower == rate_) {
        return Change::kNone;
    }
    rate_ = lower;
    return Change::kCut;
}

PaceController::Change PaceController::on_ack(Clock::time_point sent, Clock::time_point now) {
    if (ceiling_ == 0 || now < sent) {
        return Change::kNone;
    }
    const Clock::duration rtt = now - sent;
    while (!samples_.empty() &&
           (now - samples_.front().first > kBaseWindow || samples_.size() >= kMaxSamples)) {
        samples_.pop_front();
    }
    samples_.emplace_back(now, rtt);
    const Clock::duration base_rtt = base();
    const Clock::duration cut_above =
        std::max<Clock::duration>(base_rtt * kCutFactor, kCutMinimum);
    const Clock::duration raise_upto =
        std::max<Clock::duration>(base_rtt * kRaiseFactor, kRaiseMaximum);
    if (rtt > cut_above) {
        // Probes sent before the last cut waited behind the old rate.
        if (cut_once_ && sent <= last_cut_) {
            return Change::kNone;
        }
        return cut(now);
    }
    if (rtt > raise_upto || rate_ >= ceiling_) {
        return Change::kNone;
    }
    rate_ = std::min(ceiling_, rate_ + std::max<std::uint32_t>(1, ceiling_ / kRaiseSteps));
    return rate_ == ceiling_ ? Change::kAtCeiling : Change::kRaised;
}

PaceController::Change PaceController::on_timeout(Clock::time_point now) {
    if (ceiling_ == 0) {
        return Change::kNone;
    }
    return cut(now);
}

}  // namespace agentd
