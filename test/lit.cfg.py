# lit configuration for mllmc: one suite over test/, tools from build/bin.
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "mllmc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "helpers", "runtime"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mllmc_obj_root, "test")

# MLLM_NUM_THREADS: run the end-to-end tests on a chosen number of CPU threads.
llvm_config.with_system_environment(
    ["HOME", "PATH", "PYTHONPATH", "CUDA_HOME", "MLLM_NUM_THREADS"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.mllmc_tools_dir, append_path=True)
llvm_config.with_environment(
    "PYTHONPATH", os.path.join(config.mllmc_src_root, "test", "helpers"),
    append_path=True)

config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%helpers", os.path.join(config.mllmc_src_root, "test", "helpers")))
# Out-of-tree builds against an installed mllmc (test/plugins): the build's
# CMake, generator and compiler launcher (ccache), its source and build roots.
config.substitutions.append(("%mllmc_src_root", config.mllmc_src_root))
config.substitutions.append(("%mllmc_obj_root", config.mllmc_obj_root))
config.substitutions.append(("%cmake_configure", " ".join(
    [config.cmake_executable, '-G "%s"' % config.cmake_generator,
     "-DCMAKE_MAKE_PROGRAM=" + config.cmake_make_program,
     "-DCMAKE_CXX_COMPILER_LAUNCHER=" + config.cxx_compiler_launcher])))
config.substitutions.append(("%cmake", config.cmake_executable))
llvm_config.use_default_substitutions()

# GPU run steps need a driver; compile-only checks always run.
def _cuda_arch():
    """sm_XY of the first NVIDIA GPU, or None without one."""
    smi = shutil.which("nvidia-smi")
    if not smi:
        return None
    try:
        out = subprocess.run([smi, "--query-gpu=compute_cap", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    caps = out.split()
    return "sm_" + caps[0].replace(".", "") if caps else None


cuda_arch = _cuda_arch()
if cuda_arch:
    config.available_features.add("cuda-driver")
    config.substitutions.append(("%cuda_arch", cuda_arch))
if os.path.exists("/dev/kfd"):
    config.available_features.add("rocm-driver")
if shutil.which("ptxas", path=os.path.join(config.cuda_toolkit_dir, "bin")):
    config.available_features.add("cuda-toolkit")
