//===- SharedObjectLinker.cpp - Object file to shared object --------------===//

#include "targets/cpu/SharedObjectLinker.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// lld as Debian's lld-22 installs it: `ld.lld-22` on PATH, or `ld.lld` in
/// LLVM's own bin folder.
static std::string findLinker() {
  for (const char *name : {"ld.lld-22", "ld.lld"})
    if (llvm::ErrorOr<std::string> path =
            llvm::sys::findProgramByName(name, {MLLMC_LLVM_TOOLS_DIR}))
      return *path;
  return {};
}

namespace {
/// A temporary file removed when it goes out of scope.
struct ScopedTempFile {
  llvm::SmallString<128> path;
  ~ScopedTempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};
} // namespace

FailureOr<std::vector<uint8_t>>
mllmc::cpu::linkSharedObject(const std::vector<uint8_t> &object,
                             std::string &error) {
  std::string linker = findLinker();
  if (linker.empty()) {
    error = "cannot find ld.lld (Debian package lld-22); run scripts/setup";
    return failure();
  }
  ScopedTempFile input, output;
  int inputFd;
  if (llvm::sys::fs::createTemporaryFile("mllmc-kernels", "o", inputFd,
                                         input.path) ||
      llvm::sys::fs::createTemporaryFile("mllmc-kernels", "so", output.path)) {
    error = "cannot create a temporary file for linking";
    return failure();
  }
  {
    llvm::raw_fd_ostream stream(inputFd, /*shouldClose=*/true);
    stream.write(reinterpret_cast<const char *>(object.data()), object.size());
  }

  llvm::SmallVector<llvm::StringRef> args = {
      linker, "-shared",          "--build-id=none",
      "-z",   "noexecstack",      "-z",
      "now",  "--hash-style=gnu", "-soname=mllmc-kernels.so",
      "-o",   output.path,        input.path};
  std::string message;
  int status =
      llvm::sys::ExecuteAndWait(linker, args, std::nullopt, {}, 0, 0, &message);
  if (status != 0) {
    error = "linking the CPU kernels with " + linker + " failed" +
            (message.empty() ? "" : ": " + message);
    return failure();
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> library =
      llvm::MemoryBuffer::getFile(output.path);
  if (!library) {
    error =
        "cannot read the linked CPU kernels: " + library.getError().message();
    return failure();
  }
  llvm::StringRef bytes = (*library)->getBuffer();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}
