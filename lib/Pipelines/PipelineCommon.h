//===- PipelineCommon.h - pieces shared by the attn pipelines ----*- C++ -*-===//
//
// Internal to lib/Pipelines: the bufferization steps the CPU and the NVPTX
// pipelines run alike.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_PIPELINECOMMON_H
#define ATTN_LIB_PIPELINES_PIPELINECOMMON_H

namespace mlir {
class OpPassManager;
namespace attn {

/// One-shot bufferization across function boundaries (identity layouts);
/// with `resultsToOutParams`, returned buffers become caller-allocated
/// output arguments (allocations of them hoisted away), public functions
/// included.
void addBufferizationPasses(OpPassManager &pm, bool resultsToOutParams);

} // namespace attn
} // namespace mlir

#endif // ATTN_LIB_PIPELINES_PIPELINECOMMON_H
