// kernel=wgmma fails (no fall-back) where the sm_90a kernel cannot run.
// RUN: not attn-opt %s -attn-derive-gpu-schedule="chip=sm_80 kernel=wgmma" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM80
// RUN: not attn-opt %s -attn-derive-gpu-schedule="chip=sm_90a kernel=wgmma" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DIM
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=wgmma" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DIM
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=warp" -o /dev/null 2>&1 | FileCheck %s --check-prefix=KERNEL

// SM80: error: 'attn.sdpa' op cannot use the wgmma kernel: sm_80 has no wgmma.mma_async (it needs sm_90a)
// DIM: error: 'attn.sdpa' op cannot use the wgmma kernel: head dim 80 (TMA boxes and wgmma tiles need a multiple of 64)
// KERNEL: error: convert-attn-to-gpu: kernel must be simt, mma, wgmma or auto, got 'warp'
func.func @head_dim(%q: tensor<1x1x64x80xbf16>) -> tensor<1x1x64x80xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<1x1x64x80xbf16>, tensor<1x1x64x80xbf16>, tensor<1x1x64x80xbf16> -> tensor<1x1x64x80xbf16>
  return %o : tensor<1x1x64x80xbf16>
}
