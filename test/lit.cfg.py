# -*- Python -*-
# lit configuration of the attn-mlir test suite: tools from the build tree,
# FileCheck & co. from LLVM 22, and feature flags (cuda-gpu, ptxas,
# gpu-emulator).

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "ATTN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".c", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.attn_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.attn_tools_dir, config.llvm_tools_dir]
tools = ["attn-opt", "attn-translate", "attn-run"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

config.substitutions.append(("%attn_src_root", config.attn_src_root))
config.substitutions.append(("%attn_obj_root", config.attn_obj_root))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(("%clang", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%cmake", config.cmake_command))

# The JIT uses as many threads as OMP_NUM_THREADS says; keep tests small.
config.environment["OMP_NUM_THREADS"] = os.environ.get("OMP_NUM_THREADS", "2")

if shutil.which("nvidia-smi"):
    try:
        if subprocess.run(["nvidia-smi", "-L"], capture_output=True).returncode == 0:
            config.available_features.add("cuda-gpu")
            # Hopper (sm_90a: the wgmma kernel) as GPU 0.
            cap = subprocess.run(
                ["nvidia-smi", "--query-gpu=compute_cap", "--format=csv,noheader", "-i", "0"],
                capture_output=True, text=True).stdout.strip()
            if cap == "9.0":
                config.available_features.add("cuda-sm90")
    except OSError:
        pass
config.substitutions.append(("%ptxas", "/usr/local/cuda/bin/ptxas"))
if os.path.exists("/usr/local/cuda/bin/ptxas"):
    config.available_features.add("ptxas")

# The lane-accurate GPU kernel emulator (utils/gpu-emulator) runs on the
# Python of the venv scripts/test.sh makes (numpy, ml_dtypes).
emu_python = os.path.join(config.attn_obj_root, "pyenv", "bin", "python")
if os.path.exists(emu_python) and subprocess.run(
        [emu_python, "-c", "import numpy, ml_dtypes"],
        capture_output=True).returncode == 0:
    config.available_features.add("gpu-emulator")
config.substitutions.append(("%emu_python", emu_python))
