// attn-translate --gpu-binary-to-ptx prints the PTX objects of the module's
// gpu.binary ops, each after a comment naming the binary and target; with
// several it warns (ptxas assembles one module per file), --ptx-binary=NAME
// selects one binary, and a binary holding PTX for several targets says so.
// Machine-code objects (bin) are skipped.
// RUN: attn-translate --gpu-binary-to-ptx %s 2>%t.err | FileCheck %s --check-prefix=ALL
// RUN: FileCheck %s --check-prefix=ALL-WARN < %t.err
// RUN: attn-translate --gpu-binary-to-ptx --ptx-binary=combine %s 2>%t.one.err | FileCheck %s --check-prefix=ONE
// RUN: count 0 < %t.one.err
// RUN: attn-translate --gpu-binary-to-ptx --ptx-binary=two_targets %s 2>&1 >/dev/null | FileCheck %s --check-prefix=TWO-TARGETS
// RUN: not attn-translate --gpu-binary-to-ptx --ptx-binary=machine_code %s 2>&1 | FileCheck %s --check-prefix=NO-PTX

// ALL: // gpu.binary @attention, target #nvvm.target<chip = "sm_80">
// ALL-NEXT: .version 8.0
// ALL-NEXT: .target sm_80
// ALL: // gpu.binary @combine, target #nvvm.target<chip = "sm_80">
// ALL-NEXT: .entry combine
// ALL: // gpu.binary @two_targets, target #nvvm.target<chip = "sm_80">
// ALL: // gpu.binary @two_targets, target #nvvm.target<chip = "sm_90a">
// ALL-NOT: machine code
// ALL-WARN: warning: gpu-binary-to-ptx: printed 4 PTX modules one after the other (@attention, @combine, @two_targets, @two_targets); ptxas assembles one module, select it with --ptx-binary=NAME

// ONE: // gpu.binary @combine
// ONE-NEXT: .entry combine
// ONE-NOT: gpu.binary

// TWO-TARGETS: warning: gpu-binary-to-ptx: @two_targets holds 2 PTX objects (one per target), printed one after the other; ptxas assembles one module

// NO-PTX: error: gpu-binary-to-ptx: the gpu.binary holds no PTX; lower with attn-lower-to-nvvm="format=isa" (bin and fatbin are machine code)

module attributes {gpu.container_module} {
  gpu.binary @attention [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = ".version 8.0\0A.target sm_80\0A">]
  gpu.binary @combine [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = ".entry combine\0A">]
  gpu.binary @two_targets [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = ".target sm_80\0A">, #gpu.object<#nvvm.target<chip = "sm_90a">, assembly = ".target sm_90a\0A">]
  gpu.binary @machine_code [#gpu.object<#nvvm.target<chip = "sm_80">, bin = "machine code">]
}
