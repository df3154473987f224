//===- ArtifactWriter.h - Writes .mllm artifacts ----------------*- C++ -*-===//
//
// Plain structs describing an artifact, and the function that serializes them
// into a `.mllm` file (docs/artifact.md). No MLIR/LLVM: the compiler fills the
// structs, and the runtime tests build artifacts with them too.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_COMPILER_ARTIFACT_ARTIFACTWRITER_H
#define MLLMC_COMPILER_ARTIFACT_ARTIFACTWRITER_H

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace mllmc::artifact {

enum class ElementType : uint8_t {
  F32,
  F16,
  BF16,
  F64,
  I64,
  I32,
  I16,
  I8,
  U8,
  I1,
  U16,
  U32,
  U64
};
enum class KernelFormat : uint8_t { ElfSharedObject, Cubin, Hsaco };
/// DynamicArena (schema 1.2): `offset` and `size` index Function::sizes.
enum class BufferLocation : uint8_t { Arena, Weights, DynamicArena };

struct BufferSlot {
  BufferLocation location;
  uint64_t offset;
  uint64_t size;
};

/// One step of a size program (schema 1.2): a stack machine over int64.
enum class SizeOpcode : uint8_t {
  Constant,
  Symbol,
  Size,
  Add,
  Mul,
  FloorDiv,
  CeilDiv,
  Max,
  Min
};

struct SizeInstruction {
  SizeOpcode opcode;
  int64_t operand = 0;
};

/// A program that leaves one value: a buffer's size or offset, an output's
/// dim, a kernel's dynamic dim.
using SizeProgram = std::vector<SizeInstruction>;

/// A symbolic dimension bound from dims of the inputs (all must agree).
struct Symbol {
  std::string name;
  /// (input index, axis) pairs.
  std::vector<std::pair<uint32_t, uint32_t>> sources;
};

struct TensorSignature {
  std::string name;
  ElementType elementType;
  /// -1 = dynamic.
  std::vector<int64_t> shape;
  /// Empty, or one per dim ("" if static).
  std::vector<std::string> dimNames;
  uint32_t buffer;
  /// Empty, or one per dim: the index into Function::sizes of a dynamic
  /// output dim's extent, -1 for the others.
  std::vector<int32_t> dimPrograms;
};

struct DispatchCommand {
  uint32_t entryPoint;
  std::array<uint32_t, 3> workgroupCount{1, 1, 1};
  std::array<uint32_t, 3> workgroupSize{1, 1, 1};
  uint32_t sharedMemoryBytes = 0;
  std::vector<uint32_t> bindings;
  /// Indices into Function::sizes, passed after the bindings.
  std::vector<uint32_t> constants;
};

struct CopyCommand {
  uint32_t source;
  uint32_t target;
  uint64_t size;
};

using Command = std::variant<DispatchCommand, CopyCommand>;

struct Function {
  std::string name;
  std::vector<TensorSignature> inputs, outputs;
  std::vector<Command> commands;
  uint64_t arenaSize = 0;
  /// Run-time sizes (schema 1.2); empty for functions of static shapes.
  std::vector<Symbol> symbols;
  std::vector<SizeProgram> sizes;
  /// Index into `sizes` of the arena size, or -1 for `arenaSize`.
  int32_t arenaSizeProgram = -1;
};

struct KernelLibrary {
  KernelFormat format;
  std::string arch;
  std::vector<uint8_t> binary;
  std::vector<std::string> entryPoints;
};

/// A weight's bytes, borrowed from the caller until writeArtifact returns.
struct WeightSegment {
  uint64_t offset;
  const void *data;
  uint64_t size;
};

struct Artifact {
  std::string target;
  std::string producer;
  KernelLibrary kernels;
  std::vector<BufferSlot> buffers;
  std::vector<Function> functions;
  std::vector<WeightSegment> weights;
  uint64_t weightsSize = 0;
};

/// Writes atomically (temp file in the same folder + rename). Identical inputs
/// give identical bytes. Returns an empty string on success, else a message
/// naming the path.
///
/// Weight segments must be 64-byte aligned, inside `weightsSize`, and must not
/// overlap; bytes no segment covers are written as zeros. They are streamed
/// from the borrowed pointers to the file without a copy. The rest (buffer
/// slots, bindings, signatures) is written as given: the runtime verifies it.
std::string writeArtifact(const Artifact &artifact, const std::string &path);

} // namespace mllmc::artifact

#endif // MLLMC_COMPILER_ARTIFACT_ARTIFACTWRITER_H
