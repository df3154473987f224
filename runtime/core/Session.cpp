//===- Session.cpp - One function of an artifact on one device ------------===//

#include "runtime/core/Session.h"

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

  Result<DeviceAddress> arenaAddress = device->allocate(function->arena_size());
  if (!arenaAddress.ok())
    return Status::error(describe() + ": cannot allocate its arena of " +
                         std::to_string(function->arena_size()) +
                         " bytes: " + arenaAddress.status().message());
  arena = arenaAddress.value();
  hasArena = true;
  Result<DeviceAddress> weightsAddress =
      device->importReadOnly(artifact->weights(), artifact->weightsSize());
  if (!weightsAddress.ok())
    return Status::error(
        describe() + ": cannot load its " +
        std::to_string(artifact->weightsSize()) +
        " bytes of weights: " + weightsAddress.status().message());
  weights = weightsAddress.value();
  hasWeights = true;

  auto address = [&](uint32_t buffer) {
    const fb::BufferSlot &slot = *root.buffers()->Get(buffer);
    return (slot.location() == fb::BufferLocation::Arena ? arena : weights) +
           slot.offset();
  };

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
          params.bindings.push_back(address(binding));
      Result<std::unique_ptr<PreparedDispatch>> prepared =
          device->prepareDispatch(*kernels, params);
      if (!prepared.ok())
        return Status::error(describe() + ": command " + std::to_string(i) +
                             ": " + prepared.status().message());
      step.dispatch = prepared.take();
    } else {
      const auto *copy = function->commands()->GetAs<fb::Copy>(i);
      step.source = address(copy->source());
      step.target = address(copy->target());
      step.size = copy->size();
    }
    steps.push_back(std::move(step));
  }

  for (const fb::TensorSignature *signature : *function->inputs()) {
    TensorState state = makeState(*signature);
    state.address = address(signature->buffer());
    state.capacity = root.buffers()->Get(signature->buffer())->size();
    inputStates.push_back(std::move(state));
  }
  for (const fb::TensorSignature *signature : *function->outputs()) {
    TensorState state = makeState(*signature);
    state.address = address(signature->buffer());
    state.capacity = root.buffers()->Get(signature->buffer())->size();
    outputStates.push_back(std::move(state));
  }
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

Status Session::run() {
  for (const TensorState &input : inputStates)
    if (!input.pending)
      return Status::error(describe() + ": input '" + input.name +
                           "' is not set (a run consumes its inputs; set all "
                           "of them before each run)");
  outputsValid = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step &step = steps[i];
    Status status =
        step.dispatch
            ? device->launch(*step.dispatch)
            : device->copyOnDevice(step.target, step.source, step.size);
    if (!status.ok())
      return Status::error(describe() + ": command " + std::to_string(i) +
                           " failed: " + status.message());
  }
  Status status = device->synchronize();
  if (!status.ok())
    return Status::error(describe() + ": " + status.message());
  for (TensorState &input : inputStates)
    input.pending = false;
  outputsValid = true;
  return {};
}

const std::vector<TensorState> &Session::outputs() {
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
