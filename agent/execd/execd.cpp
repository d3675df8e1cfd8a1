#include "execd/execd.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "execd/validation.hpp"
#include "pal/file.hpp"

namespace execd {
namespace {

constexpr std::size_t kMaxRefusalsRemembered = 1000;
constexpr std::size_t kMaxOffenders = 100000;
constexpr std::size_t kMaxCheckKeys = 16;

std::string join(const std::vector<std::string>& words, std::size_t from = 0) {
    std::string out;
    for (std::size_t i = from; i < words.size(); ++i) {
        out += (out.empty() ? "" : " ") + words[i];
    }
    return out;
}

std::string read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_real_ip(const std::string& srcip) { return srcip != "-" && srcip != "null"; }

std::string describe(const pal::ProcessResult& result) {
    switch (result.outcome) {
        case pal::ProcessOutcome::kExited:
            return "exit status " + std::to_string(result.exit_code);
        case pal::ProcessOutcome::kSignaled:
            return "killed by signal " + std::to_string(result.exit_code);
        case pal::ProcessOutcome::kTimedOut:
            return "killed: still running at the time limit";
    }
    return "unknown outcome";
}

// The Wazuh message with "command" set, as one line for the script's stdin.
std::string wazuh_line(JsonValue message, const std::string& command,
                       const std::string& executable) {
    message.set("command", JsonValue::string(command));
    JsonValue origin = JsonValue::object();
    if (const JsonValue* old = message.find("origin"); old && old->is_object()) {
        origin = *old;
    }
    origin.set("module", JsonValue::string("ossec-execd"));
    message.set("origin", std::move(origin));
    JsonValue parameters = *message.find("parameters");
    parameters.set("program", JsonValue::string("active-response/bin/" + executable));
    message.set("parameters", std::move(parameters));
    return to_json(message) + "\n";
}

std::string wazuh_answer(const std::string& command) {
    return "{\"version\":1,\"origin\":{\"name\":\"\",\"module\":\"ossec-execd\"},"
           "\"command\":\"" + command + "\",\"parameters\":{}}\n";
}

// The keys of a check_keys line, joined; nullopt when the line is not a
// well-formed check_keys request.
std::optional<std::string> check_keys(std::string_view line) {
    const auto json = parse_json(line, JsonLimits{4096, 8});
    const JsonValue* command = json ? json->find("command") : nullptr;
    const JsonValue* parameters = json ? json->find("parameters") : nullptr;
    const JsonValue* keys = parameters ? parameters->find("keys") : nullptr;
    if (!command || command->text != "check_keys" || !keys || !keys->is_array() ||
        keys->items.size() > kMaxCheckKeys) {
        return std::nullopt;
    }
    std::string joined;
    for (const JsonValue& key : keys->items) {
        if (!key.is_string() || !is_safe_word(key.text)) {
            return std::nullopt;
        }
        joined += (joined.empty() ? "" : ",") + key.text;
    }
    return joined;
}

}  // namespace

Execd::Execd(ExecdSettings settings, Clock& clock, ProcessRunner& runner, RunLog& run_log,
             core::Logger& logger)
    : settings_(std::move(settings)), clock_(clock), runner_(runner), run_log_(run_log),
      logger_(logger), table_(settings_.ar_conf) {}

void Execd::restore() {
    if (settings_.state_file.empty()) {
        return;
    }
    std::error_code ec;
    if (!std::filesystem::exists(settings_.state_file, ec)) {
        return;
    }
    std::vector<std::string> problems;
    const auto loaded = parse_state(read_whole(settings_.state_file), clock_, problems);
    for (const auto& problem : problems) {
        logger_.warning(settings_.state_file.string() + ": " + problem);
    }
    if (!loaded.ok()) {
        logger_.error("cannot read saved active responses '" + settings_.state_file.string() +
                      "': " + loaded.error() + "; starting with none pending");
        return;
    }
    state_ = loaded.value();
    if (!state_.pending.empty()) {
        logger_.info("restored " + std::to_string(state_.pending.size()) +
                     " pending active-response deletes from '" +
                     settings_.state_file.string() + "'");
    }
}

void Execd::handle(std::string_view text) {
    core::Result<ArMessage> parsed = parse_ar_message(text);
    if (!parsed.ok()) {
        refuse("active response refused: " + parsed.error());
        return;
    }
    ArMessage& message = parsed.value();
    const auto script = resolve(message);
    if (!script) {
        return;
    }
    if (message.protocol == ArProtocol::kOssec) {
        handle_ossec(message, *script);
    } else {
        handle_wazuh(std::move(message), *script);
    }
}

std::optional<Execd::Script> Execd::resolve(const ArMessage& message) {
    std::vector<std::string> problems;
    const auto entry = table_.lookup(message.name, problems);
    for (const auto& problem : problems) {
        refuse(problem + "; that line is ignored");
    }
    if (!entry) {
        refuse("active response refused: '" + message.name + "' is not in '" +
               settings_.ar_conf.string() + "'");
        return std::nullopt;
    }
    Script script{entry->executable, settings_.bin_dir / entry->executable, entry->timeout};
    pal::FileInfo info;
    if (pal::stat_path(script.path, info) || !info.is_regular) {
        refuse("active response '" + message.name + "' refused: '" + script.path.string() +
               "' is not a file in active-response/bin");
        return std::nullopt;
    }
    return script;
}

void Execd::handle_ossec(const ArMessage& message, const Script& script) {
    const std::string key = script.executable + " " + message.srcip;
    if (script.timeout.count() > 0) {
        if (PendingDelete* pending = find_pending(key)) {
            extend(*pending, message.srcip);
            return;
        }
    }
    std::vector<std::string> args = {"add"};
    args.insert(args.end(), message.args.begin(), message.args.end());
    // The delete is saved before the add runs, so a crash while the
    // script runs cannot leave its block in place forever.
    if (script.timeout.count() > 0) {
        PendingDelete entry;
        entry.executable = script.executable;
        entry.key = key;
        entry.args = message.args;
        schedule(std::move(entry), message.srcip, script.timeout);
    }
    if (!run_script(request_for(script.executable, args), join(args)) &&
        script.timeout.count() > 0) {
        std::erase_if(state_.pending, [&](const PendingDelete& p) { return p.key == key; });
        save();
    }
}

void Execd::handle_wazuh(ArMessage message, const Script& script) {
    pal::ProcessRequest request = request_for(script.executable, {});
    request.stdin_data = wazuh_line(message.json, "add", script.executable);
    std::optional<std::string> keys;
    bool aborted = false;
    request.on_output_line = [&](std::string_view line) {
        keys = check_keys(line);
        PendingDelete* pending =
            keys ? find_pending(script.executable + " " + *keys) : nullptr;
        aborted = pending != nullptr;
        if (pending != nullptr) {
            extend(*pending, message.srcip);
        }
        return pal::StdinReply{keys ? wazuh_answer(aborted ? "abort" : "continue") : "",
                               true};
    };
    if (!run_script(request, "add " + printable(request.stdin_data, 512)) || aborted ||
        script.timeout.count() == 0) {
        return;
    }
    const std::string key = script.executable + " " + (keys ? *keys : message.srcip);
    if (PendingDelete* pending = find_pending(key)) {
        extend(*pending, message.srcip);
        return;
    }
    PendingDelete entry;
    entry.protocol = ArProtocol::kWazuh;
    entry.executable = script.executable;
    entry.key = key;
    entry.stdin_text = wazuh_line(message.json, "delete", script.executable);
    schedule(std::move(entry), message.srcip, script.timeout);
}

PendingDelete* Execd::find_pending(const std::string& key) {
    const auto it = std::find_if(state_.pending.begin(), state_.pending.end(),
                                 [&](const PendingDelete& p) { return p.key == key; });
    return it == state_.pending.end() ? nullptr : &*it;
}

// OSSEC's repeated offenders: the first block uses the AR timeout, each
// later one the next <repeated_offenders> value (minutes), staying on the
// last. Counted per executable and IP.
std::chrono::seconds Execd::next_block(const std::string& key, const std::string& srcip,
                                       std::chrono::seconds base) {
    const auto& steps = settings_.repeated_offenders;
    if (steps.empty() || !is_real_ip(srcip)) {
        return base;
    }
    if (state_.offenders.size() >= kMaxOffenders && !state_.offenders.count(key)) {
        state_.offenders.erase(state_.offenders.begin());
    }
    int& count = state_.offenders[key];
    const auto block = count == 0 ? base
                                  : std::chrono::seconds(steps[std::min<std::size_t>(
                                        count - 1, steps.size() - 1)]);
    ++count;
    return block;
}

// The same executable and IP while its block is active: nothing runs, the
// timer restarts (with the next offender step when configured).
void Execd::extend(PendingDelete& entry, const std::string& srcip) {
    if (!settings_.repeated_offenders.empty() && is_real_ip(srcip)) {
        entry.block = next_block(entry.key, srcip, entry.block);
    }
    entry.deadline = clock_.now() + entry.block;
    logger_.info("active response '" + entry.key + "' is already in effect; not run again, "
                 "its delete moved to " + std::to_string(entry.block.count()) + " s from now");
    save();
}

void Execd::schedule(PendingDelete entry, const std::string& srcip,
                     std::chrono::seconds base) {
    if (state_.pending.size() >= settings_.max_pending) {
        logger_.error("too many pending active-response deletes (" +
                      std::to_string(state_.pending.size()) + "); '" + entry.key +
                      "' will not be undone automatically");
        return;
    }
    entry.block = next_block(entry.key, srcip, base);
    entry.deadline = clock_.now() + entry.block;
    logger_.debug("delete of '" + entry.key + "' scheduled in " +
                  std::to_string(entry.block.count()) + " s");
    state_.pending.push_back(std::move(entry));
    save();
}

void Execd::run_due() {
    const SteadyTime now = clock_.now();
    std::vector<PendingDelete> due;
    auto split = std::stable_partition(state_.pending.begin(), state_.pending.end(),
                                       [&](const PendingDelete& p) { return p.deadline > now; });
    std::move(split, state_.pending.end(), std::back_inserter(due));
    state_.pending.erase(split, state_.pending.end());
    if (due.empty()) {
        return;
    }
    save();
    for (const auto& entry : due) {
        run_delete(entry);
    }
}

std::optional<SteadyTime> Execd::next_deadline() const {
    std::optional<SteadyTime> next;
    for (const auto& entry : state_.pending) {
        if (!next || entry.deadline < *next) {
            next = entry.deadline;
        }
    }
    return next;
}

void Execd::run_all_pending() {
    std::vector<PendingDelete> all = std::move(state_.pending);
    state_.pending.clear();
    if (!all.empty()) {
        logger_.info("running " + std::to_string(all.size()) +
                     " pending active-response deletes before stopping");
        save();
    }
    for (const auto& entry : all) {
        run_delete(entry);
    }
}

void Execd::run_delete(const PendingDelete& entry) {
    if (entry.protocol == ArProtocol::kOssec) {
        std::vector<std::string> args = {"delete"};
        args.insert(args.end(), entry.args.begin(), entry.args.end());
        run_script(request_for(entry.executable, args), join(args));
        return;
    }
    pal::ProcessRequest request = request_for(entry.executable, {});
    request.stdin_data = entry.stdin_text;
    run_script(request, "delete " + printable(entry.stdin_text, 512));
}

pal::ProcessRequest Execd::request_for(const std::string& executable,
                                       std::vector<std::string> args) const {
    pal::ProcessRequest request;
    request.argv.push_back((settings_.bin_dir / executable).string());
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.working_directory = settings_.working_directory;
    request.timeout = settings_.script_timeout;
    request.output_limit = settings_.output_limit;
    return request;
}

// Runs the script and writes the run to active-responses.log; false when
// it could not be started at all.
bool Execd::run_script(const pal::ProcessRequest& request, const std::string& what) {
    const std::string name = std::filesystem::path(request.argv[0]).filename().string();
    pal::ProcessResult result;
    if (const std::error_code ec = runner_.run(request, result)) {
        logger_.error("cannot run active response '" + request.argv[0] + "': " +
                      ec.message() + "; skipped");
        run_log_.record(name + " " + what + ": not run: " + ec.message());
        return false;
    }
    std::string line = name + " " + what + ": " + describe(result) + " after " +
                       std::to_string(result.duration.count()) + " ms";
    if (!result.output.empty() || !result.error_output.empty()) {
        line += "; output: " + printable(result.output + result.error_output, 400);
    }
    run_log_.record(line);
    if (result.outcome == pal::ProcessOutcome::kTimedOut) {
        logger_.warning("active response '" + request.argv[0] + "' was still running after " +
                        std::to_string(settings_.script_timeout.count()) +
                        " ms and was killed");
    }
    return true;
}

// Refusals are logged once as warnings (the same bad command repeated
// cannot flood ossec.log), then at debug level.
void Execd::refuse(const std::string& reason) {
    if (refused_.count(reason) != 0) {
        logger_.debug(reason);
        return;
    }
    if (refused_.size() < kMaxRefusalsRemembered) {
        refused_.insert(reason);
    }
    logger_.warning(reason);
}

void Execd::save() {
    if (settings_.state_file.empty()) {
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(settings_.state_file.parent_path(), ec);
    ec = pal::write_file_atomically(settings_.state_file, format_state(state_, clock_));
    if (ec) {
        logger_.error("cannot save pending active responses to '" +
                      settings_.state_file.string() + "': " + ec.message() +
                      "; they will be lost if execd stops");
    }
}

}  // namespace execd
