#include "core/home.hpp"

#include "pal/system_info.hpp"

namespace core {

Home Home::from_executable(const std::filesystem::path& executable_path) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::weakly_canonical(executable_path, ec);
    if (ec) {
        absolute = executable_path;
    }
    return Home(absolute.parent_path().parent_path());
}

std::filesystem::path Home::pid_file(const std::string& program) const {
    return run_dir() / (program + "-" + std::to_string(pal::process_id()) + ".pid");
}

}  // namespace core
