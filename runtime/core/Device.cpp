//===- Device.cpp - The registry of devices -------------------------------===//

#include "runtime/core/Device.h"

#include <map>

namespace mllm::runtime {

namespace {
std::map<std::string, DeviceFactory> &registry() {
  static std::map<std::string, DeviceFactory> devices;
  return devices;
}
} // namespace

bool registerDevice(const char *name, DeviceFactory factory) {
  registry()[name] = factory;
  return true;
}

std::string registeredDeviceNames() {
  std::string names;
  for (const auto &[name, factory] : registry())
    names += (names.empty() ? "" : ", ") + name;
  return names;
}

Result<std::unique_ptr<Device>> openDevice(const std::string &name) {
  auto found = registry().find(name);
  if (found == registry().end())
    return Status::error("unknown device '" + name +
                         "'; this runtime has: " + registeredDeviceNames());
  return found->second();
}

} // namespace mllm::runtime
