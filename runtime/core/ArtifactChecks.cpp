//===- ArtifactChecks.cpp - Semantic checks of an artifact ----------------===//

#include "runtime/core/ArtifactChecks.h"

#include "runtime/core/ArtifactFile.h"
#include "runtime/core/ElementType.h"
#include "runtime/core/SizePrograms.h"

#include <cstdint>
#include <set>

namespace mllm::runtime {

namespace {

using mllmc::artifact::fb::BufferLocation;
using mllmc::artifact::fb::KernelFormat;

template <typename T> uint32_t sizeOf(const flatbuffers::Vector<T> *vector) {
  return vector ? vector->size() : 0;
}

std::string describeSlot(uint32_t index, const fb::BufferSlot &slot) {
  if (slot.location() == BufferLocation::DynamicArena)
    return "buffer " + std::to_string(index) + " (arena, offset program " +
           std::to_string(slot.offset()) + ", size program " +
           std::to_string(slot.size()) + ")";
  return "buffer " + std::to_string(index) + " (" +
         (slot.location() == BufferLocation::Weights ? "weights" : "arena") +
         ", offset " + std::to_string(slot.offset()) + ", size " +
         std::to_string(slot.size()) + ")";
}

bool endsWithin(const fb::BufferSlot &slot, uint64_t limit) {
  return slot.size() <= limit && slot.offset() <= limit - slot.size();
}

/// Checks one function; `where` is "'path': function 'name'".
class FunctionChecker {
public:
  FunctionChecker(const fb::Artifact &artifact, const fb::Function &function,
                  std::string where)
      : artifact(artifact), function(function), where(std::move(where)) {}

  Status check() {
    MLLM_RETURN_IF_ERROR(checkSizePrograms(function, where));
    MLLM_RETURN_IF_ERROR(checkSymbols());
    std::set<std::string> names;
    for (const fb::TensorSignature *input : *function.inputs()) {
      MLLM_RETURN_IF_ERROR(checkSignature(*input, "input", names));
      if (artifact.buffers()->Get(input->buffer())->location() ==
          BufferLocation::Weights)
        return Status::error(where + ": input '" + input->name()->str() +
                             "' is not in the arena");
    }
    names.clear();
    for (const fb::TensorSignature *output : *function.outputs())
      MLLM_RETURN_IF_ERROR(checkSignature(*output, "output", names));

    for (uint32_t i = 0; i < function.commands_type()->size(); ++i)
      MLLM_RETURN_IF_ERROR(checkCommand(i));
    return {};
  }

private:
  uint32_t programCount() const { return sizeOf(function.sizes()); }

  /// Checks that `program` indexes Function.sizes.
  Status checkProgram(int64_t program, const std::string &user) {
    if (program < 0 || program >= programCount())
      return Status::error(where + ": " + user + " uses size program " +
                           std::to_string(program) + ", but the function has " +
                           std::to_string(programCount()));
    return {};
  }

  /// Every symbol reads dynamic input dims, every dynamic input dim is read
  /// by a symbol (so a run knows all sizes), a run-time-sized function says
  /// where its arena size comes from.
  Status checkSymbols() {
    const auto &inputs = *function.inputs();
    std::set<std::pair<uint32_t, uint32_t>> bound;
    for (uint32_t i = 0; i < sizeOf(function.symbols()); ++i) {
      const fb::Symbol &symbol = *function.symbols()->Get(i);
      std::string user = "symbol " + std::to_string(i);
      if (!symbol.sources() || symbol.sources()->size() == 0)
        return Status::error(where + ": " + user + " is read from no input");
      for (const fb::DimSource *source : *symbol.sources()) {
        if (source->input() >= inputs.size() ||
            source->axis() >= sizeOf(inputs.Get(source->input())->dims()) ||
            inputs.Get(source->input())->dims()->Get(source->axis())->size() !=
                -1)
          return Status::error(where + ": " + user + " reads dim " +
                               std::to_string(source->axis()) + " of input " +
                               std::to_string(source->input()) +
                               ", which is not a dynamic input dim");
        bound.insert({source->input(), source->axis()});
      }
    }
    for (uint32_t i = 0; i < inputs.size(); ++i)
      for (uint32_t axis = 0; axis < sizeOf(inputs.Get(i)->dims()); ++axis)
        if (inputs.Get(i)->dims()->Get(axis)->size() == -1 &&
            sizeOf(function.symbols()) != 0 && !bound.count({i, axis}))
          return Status::error(where + ": dim " + std::to_string(axis) +
                               " of input '" + inputs.Get(i)->name()->str() +
                               "' is dynamic, but no symbol reads it");
    if (sizeOf(function.symbols()) != 0)
      return checkProgram(function.arena_size_program(), "the arena size");
    return {};
  }

  /// Checks that `index` names a slot, inside the arena when it is there.
  Status checkBuffer(uint32_t index, const std::string &user) {
    uint32_t count = sizeOf(artifact.buffers());
    if (index >= count)
      return Status::error(where + ": " + user + " uses buffer " +
                           std::to_string(index) + ", but the artifact has " +
                           std::to_string(count) + " buffers");
    const fb::BufferSlot &slot = *artifact.buffers()->Get(index);
    if (slot.location() == BufferLocation::DynamicArena) {
      if (sizeOf(function.symbols()) == 0)
        return Status::error(where + ": " + user + " uses " +
                             describeSlot(index, slot) +
                             ", but the function has no run-time sizes");
      MLLM_RETURN_IF_ERROR(checkProgram(slot.offset(), user));
      return checkProgram(slot.size(), user);
    }
    if (slot.location() == BufferLocation::Arena &&
        !endsWithin(slot, function.arena_size()))
      return Status::error(where + ": " + user + " uses " +
                           describeSlot(index, slot) +
                           ", which ends past the arena (" +
                           std::to_string(function.arena_size()) + " bytes)");
    return {};
  }

  Status checkSignature(const fb::TensorSignature &signature,
                        const std::string &kind, std::set<std::string> &names) {
    if (!signature.name() || signature.name()->size() == 0)
      return Status::error(where + ": an " + kind + " has no name");
    std::string name = signature.name()->str();
    std::string user = kind + " '" + name + "'";
    if (!names.insert(name).second)
      return Status::error(where + ": two " + kind + "s are named '" + name +
                           "'");
    if (!isKnownElementType(signature.dtype()))
      return Status::error(
          where + ": " + user + " has element type " +
          std::to_string(static_cast<int>(signature.dtype())) +
          ", unknown to this runtime; use a newer mllmc runtime");
    MLLM_RETURN_IF_ERROR(checkBuffer(signature.buffer(), user));
    Result<uint64_t> bytes = minimumByteSize(signature);
    if (!bytes.ok())
      return Status::error(where + ": " + user + " " +
                           bytes.status().message());
    for (uint32_t i = 0; i < sizeOf(signature.dims()); ++i) {
      const fb::Dim &dim = *signature.dims()->Get(i);
      if (dim.size_program() != -1 && (dim.size() != -1 || kind != "output"))
        return Status::error(where + ": " + user +
                             " gives static or input dim " + std::to_string(i) +
                             " a size program");
      if (dim.size_program() != -1)
        MLLM_RETURN_IF_ERROR(checkProgram(dim.size_program(), user));
    }
    const fb::BufferSlot &slot = *artifact.buffers()->Get(signature.buffer());
    // A run-time-sized buffer is checked at run time.
    if (slot.location() != BufferLocation::DynamicArena &&
        bytes.value() > slot.size())
      return Status::error(where + ": " + user + " needs " +
                           std::to_string(bytes.value()) + " bytes, but " +
                           describeSlot(signature.buffer(), slot) +
                           " holds only " + std::to_string(slot.size()));
    return {};
  }

  Status checkCommand(uint32_t index) {
    std::string user = "command " + std::to_string(index);
    switch (function.commands_type()->GetEnum<fb::Command>(index)) {
    case fb::Command::Dispatch: {
      const auto *dispatch = function.commands()->GetAs<fb::Dispatch>(index);
      uint32_t entryPoints = sizeOf(artifact.kernels()->entry_points());
      if (dispatch->entry_point() >= entryPoints)
        return Status::error(where + ": " + user + " dispatches entry point " +
                             std::to_string(dispatch->entry_point()) +
                             ", but the kernel library has " +
                             std::to_string(entryPoints));
      if (sizeOf(dispatch->workgroup_count()) != 3 ||
          sizeOf(dispatch->workgroup_size()) != 3)
        return Status::error(where + ": " + user +
                             " needs 3 workgroup counts and 3 workgroup sizes");
      for (uint32_t i = 0; i < sizeOf(dispatch->bindings()); ++i)
        MLLM_RETURN_IF_ERROR(
            checkBuffer(dispatch->bindings()->Get(i),
                        user + " binding " + std::to_string(i)));
      for (uint32_t i = 0; i < sizeOf(dispatch->constants()); ++i)
        MLLM_RETURN_IF_ERROR(
            checkProgram(dispatch->constants()->Get(i),
                         user + " constant " + std::to_string(i)));
      return {};
    }
    case fb::Command::Copy: {
      const auto *copy = function.commands()->GetAs<fb::Copy>(index);
      MLLM_RETURN_IF_ERROR(
          checkBuffer(copy->source(), user + " (copy source)"));
      MLLM_RETURN_IF_ERROR(
          checkBuffer(copy->target(), user + " (copy target)"));
      const fb::BufferSlot &source = *artifact.buffers()->Get(copy->source());
      const fb::BufferSlot &target = *artifact.buffers()->Get(copy->target());
      if (source.location() == BufferLocation::DynamicArena ||
          target.location() == BufferLocation::DynamicArena)
        return Status::error(where + ": " + user +
                             " copies a run-time-sized buffer, which copy "
                             "commands do not support");
      if (target.location() != BufferLocation::Arena)
        return Status::error(where + ": " + user +
                             " copies into the read-only weights");
      if (copy->size() > source.size() || copy->size() > target.size())
        return Status::error(where + ": " + user + " copies " +
                             std::to_string(copy->size()) +
                             " bytes, more than its buffers hold");
      return {};
    }
    default:
      return Status::error(where + ": " + user +
                           " is of a kind this runtime does not know (schema " +
                           formatSchemaVersion(artifact.schema_version()) +
                           "); use a newer mllmc runtime");
    }
  }

  const fb::Artifact &artifact;
  const fb::Function &function;
  std::string where;
};

} // namespace

Result<uint64_t> minimumByteSize(const fb::TensorSignature &signature) {
  uint64_t bytes = elementByteSize(signature.dtype());
  for (uint32_t i = 0; i < sizeOf(signature.dims()); ++i) {
    int64_t size = signature.dims()->Get(i)->size();
    if (size < -1)
      return Status::error("has dim " + std::to_string(i) + " of size " +
                           std::to_string(size));
    if (size >= 0 &&
        __builtin_mul_overflow(bytes, static_cast<uint64_t>(size), &bytes))
      return Status::error("has more elements than fit in memory");
  }
  return bytes;
}

Status checkArtifact(const fb::Artifact &artifact, uint64_t weightsSize,
                     const std::string &path) {
  std::string where = "'" + path + "'";
  auto missing = [&](const char *what) {
    return Status::error(where + " is corrupted: it has no " +
                         std::string(what));
  };
  if (!artifact.target())
    return missing("target");
  if (!artifact.kernels() || !artifact.kernels()->binary() ||
      !artifact.kernels()->arch())
    return missing("kernel library");
  if (!artifact.buffers())
    return missing("buffer list");
  // The flatbuffers verifier checks the alignment of a vector's length, not
  // of its elements: the 8-byte BufferSlot structs could lie misaligned.
  if (reinterpret_cast<uintptr_t>(artifact.buffers()->Data()) %
          alignof(fb::BufferSlot) !=
      0)
    return Status::error(where +
                         " is corrupted: its buffer list is misaligned");
  if (!artifact.functions())
    return missing("function list");

  std::string target = artifact.target()->str();
  KernelFormat format = artifact.kernels()->format();
  KernelFormat expected;
  if (target == "cpu")
    expected = KernelFormat::ElfSharedObject;
  else if (target == "cuda")
    expected = KernelFormat::Cubin;
  else if (target == "rocm")
    expected = KernelFormat::Hsaco;
  else
    return Status::error(where + " targets '" + target +
                         "', which this runtime does not know (it runs cpu, "
                         "cuda and rocm)");
  if (format != expected)
    return Status::error(
        where + ": target '" + target + "' needs kernels of format " +
        fb::EnumNameKernelFormat(expected) + ", the artifact holds " +
        (format > KernelFormat::MAX ? std::string("an unknown format")
                                    : fb::EnumNameKernelFormat(format)));

  for (uint32_t i = 0; i < sizeOf(artifact.kernels()->entry_points()); ++i)
    if (artifact.kernels()->entry_points()->Get(i)->size() == 0)
      return Status::error(where + ": kernel entry point " + std::to_string(i) +
                           " has an empty name");

  if (artifact.weights_size() != weightsSize)
    return Status::error(where + " is corrupted: its weights section has " +
                         std::to_string(weightsSize) +
                         " bytes but the artifact expects " +
                         std::to_string(artifact.weights_size()));
  for (uint32_t i = 0; i < artifact.buffers()->size(); ++i) {
    const fb::BufferSlot &slot = *artifact.buffers()->Get(i);
    if (slot.location() != BufferLocation::Arena &&
        slot.location() != BufferLocation::Weights &&
        slot.location() != BufferLocation::DynamicArena)
      return Status::error(where + ": buffer " + std::to_string(i) +
                           " has an unknown location");
    if (slot.location() == BufferLocation::Weights &&
        !endsWithin(slot, weightsSize))
      return Status::error(where + ": " + describeSlot(i, slot) +
                           " ends past the weights section (" +
                           std::to_string(weightsSize) + " bytes)");
  }

  std::set<std::string> names;
  for (const fb::Function *function : *artifact.functions()) {
    if (!function->name() || function->name()->size() == 0)
      return Status::error(where + ": a function has no name");
    std::string name = function->name()->str();
    if (!names.insert(name).second)
      return Status::error(where + ": two functions are named '" + name + "'");
    if (!function->inputs() || !function->outputs() ||
        !function->commands_type() || !function->commands() ||
        function->commands_type()->size() != function->commands()->size())
      return Status::error(where + " is corrupted: function '" + name +
                           "' lacks its signature or command list");
    MLLM_RETURN_IF_ERROR(FunctionChecker(artifact, *function,
                                         where + ": function '" + name + "'")
                             .check());
  }
  return {};
}

} // namespace mllm::runtime
