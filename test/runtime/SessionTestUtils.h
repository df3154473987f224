//===- SessionTestUtils.h - Driving the C API from tests ---------*- C++
//-*-===//

#ifndef MLLM_TEST_RUNTIME_SESSIONTESTUTILS_H
#define MLLM_TEST_RUNTIME_SESSIONTESTUTILS_H

#include "mllm/runtime.h"

#include <cmath>
#include <string>
#include <vector>

namespace mllm::test {

/// The message of `status` (freed here), "" for success.
inline std::string take(mllm_status status) {
  std::string message = mllm_status_message(status);
  mllm_status_free(status);
  return message;
}

/// An artifact, a device and a session, released in any order.
struct Handles {
  mllm_artifact *artifact = nullptr;
  mllm_device *device = nullptr;
  mllm_session *session = nullptr;
  ~Handles() { release(); }
  void release() {
    mllm_session_release(session);
    mllm_device_release(device);
    mllm_artifact_release(artifact);
    session = nullptr;
    device = nullptr;
    artifact = nullptr;
  }
  /// Loads `path`, opens `deviceName` and creates a session for `function`;
  /// returns the first error, "" on success.
  std::string open(const std::string &path, const std::string &deviceName,
                   const std::string &function = "main") {
    std::string message = take(mllm_artifact_load(path.c_str(), &artifact));
    if (message.empty())
      message = take(mllm_device_open(deviceName.c_str(), &device));
    if (message.empty())
      message = take(
          mllm_session_create(artifact, function.c_str(), device, &session));
    return message;
  }
  std::string setF32(const std::string &name, const std::vector<float> &data,
                     std::vector<int64_t> dims = {}) {
    if (dims.empty())
      dims = {static_cast<int64_t>(data.size())};
    return take(mllm_session_set_input(session, name.c_str(), MLLM_DTYPE_F32,
                                       dims.data(), dims.size(), data.data(),
                                       data.size() * sizeof(float)));
  }
  std::string run() { return take(mllm_session_run(session)); }
  std::string readF32(const std::string &name, std::vector<float> &data) {
    return take(mllm_session_read_output(session, name.c_str(), data.data(),
                                         data.size() * sizeof(float)));
  }
};

/// Runs the elementwise artifact (TestArtifacts.h) once with fixed inputs
/// and checks both outputs; returns "" or what went wrong.
inline std::string checkElementwiseRun(Handles &handles, float offset) {
  std::vector<float> a(8), b(8),
      weights = {0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f, 3.5f, 4.0f};
  for (int i = 0; i < 8; ++i) {
    a[i] = 0.25f * i + offset;
    b[i] = -0.5f + 0.125f * i;
  }
  std::string message = handles.setF32("a", a);
  if (message.empty())
    message = handles.setF32("b", b);
  if (message.empty())
    message = handles.run();
  std::vector<float> sum(8), scaled(8);
  if (message.empty())
    message = handles.readF32("sum", sum);
  if (message.empty())
    message = handles.readF32("scaled", scaled);
  if (!message.empty())
    return message;
  for (int i = 0; i < 8; ++i) {
    float expected = a[i] + b[i];
    if (sum[i] != expected)
      return "sum[" + std::to_string(i) + "] = " + std::to_string(sum[i]) +
             ", expected " + std::to_string(expected);
    float expectedScaled = std::exp(expected) * weights[i];
    if (std::fabs(scaled[i] - expectedScaled) > 1e-5f * expectedScaled)
      return "scaled[" + std::to_string(i) +
             "] = " + std::to_string(scaled[i]) + ", expected " +
             std::to_string(expectedScaled);
  }
  return "";
}

} // namespace mllm::test

#endif // MLLM_TEST_RUNTIME_SESSIONTESTUTILS_H
