//===- TestArtifacts.h - Artifacts and files for the runtime tests -*- C++
//-*-===//

#ifndef MLLM_TEST_RUNTIME_TESTARTIFACTS_H
#define MLLM_TEST_RUNTIME_TESTARTIFACTS_H

#include "compiler/artifact/ArtifactWriter.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mllm::test {

namespace artifact = mllmc::artifact;

/// A fresh folder under the system temp folder, removed with its contents.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return root; }
  /// `path()/name`.
  std::string file(const std::string &name) const;

private:
  std::string root;
};

std::vector<uint8_t> readFile(const std::string &path);
void writeFile(const std::string &path, const std::vector<uint8_t> &bytes);

/// The shared object built from kernels/cpu_kernels.c.
std::vector<uint8_t> cpuKernelLibrary();

/// The 8 weights of the elementwise artifact: 0.5, 1.0, ..., 4.0.
const std::vector<float> &elementwiseWeights();

/// The elementwise artifact, "main":
///   inputs a, b: f32[8]; outputs sum = a + b and scaled = exp(a + b) * w,
/// with w from the weights section, as commands
///   dispatch add(a, b, t); dispatch exp_scale(t, w, scaled); copy t -> sum.
/// `kernels` holds mllm_test_add and mllm_test_exp_scale; the weights are
/// borrowed from elementwiseWeights().
artifact::Artifact makeElementwiseArtifact(artifact::KernelLibrary kernels,
                                           const std::string &target = "cpu");

/// A kernel-less artifact, "main": input x: f32[n, 4] (n dynamic, up to 4)
/// copied to output y: f32[n, 4].
artifact::Artifact makeCopyArtifact();

/// Recomputes the header's CRC-32 after a test edited `bytes`.
void refreshChecksum(std::vector<uint8_t> &bytes);

} // namespace mllm::test

#endif // MLLM_TEST_RUNTIME_TESTARTIFACTS_H
