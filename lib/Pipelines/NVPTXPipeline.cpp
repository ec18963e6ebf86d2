//===- NVPTXPipeline.cpp - attn-lower-to-nvvm ----------------------------===//
//
// The NVIDIA GPU pipeline: a check of the target (chip, PTX features,
// format, kernel) -> attn.multi_head decomposed -> a GPU schedule per
// attn.sdpa (attn-derive-gpu-schedule) -> a gpu.launch per attn.sdpa
// (convert-attn-to-gpu) -> buffers, results as caller-allocated (device)
// outputs -> the rest of each function on the GPU (attn-host-to-gpu) -> a
// check that no host code touches device data -> upstream
// gpu-lower-to-nvvm-pipeline: kernels in NVVM, serialized to cubin / PTX /
// fatbin in a gpu.binary, host code in the LLVM dialect calling the mgpu*
// runtime (libattn_cuda_runtime).
//
//===----------------------------------------------------------------------===//

#include "PipelineCommon.h"

#include "attn/Conversion/AttnToGPU/AttnToGPU.h"
#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Pipelines/Pipelines.h"

#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;

namespace {

/// A chip the pipeline compiles for and the oldest PTX version (times 10)
/// that can target it.
struct ChipInfo {
  StringRef name;
  int minPtx;
};

/// The chips LLVM 22's NVPTX backend and ptxas 13 both accept.
constexpr ChipInfo kChips[] = {
    {"sm_75", 63},   {"sm_80", 70},   {"sm_86", 71},   {"sm_87", 74},
    {"sm_88", 90},   {"sm_89", 78},   {"sm_90", 78},   {"sm_90a", 80},
    {"sm_100", 86},  {"sm_100a", 86}, {"sm_100f", 88}, {"sm_103", 88},
    {"sm_103a", 88}, {"sm_103f", 88}, {"sm_110", 90},  {"sm_110a", 90},
    {"sm_110f", 90}, {"sm_120", 87},  {"sm_120a", 87}, {"sm_120f", 88},
    {"sm_121", 88},  {"sm_121a", 88}, {"sm_121f", 88}};

/// PTX versions (times 10) LLVM 22 can emit.
constexpr int kPtxVersions[] = {63, 64, 65, 70, 71, 72, 73, 74, 75, 76, 77,
                                78, 80, 81, 82, 83, 84, 85, 86, 87, 88, 90};

const ChipInfo *lookupChip(StringRef chip) {
  for (const ChipInfo &info : kChips)
    if (info.name == chip)
      return &info;
  return nullptr;
}

/// PTX version the wgmma kernel needs: 8.3 for fence.proxy.tensormap (the
/// kernel acquires the host-written tensor maps before TMA reads them).
constexpr int kWgmmaMinPtx = 83;
/// The most blocks any supported chip keeps resident on one SM.
constexpr int64_t kMaxBlocksPerSM = 32;

/// The PTX features the pipeline uses: the requested ones, or (when none
/// are given) the chip's oldest PTX version, at least 8.0 (8.3 for the
/// wgmma kernel).
std::string resolveFeatures(const attn::AttnNVPTXPipelineOptions &options) {
  if (!options.features.empty())
    return options.features;
  int version = 80;
  if (const ChipInfo *info = lookupChip(options.chip))
    version = std::max(version, info->minPtx);
  if (options.kernel == "wgmma")
    version = std::max(version, kWgmmaMinPtx);
  return "+ptx" + std::to_string(version);
}

/// Rejects a chip, feature string or kernel choice the pipeline cannot
/// honour before LLVM sees it (the NVPTX backend aborts the process on a
/// PTX version too old for the chip).
struct CheckNVPTXTargetPass
    : public PassWrapper<CheckNVPTXTargetPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CheckNVPTXTargetPass)

  CheckNVPTXTargetPass(std::string chip, std::string features,
                       std::string kernel, std::string format, int64_t optLevel,
                       int64_t minBlocksPerSM, std::string cudaPath,
                       bool chipGiven)
      : chip(std::move(chip)), chipGiven(chipGiven),
        features(std::move(features)), kernel(std::move(kernel)),
        format(std::move(format)), optLevel(optLevel),
        minBlocksPerSM(minBlocksPerSM), cudaPath(std::move(cudaPath)) {}
  StringRef getArgument() const override { return "attn-check-nvptx-target"; }

  void runOnOperation() override {
    Operation *root = getOperation();
    // Kernels are outlined into the top-level module (gpu.container_module):
    // attention inside a nested module has nowhere to go.
    WalkResult nested = root->walk([&](ModuleOp inner) {
      if (inner.getOperation() == root)
        return WalkResult::advance();
      WalkResult hasAttention = inner->walk([](Operation *op) {
        return isa<attn::SDPAOp, attn::MultiHeadOp>(op)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      });
      if (!hasAttention.wasInterrupted())
        return WalkResult::skip();
      InFlightDiagnostic diag = emitError(inner.getLoc())
                                << "attn-lower-to-nvvm: attention inside a "
                                   "nested module";
      if (inner.getSymName())
        diag << " ('@" << *inner.getSymName() << "')";
      diag << " is not supported; put its functions in the top-level module";
      return WalkResult::interrupt();
    });
    if (nested.wasInterrupted())
      return signalPassFailure();
    // attn-tile-flash's output (the CPU schedule, register tiles marked for
    // attn-vectorize-cpu) is no input for the GPU path, which tiles attn
    // ops itself: say so, before attn-host-to-gpu meets its loops.
    Operation *cpuTile = nullptr;
    root->walk([&](Operation *op) {
      if (op->hasAttr(attn::kRegisterTileAttrName) &&
          op->getParentOfType<scf::ForallOp>()) {
        cpuTile = op;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (cpuTile) {
      cpuTile->emitError()
          << "attn-lower-to-nvvm: this register tile inside an scf.forall is "
             "attn-tile-flash's CPU form; give the pipeline the attn ops on "
             "tensors, which it lowers to GPU kernels itself";
      return signalPassFailure();
    }
    const ChipInfo *info = lookupChip(chip);
    if (!info) {
      InFlightDiagnostic diag = emitError(root->getLoc())
                                << "attn-lower-to-nvvm: unsupported chip '"
                                << chip << "'; supported:";
      for (const ChipInfo &known : kChips)
        diag << " " << known.name;
      return signalPassFailure();
    }
    // The pipeline's chip fixes the PTX target and every kernel; a module
    // describing another GPU would get kernels derived for one chip and
    // checked against the other's, or PTX its GPU cannot load.
    if (auto target =
            root->getAttrOfType<attn::GPUTargetAttr>("attn.gpu_target");
        target && target.getSm() != attn::parseGPUChip(chip)) {
      std::string wanted = "sm_" + std::to_string(target.getSm());
      if (target.getSm() == 90)
        wanted += "a";
      if (!lookupChip(wanted)) {
        InFlightDiagnostic diag =
            emitError(root->getLoc())
            << "attn-lower-to-nvvm: the module's attn.gpu_target describes sm_"
            << target.getSm() << ", which is no chip it supports; supported:";
        for (const ChipInfo &known : kChips)
          diag << " " << known.name;
        return signalPassFailure();
      }
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: the module's attn.gpu_target describes sm_"
          << target.getSm() << ", but the pipeline compiles for chip=" << chip
          << (chipGiven ? "" : " (its default)") << "; give chip=" << wanted;
      return signalPassFailure();
    }
    SmallVector<StringRef> parts;
    StringRef(features).split(parts, ',', -1, /*KeepEmpty=*/false);
    int ptx = 0;
    for (StringRef part : parts) {
      int version = 0;
      part = part.trim();
      if (!part.consume_front("+ptx") || part.getAsInteger(10, version) ||
          !llvm::is_contained(kPtxVersions, version)) {
        InFlightDiagnostic diag =
            emitError(root->getLoc())
            << "attn-lower-to-nvvm: unsupported PTX feature "
               "in '"
            << features << "'; give +ptxNN, NN one of";
        for (int known : kPtxVersions)
          diag << " " << known;
        return signalPassFailure();
      }
      ptx = std::max(ptx, version);
    }
    if (ptx < info->minPtx) {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: features '" << features << "' select PTX "
          << ptx / 10 << "." << ptx % 10 << ", too old for " << chip
          << ": it needs +ptx" << info->minPtx << " or later";
      return signalPassFailure();
    }
    if (format != "bin" && format != "isa" && format != "fatbin") {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: format must be bin (cubin), "
             "isa (PTX) or fatbin, got '"
          << format << "'";
      return signalPassFailure();
    }
    if (optLevel < 0 || optLevel > 3) {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: opt-level must be 0 to 3, got " << optLevel;
      return signalPassFailure();
    }
    if (minBlocksPerSM < 0 || minBlocksPerSM > kMaxBlocksPerSM) {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: min-blocks-per-sm must be 0 (no hint) to "
          << kMaxBlocksPerSM << ", got " << minBlocksPerSM;
      return signalPassFailure();
    }
    if (!attn::isGPUKernelName(kernel)) {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: kernel must be " << attn::kGPUKernelNames
          << ", got '" << kernel << "'";
      return signalPassFailure();
    }
    // (kv-splits and warp-rows against simt: attn-derive-gpu-schedule.)
    std::string conflict = attn::gpuKernelOptionsConflict(
        kernel, chip, /*kvSplits=*/0, /*warpRows=*/16);
    if (!conflict.empty()) {
      emitError(root->getLoc()) << "attn-lower-to-nvvm: " << conflict;
      return signalPassFailure();
    }
    if (kernel == "wgmma" && ptx < kWgmmaMinPtx) {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: kernel=wgmma needs +ptx" << kWgmmaMinPtx
          << " or later (fence.proxy.tensormap), got features '" << features
          << "'";
      return signalPassFailure();
    }
    // A hand-written gpu_schedule may name the wgmma kernel whatever the
    // kernel option says: the chip and PTX version must allow it too (LLVM
    // aborts on a wgmma or tensormap fence it cannot select).
    WalkResult wgmmaWalk =
        root->walk([&](attn::SDPAOp op) {
          attn::GPUScheduleAttr given = op.getGpuScheduleAttr();
          if (!given || given.getKernel() != "wgmma" ||
              (chip == "sm_90a" && ptx >= kWgmmaMinPtx))
            return WalkResult::advance();
          InFlightDiagnostic diag =
              op.emitOpError()
              << "has gpu_schedule " << given
              << ", whose wgmma kernel needs chip=sm_90a and +ptx"
              << kWgmmaMinPtx
              << " or later (wgmma.mma_async, fence.proxy.tensormap); got chip "
              << chip << " and features '" << features << "' (give ";
          if (chip != "sm_90a")
            diag << "chip=sm_90a";
          else
            diag << "kernel=wgmma, which implies the PTX version, or "
                    "features=+ptx"
                 << kWgmmaMinPtx;
          diag << ")";
          return WalkResult::interrupt();
        });
    if (wgmmaWalk.wasInterrupted())
      return signalPassFailure();
    if (failed(checkCudaToolkit(root)))
      return signalPassFailure();
    if (kernel == "mma" && attn::parseGPUChip(chip) < 80) {
      emitError(root->getLoc())
          << "attn-lower-to-nvvm: kernel=mma needs sm_80 or "
             "later (mma.sync with bf16), got "
          << chip;
      return signalPassFailure();
    }
  }

  /// The CUDA toolkit upstream's serialization will use (selectCudaToolkit
  /// chose it): libdevice must be there, or the kernels' calls into it
  /// (fmaf, log2f) stay unresolved and ptxas refuses the PTX. A toolkit
  /// named by cuda-path or the environment without it is an error; none
  /// at all only a warning for PTX (format=isa), so that IR and PTX can
  /// still be inspected on a machine without CUDA.
  LogicalResult checkCudaToolkit(Operation *root) {
    const char *source = nullptr, *path = nullptr;
    for (const char *name : {"CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"})
      if ((path = getenv(name)) && *path) {
        source = name;
        break;
      }
    if (!source)
      path = nullptr;
    if (!path) {
      if (format == "isa") {
        emitWarning(root->getLoc())
            << "attn-lower-to-nvvm: no CUDA toolkit found (cuda-path, "
               "$CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, /usr/local/cuda): the "
               "kernels' libdevice calls stay unresolved in the PTX; give "
               "cuda-path=<toolkit>";
        return success();
      }
      return emitError(root->getLoc())
             << "attn-lower-to-nvvm: no CUDA toolkit found (cuda-path, "
                "$CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, /usr/local/cuda), and "
                "format="
             << format << " needs its libdevice and ptxas; give "
             << "cuda-path=<toolkit>";
    }
    llvm::SmallString<128> libdevice(path);
    llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
    if (llvm::sys::fs::exists(libdevice))
      return success();
    InFlightDiagnostic diag = emitError(root->getLoc())
                              << "attn-lower-to-nvvm: the CUDA toolkit '"
                              << path << "' (";
    if (!cudaPath.empty())
      diag << "cuda-path";
    else
      diag << "$" << source;
    return diag << ") has no " << libdevice
                << ", which the kernels link; give cuda-path=<toolkit>";
  }

  std::string chip;
  bool chipGiven;
  std::string features, kernel, format;
  int64_t optLevel, minBlocksPerSM;
  std::string cudaPath;
};

/// After attn-host-to-gpu, the host code may only take views of buffers,
/// manage device memory and launch kernels: anything else left there (a
/// scalar load of a tensor element, vector code) would run on the CPU over
/// device memory. Names the first such op instead of letting the program
/// crash at run time.
struct CheckHostCodePass
    : public PassWrapper<CheckHostCodePass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CheckHostCodePass)
  StringRef getArgument() const override { return "attn-check-gpu-host-code"; }

  void runOnOperation() override {
    WalkResult result =
        getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
          if (isa<gpu::LaunchOp, gpu::GPUModuleOp>(op))
            return WalkResult::skip();
          StringRef dialect =
              op->getDialect() ? op->getDialect()->getNamespace() : StringRef();
          bool touchesData =
              dialect == "linalg" || dialect == "vector" ||
              dialect == "tensor" || dialect == "attn" ||
              isa<memref::LoadOp, memref::StoreOp, memref::CopyOp,
                  memref::AllocOp, memref::AllocaOp>(op);
          if (!touchesData)
            return WalkResult::advance();
          op->emitOpError()
              << "would run on the host over device memory: "
                 "attn-lower-to-nvvm runs tensor computation as GPU kernels, "
                 "but not host-side scalar access to tensors (e.g. a "
                 "tensor.extract result used on the host) or vector code";
          return WalkResult::interrupt();
        });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

/// Moves the constants a kernel body uses into its gpu.launch. The
/// canonicalizer hoists every constant to the function's entry block (a
/// gpu.launch is not isolated from above), and upstream's outlining sinks
/// only arith.constant, and only while no conversion cast stands between
/// (convert-nvgpu-to-nvvm, which runs first, adds such casts). Without this
/// the kernel receives its index constants, zero vectors and accumulator
/// placeholders as parameters: ptxas cannot fold them, and the wgmma kernel
/// at 255 registers spilled (bottom-right causal, head dim 64: 44 bytes).
struct SinkKernelConstantsPass
    : public PassWrapper<SinkKernelConstantsPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SinkKernelConstantsPass)
  StringRef getArgument() const override {
    return "attn-sink-kernel-constants";
  }

  void runOnOperation() override {
    getOperation()->walk([](gpu::LaunchOp launch) {
      (void)sinkOperationsIntoLaunchOp(launch, [](Operation *op) {
        return op->hasTrait<OpTrait::ConstantLike>();
      });
    });
  }
};

/// Gives each outlined kernel a minimum of blocks per SM (`.minnctapersm`
/// beside the `.maxntid` its block size gives), by default 1 as the launch
/// bounds of FlashAttention's kernels: registers up to 255 per thread.
/// Without a hint ptxas picks a register budget for an occupancy of its
/// own: the mma kernel at head dim 64 (causal, sm_90a) stopped at 128
/// registers and spilled 4 bytes where 146 spill none. 0 leaves ptxas its
/// choice.
/// A request no SM can meet (more threads or blocks than it holds) ptxas
/// ignores with a warning that format=bin does not show: it is said here
/// instead. One that leaves fewer registers per thread than a wgmma
/// kernel's accumulators (`attn.accumulator_registers`) would make ptxas
/// fail: that kernel gets no hint either, with a warning. Kernels without a known block size (from a gpu.module of the
/// input) get no hint: ptxas ignores .minnctapersm without .maxntid.
/// 32-bit registers of an SM (sm_75 to sm_120 alike).
constexpr int64_t kRegistersPerSM = 65536;

struct SetKernelLaunchBoundsPass
    : public PassWrapper<SetKernelLaunchBoundsPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SetKernelLaunchBoundsPass)
  SetKernelLaunchBoundsPass(int64_t minBlocksPerSM, std::string chip)
      : minBlocksPerSM(minBlocksPerSM), chip(std::move(chip)) {}
  StringRef getArgument() const override {
    return "attn-set-kernel-launch-bounds";
  }

  void runOnOperation() override {
    if (minBlocksPerSM == 0)
      return;
    const int64_t sm = attn::parseGPUChip(chip);
    const int64_t smThreads = attn::GPUTargetAttr::maxThreadsPerSM(sm);
    const int64_t smBlocks = attn::GPUTargetAttr::maxBlocksPerSM(sm);
    getOperation()->walk([&](gpu::GPUFuncOp func) {
      if (!func.isKernel() || func->hasAttr("nvvm.minctasm"))
        return;
      std::optional<ArrayRef<int32_t>> block = func.getKnownBlockSize();
      if (!block)
        return;
      const int64_t threads = int64_t((*block)[0]) * (*block)[1] * (*block)[2];
      if (threads * minBlocksPerSM > smThreads || minBlocksPerSM > smBlocks) {
        func.emitWarning() << "attn-lower-to-nvvm: min-blocks-per-sm="
                           << minBlocksPerSM << " with " << threads
                           << " threads per block exceeds what an " << chip
                           << " SM holds (" << smThreads << " threads, "
                           << smBlocks << " blocks); kernel @" << func.getName()
                           << " gets no .minnctapersm (ptxas would ignore it)";
        return;
      }
      // Registers per thread at that occupancy (a warp's allocation comes
      // in 256-register units, so a thread's in multiples of 8).
      const int64_t registers = std::min<int64_t>(
          255, kRegistersPerSM / (threads * minBlocksPerSM) / 8 * 8);
      int64_t accumulators = 0;
      func.walk([&](Operation *op) {
        if (auto attr =
                op->getAttrOfType<IntegerAttr>("attn.accumulator_registers"))
          accumulators = std::max(accumulators, attr.getInt());
      });
      if (registers < accumulators) {
        func.emitWarning() << "attn-lower-to-nvvm: min-blocks-per-sm="
                           << minBlocksPerSM << " leaves " << registers
                           << " registers per thread to the " << threads
                           << " threads of a block, but kernel @"
                           << func.getName() << "'s wgmma accumulators alone "
                           << "take " << accumulators
                           << "; it gets no .minnctapersm (ptxas would fail)";
        return;
      }
      Builder builder(func.getContext());
      func->setAttr("nvvm.minctasm", builder.getI32IntegerAttr(minBlocksPerSM));
    });
  }

  int64_t minBlocksPerSM;
  std::string chip;
};

} // namespace

/// Points MLIR's NVVM serialization at the CUDA toolkit: it links libdevice
/// (exp2, log2 of the kernels) and runs ptxas from the toolkit named by
/// CUDA_ROOT, else CUDA_HOME, else CUDA_PATH, and without one it would
/// leave those calls unresolved. upstream's pipeline builder takes no
/// toolkit path, so a requested one is set as CUDA_ROOT (which wins) for
/// this process; without a request and with none of the three set (or
/// empty), /usr/local/cuda when it has libdevice (as CUDA_HOME unless that
/// is set, empty, which then means no toolkit).
static void selectCudaToolkit(StringRef requested) {
  if (!requested.empty()) {
    setenv("CUDA_ROOT", requested.str().c_str(), /*overwrite=*/1);
    return;
  }
  for (const char *name : {"CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"})
    if (const char *value = getenv(name); value && *value)
      return;
  if (llvm::sys::fs::exists("/usr/local/cuda/nvvm/libdevice"))
    setenv("CUDA_HOME", "/usr/local/cuda", /*overwrite=*/0);
}

void mlir::attn::buildAttnNVPTXPipeline(
    OpPassManager &pm, const AttnNVPTXPipelineOptions &options) {
  selectCudaToolkit(options.cudaPath);
  std::string features = resolveFeatures(options);
  pm.addPass(std::make_unique<CheckNVPTXTargetPass>(
      options.chip, features, options.kernel, options.format, options.optLevel,
      options.minBlocksPerSM, options.cudaPath, options.chip.hasValue()));
  pm.addPass(createDecomposeMultiHeadPass());
  DeriveGPUSchedulePassOptions scheduleOptions;
  scheduleOptions.chip = options.chip;
  scheduleOptions.kernel = options.kernel;
  scheduleOptions.blockQ = options.blockQ;
  scheduleOptions.blockKV = options.blockKV;
  scheduleOptions.warpRows = options.warpRows;
  scheduleOptions.kvSplits = options.kvSplits;
  scheduleOptions.sharedKB = options.sharedKB;
  pm.addPass(createDeriveGPUSchedulePass(scheduleOptions));
  // The schedules were checked against the derive pass's target; the
  // conversion checks again against the same shared-memory budget.
  ConvertAttnToGPUPassOptions convertOptions;
  convertOptions.sharedKB = options.sharedKB;
  pm.addPass(createConvertAttnToGPUPass(convertOptions));
  pm.addPass(createCanonicalizerPass());

  addBufferizationPasses(pm, /*resultsToOutParams=*/true);
  // No deallocation pipeline: results are caller-allocated, and the
  // intermediate buffers attn-host-to-gpu places on the GPU it frees itself.
  pm.addPass(createCanonicalizerPass());
  HostToGPUPassOptions hostOptions;
  hostOptions.tensorCores = attn::parseGPUChip(options.chip) >= 80;
  pm.addPass(createHostToGPUPass(hostOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(std::make_unique<CheckHostCodePass>());
  pm.addPass(std::make_unique<SinkKernelConstantsPass>());
  pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());
  // Outlined here, in upstream's order, so that the kernels can take
  // their launch bounds; upstream's pipeline then finds nothing left to
  // convert or outline.
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(std::make_unique<SetKernelLaunchBoundsPass>(options.minBlocksPerSM,
                                                         options.chip));

  gpu::GPUToNVVMPipelineOptions nvvmOptions;
  nvvmOptions.cubinChip = options.chip;
  nvvmOptions.cubinFeatures = features;
  nvvmOptions.cubinFormat = options.format;
  nvvmOptions.optLevel = options.optLevel;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvmOptions);
  pm.addPass(createStripAnnotationsPass());
  pm.addPass(createSetHostTripleIfAbsentPass());
}
