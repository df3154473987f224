# Install rules and the exported CMake package `Mllmc`.
#
#   cmake --install build --prefix DIR
#
# gives DIR/bin (mllmc, mllmc-opt, mllmc-run, mllmc-dump), DIR/lib (the
# libraries and lib/cmake/Mllmc) and DIR/include (headers by their path from
# the repository root, generated .h.inc files next to their sources, and
# mllm/runtime.h). A consumer writes `find_package(Mllmc REQUIRED)` with
# CMAKE_PREFIX_PATH=DIR and links:
#
#   Mllmc::PassPlugin    headers only: for pass plugins (MODULE libraries) that
#                        mllmc or mllmc-opt load, which provide every symbol
#   Mllmc::MLLMDialect   the `mllm` dialect (static)
#   Mllmc::MLLMCPasses   every mllmc pass (static)
#   Mllmc::MLLMRuntime   the runtime (libmllm_runtime.so) and mllm/runtime.h
#
# libMLIR.so and libLLVM.so stay shared: the libraries link MLIR's `MLIR` and
# `LLVM` targets, which MllmcConfig.cmake finds with find_dependency(MLIR).

include(CMakePackageConfigHelpers)

set(MLLMC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Mllmc)

add_library(MLLMCPassPlugin INTERFACE)
set_target_properties(MLLMCPassPlugin PROPERTIES EXPORT_NAME PassPlugin)

set(MLLMC_EXPORTED_LIBRARIES
  MLLMDialect MLLMCPasses MLLMRuntime MLLMCArtifactSchema MLLMCPassPlugin)

# In the build tree, headers come from the source and build folders (the
# directory include path) and the MLIR/LLVM include folders of this machine;
# installed, from DIR/include and from wherever find_dependency(MLIR) finds
# MLIR. Wrap what the libraries declare so that only the first applies here.
foreach(library ${MLLMC_EXPORTED_LIBRARIES})
  get_target_property(directories ${library} INTERFACE_INCLUDE_DIRECTORIES)
  set(usage "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  if(directories)
    foreach(directory ${directories})
      list(APPEND usage "$<BUILD_INTERFACE:${directory}>")
    endforeach()
  endif()
  set_target_properties(${library} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${usage}")
endforeach()

install(TARGETS ${MLLMC_EXPORTED_LIBRARIES} EXPORT MllmcTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS mllmc mllmc-opt mllmc-run mllmc-dump EXPORT MllmcTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Headers keep their path from the repository root, generated ones included,
# so that `#include "dialects/mllm/IR/MllmOps.h"` works against DIR/include.
# The .td files let plugins write TableGen (DRR patterns) against the dialect.
foreach(folder dialects passes)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${folder}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
  install(DIRECTORY ${PROJECT_BINARY_DIR}/${folder}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h.inc" PATTERN "CMakeFiles" EXCLUDE)
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT MllmcTargets NAMESPACE Mllmc::
  DESTINATION ${MLLMC_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/MllmcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lib/cmake/Mllmc/MllmcConfig.cmake
  INSTALL_DESTINATION ${MLLMC_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
install(FILES ${PROJECT_BINARY_DIR}/lib/cmake/Mllmc/MllmcConfig.cmake
  DESTINATION ${MLLMC_INSTALL_CMAKEDIR})
