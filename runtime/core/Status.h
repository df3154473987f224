//===- Status.h - Errors without exceptions ---------------------*- C++ -*-===//
//
// The runtime reports every failure as a Status carrying one message for
// people; nothing throws across the C boundary.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CORE_STATUS_H
#define MLLM_RUNTIME_CORE_STATUS_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace mllm::runtime {

/// Success, or a failure with a message.
class [[nodiscard]] Status {
public:
  /// Success.
  Status() = default;
  static Status error(std::string message) {
    Status status;
    status.failed = true;
    status.text = std::move(message);
    return status;
  }

  bool ok() const { return !failed; }
  const std::string &message() const { return text; }

private:
  bool failed = false;
  std::string text;
};

/// A value, or the Status saying why there is none.
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : storage(std::move(value)) {}
  /// `status` must be a failure.
  Result(Status status) : failure(std::move(status)) {
    assert(!failure.ok() && "a Result needs a value or a failure");
  }

  bool ok() const { return storage.has_value(); }
  const Status &status() const { return failure; }
  T &value() { return *storage; }
  const T &value() const { return *storage; }
  T take() { return std::move(*storage); }

private:
  std::optional<T> storage;
  Status failure;
};

/// Returns from the enclosing function when `expr` (a Status) failed.
#define MLLM_RETURN_IF_ERROR(expr)                                             \
  do {                                                                         \
    if (::mllm::runtime::Status status_ = (expr); !status_.ok())               \
      return status_;                                                          \
  } while (false)

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_STATUS_H
