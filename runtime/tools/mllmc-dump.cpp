//===- mllmc-dump.cpp - Prints what a .mllm artifact holds ----------------===//
//
// Verifies an artifact like the runtime does, then prints its schema version,
// target, kernels, buffers, functions and commands; optionally extracts the
// kernel binary.
//
//===----------------------------------------------------------------------===//

#include "runtime/core/ArtifactFile.h"
#include "runtime/core/ElementType.h"
#include "runtime/core/Session.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace mllm::runtime;

namespace {

constexpr const char *kUsage =
    R"(OVERVIEW: prints what a compiled mllmc artifact holds

USAGE: mllmc-dump [options] <artifact.mllm>

OPTIONS:
  --extract-kernels=<dir>   Also writes the kernel binary to
                            <dir>/kernels.<so|cubin|hsaco>; the folder is
                            created when missing
  --help                    Display this help
)";

int fail(const std::string &message) {
  std::fprintf(stderr, "mllmc-dump: error: %s\n", message.c_str());
  return 1;
}

std::string describeSignature(const fb::TensorSignature &signature) {
  std::vector<int64_t> dims;
  std::vector<std::string> names;
  if (signature.dims()) {
    for (const fb::Dim *dim : *signature.dims()) {
      dims.push_back(dim->size());
      if (dim->size_program() >= 0)
        names.push_back("$" + std::to_string(dim->size_program()));
      else
        names.push_back(dim->name() ? dim->name()->str() : "");
    }
  }
  return signature.name()->str() + ": " + elementTypeName(signature.dtype()) +
         formatShape(dims, names) + " in buffer " +
         std::to_string(signature.buffer());
}

/// " sizes [$3, $4]" for a dispatch that takes run-time sizes.
std::string describeConstants(const fb::Dispatch &dispatch) {
  if (!dispatch.constants() || dispatch.constants()->size() == 0)
    return "";
  std::string text;
  for (uint32_t program : *dispatch.constants())
    text += (text.empty() ? "$" : ", $") + std::to_string(program);
  return " sizes [" + text + "]";
}

/// A size program in prefix form: "mul(sym(batch), 4)".
std::string describeProgram(const fb::Function &function, uint32_t index) {
  std::vector<std::string> stack;
  for (const fb::SizeInstruction *instruction :
       *function.sizes()->Get(index)->code()) {
    int64_t operand = instruction->operand();
    switch (instruction->opcode()) {
    case fb::SizeOpcode::Constant:
      stack.push_back(std::to_string(operand));
      break;
    case fb::SizeOpcode::Symbol:
      stack.push_back(function.symbols()->Get(operand)->name()->str());
      break;
    case fb::SizeOpcode::Size:
      stack.push_back("$" + std::to_string(operand));
      break;
    default: {
      std::string b = stack.back();
      stack.pop_back();
      std::string name = fb::EnumNameSizeOpcode(instruction->opcode());
      for (char &c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      stack.back() = name + "(" + stack.back() + ", " + b + ")";
    }
    }
  }
  return stack.empty() ? "" : stack.back();
}

/// The header of a function with run-time sizes: symbols and programs.
void printRuntimeSizes(const fb::Function &function) {
  std::printf("function %s (arena $%d bytes)\n", function.name()->c_str(),
              function.arena_size_program());
  std::printf("  symbols:\n");
  for (const fb::Symbol *symbol : *function.symbols()) {
    std::string sources;
    for (const fb::DimSource *source : *symbol->sources())
      sources += (sources.empty() ? "" : ", ") +
                 function.inputs()->Get(source->input())->name()->str() + "[" +
                 std::to_string(source->axis()) + "]";
    std::printf("    %s = %s\n", symbol->name()->c_str(), sources.c_str());
  }
  std::printf("  sizes:\n");
  for (uint32_t i = 0; i < function.sizes()->size(); ++i)
    std::printf("    $%u = %s\n", i, describeProgram(function, i).c_str());
}

std::string joinTriple(const flatbuffers::Vector<uint32_t> &values) {
  return "(" + std::to_string(values.Get(0)) + ", " +
         std::to_string(values.Get(1)) + ", " + std::to_string(values.Get(2)) +
         ")";
}

void printArtifact(const ArtifactFile &file) {
  const fb::Artifact &artifact = file.root();
  const fb::KernelLibrary &kernels = *artifact.kernels();
  std::printf("artifact: %s\n", file.path().c_str());
  std::printf("schema version: %s\n",
              formatSchemaVersion(artifact.schema_version()).c_str());
  std::printf("producer: %s\n",
              artifact.producer() ? artifact.producer()->c_str() : "");
  std::printf("target: %s\n", artifact.target()->c_str());
  std::printf("kernels: %s for %s, %u bytes\n",
              fb::EnumNameKernelFormat(kernels.format()),
              kernels.arch()->c_str(), kernels.binary()->size());
  uint32_t entries =
      kernels.entry_points() ? kernels.entry_points()->size() : 0;
  std::printf("entry points: %u\n", entries);
  for (uint32_t i = 0; i < entries; ++i)
    std::printf("  [%u] %s\n", i, kernels.entry_points()->Get(i)->c_str());
  std::printf("weights: %llu bytes\n",
              static_cast<unsigned long long>(artifact.weights_size()));
  std::printf("buffers: %u\n", artifact.buffers()->size());
  for (uint32_t i = 0; i < artifact.buffers()->size(); ++i) {
    const fb::BufferSlot &slot = *artifact.buffers()->Get(i);
    if (slot.location() == fb::BufferLocation::DynamicArena) {
      std::printf("  [%u] arena   offset $%llu size $%llu\n", i,
                  static_cast<unsigned long long>(slot.offset()),
                  static_cast<unsigned long long>(slot.size()));
      continue;
    }
    std::printf("  [%u] %-7s offset %llu size %llu\n", i,
                slot.location() == fb::BufferLocation::Weights ? "weights"
                                                               : "arena",
                static_cast<unsigned long long>(slot.offset()),
                static_cast<unsigned long long>(slot.size()));
  }

  for (const fb::Function *function : *artifact.functions()) {
    if (function->symbols() && function->symbols()->size() != 0)
      printRuntimeSizes(*function);
    else
      std::printf("function %s (arena %llu bytes)\n", function->name()->c_str(),
                  static_cast<unsigned long long>(function->arena_size()));
    std::printf("  inputs:\n");
    for (const fb::TensorSignature *input : *function->inputs())
      std::printf("    %s\n", describeSignature(*input).c_str());
    std::printf("  outputs:\n");
    for (const fb::TensorSignature *output : *function->outputs())
      std::printf("    %s\n", describeSignature(*output).c_str());
    std::printf("  commands:\n");
    for (uint32_t i = 0; i < function->commands()->size(); ++i) {
      if (function->commands_type()->GetEnum<fb::Command>(i) ==
          fb::Command::Dispatch) {
        const auto *dispatch = function->commands()->GetAs<fb::Dispatch>(i);
        std::string bindings;
        if (dispatch->bindings())
          for (uint32_t binding : *dispatch->bindings())
            bindings +=
                (bindings.empty() ? "" : ", ") + std::to_string(binding);
        std::printf(
            "    [%u] dispatch %s workgroups %s size %s shared %u "
            "bindings [%s]%s\n",
            i, kernels.entry_points()->Get(dispatch->entry_point())->c_str(),
            joinTriple(*dispatch->workgroup_count()).c_str(),
            joinTriple(*dispatch->workgroup_size()).c_str(),
            dispatch->shared_memory_bytes(), bindings.c_str(),
            describeConstants(*dispatch).c_str());
      } else {
        const auto *copy = function->commands()->GetAs<fb::Copy>(i);
        std::printf("    [%u] copy buffer %u -> buffer %u, %llu bytes\n", i,
                    copy->source(), copy->target(),
                    static_cast<unsigned long long>(copy->size()));
      }
    }
  }
}

std::string extractKernels(const ArtifactFile &file, const std::string &dir) {
  const char *extension = "so";
  switch (file.root().kernels()->format()) {
  case fb::KernelFormat::Cubin:
    extension = "cubin";
    break;
  case fb::KernelFormat::Hsaco:
    extension = "hsaco";
    break;
  default:
    break;
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error)
    return "cannot create '" + dir + "': " + error.message();
  std::string path =
      (std::filesystem::path(dir) / (std::string("kernels.") + extension))
          .string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(file.kernelBinary()),
            file.kernelBinarySize());
  out.close();
  if (!out)
    return "cannot write '" + path + "'";
  std::printf("kernels written to %s\n", path.c_str());
  return "";
}

} // namespace

int main(int argc, char **argv) {
  std::string artifactPath, kernelDir;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      std::printf("%s", kUsage);
      return 0;
    }
    if (argument == "--extract-kernels") {
      if (i + 1 >= argc)
        return fail("--extract-kernels needs a folder");
      kernelDir = argv[++i];
    } else if (argument.rfind("--extract-kernels=", 0) == 0) {
      kernelDir = argument.substr(std::strlen("--extract-kernels="));
      if (kernelDir.empty())
        return fail("--extract-kernels needs a folder");
    } else if (argument.size() > 1 && argument[0] == '-') {
      return fail("unknown option '" + argument + "'; see mllmc-dump --help");
    } else if (!artifactPath.empty()) {
      return fail("more than one artifact given ('" + artifactPath + "' and '" +
                  argument + "')");
    } else {
      artifactPath = argument;
    }
  }
  if (artifactPath.empty())
    return fail("no artifact given; see mllmc-dump --help");

  auto file = ArtifactFile::load(artifactPath);
  if (!file.ok())
    return fail(file.status().message());
  printArtifact(*file.value());
  if (!kernelDir.empty())
    if (std::string message = extractKernels(*file.value(), kernelDir);
        !message.empty())
      return fail(message);
  return 0;
}
