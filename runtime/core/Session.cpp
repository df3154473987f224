//===- Session.cpp - One function of an artifact on one device ------------===//

#include "runtime/core/Session.h"
#include "runtime/core/SizePrograms.h"

#include <chrono>

namespace mllm::runtime {

std::string formatShape(const std::vector<int64_t> &dims,
                        const std::vector<std::string> &names) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i)
      text += ", ";
    if (dims[i] >= 0)
      text += std::to_string(dims[i]);
    else
      text += i < names.size() && !names[i].empty() ? names[i] : "?";
  }
  return text + "]";
}

namespace {

TensorState makeState(const fb::TensorSignature &signature) {
  TensorState state;
  state.name = signature.name()->str();
  state.elementType = signature.dtype();
  if (signature.dims()) {
    for (const fb::Dim *dim : *signature.dims()) {
      state.declaredDims.push_back(dim->size());
      state.dimNames.push_back(dim->name() ? dim->name()->str() : "");
      state.dimPrograms.push_back(dim->size_program());
    }
  }
  state.dims = state.declaredDims;
  return state;
}

/// Bytes of a tensor with fully known `dims`, or false on overflow.
bool byteSize(ElementType type, const std::vector<int64_t> &dims,
              uint64_t &bytes) {
  bytes = elementByteSize(type);
  for (int64_t dim : dims)
    if (dim < 0 ||
        __builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes))
      return false;
  return true;
}

} // namespace

Result<std::unique_ptr<Session>>
Session::create(std::shared_ptr<const ArtifactFile> artifact,
                const std::string &functionName,
                std::shared_ptr<Device> device) {
  std::unique_ptr<Session> session(new Session());
  session->artifact = std::move(artifact);
  session->device = std::move(device);
  MLLM_RETURN_IF_ERROR(session->initialize(functionName));
  return session;
}

std::string Session::describe() const {
  return "'" + artifact->path() + "': function '" + function->name()->str() +
         "'";
}

Status Session::initialize(const std::string &functionName) {
  const fb::Artifact &root = artifact->root();
  std::string target = root.target()->str();
  if (target != device->target())
    return Status::error("'" + artifact->path() + "' is compiled for target '" +
                         target + "', but device '" + device->name() +
                         "' runs '" + device->target() +
                         "' artifacts; compile for this device or open a " +
                         "device of that target");
  function = artifact->findFunction(functionName);
  if (!function) {
    std::string names;
    for (const fb::Function *candidate : *root.functions())
      names += (names.empty() ? "" : ", ") + candidate->name()->str();
    return Status::error("'" + artifact->path() + "' has no function '" +
                         functionName +
                         "'; it has: " + (names.empty() ? "none" : names));
  }

  const fb::KernelLibrary &library = *root.kernels();
  KernelImage image{library.format(),
                    library.arch()->str(),
                    artifact->kernelBinary(),
                    artifact->kernelBinarySize(),
                    {}};
  if (library.entry_points())
    for (const flatbuffers::String *entry : *library.entry_points())
      image.entryPoints.push_back(entry->str());
  Result<std::unique_ptr<LoadedKernels>> loaded = device->loadKernels(image);
  if (!loaded.ok())
    return Status::error(describe() + ": " + loaded.status().message());
  kernels = loaded.take();
  entryPointNames = std::move(image.entryPoints);

  dynamic = function->symbols() && function->symbols()->size() != 0;
  if (!dynamic) {
    Result<DeviceAddress> arenaAddress =
        device->allocate(function->arena_size());
    if (!arenaAddress.ok())
      return Status::error(describe() + ": cannot allocate its arena of " +
                           std::to_string(function->arena_size()) +
                           " bytes: " + arenaAddress.status().message());
    arena = arenaAddress.value();
    hasArena = true;
  }
  Result<DeviceAddress> weightsAddress =
      device->importReadOnly(artifact->weights(), artifact->weightsSize());
  if (!weightsAddress.ok())
    return Status::error(
        describe() + ": cannot load its " +
        std::to_string(artifact->weightsSize()) +
        " bytes of weights: " + weightsAddress.status().message());
  weights = weightsAddress.value();
  hasWeights = true;

  for (const fb::TensorSignature *signature : *function->inputs())
    inputStates.push_back(makeState(*signature));
  for (const fb::TensorSignature *signature : *function->outputs())
    outputStates.push_back(makeState(*signature));
  if (!dynamic)
    return prepareSteps();

  stagedInputs.resize(inputStates.size());
  inputSymbols.resize(inputStates.size());
  for (size_t i = 0; i < inputStates.size(); ++i)
    inputSymbols[i].assign(inputStates[i].declaredDims.size(), -1);
  for (uint32_t i = 0; i < function->symbols()->size(); ++i)
    for (const fb::DimSource *source : *function->symbols()->Get(i)->sources())
      inputSymbols[source->input()][source->axis()] = i;
  symbolValues.assign(function->symbols()->size(), -1);
  return {};
}

DeviceAddress Session::slotAddress(uint32_t buffer) const {
  const fb::BufferSlot &slot = *artifact->root().buffers()->Get(buffer);
  switch (slot.location()) {
  case fb::BufferLocation::Weights:
    return weights + slot.offset();
  case fb::BufferLocation::DynamicArena:
    return arena + sizeValues[slot.offset()];
  default:
    return arena + slot.offset();
  }
}

uint64_t Session::slotSize(uint32_t buffer) const {
  const fb::BufferSlot &slot = *artifact->root().buffers()->Get(buffer);
  return slot.location() == fb::BufferLocation::DynamicArena
             ? sizeValues[slot.size()]
             : slot.size();
}

Status Session::prepareSteps() {
  steps.clear();
  for (uint32_t i = 0; i < function->commands()->size(); ++i) {
    Step step;
    if (function->commands_type()->GetEnum<fb::Command>(i) ==
        fb::Command::Dispatch) {
      const auto *dispatch = function->commands()->GetAs<fb::Dispatch>(i);
      DispatchParams params;
      params.entryPoint = dispatch->entry_point();
      for (unsigned axis = 0; axis < 3; ++axis) {
        params.workgroupCount[axis] = dispatch->workgroup_count()->Get(axis);
        params.workgroupSize[axis] = dispatch->workgroup_size()->Get(axis);
      }
      params.sharedMemoryBytes = dispatch->shared_memory_bytes();
      if (dispatch->bindings())
        for (uint32_t binding : *dispatch->bindings())
          params.bindings.push_back(slotAddress(binding));
      if (dispatch->constants())
        for (uint32_t program : *dispatch->constants())
          params.constants.push_back(sizeValues[program]);
      Result<std::unique_ptr<PreparedDispatch>> prepared =
          device->prepareDispatch(*kernels, params);
      if (!prepared.ok())
        return Status::error(describe() + ": command " + std::to_string(i) +
                             ": " + prepared.status().message());
      step.dispatch = prepared.take();
    } else {
      const auto *copy = function->commands()->GetAs<fb::Copy>(i);
      step.source = slotAddress(copy->source());
      step.target = slotAddress(copy->target());
      step.size = copy->size();
    }
    steps.push_back(std::move(step));
  }

  for (auto [states, signatures] :
       {std::make_pair(&inputStates, function->inputs()),
        std::make_pair(&outputStates, function->outputs())})
    for (size_t i = 0; i < states->size(); ++i) {
      uint32_t buffer = signatures->Get(i)->buffer();
      (*states)[i].address = slotAddress(buffer);
      (*states)[i].capacity = slotSize(buffer);
    }
  stepsValid = true;
  return {};
}

Session::~Session() {
  steps.clear();
  kernels.reset();
  if (hasWeights)
    device->releaseReadOnly(weights);
  if (hasArena)
    device->deallocate(arena);
}

TensorState *Session::findInput(const std::string &name) {
  for (TensorState &input : inputStates)
    if (input.name == name)
      return &input;
  return nullptr;
}

int64_t Session::boundDim(const std::string &name,
                          const TensorState *except) const {
  for (const TensorState &input : inputStates) {
    if (&input == except || input.dims.size() != input.dimNames.size())
      continue;
    for (size_t i = 0; i < input.dims.size(); ++i)
      if (input.declaredDims[i] < 0 && input.dimNames[i] == name &&
          input.dims[i] >= 0)
        return input.dims[i];
  }
  return -1;
}

Status Session::setInput(const std::string &name, ElementType elementType,
                         const std::vector<int64_t> &dims, const void *data,
                         uint64_t byteCount) {
  TensorState *input = findInput(name);
  if (!input) {
    std::string names;
    for (const TensorState &candidate : inputStates)
      names += (names.empty() ? "" : ", ") + candidate.name;
    return Status::error(
        describe() + " has no input '" + name +
        "'; its inputs are: " + (names.empty() ? "none" : names));
  }
  std::string where = describe() + ": input '" + name + "'";
  if (elementType != input->elementType)
    return Status::error(where + " has element type " +
                         elementTypeName(input->elementType) + ", got " +
                         elementTypeName(elementType));
  std::string expected = formatShape(input->declaredDims, input->dimNames);
  bool matches = dims.size() == input->declaredDims.size();
  for (size_t i = 0; matches && i < dims.size(); ++i)
    matches = input->declaredDims[i] < 0 ? dims[i] >= 0
                                         : dims[i] == input->declaredDims[i];
  if (!matches)
    return Status::error(where + " has shape " + expected + ", got " +
                         formatShape(dims));
  if (dynamic) {
    size_t index = input - inputStates.data();
    MLLM_RETURN_IF_ERROR(checkSymbols(index, dims));
    uint64_t bytes;
    if (!byteSize(elementType, dims, bytes))
      return Status::error(where + " of shape " + formatShape(dims) +
                           " has more elements than fit in memory");
    if (bytes != byteCount)
      return Status::error(where + " of shape " + formatShape(dims) + " and " +
                           "type " + elementTypeName(elementType) + " needs " +
                           std::to_string(bytes) + " bytes, got " +
                           std::to_string(byteCount));
    outputsValid = false;
    const auto *bytesIn = static_cast<const uint8_t *>(data);
    stagedInputs[index].assign(bytesIn, bytesIn + bytes);
    input->dims = dims;
    input->pending = true;
    return {};
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    if (input->declaredDims[i] >= 0 || input->dimNames[i].empty())
      continue;
    int64_t bound = boundDim(input->dimNames[i], input);
    if (bound >= 0 && bound != dims[i])
      return Status::error(where + " has dim '" + input->dimNames[i] +
                           "' = " + std::to_string(dims[i]) +
                           ", but another input set it to " +
                           std::to_string(bound));
  }
  uint64_t bytes;
  if (!byteSize(elementType, dims, bytes) || bytes > input->capacity)
    return Status::error(where + " of shape " + formatShape(dims) +
                         " does not fit its " +
                         std::to_string(input->capacity) + "-byte buffer");
  if (bytes != byteCount)
    return Status::error(where + " of shape " + formatShape(dims) + " and " +
                         "type " + elementTypeName(elementType) + " needs " +
                         std::to_string(bytes) + " bytes, got " +
                         std::to_string(byteCount));
  outputsValid = false;
  MLLM_RETURN_IF_ERROR(device->copyToDevice(input->address, data, bytes));
  input->dims = dims;
  input->pending = true;
  return {};
}

Status Session::checkSymbols(size_t index,
                             const std::vector<int64_t> &dims) const {
  for (size_t axis = 0; axis < dims.size(); ++axis) {
    int32_t symbol = inputSymbols[index][axis];
    if (symbol < 0)
      continue;
    for (const fb::DimSource *source :
         *function->symbols()->Get(symbol)->sources()) {
      const TensorState &other = inputStates[source->input()];
      if (source->input() == index || !other.pending ||
          other.dims[source->axis()] == dims[axis])
        continue;
      const std::string &name = inputStates[index].dimNames[axis];
      return Status::error(
          describe() + ": input '" + inputStates[index].name + "' has dim " +
          std::to_string(axis) + (name.empty() ? "" : " ('" + name + "')") +
          " = " + std::to_string(dims[axis]) + ", but input '" + other.name +
          "' has dim " + std::to_string(source->axis()) + " = " +
          std::to_string(other.dims[source->axis()]) +
          "; the model gives both the same size");
    }
  }
  return {};
}

Status Session::prepareRun() {
  for (uint32_t i = 0; i < function->symbols()->size(); ++i) {
    const fb::DimSource *source =
        function->symbols()->Get(i)->sources()->Get(0);
    symbolValues[i] = inputStates[source->input()].dims[source->axis()];
  }
  Status evaluated =
      evaluateSizePrograms(*function, symbolValues, sizeValues, stack);
  if (!evaluated.ok())
    return Status::error(describe() + ": " + evaluated.message());
  uint64_t arenaSize = sizeValues[function->arena_size_program()];
  if (arenaSize > arenaCapacity || !hasArena) {
    if (hasArena)
      device->deallocate(arena);
    hasArena = false;
    stepsValid = false;
    Result<DeviceAddress> arenaAddress = device->allocate(arenaSize);
    if (!arenaAddress.ok())
      return Status::error(
          describe() + ": cannot allocate its arena of " +
          std::to_string(arenaSize) + " bytes for " +
          "these input shapes: " + arenaAddress.status().message());
    arena = arenaAddress.value();
    hasArena = true;
    arenaCapacity = arenaSize;
  }
  if (!stepsValid || symbolValues != preparedSymbols) {
    stepsValid = false;
    MLLM_RETURN_IF_ERROR(prepareSteps());
    preparedSymbols = symbolValues;
  }
  for (size_t i = 0; i < inputStates.size(); ++i) {
    const TensorState &input = inputStates[i];
    if (stagedInputs[i].size() > input.capacity)
      return Status::error(describe() + ": input '" + input.name +
                           "' of shape " + formatShape(input.dims) +
                           " does not fit its " +
                           std::to_string(input.capacity) + "-byte buffer");
    MLLM_RETURN_IF_ERROR(device->copyToDevice(
        input.address, stagedInputs[i].data(), stagedInputs[i].size()));
  }
  return {};
}

Status Session::run() {
  for (const TensorState &input : inputStates)
    if (!input.pending)
      return Status::error(describe() + ": input '" + input.name +
                           "' is not set (a run consumes its inputs; set all "
                           "of them before each run)");
  outputsValid = false;
  if (dynamic)
    MLLM_RETURN_IF_ERROR(prepareRun());
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step &step = steps[i];
    // Unprofiled runs read no clock.
    auto start = profiling ? std::chrono::steady_clock::now()
                           : std::chrono::steady_clock::time_point();
    Status status =
        step.dispatch
            ? device->launch(*step.dispatch)
            : device->copyOnDevice(step.target, step.source, step.size);
    if (status.ok() && profiling)
      status = device->synchronize();
    if (!status.ok())
      return Status::error(describe() + ": command " + std::to_string(i) +
                           " failed: " + status.message());
    if (profiling) {
      std::chrono::duration<double> elapsed =
          std::chrono::steady_clock::now() - start;
      commandProfile[i].seconds += elapsed.count();
      ++commandProfile[i].runs;
    }
  }
  Status status = device->synchronize();
  if (!status.ok())
    return Status::error(describe() + ": " + status.message());
  for (TensorState &input : inputStates)
    input.pending = false;
  outputsValid = true;
  return {};
}

void Session::setProfiling(bool enabled) {
  profiling = enabled;
  if (!enabled)
    return;
  commandProfile.assign(function->commands()->size(), {});
  for (uint32_t i = 0; i < commandProfile.size(); ++i) {
    CommandProfile &entry = commandProfile[i];
    if (function->commands_type()->GetEnum<fb::Command>(i) ==
        fb::Command::Dispatch) {
      const auto *dispatch = function->commands()->GetAs<fb::Dispatch>(i);
      entry.name = dispatch->entry_point() < entryPointNames.size()
                       ? entryPointNames[dispatch->entry_point()]
                       : "?";
      entry.extent = 1;
      for (unsigned axis = 0; axis < 3; ++axis)
        entry.extent *= dispatch->workgroup_count()->Get(axis);
    } else {
      entry.name = "copy";
      entry.extent = function->commands()->GetAs<fb::Copy>(i)->size();
    }
  }
}

const std::vector<TensorState> &Session::outputs() {
  if (dynamic) {
    for (TensorState &output : outputStates)
      for (size_t i = 0; i < output.dims.size(); ++i)
        if (output.declaredDims[i] < 0)
          output.dims[i] = outputsValid && output.dimPrograms[i] >= 0
                               ? sizeValues[output.dimPrograms[i]]
                               : -1;
    return outputStates;
  }
  for (TensorState &output : outputStates)
    for (size_t i = 0; i < output.dims.size(); ++i)
      if (output.declaredDims[i] < 0)
        output.dims[i] = output.dimNames[i].empty()
                             ? -1
                             : boundDim(output.dimNames[i], nullptr);
  return outputStates;
}

Status Session::readOutput(const std::string &name, void *data,
                           uint64_t byteCount) {
  const TensorState *output = nullptr;
  for (const TensorState &candidate : outputs())
    if (candidate.name == name)
      output = &candidate;
  if (!output) {
    std::string names;
    for (const TensorState &candidate : outputStates)
      names += (names.empty() ? "" : ", ") + candidate.name;
    return Status::error(
        describe() + " has no output '" + name +
        "'; its outputs are: " + (names.empty() ? "none" : names));
  }
  std::string where = describe() + ": output '" + name + "'";
  if (!outputsValid)
    return Status::error(where + " is not computed: set the inputs and run "
                                 "first");
  uint64_t bytes;
  if (!byteSize(output->elementType, output->dims, bytes))
    return Status::error(where + " has shape " +
                         formatShape(output->dims, output->dimNames) +
                         ", whose dynamic dims no input determines");
  if (bytes > output->capacity)
    return Status::error(where + " of shape " + formatShape(output->dims) +
                         " does not fit its " +
                         std::to_string(output->capacity) + "-byte buffer");
  if (bytes != byteCount)
    return Status::error(where + " has " + std::to_string(bytes) +
                         " bytes, got room for " + std::to_string(byteCount));
  return device->copyToHost(data, output->address, bytes);
}

} // namespace mllm::runtime
