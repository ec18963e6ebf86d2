//===- PipelineCommon.h - pieces shared by the attn pipelines ----*- C++
//-*-===//
//
// Internal to lib/Pipelines: the bufferization steps the CPU and the NVPTX
// pipelines run alike, and the CPU pipeline's copy lowering.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_PIPELINECOMMON_H
#define ATTN_LIB_PIPELINES_PIPELINECOMMON_H

#include <memory>

namespace mlir {
class OpPassManager;
class Pass;
namespace attn {

/// Elementwise tensor ops to linalg, then one-shot bufferization across
/// function boundaries (identity layouts, loops may yield new buffers); a
/// tensor returned twice, or an argument returned, is copied first. With
/// `resultsToOutParams`, returned buffers become caller-allocated output
/// arguments (allocations of them hoisted away), public functions
/// included.
void addBufferizationPasses(OpPassManager &pm, bool resultsToOutParams);

/// memref.copy of non-contiguous views as linalg.copy (then loops), not a
/// call to libmlir_c_runner_utils' memrefCopy.
std::unique_ptr<Pass> createStridedCopiesToLinalgPass();

/// Sets the module's llvm.target_triple to the host's when it has none.
std::unique_ptr<Pass> createSetHostTripleIfAbsentPass();

} // namespace attn
} // namespace mlir

#endif // ATTN_LIB_PIPELINES_PIPELINECOMMON_H
