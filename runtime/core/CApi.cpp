//===- CApi.cpp - The C API over the runtime ------------------------------===//
//
// Thin wrappers: every entry point converts a Status into an mllm_status and
// catches anything thrown (allocation failures) so no exception crosses the C
// boundary.
//
//===----------------------------------------------------------------------===//

#include "mllm/runtime.h"

#include "runtime/core/ArtifactFile.h"
#include "runtime/core/Device.h"
#include "runtime/core/Session.h"

#include <exception>
#include <new>

using namespace mllm::runtime;

struct mllm_status_s {
  std::string message;
};

struct mllm_artifact_s {
  std::shared_ptr<const ArtifactFile> file;
};

struct mllm_device_s {
  std::shared_ptr<Device> device;
  std::string description;
};

struct mllm_session_s {
  std::unique_ptr<Session> session;
  /// C views of the dim names of every input, then every output.
  std::vector<std::vector<const char *>> inputDimNames, outputDimNames;
};

namespace {

/// Returned when not even a status can be allocated; never freed.
mllm_status_s outOfMemory{"out of memory"};

mllm_status makeStatus(std::string message) {
  try {
    return new mllm_status_s{std::move(message)};
  } catch (...) {
    return &outOfMemory;
  }
}

mllm_status toStatus(const Status &status) {
  return status.ok() ? nullptr : makeStatus(status.message());
}

/// Runs `body` (returning mllm_status), turning exceptions into errors.
template <typename Body> mllm_status guarded(Body body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return makeStatus("out of memory");
  } catch (const std::exception &error) {
    return makeStatus(std::string("internal error: ") + error.what());
  } catch (...) {
    return makeStatus("internal error");
  }
}

mllm_status nullArgument(const char *function, const char *argument) {
  return makeStatus(std::string(function) + ": " + argument + " is NULL");
}

std::vector<std::vector<const char *>>
dimNameViews(const std::vector<TensorState> &states) {
  std::vector<std::vector<const char *>> views;
  for (const TensorState &state : states) {
    views.emplace_back();
    for (const std::string &name : state.dimNames)
      views.back().push_back(name.c_str());
  }
  return views;
}

void fillInfo(const TensorState &state, const std::vector<const char *> &names,
              mllm_tensor_info *out) {
  out->name = state.name.c_str();
  out->dtype = static_cast<mllm_dtype>(state.elementType);
  out->rank = state.dims.size();
  out->dims = state.dims.data();
  out->dim_names = names.data();
}

} // namespace

extern "C" {

const char *mllm_status_message(mllm_status status) {
  return status ? status->message.c_str() : "";
}

void mllm_status_free(mllm_status status) {
  if (status != &outOfMemory)
    delete status;
}

const char *mllm_dtype_name(mllm_dtype dtype) {
  return elementTypeName(static_cast<ElementType>(dtype));
}

size_t mllm_dtype_size(mllm_dtype dtype) {
  auto type = static_cast<ElementType>(dtype);
  return isKnownElementType(type) ? elementByteSize(type) : 0;
}

mllm_status mllm_artifact_load(const char *path, mllm_artifact **out) {
  if (!path || !out)
    return nullArgument("mllm_artifact_load", !path ? "path" : "out");
  *out = nullptr;
  return guarded([&]() -> mllm_status {
    auto file = ArtifactFile::load(path);
    if (!file.ok())
      return toStatus(file.status());
    *out = new mllm_artifact_s{file.take()};
    return nullptr;
  });
}

void mllm_artifact_release(mllm_artifact *artifact) { delete artifact; }

const char *mllm_artifact_target(const mllm_artifact *artifact) {
  return artifact->file->root().target()->c_str();
}

uint32_t mllm_artifact_schema_version(const mllm_artifact *artifact) {
  return artifact->file->root().schema_version();
}

size_t mllm_artifact_function_count(const mllm_artifact *artifact) {
  return artifact->file->root().functions()->size();
}

const char *mllm_artifact_function_name(const mllm_artifact *artifact,
                                        size_t index) {
  const auto *functions = artifact->file->root().functions();
  return index < functions->size() ? functions->Get(index)->name()->c_str()
                                   : nullptr;
}

const char *mllm_device_names(void) {
  static const std::string names = registeredDeviceNames();
  return names.c_str();
}

mllm_status mllm_device_open(const char *name, mllm_device **out) {
  if (!name || !out)
    return nullArgument("mllm_device_open", !name ? "name" : "out");
  *out = nullptr;
  return guarded([&]() -> mllm_status {
    auto device = openDevice(name);
    if (!device.ok())
      return toStatus(device.status());
    std::shared_ptr<Device> shared = device.take();
    std::string description = shared->description();
    *out = new mllm_device_s{std::move(shared), std::move(description)};
    return nullptr;
  });
}

void mllm_device_release(mllm_device *device) { delete device; }

const char *mllm_device_description(const mllm_device *device) {
  return device->description.c_str();
}

mllm_status mllm_session_create(mllm_artifact *artifact, const char *function,
                                mllm_device *device, mllm_session **out) {
  if (!artifact || !function || !device || !out)
    return nullArgument("mllm_session_create", !artifact   ? "artifact"
                                               : !function ? "function"
                                               : !device   ? "device"
                                                           : "out");
  *out = nullptr;
  return guarded([&]() -> mllm_status {
    auto session = Session::create(artifact->file, function, device->device);
    if (!session.ok())
      return toStatus(session.status());
    auto handle = std::make_unique<mllm_session_s>();
    handle->session = session.take();
    handle->inputDimNames = dimNameViews(handle->session->inputs());
    handle->outputDimNames = dimNameViews(handle->session->outputs());
    *out = handle.release();
    return nullptr;
  });
}

void mllm_session_release(mllm_session *session) { delete session; }

size_t mllm_session_input_count(const mllm_session *session) {
  return session->session->inputs().size();
}

size_t mllm_session_output_count(const mllm_session *session) {
  return session->outputDimNames.size();
}

mllm_status mllm_session_input_info(mllm_session *session, size_t index,
                                    mllm_tensor_info *out) {
  if (!session || !out)
    return nullArgument("mllm_session_input_info",
                        !session ? "session" : "out");
  const auto &inputs = session->session->inputs();
  if (index >= inputs.size())
    return makeStatus("input index " + std::to_string(index) +
                      " is out of range; the function has " +
                      std::to_string(inputs.size()) + " inputs");
  fillInfo(inputs[index], session->inputDimNames[index], out);
  return nullptr;
}

mllm_status mllm_session_output_info(mllm_session *session, size_t index,
                                     mllm_tensor_info *out) {
  if (!session || !out)
    return nullArgument("mllm_session_output_info",
                        !session ? "session" : "out");
  const auto &outputs = session->session->outputs();
  if (index >= outputs.size())
    return makeStatus("output index " + std::to_string(index) +
                      " is out of range; the function has " +
                      std::to_string(outputs.size()) + " outputs");
  fillInfo(outputs[index], session->outputDimNames[index], out);
  return nullptr;
}

mllm_status mllm_session_set_input(mllm_session *session, const char *name,
                                   mllm_dtype dtype, const int64_t *dims,
                                   size_t rank, const void *data,
                                   size_t byte_size) {
  if (!session || !name || (rank && !dims) || (byte_size && !data))
    return nullArgument("mllm_session_set_input", !session ? "session"
                                                  : !name  ? "name"
                                                  : !data  ? "data"
                                                           : "dims");
  return guarded([&]() -> mllm_status {
    std::vector<int64_t> shape(dims, dims + rank);
    return toStatus(session->session->setInput(
        name, static_cast<ElementType>(dtype), shape, data, byte_size));
  });
}

mllm_status mllm_session_run(mllm_session *session) {
  if (!session)
    return nullArgument("mllm_session_run", "session");
  return guarded([&] { return toStatus(session->session->run()); });
}

mllm_status mllm_session_read_output(mllm_session *session, const char *name,
                                     void *data, size_t byte_size) {
  if (!session || !name || (byte_size && !data))
    return nullArgument("mllm_session_read_output", !session ? "session"
                                                    : !name  ? "name"
                                                             : "data");
  return guarded([&] {
    return toStatus(session->session->readOutput(name, data, byte_size));
  });
}

mllm_status mllm_session_set_profiling(mllm_session *session, int enabled) {
  if (!session)
    return nullArgument("mllm_session_set_profiling", "session");
  return guarded([&]() -> mllm_status {
    session->session->setProfiling(enabled != 0);
    return nullptr;
  });
}

size_t mllm_session_profile_count(const mllm_session *session) {
  return session ? session->session->profile().size() : 0;
}

mllm_status mllm_session_profile_entry(const mllm_session *session,
                                       size_t index,
                                       mllm_command_profile *out) {
  if (!session || !out)
    return nullArgument("mllm_session_profile_entry",
                        !session ? "session" : "out");
  const std::vector<CommandProfile> &profile = session->session->profile();
  if (index >= profile.size())
    return makeStatus("profile index " + std::to_string(index) +
                      " is out of range; the profile has " +
                      std::to_string(profile.size()) + " entries");
  const CommandProfile &entry = profile[index];
  *out = {entry.name.c_str(), entry.extent, entry.runs, entry.seconds};
  return nullptr;
}

} // extern "C"
