// agent-auth against a tiny authd written here (asio::ssl, TLS 1.2, a
// self-signed certificate made with the openssl program at test time),
// and manage_agents -i / -l in a temporary agent home.

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include <cstdlib>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "enroll/base64.hpp"
#include "enroll/tls_enrollment.hpp"
#include "integration/agent_home.hpp"
#include "integration/child_process.hpp"
#include "support/test_support.hpp"

#ifndef AGENT_AUTH_EXE
#define AGENT_AUTH_EXE ""
#endif
#ifndef MANAGE_AGENTS_EXE
#define MANAGE_AGENTS_EXE ""
#endif

namespace integration {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using asio::ip::tcp;

// client.keys as OSSEC keeps it: 0640 with group ossec where that group
// exists (agentd reads it after giving up root), else 0600 for root alone;
// never readable by others.
void expect_key_file_mode(const fs::path& keys) {
    struct stat info{};
    ASSERT_EQ(::stat(keys.c_str(), &info), 0) << keys;
    const group* ossec = ::getgrnam("ossec");
    if (ossec != nullptr && ::geteuid() == 0) {
        EXPECT_EQ(info.st_mode & 07777, 0640u) << keys;
        EXPECT_EQ(info.st_gid, ossec->gr_gid) << keys;
    } else {
        EXPECT_EQ(info.st_mode & 07777, 0600u) << keys;
    }
}

constexpr char kKey[] =
    "97cf6c7a1e1d7b0e4b85d4612837a71f24bb4b92d9d4e8aa0b1c2d3e4f5a5ea4";

std::optional<fs::path> find_in_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const fs::path candidate = fs::path(dir) / program;
        if (fs::exists(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

struct RunResult {
    ExitStatus status;
    std::string output;
};

// Runs a program to completion (30 s at most) and returns its output.
RunResult run(std::vector<std::string> argv, const fs::path& output_file) {
    ChildProcess child(std::move(argv), output_file);
    EXPECT_FALSE(child.start());
    const auto status = child.wait_for_exit(30s);
    EXPECT_TRUE(status.has_value()) << "the program did not exit within 30 s";
    return {status.value_or(ExitStatus{true, 9}),
            testing_support::read_file(output_file)};
}

// A self-signed certificate with the given subject alternative names (an
// EC key, quick to make). False when the openssl program is missing or
// fails.
bool make_certificate(const fs::path& dir, const std::string& name,
                      const std::string& names = "IP:127.0.0.1,DNS:localhost") {
    const auto openssl = find_in_path("openssl");
    if (!openssl) {
        return false;
    }
    const RunResult made =
        run({openssl->string(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
             "/CN=ossec-test-manager", "-addext", "subjectAltName=" + names, "-keyout",
             (dir / (name + ".key")).string(), "-out", (dir / (name + ".crt")).string()},
            dir / (name + ".log"));
    return !made.status.signaled && made.status.code == 0;
}

// authd's side of one enrollment: accepts one TLS 1.2 connection on
// 127.0.0.1, reads the request up to its '\n', writes the reply and
// closes without a TLS close_notify, as OSSEC's authd does when it exits.
class FakeAuthd {
  public:
    FakeAuthd(const fs::path& cert_dir, std::string reply,
              const std::string& certificate = "manager")
        : context_(asio::ssl::context::tlsv12_server),
          acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          reply_(std::move(reply)) {
        context_.use_certificate_chain_file((cert_dir / (certificate + ".crt")).string());
        context_.use_private_key_file((cert_dir / (certificate + ".key")).string(),
                                      asio::ssl::context::pem);
        accept();
        thread_ = std::thread([this] { io_.run_for(30s); });
    }
    ~FakeAuthd() {
        io_.stop();
        join();
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    // What the agent sent; waits for the exchange to end.
    std::string request() {
        join();
        return request_;
    }
    std::string protocol() {
        join();
        return protocol_;
    }

  private:
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    void accept() {
        acceptor_.async_accept([this](std::error_code ec, tcp::socket socket) {
            if (ec) {
                return;
            }
            stream_ = std::make_unique<asio::ssl::stream<tcp::socket>>(std::move(socket),
                                                                       context_);
            stream_->async_handshake(
                asio::ssl::stream_base::server, [this](std::error_code ec) {
                    if (!ec) {
                        protocol_ = SSL_get_version(stream_->native_handle());
                        read_request();
                    }
                });
        });
    }

    void read_request() {
        asio::async_read_until(*stream_, asio::dynamic_buffer(request_), '\n',
                               [this](std::error_code ec, std::size_t) {
                                   if (!ec && !reply_.empty()) {
                                       send_reply();
                                   }
                                   // An empty reply: keep the connection, say nothing.
                               });
    }

    void send_reply() {
        asio::async_write(*stream_, asio::buffer(reply_),
                          [this](std::error_code, std::size_t) {
                              std::error_code ignored;
                              stream_->lowest_layer().close(ignored);
                          });
    }

    asio::io_context io_;
    asio::ssl::context context_;
    tcp::acceptor acceptor_;
    std::unique_ptr<asio::ssl::stream<tcp::socket>> stream_;
    std::string reply_;
    std::string request_;
    std::string protocol_;
    std::thread thread_;
};

class AgentAuthTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (std::string(AGENT_AUTH_EXE).empty()) {
            GTEST_SKIP() << "agent-auth is not built (no OpenSSL)";
        }
        if (!make_certificate(certs_.path(), "manager") ||
            !make_certificate(certs_.path(), "other") ||
            !make_certificate(certs_.path(), "misnamed", "DNS:elsewhere.example")) {
            GTEST_SKIP() << "cannot make a test certificate: the openssl program is "
                            "missing or failed (see "
                         << certs_.path() << ")";
        }
        program_ = home_.install(AGENT_AUTH_EXE);
    }

    RunResult enroll(FakeAuthd& authd, std::vector<std::string> args) {
        std::vector<std::string> argv{program_.string(), "-m", "127.0.0.1", "-p",
                                      std::to_string(authd.port())};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv, home_.root() / "agent-auth.out");
    }

    fs::path keys() const { return home_.root() / "etc" / "client.keys"; }

    testing_support::TempDir certs_;
    AgentHome home_;
    fs::path program_;
};

TEST_F(AgentAuthTest, SendsOssecsRequestAndWritesTheKeyItReceives) {
    const std::string line = std::string("1024 web-01 any ") + kKey;
    FakeAuthd authd(certs_.path(), "OSSEC K:'" + line + "'\n\n");
    home_.write_keys("005 old-agent any old\n");
    testing_support::write_file(home_.rids_dir() / "005", "4:5:");
    testing_support::write_file(home_.rids_dir() / "sender_counter", "77:1:");

    const RunResult result = enroll(authd, {"-A", "web-01", "-P", "s3cret", "-v",
                                            (certs_.path() / "manager.crt").string()});

    EXPECT_EQ(authd.request(), "OSSEC PASS: s3cret OSSEC A:'web-01'\n");
    EXPECT_EQ(authd.protocol(), "TLSv1.2");
    EXPECT_EQ(describe(result.status), describe(ExitStatus{false, 0})) << result.output;
    EXPECT_EQ(testing_support::read_file(keys()), line + "\n");
    expect_key_file_mode(keys());
    EXPECT_FALSE(fs::exists(home_.rids_dir() / "005"));
    EXPECT_EQ(testing_support::read_file(home_.rids_dir() / "sender_counter"), "77:1:");
    EXPECT_NE(result.output.find("valid key received: agent 'web-01', ID 1024"),
              std::string::npos)
        << result.output;
}

TEST_F(AgentAuthTest, ShowsTheManagersErrorAndKeepsTheOldKey) {
    FakeAuthd authd(certs_.path(), "ERROR: Invalid agent name: bad name!\n\n");
    home_.write_keys("005 old-agent any old\n");

    const RunResult result = enroll(authd, {"-A", "bad name!"});

    EXPECT_EQ(authd.request(), "OSSEC A:'bad name!'\n");
    EXPECT_EQ(describe(result.status), describe(ExitStatus{false, 1})) << result.output;
    EXPECT_NE(result.output.find("replied: ERROR: Invalid agent name: bad name!\n"),
              std::string::npos)
        << result.output;
    EXPECT_EQ(testing_support::read_file(keys()), "005 old-agent any old\n");
}

TEST_F(AgentAuthTest, ReadsAUtf16PasswordFileAndChecksTheHostName) {
    using namespace std::string_literals;
    FakeAuthd authd(certs_.path(), "OSSEC K:'1024 web-01 any "s + kKey + "'\n\n");
    testing_support::write_file(home_.root() / "etc" / "authd.pass",
                                "\xFF\xFEp\0w\0\xE9\0\r\0\n\0"s);

    const RunResult result = enroll(authd, {"-A", "web-01", "-m", "localhost", "-v",
                                            (certs_.path() / "manager.crt").string()});

    EXPECT_EQ(authd.request(), "OSSEC PASS: pw\xC3\xA9 OSSEC A:'web-01'\n");
    EXPECT_EQ(describe(result.status), describe(ExitStatus{false, 0})) << result.output;
}

TEST_F(AgentAuthTest, RefusesAManagerCertificateFromAnotherCa) {
    FakeAuthd authd(certs_.path(), "OSSEC K:'1024 web-01 any x'\n\n");
    home_.write_keys("005 old-agent any old\n");

    const RunResult result =
        enroll(authd, {"-A", "web-01", "-v", (certs_.path() / "other.crt").string()});

    EXPECT_EQ(describe(result.status), describe(ExitStatus{false, 1})) << result.output;
    EXPECT_NE(result.output.find("certificate"), std::string::npos) << result.output;
    EXPECT_EQ(testing_support::read_file(keys()), "005 old-agent any old\n");
}

TEST_F(AgentAuthTest, RefusesACertificateThatDoesNotNameTheManager) {
    FakeAuthd authd(certs_.path(), "OSSEC K:'1024 web-01 any x'\n\n", "misnamed");

    const RunResult result =
        enroll(authd, {"-A", "web-01", "-v", (certs_.path() / "misnamed.crt").string()});

    EXPECT_EQ(describe(result.status), describe(ExitStatus{false, 1})) << result.output;
    EXPECT_NE(result.output.find("does not name '127.0.0.1'"), std::string::npos)
        << result.output;
    EXPECT_FALSE(fs::exists(keys()));
}

TEST_F(AgentAuthTest, GivesUpWhenTheManagerNeverReplies) {
    FakeAuthd authd(certs_.path(), "");
    enroll::TlsEnrollmentOptions options;
    options.manager = "127.0.0.1";
    options.port = authd.port();
    options.reply_timeout = 1s;

    const auto start = std::chrono::steady_clock::now();
    const auto outcome = enroll::exchange_over_tls(options, "OSSEC A:'web-01'\n");

    ASSERT_FALSE(outcome.ok());
    EXPECT_NE(outcome.error().find("no complete reply"), std::string::npos)
        << outcome.error();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(ManageAgentsTest, ImportsTheManagersExportAndListsItWithoutTheKey) {
    if (std::string(MANAGE_AGENTS_EXE).empty()) {
        GTEST_SKIP() << "manage_agents is not built";
    }
    AgentHome home;
    const fs::path program = home.install(MANAGE_AGENTS_EXE);
    home.write_keys("005 old-agent any old\n");
    testing_support::write_file(home.rids_dir() / "005", "4:5:");
    testing_support::write_file(home.rids_dir() / "sender_counter", "77:1:");
    const std::string line = std::string("001 test-agent any ") + kKey;

    const RunResult imported =
        run({program.string(), "-i", enroll::encode_base64(line), "-y"},
            home.root() / "import.out");
    EXPECT_EQ(describe(imported.status), describe(ExitStatus{false, 0}))
        << imported.output;
    const fs::path keys = home.root() / "etc" / "client.keys";
    EXPECT_EQ(testing_support::read_file(keys), line + "\n");
    expect_key_file_mode(keys);
    EXPECT_FALSE(fs::exists(home.rids_dir() / "005"));
    EXPECT_TRUE(fs::exists(home.rids_dir() / "sender_counter"));

    const RunResult listed = run({program.string(), "-l"}, home.root() / "list.out");
    EXPECT_EQ(describe(listed.status), describe(ExitStatus{false, 0})) << listed.output;
    EXPECT_NE(listed.output.find("ID: 001, Name: test-agent, IP: any"), std::string::npos)
        << listed.output;
    EXPECT_EQ(listed.output.find(kKey), std::string::npos);
}

}  // namespace
}  // namespace integration
