//===- AttnToGPU.h - names shared by the GPU passes and pipeline -*- C++
//-*-===//
//
// What attn-derive-gpu-schedule, convert-attn-to-gpu and attn-lower-to-nvvm
// agree on: the kernel names their `kernel` option takes and how a chip
// name maps to a compute capability.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTOGPU_ATTNTOGPU_H
#define ATTN_CONVERSION_ATTNTOGPU_ATTNTOGPU_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::attn {

/// The values of the GPU passes' `kernel` option, for diagnostics.
inline constexpr const char *kGPUKernelNames = "simt, mma, wgmma or auto";

/// Whether `kernel` is one of kGPUKernelNames.
inline bool isGPUKernelName(llvm::StringRef kernel) {
  return kernel == "simt" || kernel == "mma" || kernel == "wgmma" ||
         kernel == "auto";
}

/// Compute capability x 10 of a chip name (sm_90a -> 90, sm_100f -> 100);
/// 0 if it is not `sm_<digits>` with an optional `a` or `f` suffix.
int64_t parseGPUChip(llvm::StringRef chip);

/// Why `kernel` cannot go with the other options of a GPU pass (empty if
/// it can): wgmma needs chip sm_90a (checked when `chip` is not empty), and
/// the SIMT kernel takes neither kv-splits (> 1) nor warp-rows (other than
/// 16). The passes prefix their own name.
std::string gpuKernelOptionsConflict(llvm::StringRef kernel,
                                     llvm::StringRef chip, int64_t kvSplits,
                                     int64_t warpRows);

} // namespace mlir::attn

#endif // ATTN_CONVERSION_ATTNTOGPU_ATTNTOGPU_H
