//===- RocmToolkit.cpp - The folder MLIR's ROCDL serializer expects -------===//

#include "targets/rocm/RocmToolkit.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;
namespace fs = llvm::sys::fs;

/// Where Debian's rocm-device-libs and lld-22 put their files.
static constexpr llvm::StringLiteral kDebianBitcode =
    "/usr/lib/x86_64-linux-gnu/amdgcn/bitcode";
static constexpr llvm::StringLiteral kDebianLinker =
    MLLMC_LLVM_TOOLS_DIR "/ld.lld";

static bool hasDeviceLibraries(llvm::StringRef root) {
  llvm::SmallString<128> path(root);
  llvm::sys::path::append(path, "amdgcn", "bitcode", "ocml.bc");
  return fs::exists(path);
}

mllmc::rocm::RocmToolkit::~RocmToolkit() {
  if (temporary)
    fs::remove_directories(root);
}

LogicalResult mllmc::rocm::RocmToolkit::prepare(llvm::StringRef requested,
                                                std::string &error) {
  if (!requested.empty()) {
    root = requested;
    if (hasDeviceLibraries(root))
      return success();
    error = "the ROCm toolkit folder " + requested.str() +
            " has no amdgcn/bitcode/ocml.bc (AMD device libraries)";
    return failure();
  }
  if (const char *rocmPath = std::getenv("ROCM_PATH")) {
    if (hasDeviceLibraries(rocmPath)) {
      root = rocmPath;
      return success();
    }
  }
  llvm::SmallString<128> bitcode(kDebianBitcode);
  llvm::sys::path::append(bitcode, "ocml.bc");
  if (!fs::exists(bitcode) || !fs::can_execute(kDebianLinker)) {
    error = "cannot find the AMD device libraries (" + kDebianBitcode.str() +
            ") and ld.lld (" + kDebianLinker.str() +
            "); install rocm-device-libs and lld-22 (scripts/setup) or pass "
            "--rocm-toolkit=DIR";
    return failure();
  }
  if (fs::createUniqueDirectory("mllmc-rocm-toolkit", root)) {
    error = "cannot create a temporary folder for the ROCm toolkit";
    return failure();
  }
  temporary = true;
  llvm::SmallString<128> amdgcn(root), llvmBin(root), bitcodeLink, linkerLink;
  llvm::sys::path::append(amdgcn, "amdgcn");
  llvm::sys::path::append(llvmBin, "llvm", "bin");
  bitcodeLink = amdgcn;
  llvm::sys::path::append(bitcodeLink, "bitcode");
  linkerLink = llvmBin;
  llvm::sys::path::append(linkerLink, "ld.lld");
  if (fs::create_directories(amdgcn) || fs::create_directories(llvmBin) ||
      fs::create_link(kDebianBitcode, bitcodeLink) ||
      fs::create_link(kDebianLinker, linkerLink)) {
    error = "cannot lay out the ROCm toolkit folder " + root.str().str();
    return failure();
  }
  return success();
}
