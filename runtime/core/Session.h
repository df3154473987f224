//===- Session.h - One function of an artifact on one device ------*- C++
//-*-===//
//
// Creating a session does all the work that can be done once: it loads the
// kernels, allocates the function's single arena, makes the weights available
// (mapped on the CPU, uploaded once on GPUs) and resolves every command to
// device addresses. Running it replays the command list; it allocates nothing.
//
// A function compiled for symbolic dimensions (SizePrograms.h) is resolved at
// run time instead: a run binds the symbols from the input shapes, evaluates
// the size programs, grows the arena when the sizes need more (it never
// shrinks, so runs at sizes seen before allocate nothing), re-resolves the
// commands when the sizes changed, and then copies in the inputs, which
// setInput keeps on the host until then.
//
// Inputs live in the arena, which the compiled function reuses for
// intermediates, so a run consumes them: set every input again before the
// next run. Outputs can be read until the next setInput or run.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CORE_SESSION_H
#define MLLM_RUNTIME_CORE_SESSION_H

#include "runtime/core/ArtifactFile.h"
#include "runtime/core/Device.h"
#include "runtime/core/ElementType.h"

#include <memory>
#include <string>
#include <vector>

namespace mllm::runtime {

/// A function input or output as the artifact declares it, plus its state.
struct TensorState {
  std::string name;
  ElementType elementType;
  /// As declared; -1 for dynamic dims.
  std::vector<int64_t> declaredDims;
  /// One per dim, "" when unnamed.
  std::vector<std::string> dimNames;
  /// Outputs of run-time-sized functions: one per dim, the size program of
  /// a dynamic dim or -1.
  std::vector<int32_t> dimPrograms;
  DeviceAddress address = 0;
  uint64_t capacity = 0;
  /// Inputs: the shape last given. Outputs: the declared shape with the
  /// dynamic dims the inputs determine filled in (-1 where none does).
  std::vector<int64_t> dims;
  /// Inputs: set since the last run.
  bool pending = false;
};

/// The time one command of the command list took over the profiled runs.
struct CommandProfile {
  /// The entry point a dispatch launches, or "copy" for a copy on the device.
  std::string name;
  /// Workgroups of a dispatch (all axes multiplied); bytes of a copy.
  uint64_t extent = 0;
  uint64_t runs = 0;
  double seconds = 0;
};

class Session {
public:
  static Result<std::unique_ptr<Session>>
  create(std::shared_ptr<const ArtifactFile> artifact,
         const std::string &functionName, std::shared_ptr<Device> device);
  ~Session();

  const std::vector<TensorState> &inputs() const { return inputStates; }
  /// Output states with the dims the current inputs determine.
  const std::vector<TensorState> &outputs();

  /// Copies `byteSize` bytes of host data of the given type and shape into
  /// the input named `name`; the message names the input and what it expects.
  Status setInput(const std::string &name, ElementType elementType,
                  const std::vector<int64_t> &dims, const void *data,
                  uint64_t byteSize);
  /// Runs the command list and waits for it.
  Status run();
  /// Copies the output named `name` into `data`, which holds `byteSize` bytes.
  Status readOutput(const std::string &name, void *data, uint64_t byteSize);

  /// With profiling on, a run waits for each command to finish before it
  /// issues the next and adds the command's wall time to profile(): slower
  /// (nothing overlaps, GPU launches included), for finding where time goes.
  /// Turning it on clears the profile.
  void setProfiling(bool enabled);
  /// One entry per command, in command-list order.
  const std::vector<CommandProfile> &profile() const { return commandProfile; }

private:
  /// One step of the command list, resolved.
  struct Step {
    std::unique_ptr<PreparedDispatch> dispatch;
    DeviceAddress source = 0, target = 0;
    uint64_t size = 0;
  };

  Session() = default;
  Status initialize(const std::string &functionName);
  /// Resolves the command list and the input and output addresses with the
  /// current arena and sizes.
  Status prepareSteps();
  /// The device address of buffer slot `buffer` and its size in bytes.
  DeviceAddress slotAddress(uint32_t buffer) const;
  uint64_t slotSize(uint32_t buffer) const;
  /// Run-time sizes: checks `dims` of input `index` against the inputs set
  /// before that share a symbol with it.
  Status checkSymbols(size_t index, const std::vector<int64_t> &dims) const;
  /// Run-time sizes: binds the symbols, evaluates the size programs, grows
  /// the arena, re-resolves the commands when the sizes changed, and copies
  /// the staged inputs in.
  Status prepareRun();
  std::string describe() const;
  TensorState *findInput(const std::string &name);
  /// The value the set inputs give the dim named `name`, or -1.
  int64_t boundDim(const std::string &name, const TensorState *except) const;

  std::shared_ptr<const ArtifactFile> artifact;
  std::shared_ptr<Device> device;
  const fb::Function *function = nullptr;
  std::unique_ptr<LoadedKernels> kernels;
  DeviceAddress arena = 0;
  bool hasArena = false;
  DeviceAddress weights = 0;
  bool hasWeights = false;
  std::vector<Step> steps;
  std::vector<TensorState> inputStates, outputStates;
  bool outputsValid = false;
  std::vector<std::string> entryPointNames;
  bool profiling = false;
  std::vector<CommandProfile> commandProfile;

  /// Run-time sizes (empty for functions of static shapes).
  bool dynamic = false;
  /// For each input and axis, the symbol it binds, or -1.
  std::vector<std::vector<int32_t>> inputSymbols;
  /// Inputs kept on the host until a run knows where they go; grow-only.
  std::vector<std::vector<uint8_t>> stagedInputs;
  std::vector<int64_t> symbolValues, sizeValues, stack;
  /// The symbol values the commands were resolved for.
  std::vector<int64_t> preparedSymbols;
  uint64_t arenaCapacity = 0;
  bool stepsValid = false;
};

/// "[2, 3]", with dynamic dims shown by name or as "?".
std::string formatShape(const std::vector<int64_t> &dims,
                        const std::vector<std::string> &names = {});

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_SESSION_H
