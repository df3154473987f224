//===- RocmToolkit.h - The folder MLIR's ROCDL serializer expects -*- C++
//-*-===//

#ifndef MLLMC_TARGETS_ROCM_ROCMTOOLKIT_H
#define MLLMC_TARGETS_ROCM_ROCMTOOLKIT_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallString.h"

#include <string>

namespace mllmc::rocm {

/// A ROCm toolkit root for MLIR's HSACO serialization, which reads the AMD
/// device libraries from `<root>/amdgcn/bitcode` and links with
/// `<root>/llvm/bin/ld.lld`. Uses the user's folder or $ROCM_PATH when they
/// hold the device libraries; otherwise lays out a temporary folder of
/// symlinks to Debian's rocm-device-libs and lld-22, removed on destruction.
class RocmToolkit {
public:
  RocmToolkit() = default;
  RocmToolkit(const RocmToolkit &) = delete;
  RocmToolkit &operator=(const RocmToolkit &) = delete;
  ~RocmToolkit();

  /// Finds or lays out the toolkit; on failure returns a message saying what
  /// to install.
  mlir::LogicalResult prepare(llvm::StringRef requested, std::string &error);
  llvm::StringRef getRoot() const { return root; }

private:
  llvm::SmallString<128> root;
  /// Set when `root` is a temporary folder of ours.
  bool temporary = false;
};

} // namespace mllmc::rocm

#endif // MLLMC_TARGETS_ROCM_ROCMTOOLKIT_H
