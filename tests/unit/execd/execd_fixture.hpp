// Execd with a fake clock, a fake process runner and a recorded run log:
// nothing is executed and no time passes unless a test says so.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "execd/execd.hpp"
#include "support/test_support.hpp"

namespace execd {

// Records every request; plays the script's side of the stdin dialogue.
class FakeRunner final : public ProcessRunner {
public:
    std::error_code run(const pal::ProcessRequest& request,
                        pal::ProcessResult& result) override {
        requests.push_back(request);
        if (error) {
            return error;
        }
        for (const auto& line : script_says) {
            if (!request.on_output_line) {
                break;
            }
            const pal::StdinReply reply = request.on_output_line(line);
            answers.push_back(reply.text);
            if (reply.close_stdin) {
                break;
            }
        }
        result = next_result;
        return {};
    }

    std::vector<std::string> argv(std::size_t i) const { return requests.at(i).argv; }

    std::vector<pal::ProcessRequest> requests;
    std::vector<std::string> script_says;  // stdout lines of every run
    std::vector<std::string> answers;      // what execd wrote back
    pal::ProcessResult next_result;
    std::error_code error;
};

class FakeRunLog final : public RunLog {
public:
    void record(std::string_view line) override { lines.emplace_back(line); }
    std::vector<std::string> lines;
};

class ExecdTestBase : public ::testing::Test {
protected:
    ExecdTestBase() {
        std::filesystem::create_directories(bin());
        std::filesystem::create_directories(home() / "etc" / "shared");
        for (const char* script : {"firewall-drop.sh", "host-deny.sh", "restart-ossec.sh",
                                   "disable-account.sh", "wazuh-block"}) {
            testing_support::write_file(bin() / script, "#!/bin/sh\n");
        }
        write_ar_conf(
            "restart-ossec0 - restart-ossec.sh - 0\n"
            "firewall-drop600 - firewall-drop.sh - 600\n"
            "host-deny600 - host-deny.sh - 600\n"
            "disable-account0 - disable-account.sh - 0\n"
            "wazuh-block60 - wazuh-block - 60\n");
    }

    std::filesystem::path home() const { return dir_.path(); }
    std::filesystem::path bin() const { return home() / "active-response" / "bin"; }
    std::string script(const char* name) const { return (bin() / name).string(); }

    void write_ar_conf(const std::string& text) {
        testing_support::write_file(home() / "etc" / "shared" / "ar.conf", text);
    }

    ExecdSettings settings() const {
        ExecdSettings s;
        s.bin_dir = bin();
        s.ar_conf = home() / "etc" / "shared" / "ar.conf";
        s.state_file = home() / "queue" / "execd" / "pending.json";
        s.working_directory = home();
        s.repeated_offenders = offenders_;
        return s;
    }

    Execd& execd() {
        if (!execd_) {
            execd_ = std::make_unique<Execd>(settings(), clock_, runner_, run_log_, logger_);
            execd_->restore();
        }
        return *execd_;
    }

    // A new Execd over the same home, as after a restart of the program.
    void restart() {
        execd_.reset();
        execd();
    }

    void advance(std::chrono::seconds step) {
        clock_.advance(step);
        execd().run_due();
    }

    std::vector<std::chrono::minutes> offenders_;
    testing_support::TempDir dir_;
    FakeClock clock_;
    FakeRunner runner_;
    FakeRunLog run_log_;
    core::Logger logger_{"ossec-execd"};
    std::unique_ptr<Execd> execd_;
};

}  // namespace execd
