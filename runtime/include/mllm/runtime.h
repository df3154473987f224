/*===- mllm/runtime.h - The mllmc runtime C API -------------------*- C -*-===*\
|*                                                                            *|
|* Load a compiled .mllm artifact, open a device, create a session for one    *|
|* function of the artifact on that device, set its inputs, run it and read   *|
|* its outputs.                                                               *|
|*                                                                            *|
|*   mllm_artifact *artifact; mllm_device *device; mllm_session *session;     *|
|*   mllm_status status = mllm_artifact_load("model.mllm", &artifact);        *|
|*   if (!status) status = mllm_device_open("cpu", &device);                  *|
|*   if (!status) status = mllm_session_create(artifact, "main", device,      *|
|*                                             &session);                     *|
|*   if (!status) status = mllm_session_set_input(session, "x", ...);         *|
|*   if (!status) status = mllm_session_run(session);                         *|
|*   if (!status) status = mllm_session_read_output(session, "y", ...);       *|
|*   if (status) { fprintf(stderr, "%s\n", mllm_status_message(status));      *|
|*                 mllm_status_free(status); }                                *|
|*                                                                            *|
|* Every function that can fail returns an mllm_status: NULL on success,      *|
|* otherwise an error the caller frees. Handles are released in any order: a  *|
|* session keeps its artifact and device alive. A handle is not thread-safe;  *|
|* use one session per thread.                                                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MLLM_RUNTIME_H
#define MLLM_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===-- Status ------------------------------------------------------------===*/

/** An error; NULL means success. */
typedef struct mllm_status_s *mllm_status;

/** The message, for people; it names the file, function or tensor at fault.
 *  Valid until the status is freed; "" for NULL. */
const char *mllm_status_message(mllm_status status);
/** Frees an error; NULL is ignored. */
void mllm_status_free(mllm_status status);

/*===-- Element types -----------------------------------------------------===*/

typedef enum mllm_dtype {
  MLLM_DTYPE_F32 = 0,
  MLLM_DTYPE_F16 = 1,
  MLLM_DTYPE_BF16 = 2,
  MLLM_DTYPE_F64 = 3,
  MLLM_DTYPE_I64 = 4,
  MLLM_DTYPE_I32 = 5,
  MLLM_DTYPE_I16 = 6,
  MLLM_DTYPE_I8 = 7,
  MLLM_DTYPE_U8 = 8,
  /** One byte per element, 0 or 1. */
  MLLM_DTYPE_I1 = 9,
  MLLM_DTYPE_U16 = 10,
  MLLM_DTYPE_U32 = 11,
  MLLM_DTYPE_U64 = 12,
} mllm_dtype;

/** "f32", "bf16", ...; "unknown" for other values. */
const char *mllm_dtype_name(mllm_dtype dtype);
/** Bytes per element; 0 for unknown values. */
size_t mllm_dtype_size(mllm_dtype dtype);

/*===-- Artifacts ---------------------------------------------------------===*/

typedef struct mllm_artifact_s mllm_artifact;

/** Maps the artifact at `path` read-only and verifies it completely (magic,
 *  size, checksum, structure, schema version, every index and range). */
mllm_status mllm_artifact_load(const char *path, mllm_artifact **out);
void mllm_artifact_release(mllm_artifact *artifact);

/** "cpu", "cuda" or "rocm". */
const char *mllm_artifact_target(const mllm_artifact *artifact);
/** The schema version, (major << 16) | minor. */
uint32_t mllm_artifact_schema_version(const mllm_artifact *artifact);
size_t mllm_artifact_function_count(const mllm_artifact *artifact);
/** The name of function `index`, or NULL when out of range. */
const char *mllm_artifact_function_name(const mllm_artifact *artifact,
                                        size_t index);

/*===-- Devices -----------------------------------------------------------===*/

typedef struct mllm_device_s mllm_device;

/** The device names this runtime knows, e.g. "cpu, cuda, hip". */
const char *mllm_device_names(void);
/** Opens "cpu", "cuda" (NVIDIA, runs "cuda" artifacts) or "hip" (AMD, runs
 *  "rocm" artifacts). GPU drivers are loaded only here; a missing driver or
 *  GPU is an error, not a crash. */
mllm_status mllm_device_open(const char *name, mllm_device **out);
void mllm_device_release(mllm_device *device);
/** For people: the device model and architecture. */
const char *mllm_device_description(const mllm_device *device);

/*===-- Sessions ----------------------------------------------------------===*/

typedef struct mllm_session_s mllm_session;

/** Prepares `function` of `artifact` on `device`: loads the kernels,
 *  allocates the function's one arena and makes the weights available (mapped
 *  on the CPU, uploaded once on GPUs). Running allocates nothing.
 *  A function compiled with symbolic dims runs at the sizes its inputs give:
 *  a run allocates its arena for them when it needs more than the runs
 *  before (it never shrinks), so runs at sizes seen before allocate nothing. */
mllm_status mllm_session_create(mllm_artifact *artifact, const char *function,
                                mllm_device *device, mllm_session **out);
void mllm_session_release(mllm_session *session);

/** An input or output of a session's function. Pointers stay valid until the
 *  session is released. */
typedef struct mllm_tensor_info {
  const char *name;
  mllm_dtype dtype;
  size_t rank;
  /** `rank` extents; -1 for a dynamic dim. For outputs, dynamic dims the set
   *  inputs determine are filled in (with symbolic dims: after a run, the
   *  output's run-time shape). */
  const int64_t *dims;
  /** `rank` symbolic names ("batch"); "" for unnamed dims. */
  const char *const *dim_names;
} mllm_tensor_info;

size_t mllm_session_input_count(const mllm_session *session);
size_t mllm_session_output_count(const mllm_session *session);
mllm_status mllm_session_input_info(mllm_session *session, size_t index,
                                    mllm_tensor_info *out);
mllm_status mllm_session_output_info(mllm_session *session, size_t index,
                                     mllm_tensor_info *out);

/** Copies a host tensor (C order) into the input named `name`. Fails, naming
 *  the input and what it expects, on a wrong name, dtype, shape or size.
 *  A run consumes its inputs: set every input before each run. */
mllm_status mllm_session_set_input(mllm_session *session, const char *name,
                                   mllm_dtype dtype, const int64_t *dims,
                                   size_t rank, const void *data,
                                   size_t byte_size);
/** Runs the function and waits for it to finish. */
mllm_status mllm_session_run(mllm_session *session);
/** Copies the output named `name` (C order) into `data`, which holds exactly
 *  the output's size in bytes. Valid after a run, until the next
 *  mllm_session_set_input or mllm_session_run. */
mllm_status mllm_session_read_output(mllm_session *session, const char *name,
                                     void *data, size_t byte_size);

/*===-- Profiling ---------------------------------------------------------===*/

/** Per-command timing. With `enabled` nonzero, later runs wait for each
 *  command to finish before they issue the next (nothing overlaps, so runs
 *  are slower) and add its wall time to the session's profile; enabling
 *  clears the profile. */
mllm_status mllm_session_set_profiling(mllm_session *session, int enabled);

/** The time one command of the function took over the profiled runs. */
typedef struct mllm_command_profile {
  /** The kernel entry point a dispatch launches, or "copy" for a copy on the
   *  device. Valid until profiling is enabled again or the session is
   *  released. */
  const char *name;
  /** Workgroups of a dispatch (all axes multiplied), bytes of a copy. */
  uint64_t extent;
  /** Profiled runs that executed the command. */
  uint64_t runs;
  /** Their total wall time. */
  double seconds;
} mllm_command_profile;

/** Entries of the profile: one per command of the function in command-list
 *  order once profiling was enabled, else 0. */
size_t mllm_session_profile_count(const mllm_session *session);
mllm_status mllm_session_profile_entry(const mllm_session *session,
                                       size_t index, mllm_command_profile *out);

#ifdef __cplusplus
}
#endif

#endif /* MLLM_RUNTIME_H */
