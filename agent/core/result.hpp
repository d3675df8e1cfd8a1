// A value or an error message, for operations whose failure an admin must
// read (a bad config line, a corrupt key file). OS errors stay
// std::error_code; this type carries text that names the problem.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace core {

struct Error {
    std::string message;
};

template <class T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(state_); }
    T& value() & { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    const std::string& error() const { return std::get<Error>(state_).message; }

private:
    std::variant<T, Error> state_;
};

}  // namespace core
