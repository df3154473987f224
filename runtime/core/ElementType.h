//===- ElementType.h - Element types of tensors ------------------*- C++
//-*-===//

#ifndef MLLM_RUNTIME_CORE_ELEMENTTYPE_H
#define MLLM_RUNTIME_CORE_ELEMENTTYPE_H

#include "compiler/artifact/Artifact_generated.h"

#include <cstdint>

namespace mllm::runtime {

using ElementType = mllmc::artifact::fb::ElementType;

/// Whether `type` is one this runtime knows (a newer artifact may hold others).
inline bool isKnownElementType(ElementType type) {
  return type >= ElementType::MIN && type <= ElementType::MAX;
}

/// Bytes per element; i1 is stored as one byte per element.
inline uint64_t elementByteSize(ElementType type) {
  switch (type) {
  case ElementType::f64:
  case ElementType::i64:
  case ElementType::u64:
    return 8;
  case ElementType::f32:
  case ElementType::i32:
  case ElementType::u32:
    return 4;
  case ElementType::f16:
  case ElementType::bf16:
  case ElementType::i16:
  case ElementType::u16:
    return 2;
  case ElementType::i8:
  case ElementType::u8:
  case ElementType::i1:
    return 1;
  }
  return 0;
}

/// "f32", "bf16", ...
inline const char *elementTypeName(ElementType type) {
  return isKnownElementType(type)
             ? mllmc::artifact::fb::EnumNameElementType(type)
             : "unknown";
}

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_ELEMENTTYPE_H
