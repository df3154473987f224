//===- ArtifactWriter.cpp - Writes .mllm artifacts ------------------------===//

#include "compiler/artifact/ArtifactWriter.h"

#include "compiler/artifact/ArtifactFormat.h"
#include "compiler/artifact/Artifact_generated.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <numeric>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace mllmc::artifact {
namespace {

namespace schema = mllmc::artifact::fb;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

schema::ElementType toSchema(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return schema::ElementType::f32;
  case ElementType::F16:
    return schema::ElementType::f16;
  case ElementType::BF16:
    return schema::ElementType::bf16;
  case ElementType::F64:
    return schema::ElementType::f64;
  case ElementType::I64:
    return schema::ElementType::i64;
  case ElementType::I32:
    return schema::ElementType::i32;
  case ElementType::I16:
    return schema::ElementType::i16;
  case ElementType::I8:
    return schema::ElementType::i8;
  case ElementType::U8:
    return schema::ElementType::u8;
  case ElementType::I1:
    return schema::ElementType::i1;
  case ElementType::U16:
    return schema::ElementType::u16;
  case ElementType::U32:
    return schema::ElementType::u32;
  case ElementType::U64:
    return schema::ElementType::u64;
  }
  return schema::ElementType::f32;
}

schema::KernelFormat toSchema(KernelFormat format) {
  switch (format) {
  case KernelFormat::ElfSharedObject:
    return schema::KernelFormat::ElfSharedObject;
  case KernelFormat::Cubin:
    return schema::KernelFormat::Cubin;
  case KernelFormat::Hsaco:
    return schema::KernelFormat::Hsaco;
  }
  return schema::KernelFormat::ElfSharedObject;
}

schema::BufferLocation toSchema(BufferLocation location) {
  switch (location) {
  case BufferLocation::Arena:
    return schema::BufferLocation::Arena;
  case BufferLocation::Weights:
    return schema::BufferLocation::Weights;
  case BufferLocation::DynamicArena:
    return schema::BufferLocation::DynamicArena;
  }
  return schema::BufferLocation::Arena;
}

schema::SizeOpcode toSchema(SizeOpcode opcode) {
  switch (opcode) {
  case SizeOpcode::Constant:
    return schema::SizeOpcode::Constant;
  case SizeOpcode::Symbol:
    return schema::SizeOpcode::Symbol;
  case SizeOpcode::Size:
    return schema::SizeOpcode::Size;
  case SizeOpcode::Add:
    return schema::SizeOpcode::Add;
  case SizeOpcode::Mul:
    return schema::SizeOpcode::Mul;
  case SizeOpcode::FloorDiv:
    return schema::SizeOpcode::FloorDiv;
  case SizeOpcode::CeilDiv:
    return schema::SizeOpcode::CeilDiv;
  case SizeOpcode::Max:
    return schema::SizeOpcode::Max;
  case SizeOpcode::Min:
    return schema::SizeOpcode::Min;
  }
  return schema::SizeOpcode::Constant;
}

/// Serializes the structs into a finished flatbuffer, or returns a message.
std::string buildFlatbuffer(const Artifact &artifact,
                            FlatBufferBuilder &builder) {
  auto buildSignature = [&](const TensorSignature &signature,
                            const std::string &function)
      -> std::variant<std::string, Offset<schema::TensorSignature>> {
    if (!signature.dimNames.empty() &&
        signature.dimNames.size() != signature.shape.size())
      return "tensor '" + signature.name + "' of function '" + function +
             "' has " + std::to_string(signature.shape.size()) + " dims but " +
             std::to_string(signature.dimNames.size()) + " dim names";
    if (!signature.dimPrograms.empty() &&
        signature.dimPrograms.size() != signature.shape.size())
      return "tensor '" + signature.name + "' of function '" + function +
             "' has " + std::to_string(signature.shape.size()) + " dims but " +
             std::to_string(signature.dimPrograms.size()) + " dim programs";
    std::vector<Offset<schema::Dim>> dims;
    for (size_t i = 0; i < signature.shape.size(); ++i) {
      Offset<flatbuffers::String> name;
      if (!signature.dimNames.empty() && !signature.dimNames[i].empty())
        name = builder.CreateString(signature.dimNames[i]);
      int32_t program =
          signature.dimPrograms.empty() ? -1 : signature.dimPrograms[i];
      dims.push_back(
          schema::CreateDim(builder, signature.shape[i], name, program));
    }
    return schema::CreateTensorSignature(
        builder, builder.CreateString(signature.name),
        toSchema(signature.elementType), builder.CreateVector(dims),
        signature.buffer);
  };

  std::vector<Offset<schema::Function>> functions;
  for (const Function &function : artifact.functions) {
    std::vector<Offset<schema::TensorSignature>> inputs, outputs;
    for (auto [signatures, list] :
         {std::make_pair(&function.inputs, &inputs),
          std::make_pair(&function.outputs, &outputs)}) {
      for (const TensorSignature &signature : *signatures) {
        auto built = buildSignature(signature, function.name);
        if (auto *message = std::get_if<std::string>(&built))
          return *message;
        list->push_back(std::get<Offset<schema::TensorSignature>>(built));
      }
    }

    std::vector<schema::Command> commandTypes;
    std::vector<Offset<void>> commands;
    for (const Command &command : function.commands) {
      if (auto *dispatch = std::get_if<DispatchCommand>(&command)) {
        auto count = builder.CreateVector(dispatch->workgroupCount.data(), 3);
        auto size = builder.CreateVector(dispatch->workgroupSize.data(), 3);
        auto bindings = builder.CreateVector(dispatch->bindings);
        Offset<flatbuffers::Vector<uint32_t>> constants;
        if (!dispatch->constants.empty())
          constants = builder.CreateVector(dispatch->constants);
        commandTypes.push_back(schema::Command::Dispatch);
        commands.push_back(schema::CreateDispatch(
                               builder, dispatch->entryPoint, count, size,
                               dispatch->sharedMemoryBytes, bindings, constants)
                               .Union());
      } else {
        const auto &copy = std::get<CopyCommand>(command);
        commandTypes.push_back(schema::Command::Copy);
        commands.push_back(
            schema::CreateCopy(builder, copy.source, copy.target, copy.size)
                .Union());
      }
    }
    // Static functions leave the 1.2 fields out.
    Offset<flatbuffers::Vector<Offset<schema::Symbol>>> symbols;
    Offset<flatbuffers::Vector<Offset<schema::SizeProgram>>> sizes;
    if (!function.symbols.empty() || !function.sizes.empty()) {
      std::vector<Offset<schema::Symbol>> symbolList;
      for (const Symbol &symbol : function.symbols) {
        std::vector<schema::DimSource> sources;
        for (auto [input, axis] : symbol.sources)
          sources.emplace_back(input, axis);
        symbolList.push_back(
            schema::CreateSymbol(builder, builder.CreateString(symbol.name),
                                 builder.CreateVectorOfStructs(sources)));
      }
      std::vector<Offset<schema::SizeProgram>> programs;
      for (const SizeProgram &program : function.sizes) {
        std::vector<schema::SizeInstruction> code;
        for (const SizeInstruction &instruction : program)
          code.emplace_back(toSchema(instruction.opcode), instruction.operand);
        programs.push_back(schema::CreateSizeProgram(
            builder, builder.CreateVectorOfStructs(code)));
      }
      symbols = builder.CreateVector(symbolList);
      sizes = builder.CreateVector(programs);
    }
    functions.push_back(schema::CreateFunction(
        builder, builder.CreateString(function.name),
        builder.CreateVector(inputs), builder.CreateVector(outputs),
        builder.CreateVector(commandTypes), builder.CreateVector(commands),
        function.arenaSize, symbols, sizes, function.arenaSizeProgram));
  }

  const KernelLibrary &kernels = artifact.kernels;
  // Loaders read the binary in place (cuModuleLoadData, ELF headers): align it.
  builder.ForceVectorAlignment(kernels.binary.size(), 1,
                               kKernelBinaryAlignment);
  auto binary = builder.CreateVector(kernels.binary);
  auto kernelLibrary = schema::CreateKernelLibrary(
      builder, toSchema(kernels.format), builder.CreateString(kernels.arch),
      binary, builder.CreateVectorOfStrings(kernels.entryPoints));

  std::vector<schema::BufferSlot> slots;
  for (const BufferSlot &slot : artifact.buffers)
    slots.emplace_back(slot.offset, slot.size, toSchema(slot.location));

  auto root = schema::CreateArtifact(
      builder, kSchemaVersion, builder.CreateString(artifact.producer),
      builder.CreateString(artifact.target), kernelLibrary,
      builder.CreateVectorOfStructs(slots), builder.CreateVector(functions),
      artifact.weightsSize);
  schema::FinishArtifactBuffer(builder, root);
  return "";
}

/// Checks the weight segments and returns their indices sorted by offset.
std::string sortWeights(const Artifact &artifact, std::vector<size_t> &order) {
  order.resize(artifact.weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return artifact.weights[a].offset < artifact.weights[b].offset;
  });
  uint64_t end = 0;
  for (size_t index : order) {
    const WeightSegment &segment = artifact.weights[index];
    std::string where = "weight segment " + std::to_string(index) +
                        " (offset " + std::to_string(segment.offset) +
                        ", size " + std::to_string(segment.size) + ")";
    if (segment.offset % kWeightAlignment != 0)
      return where + " is not " + std::to_string(kWeightAlignment) +
             "-byte aligned";
    if (segment.size > artifact.weightsSize ||
        segment.offset > artifact.weightsSize - segment.size)
      return where + " ends past the weights size " +
             std::to_string(artifact.weightsSize);
    if (segment.offset < end)
      return where + " overlaps the segment before it";
    if (segment.size != 0 && !segment.data)
      return where + " has no data";
    end = segment.offset + segment.size;
  }
  return "";
}

/// A file being written: appends bytes, keeps the running CRC-32 of them.
class OutputFile {
public:
  explicit OutputFile(int fd) : fd(fd) {}

  /// Writes `size` bytes at the current position; false on error (errno set).
  bool append(const void *data, uint64_t size) {
    // crc32_z(crc, nullptr, 0) would restart the CRC (an empty weight's
    // data may be null).
    if (size == 0)
      return true;
    const auto *bytes = static_cast<const uint8_t *>(data);
    crc = crc32_z(crc, bytes, size);
    while (size > 0) {
      ssize_t written = ::write(fd, bytes, std::min<uint64_t>(size, 1u << 30));
      if (written < 0) {
        if (errno == EINTR)
          continue;
        return false;
      }
      bytes += written;
      size -= written;
    }
    return true;
  }

  bool appendZeros(uint64_t size) {
    static const uint8_t zeros[4096] = {};
    while (size > 0) {
      uint64_t chunk = std::min<uint64_t>(size, sizeof(zeros));
      if (!append(zeros, chunk))
        return false;
      size -= chunk;
    }
    return true;
  }

  uint32_t checksum() const { return static_cast<uint32_t>(crc); }

private:
  int fd;
  uLong crc = crc32_z(0, nullptr, 0);
};

std::string systemError(const std::string &what, const std::string &path) {
  return "cannot " + what + " '" + path + "': " + std::strerror(errno);
}

} // namespace

std::string writeArtifact(const Artifact &artifact, const std::string &path) {
  auto fail = [&](const std::string &message) {
    return "cannot write artifact '" + path + "': " + message;
  };
  std::vector<size_t> weightOrder;
  if (std::string message = sortWeights(artifact, weightOrder);
      !message.empty())
    return fail(message);

  FlatBufferBuilder builder(1 << 16);
  builder.ForceDefaults(false);
  if (std::string message = buildFlatbuffer(artifact, builder);
      !message.empty())
    return fail(message);

  FileHeader header;
  header.flatbufferOffset = kHeaderSize;
  header.flatbufferSize = builder.GetSize();
  uint64_t flatbufferEnd = header.flatbufferOffset + header.flatbufferSize;
  header.weightsOffset = artifact.weightsSize == 0
                             ? flatbufferEnd
                             : alignTo(flatbufferEnd, kWeightsSectionAlignment);
  header.weightsSize = artifact.weightsSize;
  header.fileSize = header.weightsOffset + header.weightsSize;

  std::string tempPath = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tempPath.data());
  if (fd < 0)
    return systemError("create a temporary file next to", path);
  auto abandon = [&](const std::string &what) {
    std::string message = systemError(what, tempPath);
    ::close(fd);
    ::unlink(tempPath.c_str());
    return message;
  };

  // The header goes last, once the CRC of everything after it is known.
  if (::lseek(fd, kHeaderSize, SEEK_SET) < 0)
    return abandon("seek in");
  OutputFile file(fd);
  if (!file.append(builder.GetBufferPointer(), header.flatbufferSize) ||
      !file.appendZeros(header.weightsOffset - flatbufferEnd))
    return abandon("write");
  uint64_t written = 0;
  for (size_t index : weightOrder) {
    const WeightSegment &segment = artifact.weights[index];
    if (!file.appendZeros(segment.offset - written) ||
        !file.append(segment.data, segment.size))
      return abandon("write");
    written = segment.offset + segment.size;
  }
  if (!file.appendZeros(artifact.weightsSize - written))
    return abandon("write");

  header.crc32 = file.checksum();
  auto headerBytes = encodeHeader(header);
  if (::pwrite(fd, headerBytes.data(), headerBytes.size(), 0) !=
      static_cast<ssize_t>(headerBytes.size()))
    return abandon("write");
  if (::fchmod(fd, 0644) != 0)
    return abandon("set permissions of");
  if (::fsync(fd) != 0)
    return abandon("flush");
  if (::close(fd) != 0) {
    std::string message = systemError("close", tempPath);
    ::unlink(tempPath.c_str());
    return message;
  }
  if (::rename(tempPath.c_str(), path.c_str()) != 0) {
    std::string message = systemError("rename '" + tempPath + "' to", path);
    ::unlink(tempPath.c_str());
    return message;
  }
  return "";
}

} // namespace mllmc::artifact
