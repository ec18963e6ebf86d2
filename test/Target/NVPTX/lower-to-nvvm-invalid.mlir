// Bad targets are rejected with a diagnostic before LLVM sees them (its
// NVPTX backend would abort the process on a PTX version too old for the
// chip); gpu-binary-to-ptx says what it needs.
//
// RUN: not attn-opt %s --attn-lower-to-nvvm="chip=sm_1000" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not attn-opt %s --attn-lower-to-nvvm="chip=sm_100a features=+ptx80" 2>&1 | FileCheck %s --check-prefix=OLD-PTX
// RUN: not attn-opt %s --attn-lower-to-nvvm="features=+ptx99" 2>&1 | FileCheck %s --check-prefix=FEATURE
// RUN: not attn-opt %s --attn-lower-to-nvvm="features=sm_90a" 2>&1 | FileCheck %s --check-prefix=FEATURE
// RUN: not attn-opt %s --attn-lower-to-nvvm="chip=sm_75 kernel=mma" 2>&1 | FileCheck %s --check-prefix=MMA-CHIP
// RUN: not attn-opt %s --attn-lower-to-nvvm="kernel=tcgen05" 2>&1 | FileCheck %s --check-prefix=KERNEL
// RUN: not attn-opt %s --attn-lower-to-nvvm="chip=sm_90 kernel=wgmma" 2>&1 | FileCheck %s --check-prefix=WGMMA-CHIP
// RUN: not attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=wgmma features=+ptx80" 2>&1 | FileCheck %s --check-prefix=WGMMA-PTX
// RUN: not attn-opt %s --attn-lower-to-nvvm="format=elf" 2>&1 | FileCheck %s --check-prefix=FORMAT
// A CUDA toolkit without libdevice (which the kernels link) is an error up
// front; none at all only a warning for PTX, an error for cubin:
// RUN: not attn-opt %s --attn-lower-to-nvvm="format=isa cuda-path=%t.nonexistent" 2>&1 | FileCheck %s --check-prefix=CUDA-PATH
// RUN: env CUDA_ROOT= CUDA_HOME=%t.nonexistent not attn-opt %s --attn-lower-to-nvvm="format=isa" 2>&1 | FileCheck %s --check-prefix=CUDA-HOME
// RUN: env CUDA_ROOT= CUDA_HOME= CUDA_PATH= attn-opt %s --attn-lower-to-nvvm="format=isa" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NO-CUDA
// RUN: env CUDA_ROOT= CUDA_HOME= CUDA_PATH= not attn-opt %s --attn-lower-to-nvvm="format=bin" 2>&1 | FileCheck %s --check-prefix=NO-CUDA-BIN
// CUDA-PATH: error: attn-lower-to-nvvm: the CUDA toolkit '{{.*}}.nonexistent' (cuda-path) has no {{.*}}.nonexistent/nvvm/libdevice/libdevice.10.bc, which the kernels link; give cuda-path=<toolkit>
// CUDA-HOME: error: attn-lower-to-nvvm: the CUDA toolkit '{{.*}}.nonexistent' ($CUDA_HOME) has no
// NO-CUDA: warning: attn-lower-to-nvvm: no CUDA toolkit found (cuda-path, $CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, /usr/local/cuda): the kernels' libdevice calls stay unresolved in the PTX; give cuda-path=<toolkit>
// NO-CUDA-BIN: error: attn-lower-to-nvvm: no CUDA toolkit found (cuda-path, $CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, /usr/local/cuda), and format=bin needs its libdevice and ptxas; give cuda-path=<toolkit>
// A module's attn.gpu_target must describe the pipeline's chip (kernels
// were derived for the default sm_90a, then checked against sm_75):
// RUN: echo 'module attributes {attn.gpu_target = #attn.gpu_target<sm = 75, shared_kb = 64, sms = 40>} { func.func @f(%%q: tensor<1x1x64x64xf16>) -> tensor<1x1x64x64xf16> { %%o = attn.sdpa %%q, %%q, %%q : tensor<1x1x64x64xf16>, tensor<1x1x64x64xf16>, tensor<1x1x64x64xf16> -> tensor<1x1x64x64xf16>  return %%o : tensor<1x1x64x64xf16> } }' > %t.sm75.mlir
// RUN: not attn-opt %t.sm75.mlir --attn-lower-to-nvvm="format=isa" 2>&1 | FileCheck %s --check-prefix=TARGET-DEFAULT
// RUN: not attn-opt %t.sm75.mlir --attn-lower-to-nvvm="chip=sm_80 format=isa" 2>&1 | FileCheck %s --check-prefix=TARGET-GIVEN
// RUN: attn-opt %t.sm75.mlir --attn-lower-to-nvvm="chip=sm_75 format=isa" | FileCheck %s --check-prefix=TARGET-OK
// TARGET-DEFAULT: error: attn-lower-to-nvvm: the module's attn.gpu_target describes sm_75, but the pipeline compiles for chip=sm_90a (its default); give chip=sm_75
// TARGET-GIVEN: error: attn-lower-to-nvvm: the module's attn.gpu_target describes sm_75, but the pipeline compiles for chip=sm_80; give chip=sm_75
// TARGET-OK: gpu.binary
// An sm no chip has (the attribute takes 75 to 200) is said so, rather than
// advising a chip the pipeline then refuses:
// RUN: echo 'module attributes {attn.gpu_target = #attn.gpu_target<sm = 91, shared_kb = 64, sms = 40>} {}' > %t.sm91.mlir
// RUN: not attn-opt %t.sm91.mlir --attn-lower-to-nvvm="format=isa" 2>&1 | FileCheck %s --check-prefix=TARGET-UNKNOWN
// TARGET-UNKNOWN: error: attn-lower-to-nvvm: the module's attn.gpu_target describes sm_91, which is no chip it supports; supported: sm_75 sm_80
// A hand-written gpu_schedule naming the wgmma kernel needs sm_90a and PTX
// 8.3 like kernel=wgmma (LLVM aborted on the tensormap fence):
// RUN: echo 'func.func @f(%%q: tensor<1x1x64x64xf16>) -> tensor<1x1x64x64xf16> { %%o = attn.sdpa %%q, %%q, %%q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64>} : tensor<1x1x64x64xf16>, tensor<1x1x64x64xf16>, tensor<1x1x64x64xf16> -> tensor<1x1x64x64xf16>  return %%o : tensor<1x1x64x64xf16> }' > %t.given-wgmma.mlir
// RUN: not attn-opt %t.given-wgmma.mlir --attn-lower-to-nvvm="chip=sm_90a format=isa" 2>&1 | FileCheck %s --check-prefix=GIVEN-WGMMA-PTX
// RUN: not attn-opt %t.given-wgmma.mlir --attn-lower-to-nvvm="chip=sm_90 format=isa" 2>&1 | FileCheck %s --check-prefix=GIVEN-WGMMA-CHIP
// RUN: attn-opt %t.given-wgmma.mlir --attn-lower-to-nvvm="chip=sm_90a features=+ptx83 format=isa" | FileCheck %s --check-prefix=GIVEN-WGMMA
// GIVEN-WGMMA-PTX: error: 'attn.sdpa' op has gpu_schedule #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64>, whose wgmma kernel needs chip=sm_90a and +ptx83 or later (wgmma.mma_async, fence.proxy.tensormap); got chip sm_90a and features '+ptx80' (give kernel=wgmma, which implies the PTX version, or features=+ptx83)
// GIVEN-WGMMA-CHIP: got chip sm_90 and features '+ptx80' (give chip=sm_90a)
// GIVEN-WGMMA: wgmma.mma_async
// RUN: not attn-opt %s --attn-lower-to-nvvm="opt-level=9" 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not attn-opt %s --attn-lower-to-nvvm="min-blocks-per-sm=33" 2>&1 | FileCheck %s --check-prefix=BLOCKS
// RUN: not attn-opt %s --attn-lower-to-nvvm="min-blocks-per-sm=-1" 2>&1 | FileCheck %s --check-prefix=BLOCKS-NEG
// RUN: echo 'module { module @inner { func.func @f(%%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> { %%o = attn.sdpa %%q, %%q, %%q : tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32> -> tensor<1x1x4x16xf32>  return %%o : tensor<1x1x4x16xf32> } } }' | not attn-opt --attn-lower-to-nvvm 2>&1 | FileCheck %s --check-prefix=NESTED
// NESTED: error: attn-lower-to-nvvm: attention inside a nested module ('@inner') is not supported; put its functions in the top-level module
// The CPU's tiled form is no input (it used to end in attn-host-to-gpu's
// "buffer inside control flow" errors about loops the user never wrote):
// RUN: attn-opt %s -attn-derive-schedule -attn-tile-flash | not attn-opt --attn-lower-to-nvvm 2>&1 | FileCheck %s --check-prefix=CPU-TILED
// CPU-TILED: error: attn-lower-to-nvvm: this register tile inside an scf.forall is attn-tile-flash's CPU form; give the pipeline the attn ops on tensors, which it lowers to GPU kernels itself
// A register tile on a user's own linalg op on tensors is no such form:
// RUN: echo 'func.func @mm(%%a: tensor<16x16xbf16>, %%b: tensor<16x16xbf16>, %%c: tensor<16x16xf32>) -> tensor<16x16xf32> { %%r = linalg.matmul {attn.register_tile = array<i64: 8, 2, 1>} ins(%%a, %%b : tensor<16x16xbf16>, tensor<16x16xbf16>) outs(%%c : tensor<16x16xf32>) -> tensor<16x16xf32>  return %%r : tensor<16x16xf32> }' | attn-opt --attn-lower-to-nvvm="chip=sm_80 format=isa" -o /dev/null
// CPU-TILED-NOT: inside control flow
// RUN: not attn-translate --gpu-binary-to-ptx %s 2>&1 | FileCheck %s --check-prefix=NO-BINARY
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a format=bin" -o %t.mlir
// RUN: not attn-translate --gpu-binary-to-ptx %t.mlir 2>&1 | FileCheck %s --check-prefix=NO-PTX
// RUN: not attn-translate --gpu-binary-to-ptx --ptx-binary=attention_kernel_7 %t.mlir 2>&1 | FileCheck %s --check-prefix=NO-NAME
// RUN: not attn-translate --gpu-binary-to-ptx --ptx-binary=attention_kernel %t.mlir 2>&1 | FileCheck %s --check-prefix=NAMED-NO-PTX
// RUN: not attn-translate --gpu-binary-to-ptx --ptx-binary= %t.mlir 2>&1 | FileCheck %s --check-prefix=EMPTY-NAME
// EMPTY-NAME: error: gpu-binary-to-ptx: --ptx-binary needs the name of a gpu.binary
//
// The default features follow the chip (sm_100a needs PTX 8.6), and
// kernel=auto means simt on chips without bf16 mma.sync.
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_100a format=isa" | FileCheck %s --check-prefix=SM100
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_75 kernel=auto format=isa" | FileCheck %s --check-prefix=SM75
// REQUIRES: ptxas

// CHIP: error: attn-lower-to-nvvm: unsupported chip 'sm_1000'; supported: sm_75 sm_80 sm_86 sm_87 sm_88 sm_89 sm_90 sm_90a sm_100 sm_100a
// OLD-PTX: error: attn-lower-to-nvvm: features '+ptx80' select PTX 8.0, too old for sm_100a: it needs +ptx86 or later
// FEATURE: error: attn-lower-to-nvvm: unsupported PTX feature in '{{.*}}'; give +ptxNN, NN one of 63 64 65 70
// MMA-CHIP: error: attn-lower-to-nvvm: kernel=mma needs sm_80 or later (mma.sync with bf16), got sm_75
// KERNEL: error: attn-lower-to-nvvm: kernel must be simt, mma, wgmma or auto, got 'tcgen05'
// WGMMA-CHIP: error: attn-lower-to-nvvm: kernel=wgmma needs chip sm_90a (wgmma.mma_async and TMA exist on the arch-specific Hopper target only), got sm_90
// WGMMA-PTX: error: attn-lower-to-nvvm: kernel=wgmma needs +ptx83 or later (fence.proxy.tensormap), got features '+ptx80'
// FORMAT: error: attn-lower-to-nvvm: format must be bin (cubin), isa (PTX) or fatbin, got 'elf'
// OPT: error: attn-lower-to-nvvm: opt-level must be 0 to 3, got 9
// OPT-NOT: error
// BLOCKS: error: attn-lower-to-nvvm: min-blocks-per-sm must be 0 (no hint) to 32, got 33
// BLOCKS-NEG: error: attn-lower-to-nvvm: min-blocks-per-sm must be 0 (no hint) to 32, got -1
// NO-BINARY: error: gpu-binary-to-ptx: the module has no gpu.binary; lower it with attn-lower-to-nvvm="format=isa" first
// NO-PTX: error: gpu-binary-to-ptx: the gpu.binary ops hold no PTX; lower with attn-lower-to-nvvm="format=isa" (bin and fatbin are machine code)
// NO-NAME: error: gpu-binary-to-ptx: no gpu.binary named @attention_kernel_7 (the module has @attention_kernel)
// NO-NAME-NOT: see current operation
// NAMED-NO-PTX: error: gpu-binary-to-ptx: the gpu.binary holds no PTX
// SM100: #nvvm.target<O = 3, chip = "sm_100a", features = "+ptx86">
// SM100-SAME: .target sm_100a
// SM75: .target sm_75
// SM75-NOT: mma.sync
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_75 kernel=auto format=isa" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM75-REMARK
// SM75-REMARK: remark: using the SIMT kernel, not the tensor-core one: sm_75 has no m16n8k16 mma.sync for f16 and bf16 (needs sm_80 or later)

func.func @attention(%q: tensor<1x2x20x64xbf16>, %k: tensor<1x2x20x64xbf16>, %v: tensor<1x2x20x64xbf16>) -> tensor<1x2x20x64xbf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x20x64xbf16>, tensor<1x2x20x64xbf16>, tensor<1x2x20x64xbf16> -> tensor<1x2x20x64xbf16>
  return %o : tensor<1x2x20x64xbf16>
}
