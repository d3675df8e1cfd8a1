#include "pal/service.hpp"

#include <windows.h>

#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "win32_error.hpp"

namespace pal {
namespace {

std::wstring widen(std::string_view text) {
    if (text.empty()) {
        return {};
    }
    const int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(),
                                           static_cast<int>(text.size()), nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                          wide.data(), size);
    return wide;
}

// Owner of a service manager handle (SC_HANDLE is not a kernel handle).
struct ScHandleCloser {
    void operator()(SC_HANDLE handle) const { ::CloseServiceHandle(handle); }
};
using ScHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ScHandleCloser>;

// Polls the service until it reports stopped or timeout passes.
bool wait_until_stopped(SC_HANDLE service, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    SERVICE_STATUS status{};
    while (::QueryServiceStatus(service, &status)) {
        if (status.dwCurrentState == SERVICE_STOPPED) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        ::Sleep(200);
    }
    return false;
}

// The service manager calls ServiceMain and the control handler as plain
// functions without a context argument (for an own-process service), so
// what run_service() was given has to be reachable from here. One process
// is one service, so there is exactly one of these, set before the
// dispatcher starts and read only while it runs.
struct RunningService {
    std::wstring name;
    const std::function<int()>* body = nullptr;
    const std::function<void()>* on_stop = nullptr;
    SERVICE_STATUS_HANDLE status_handle = nullptr;
    std::mutex mutex;  // guards status and the SetServiceStatus calls
    SERVICE_STATUS status{};
    std::mutex stopper_mutex;  // guards stopper
    std::thread stopper;       // runs on_stop; joined before the end
    bool finished = false;     // body returned: no more stopper
};

RunningService* g_service = nullptr;

void report(RunningService& service, DWORD state, DWORD exit_code, DWORD wait_hint) {
    std::lock_guard lock(service.mutex);
    service.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    service.status.dwCurrentState = state;
    service.status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    // A status of the agent's own is reported as a service-specific code.
    service.status.dwWin32ExitCode =
        exit_code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    service.status.dwServiceSpecificExitCode = exit_code;
    service.status.dwWaitHint = wait_hint;
    if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) {
        ++service.status.dwCheckPoint;
    } else {
        service.status.dwCheckPoint = 0;
    }
    ::SetServiceStatus(service.status_handle, &service.status);
}

// Modules save their state on stop (buffer, positions, baseline); this is
// how long the manager is told to wait for that.
constexpr DWORD kStopWaitHintMs = 30000;

DWORD WINAPI on_control(DWORD control, DWORD, void*, void*) {
    RunningService& service = *g_service;
    switch (control) {
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
            report(service, SERVICE_STOP_PENDING, 0, kStopWaitHintMs);
            // The handler must return at once (the manager times a control
            // out, and sc stop then fails), so the stop runs on a thread.
            {
                std::lock_guard lock(service.stopper_mutex);
                if (!service.finished && !service.stopper.joinable()) {
                    service.stopper = std::thread([&service] { (*service.on_stop)(); });
                }
            }
            return NO_ERROR;
        case SERVICE_CONTROL_INTERROGATE:
            return NO_ERROR;
        default:
            return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI service_main(DWORD, LPWSTR*) {
    RunningService& service = *g_service;
    service.status_handle =
        ::RegisterServiceCtrlHandlerExW(service.name.c_str(), on_control, nullptr);
    if (service.status_handle == nullptr) {
        return;
    }
    report(service, SERVICE_START_PENDING, 0, 5000);
    report(service, SERVICE_RUNNING, 0, 0);
    const int status = (*service.body)();
    {
        std::lock_guard lock(service.stopper_mutex);
        service.finished = true;
        if (service.stopper.joinable()) {
            service.stopper.join();
        }
    }
    report(service, SERVICE_STOPPED, static_cast<DWORD>(status), 0);
}

}  // namespace

std::error_code install_service(const ServiceDefinition& definition) {
    ScHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CREATE_SERVICE));
    if (!manager) {
        return win32::last_error();
    }
    // The path is quoted: it usually holds spaces ("Program Files (x86)").
    const std::wstring command = L"\"" + definition.executable.wstring() + L"\"";
    ScHandle service(::CreateServiceW(
        manager.get(), widen(definition.name).c_str(),
        widen(definition.display_name).c_str(), SERVICE_ALL_ACCESS,
        SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
        command.c_str(), nullptr, nullptr, nullptr, nullptr, nullptr));
    if (!service) {
        return win32::last_error();
    }
    std::wstring description = widen(definition.description);
    SERVICE_DESCRIPTIONW text{description.data()};
    if (!::ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_DESCRIPTION, &text)) {
        return win32::last_error();
    }
    return {};
}

std::error_code uninstall_service(const std::string& name,
                                  std::chrono::milliseconds stop_timeout) {
    ScHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!manager) {
        return win32::last_error();
    }
    ScHandle service(::OpenServiceW(manager.get(), widen(name).c_str(),
                                    SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
    if (!service) {
        return win32::last_error();
    }
    SERVICE_STATUS status{};
    if (::ControlService(service.get(), SERVICE_CONTROL_STOP, &status)) {
        wait_until_stopped(service.get(), stop_timeout);
    }
    if (!::DeleteService(service.get())) {
        return win32::last_error();
    }
    return {};
}

std::error_code stop_service(const std::string& name, std::chrono::milliseconds timeout) {
    ScHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!manager) {
        return win32::last_error();
    }
    ScHandle service(::OpenServiceW(manager.get(), widen(name).c_str(),
                                    SERVICE_STOP | SERVICE_QUERY_STATUS));
    if (!service) {
        return win32::last_error();
    }
    SERVICE_STATUS status{};
    if (!::ControlService(service.get(), SERVICE_CONTROL_STOP, &status)) {
        const DWORD error = ::GetLastError();
        if (error != ERROR_SERVICE_NOT_ACTIVE &&
            error != ERROR_SERVICE_CANNOT_ACCEPT_CTRL) {
            return win32::to_error_code(error);
        }
    }
    if (!wait_until_stopped(service.get(), timeout)) {
        return std::make_error_code(std::errc::timed_out);
    }
    return {};
}

std::error_code run_service(const std::string& name, const std::function<int()>& body,
                            const std::function<void()>& on_stop) {
    RunningService service;
    service.name = widen(name);
    service.body = &body;
    service.on_stop = &on_stop;
    g_service = &service;
    SERVICE_TABLE_ENTRYW table[] = {{service.name.data(), service_main},
                                    {nullptr, nullptr}};
    const BOOL ok = ::StartServiceCtrlDispatcherW(table);
    const std::error_code ec = ok ? std::error_code() : win32::last_error();
    g_service = nullptr;
    return ec;
}

}  // namespace pal
