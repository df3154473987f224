//===- mllmc-run.cpp - Runs a function of a .mllm artifact ----------------===//
//
// Reads inputs from .npy files, runs one function of a compiled artifact on a
// device through the C API, and writes every output to DIR/<name>.npy.
//
//===----------------------------------------------------------------------===//

#include "mllm/runtime.h"
#include "runtime/tools/Npy.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace mllm::tools;

namespace {

constexpr const char *kUsage =
    R"(OVERVIEW: runs a function of a compiled mllmc artifact

USAGE: mllmc-run [options] <artifact.mllm>

OPTIONS:
  --device=<name>              Device to run on: %s (default: cpu).
                               hip runs "rocm" artifacts.
  --function=<name>            Function of the artifact to run (default: main)
  --input=<name>=<file.npy>    Value of the input <name>, a C-order .npy file;
                               give one per input of the function
  --output-dir=<dir>           Writes every output to <dir>/<output name>.npy;
                               the folder is created when missing (required)
  --repeat=<n>                  Runs the function n more times after the
                               first and prints the mean and minimum time
                               of those runs to stderr (for benchmarks), and
                               the minimum time with the copies of the
                               inputs in and the outputs out included
  --profile                    Times every command (waiting for each before
                               the next) over the runs after the first (the
                               only one without --repeat) and prints the
                               slowest to stderr with their share of the run
  --help                       Display this help

EXAMPLE:
  mllmc-run model.mllm --input pixel_values=image.npy --output-dir out/
)";

struct Options {
  std::string artifact;
  std::string device = "cpu";
  std::string function = "main";
  std::vector<std::pair<std::string, std::string>> inputs;
  std::string outputDir;
  int repeat = 0;
  bool profile = false;
};

int fail(const std::string &message) {
  std::fprintf(stderr, "mllmc-run: error: %s\n", message.c_str());
  return 1;
}

/// Fills `options` from the command line; "" on success, "help" for --help,
/// else a message.
std::string parseOptions(int argc, char **argv, Options &options) {
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    // --name=value or --name value.
    auto value = [&](const std::string &name, std::string &out) -> int {
      std::string prefix = "--" + name;
      if (argument == prefix) {
        if (i + 1 >= argc)
          return -1;
        out = argv[++i];
        return 1;
      }
      if (argument.rfind(prefix + "=", 0) == 0) {
        out = argument.substr(prefix.size() + 1);
        return 1;
      }
      return 0;
    };
    std::string text;
    int matched;
    if (argument == "--help" || argument == "-h")
      return "help";
    if (argument == "--profile") {
      options.profile = true;
      continue;
    }
    if ((matched = value("device", options.device)) ||
        (matched = value("function", options.function)) ||
        (matched = value("output-dir", options.outputDir))) {
      if (matched < 0)
        return argument + " needs a value";
      continue;
    }
    if ((matched = value("repeat", text))) {
      char *end = nullptr;
      long count = matched < 0 ? -1 : std::strtol(text.c_str(), &end, 10);
      if (count < 0 || count > 1000000 || !end || *end)
        return "--repeat needs a count from 0 to 1000000, got '" + text + "'";
      options.repeat = static_cast<int>(count);
      continue;
    }
    if ((matched = value("input", text))) {
      size_t equals = text.find('=');
      if (matched < 0 || equals == std::string::npos || equals == 0 ||
          equals + 1 == text.size())
        return "--input needs <name>=<file.npy>, got '" + text + "'";
      options.inputs.emplace_back(text.substr(0, equals),
                                  text.substr(equals + 1));
      continue;
    }
    if (argument.size() > 1 && argument[0] == '-')
      return "unknown option '" + argument + "'; see mllmc-run --help";
    if (!options.artifact.empty())
      return "more than one artifact given ('" + options.artifact + "' and '" +
             argument + "')";
    options.artifact = argument;
  }
  if (options.artifact.empty())
    return "no artifact given; see mllmc-run --help";
  if (options.outputDir.empty())
    return "no --output-dir given; see mllmc-run --help";
  return "";
}

/// Owns the C handles and frees them in any order.
struct Handles {
  mllm_artifact *artifact = nullptr;
  mllm_device *device = nullptr;
  mllm_session *session = nullptr;
  ~Handles() {
    mllm_session_release(session);
    mllm_device_release(device);
    mllm_artifact_release(artifact);
  }
};

/// Returns the message of `status` (and frees it), or "" for success.
std::string take(mllm_status status) {
  std::string message = mllm_status_message(status);
  mllm_status_free(status);
  return message;
}

/// Prints the commands of the session's profile that took the most time,
/// slowest first, with their share of the profiled time; "" or a message.
std::string printProfile(mllm_session *session) {
  std::vector<std::pair<size_t, mllm_command_profile>> entries;
  double total = 0;
  uint64_t runs = 0;
  for (size_t i = 0; i < mllm_session_profile_count(session); ++i) {
    mllm_command_profile entry;
    if (std::string message =
            take(mllm_session_profile_entry(session, i, &entry));
        !message.empty())
      return message;
    total += entry.seconds;
    runs = std::max(runs, entry.runs);
    entries.emplace_back(i, entry);
  }
  if (runs == 0)
    return "";
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto &a, const auto &b) {
                     return a.second.seconds > b.second.seconds;
                   });
  constexpr size_t kShown = 25;
  std::fprintf(stderr,
               "mllmc-run: profile of %llu run(s), each command waited for: "
               "%.3f ms per run\n"
               "     %%   cum %%    ms/run  command        size  entry point\n",
               static_cast<unsigned long long>(runs), total * 1e3 / runs);
  double cumulative = 0;
  for (size_t i = 0; i < entries.size() && i < kShown; ++i) {
    const auto &[command, entry] = entries[i];
    double share = total > 0 ? 100 * entry.seconds / total : 0;
    cumulative += share;
    bool copy = std::strcmp(entry.name, "copy") == 0;
    std::string size = std::to_string(entry.extent) + (copy ? " B" : " wg");
    std::fprintf(stderr, "  %5.1f  %5.1f  %8.3f  %7zu  %10s  %s\n", share,
                 cumulative, entry.seconds * 1e3 / runs, command, size.c_str(),
                 entry.name);
  }
  if (entries.size() > kShown)
    std::fprintf(stderr, "  %5.1f  (%zu more commands)\n", 100 - cumulative,
                 entries.size() - kShown);
  return "";
}

int run(const Options &options) {
  Handles handles;
  if (std::string message =
          take(mllm_artifact_load(options.artifact.c_str(), &handles.artifact));
      !message.empty())
    return fail(message);
  if (std::string message =
          take(mllm_device_open(options.device.c_str(), &handles.device));
      !message.empty())
    return fail(message);
  if (std::string message =
          take(mllm_session_create(handles.artifact, options.function.c_str(),
                                   handles.device, &handles.session));
      !message.empty())
    return fail(message);

  std::map<std::string, std::string> files;
  for (const auto &[name, file] : options.inputs)
    if (!files.emplace(name, file).second)
      return fail("input '" + name + "' is given twice");
  std::vector<NpyArray> arrays(options.inputs.size());
  for (size_t i = 0; i < options.inputs.size(); ++i)
    if (std::string message = readNpy(options.inputs[i].second, arrays[i]);
        !message.empty())
      return fail(message);
  // A run consumes its inputs: set them before each run.
  auto setInputs = [&]() -> std::string {
    for (size_t i = 0; i < arrays.size(); ++i) {
      const auto &[name, file] = options.inputs[i];
      const NpyArray &array = arrays[i];
      if (std::string message = take(mllm_session_set_input(
              handles.session, name.c_str(), array.dtype, array.shape.data(),
              array.shape.size(), array.data.data(), array.data.size()));
          !message.empty())
        return message + " (from '" + file + "')";
    }
    return "";
  };
  if (std::string message = setInputs(); !message.empty())
    return fail(message);
  for (size_t i = 0; i < mllm_session_input_count(handles.session); ++i) {
    mllm_tensor_info info;
    if (std::string message =
            take(mllm_session_input_info(handles.session, i, &info));
        !message.empty())
      return fail(message);
    if (!files.count(info.name))
      return fail("input '" + std::string(info.name) +
                  "' is missing: pass --input=" + info.name + "=<file.npy>");
  }

  // Profile the runs after the first, which pays for first touches.
  auto enableProfiling = [&] {
    return options.profile
               ? take(mllm_session_set_profiling(handles.session, 1))
               : std::string();
  };
  if (options.repeat == 0)
    if (std::string message = enableProfiling(); !message.empty())
      return fail(message);
  if (std::string message = take(mllm_session_run(handles.session));
      !message.empty())
    return fail(message);
  if (options.repeat > 0)
    if (std::string message = enableProfiling(); !message.empty())
      return fail(message);
  // Every output with its run-time shape, read back into host memory.
  struct Output {
    std::string name;
    mllm_dtype dtype;
    std::vector<int64_t> shape;
    std::vector<uint8_t> data;
  };
  auto readOutputs = [&](std::vector<Output> &outputs) -> std::string {
    outputs.clear();
    for (size_t i = 0; i < mllm_session_output_count(handles.session); ++i) {
      mllm_tensor_info info;
      if (std::string message =
              take(mllm_session_output_info(handles.session, i, &info));
          !message.empty())
        return message;
      Output output{info.name,
                    info.dtype,
                    std::vector<int64_t>(info.dims, info.dims + info.rank),
                    {}};
      uint64_t size = mllm_dtype_size(info.dtype);
      for (int64_t dim : output.shape)
        size *= dim < 0 ? 0 : dim;
      output.data.resize(size);
      if (std::string message = take(
              mllm_session_read_output(handles.session, info.name,
                                       output.data.data(), output.data.size()));
          !message.empty())
        return message;
      outputs.push_back(std::move(output));
    }
    return "";
  };

  std::vector<Output> outputs;
  if (options.repeat > 0) {
    using Clock = std::chrono::steady_clock;
    auto ms = [](Clock::time_point from, Clock::time_point to) {
      return std::chrono::duration<double, std::milli>(to - from).count();
    };
    double total = 0, best = 0, bestWithCopies = 0;
    for (int i = 0; i < options.repeat; ++i) {
      auto start = Clock::now();
      if (std::string message = setInputs(); !message.empty())
        return fail(message);
      auto launched = Clock::now();
      if (std::string message = take(mllm_session_run(handles.session));
          !message.empty())
        return fail(message);
      auto finished = Clock::now();
      if (std::string message = readOutputs(outputs); !message.empty())
        return fail(message);
      double run = ms(launched, finished);
      double withCopies = ms(start, Clock::now());
      total += run;
      best = i == 0 ? run : std::min(best, run);
      bestWithCopies =
          i == 0 ? withCopies : std::min(bestWithCopies, withCopies);
    }
    std::fprintf(stderr,
                 "mllmc-run: %d runs: mean %.3f ms, min %.3f ms; with the "
                 "input and output copies: min %.3f ms\n",
                 options.repeat, total / options.repeat, best, bestWithCopies);
  }

  if (options.profile)
    if (std::string message = printProfile(handles.session); !message.empty())
      return fail(message);

  std::error_code error;
  std::filesystem::create_directories(options.outputDir, error);
  if (error)
    return fail("cannot create '" + options.outputDir +
                "': " + error.message());
  if (std::string message = readOutputs(outputs); !message.empty())
    return fail(message);
  for (const Output &output : outputs) {
    // Output names come from the model; keep them inside the folder.
    std::string fileName = output.name;
    for (char &c : fileName)
      if (c == '/')
        c = '_';
    if (fileName == "." || fileName == "..")
      fileName = "_" + fileName;
    std::string path =
        (std::filesystem::path(options.outputDir) / (fileName + ".npy"))
            .string();
    if (std::string message = writeNpy(path, output.dtype, output.shape,
                                       output.data.data(), output.data.size());
        !message.empty())
      return fail(message);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  std::string message = parseOptions(argc, argv, options);
  if (message == "help") {
    std::printf(kUsage, mllm_device_names());
    return 0;
  }
  if (!message.empty())
    return fail(message);
  return run(options);
}
