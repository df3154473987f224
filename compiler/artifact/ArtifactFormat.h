//===- ArtifactFormat.h - Layout of a .mllm file ----------------*- C++ -*-===//
//
// The fixed header of a `.mllm` file and the constants both the writer and
// the runtime agree on. docs/artifact.md describes the layout.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_COMPILER_ARTIFACT_ARTIFACTFORMAT_H
#define MLLMC_COMPILER_ARTIFACT_ARTIFACTFORMAT_H

#include <array>
#include <cstdint>

namespace mllmc::artifact {

/// First bytes of every artifact. Like PNG's: a non-ASCII byte, the name, and
/// CR LF / SUB bytes that text-mode transfers would mangle.
inline constexpr std::array<uint8_t, 8> kMagic = {0x89, 'M',  'L',  'L',
                                                  'M',  '\r', '\n', 0x1a};

/// Version of the fixed header below; a runtime refuses any other.
inline constexpr uint32_t kHeaderVersion = 1;
inline constexpr uint64_t kHeaderSize = 64;

/// Version of Artifact.fbs, stored as (major << 16) | minor. A runtime runs
/// artifacts of its own major version and any minor version (it refuses
/// element types it does not know). 1.1 added the u16, u32 and u64 element
/// types; 1.2 run-time sizes (symbols, size programs, dynamic arena slots,
/// kernel constants), which a 1.1 runtime refuses by the slots' unknown
/// location.
inline constexpr uint32_t kSchemaVersionMajor = 1;
inline constexpr uint32_t kSchemaVersionMinor = 2;
inline constexpr uint32_t kSchemaVersion =
    (kSchemaVersionMajor << 16) | kSchemaVersionMinor;

/// The weights section starts at a multiple of this (a page), so the CPU
/// runtime can map it without copying.
inline constexpr uint64_t kWeightsSectionAlignment = 4096;
/// Every weight starts at a multiple of this inside the weights section.
inline constexpr uint64_t kWeightAlignment = 64;
/// The kernel binary's bytes start at a multiple of this in the file.
inline constexpr uint64_t kKernelBinaryAlignment = 64;

/// The fixed header, decoded. On disk every field is little-endian, at the
/// byte offset given in its comment.
struct FileHeader {
  // 0: kMagic (8 bytes)
  uint32_t headerVersion = kHeaderVersion; // 8
  uint32_t headerSize = kHeaderSize;       // 12
  uint64_t flatbufferOffset = 0;           // 16
  uint64_t flatbufferSize = 0;             // 24
  uint64_t weightsOffset = 0;              // 32
  uint64_t weightsSize = 0;                // 40
  uint64_t fileSize = 0;                   // 48
  uint32_t crc32 = 0;                      // 56: zlib CRC-32 of [64, fileSize)
  // 60: 4 reserved bytes, zero
};

namespace detail {
inline void storeLE(uint8_t *out, uint64_t value, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i)
    out[i] = static_cast<uint8_t>(value >> (8 * i));
}
inline uint64_t loadLE(const uint8_t *in, unsigned bytes) {
  uint64_t value = 0;
  for (unsigned i = 0; i < bytes; ++i)
    value |= static_cast<uint64_t>(in[i]) << (8 * i);
  return value;
}
} // namespace detail

/// Encodes `header` (with the magic) into its on-disk bytes.
inline std::array<uint8_t, kHeaderSize> encodeHeader(const FileHeader &header) {
  std::array<uint8_t, kHeaderSize> bytes{};
  for (unsigned i = 0; i < kMagic.size(); ++i)
    bytes[i] = kMagic[i];
  detail::storeLE(&bytes[8], header.headerVersion, 4);
  detail::storeLE(&bytes[12], header.headerSize, 4);
  detail::storeLE(&bytes[16], header.flatbufferOffset, 8);
  detail::storeLE(&bytes[24], header.flatbufferSize, 8);
  detail::storeLE(&bytes[32], header.weightsOffset, 8);
  detail::storeLE(&bytes[40], header.weightsSize, 8);
  detail::storeLE(&bytes[48], header.fileSize, 8);
  detail::storeLE(&bytes[56], header.crc32, 4);
  return bytes;
}

/// Whether `bytes` (at least kMagic.size() long) starts with the magic.
inline bool hasMagic(const uint8_t *bytes) {
  for (unsigned i = 0; i < kMagic.size(); ++i)
    if (bytes[i] != kMagic[i])
      return false;
  return true;
}

/// Decodes the fields after the magic from `bytes` (kHeaderSize long).
inline FileHeader decodeHeader(const uint8_t *bytes) {
  FileHeader header;
  header.headerVersion = detail::loadLE(&bytes[8], 4);
  header.headerSize = detail::loadLE(&bytes[12], 4);
  header.flatbufferOffset = detail::loadLE(&bytes[16], 8);
  header.flatbufferSize = detail::loadLE(&bytes[24], 8);
  header.weightsOffset = detail::loadLE(&bytes[32], 8);
  header.weightsSize = detail::loadLE(&bytes[40], 8);
  header.fileSize = detail::loadLE(&bytes[48], 8);
  header.crc32 = detail::loadLE(&bytes[56], 4);
  return header;
}

inline constexpr uint64_t alignTo(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

} // namespace mllmc::artifact

#endif // MLLMC_COMPILER_ARTIFACT_ARTIFACTFORMAT_H
