//===- Npy.h - Reads and writes NumPy .npy files -----------------*- C++
//-*-===//
//
// The .npy format (versions 1.0, 2.0 and 3.0), C order, little-endian types
// the runtime knows: <f4 <f2 <f8 <i8 <i4 <i2 |i1 |u1 |b1.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_TOOLS_NPY_H
#define MLLM_RUNTIME_TOOLS_NPY_H

#include "mllm/runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mllm::tools {

struct NpyArray {
  mllm_dtype dtype = MLLM_DTYPE_F32;
  std::vector<int64_t> shape;
  /// The elements in C order.
  std::vector<uint8_t> data;
};

/// Parses the bytes of a .npy file; the message names `path`.
std::string parseNpy(const std::string &path, const std::vector<uint8_t> &bytes,
                     NpyArray &array);
/// Reads the .npy file at `path`. Returns "" on success, else a message naming
/// the file.
std::string readNpy(const std::string &path, NpyArray &array);

/// Fills `bytes` with a version 1.0 (2.0 for very long headers) .npy file.
/// Returns "" on success, else why the type cannot be stored (bf16).
std::string encodeNpy(mllm_dtype dtype, const std::vector<int64_t> &shape,
                      const void *data, uint64_t size,
                      std::vector<uint8_t> &bytes);
/// Writes a .npy file. Returns "" on success, else a message naming the file.
std::string writeNpy(const std::string &path, mllm_dtype dtype,
                     const std::vector<int64_t> &shape, const void *data,
                     uint64_t size);

} // namespace mllm::tools

#endif // MLLM_RUNTIME_TOOLS_NPY_H
