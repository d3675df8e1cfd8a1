#include "rootcheck/rootcheck.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "pal/file_metadata.hpp"
#include "support/test_support.hpp"

namespace rootcheck {
namespace {

namespace fs = std::filesystem;
using testing_support::write_file;

class RecordingNotifier final : public Notifier {
public:
    bool notify(std::string_view text) override {
        messages.emplace_back(text);
        return true;
    }
    std::vector<std::string> messages;
};

// A system with two processes, process 7 hidden from /proc, tcp port
// 31337 in use but not listed, and eth9 promiscuous.
class FakeSystem final : public SystemView {
public:
    std::error_code processes(std::vector<pal::ProcessEntry>& out) override {
        out = {{1, "init"}, {42, "fake-daemon"}};
        return {};
    }
    std::error_code sight_process(long pid, pal::ProcessSighting& out) override {
        out = {};
        if (pid == 1 || pid == 3) {
            out = {true, true, true, true, true, true};
        } else if (pid == 7) {
            out.signal = out.session = out.group = true;  // not in /proc at all
        } else if (pid == 8) {
            out = {true, true, true, true, true, false};  // a thread of pid 1
        }
        return {};
    }
    std::error_code thread_ids(std::set<long>& out) override {
        out = {1, 8};
        return {};
    }
    long max_pid() override { return 10; }
    long own_pid() override { return 3; }
    std::error_code port_in_use(pal::Transport t, std::uint16_t port, bool& in_use) override {
        in_use = t == pal::Transport::kTcp && (port == 22 || port == 31337);
        return {};
    }
    std::error_code listed_ports(pal::Transport, std::vector<bool>& out) override {
        out.assign(65536, false);
        out[22] = true;
        return {};
    }
    std::error_code interfaces(std::vector<pal::NetworkInterface>& out) override {
        out = {{"lo", false}, {"eth9", true}};
        return {};
    }
    std::error_code registry_values(pal::RegistryRoot, const std::string&,
                                    std::vector<pal::RegistryValue>&) override {
        return std::make_error_code(std::errc::not_supported);
    }
};

std::string path_text(const fs::path& p) { return p.generic_string(); }

// A small system tree under a temporary base directory.
class RootcheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        base_ = path_text(temp_.path());
        write_file(temp_.path() / "tmp/mcliZokhb", "x");
        write_file(temp_.path() / "usr/lib/libt", "x");
        write_file(temp_.path() / "etc/klogd.o", "x");
        write_file(temp_.path() / "bin/ls", std::string("\x7f" "ELF\x01\x02", 6) +
                                                 std::string("\0/bin/sh -c\0", 12));
        write_file(temp_.path() / "bin/cat", "hello world");
        write_file(temp_.path() / "usr/bin/ps", std::string("\0\0/dev/pty5\0", 12));
        write_file(temp_.path() / "etc/ssh/sshd_config",
                   "# PermitRootLogin no\nProtocol 2\nPermitRootLogin   yes\n");
        write_file(temp_.path() / "etc/profile", "export PATH=/bin\n");
        write_file(temp_.path() / "etc/version", "2.0\n");
        write_file(temp_.path() / "var/www/site/.yop", "x");
        write_file(temp_.path() / "var/www/shell.php", "<?php eval($_POST['x']); ?>\n");
        write_file(temp_.path() / "var/www/ok.php", "<?php echo 1; ?>\n");
        write_file(temp_.path() / "dev/hidden.txt", "x");
        write_file(temp_.path() / "dev/MAKEDEV", "x");
        write_file(temp_.path() / "dev/pts/0.log", "x");
    }

    std::string data(const std::string& name) {
        return path_text(testing_support::data_dir() / "rootcheck" / name);
    }

    // A data file with @BASE@ replaced by the tree, written into the tree.
    std::string policy(const std::string& name) {
        std::string text = testing_support::read_file(data(name));
        for (std::size_t at = text.find("@BASE@"); at != std::string::npos;
             at = text.find("@BASE@", at)) {
            text.replace(at, 6, base_);
        }
        const auto path = temp_.path() / ("policy-" + name);
        write_file(path, text);
        return path_text(path);
    }

    core::RootcheckConfig only_policies(std::vector<std::string> files) {
        core::RootcheckConfig config;
        config.check_files = config.check_trojans = config.check_dev = config.check_sys =
            config.check_pids = config.check_ports = config.check_if = false;
        config.system_audit = std::move(files);
        return config;
    }

    std::vector<std::string> run(const core::RootcheckConfig& config) {
        Rootcheck scan(config, base_, system_, notifier_, logger_);
        scan.run([] { return false; });
        return notifier_.messages;
    }

    testing_support::TempDir temp_;
    std::string base_;
    FakeSystem system_;
    RecordingNotifier notifier_;
    core::Logger logger_{"rootcheck-test"};
};

TEST_F(RootcheckTest, PolicyFindingsCarryOssecsTexts) {
    const auto messages = run(only_policies({policy("policy.txt")}));
    const std::vector<std::string> expected = {
        "Starting rootcheck scan.",
        "System Audit: SSH - root login allowed. File: " + base_ +
            "/etc/ssh/sshd_config. Reference: https://example.org/ssh .",
        "System Audit: Web - suspicious file. File: " + base_ + "/var/www/site/.yop.",
        "System Audit: Web - php shells. File: " + base_ +
            "/var/www/shell.php. Reference: ref-php .",
        "System Audit: Config - no umask line. File: " + base_ + "/etc/profile.",
        "System Audit: Config - profile without umask. File: " + base_ + "/etc/profile.",
        "System Audit: Missing file.",
        "System Audit: Process - agent running. Process: fake-daemon.",
        "System Audit: Compare - version above 1.5. File: " + base_ + "/etc/version.",
        "Ending rootcheck scan.",
    };
    EXPECT_EQ(messages, expected);
}

TEST_F(RootcheckTest, RequiredEntryThatFailsEndsThePolicy) {
    const auto messages = run(only_policies({policy("policy_required.txt")}));
    EXPECT_EQ(messages, (std::vector<std::string>{"Starting rootcheck scan.",
                                                  "Ending rootcheck scan."}));
}

TEST_F(RootcheckTest, MalformedPolicyKeepsTheEntriesBeforeIt) {
    const auto messages = run(only_policies({policy("policy_broken.txt")}));
    EXPECT_EQ(messages,
              (std::vector<std::string>{"Starting rootcheck scan.",
                                        "System Audit: First entry. File: " + base_ +
                                            "/etc/profile.",
                                        "Ending rootcheck scan."}));
}

TEST_F(RootcheckTest, WholeScanFindsRootkitsTrojansDevAndLiveSystemFindings) {
    write_file(temp_.path() / "tmp/world-writable", "x");
    fs::permissions(temp_.path() / "tmp/world-writable", fs::perms::others_write,
                    fs::perm_options::add);
    pal::FileMetadata meta;
    const bool root_owned =
        !pal::read_metadata(temp_.path() / "tmp/world-writable", pal::FollowLinks::kNo, false,
                            meta) &&
        meta.uid == 0 && (meta.mode & 0002) != 0;

    core::RootcheckConfig config;
    config.rootkit_files = data("rootkit_files.txt");
    config.rootkit_trojans = data("rootkit_trojans.txt");
    const auto messages = run(config);

    std::vector<std::string> expected = {
        "Starting rootcheck scan.",
        "Rootkit 'Bash' detected by the presence of file '" + base_ + "/tmp/mcliZokhb'.",
        "Rootkit 'Tab' detected by the presence of file '" + base_ + "/usr/lib/libt'.",
        "Trojaned version of file '" + base_ +
            "/bin/ls' detected. Signature used: 'bash|^/bin/sh|file\\.h' (Generic).",
        "Trojaned version of file '" + base_ +
            "/usr/bin/ps' detected. Signature used: '/dev/ttyop|/dev/pty[0-9]' (Known ps "
            "trojan).",
        "File '" + base_ + "/dev/hidden.txt' present on /dev. Possible hidden file.",
        "File '" + base_ + "/dev/pts/0.log' present on /dev. Possible hidden file.",
        "Rootkit 'Adore' detected by the presence of file '" + base_ + "/etc/klogd.o'.",
    };
    if (root_owned) {
        expected.push_back("File '" + base_ +
                           "/tmp/world-writable' is owned by root and has write permissions "
                           "to anyone.");
    }
    expected.push_back("Process '7' hidden from /proc. Possible kernel level rootkit.");
    expected.push_back(
        "Port '31337'(tcp) hidden. Kernel-level rootkit or trojaned version of netstat.");
    expected.push_back("Interface 'eth9' in promiscuous mode.");
    expected.push_back("Ending rootcheck scan.");
    EXPECT_EQ(messages, expected);
}

TEST_F(RootcheckTest, StopEndsTheScanWithoutTheEndNotice) {
    core::RootcheckConfig config;
    config.rootkit_files = data("rootkit_files.txt");
    Rootcheck scan(config, base_, system_, notifier_, logger_);
    int calls = 0;
    scan.run([&calls] { return ++calls > 1; });
    ASSERT_FALSE(notifier_.messages.empty());
    EXPECT_EQ(notifier_.messages.front(), "Starting rootcheck scan.");
    EXPECT_NE(notifier_.messages.back(), "Ending rootcheck scan.");
}

}  // namespace
}  // namespace rootcheck
