"""The text of a function holding one attn.sdpa, for the random-shape
scripts of this directory (fuzz_gpu_pipeline.py, sweep_spills.py)."""


def sdpa_function(B, Hkv, group, Sq, Skv, D, Dv, element, lse=False,
                  pattern=None, mask_element=None, key_lengths=False,
                  mask_batch=None, mask_heads=1):
    """`func.func @f` over Q [B, Hkv*group, Sq, D], K [B, Hkv, Skv, D],
    V [B, Hkv, Skv, Dv] of `element`, returning O (and the lse when `lse`);
    `pattern` is an attribute text (e.g. "#attn.causal<top_left>"),
    `mask_element` the element type of a [mask_batch (default B),
    mask_heads, Sq, Skv] mask operand,
    `key_lengths` adds a [B] i32 key-lengths operand."""
    Hq = Hkv * group
    q = f"tensor<{B}x{Hq}x{Sq}x{D}x{element}>"
    k = f"tensor<{B}x{Hkv}x{Skv}x{D}x{element}>"
    v = f"tensor<{B}x{Hkv}x{Skv}x{Dv}x{element}>"
    results, names = [f"tensor<{B}x{Hq}x{Sq}x{Dv}x{element}>"], "%o"
    if lse:
        results.append(f"tensor<{B}x{Hq}x{Sq}xf32>")
        names = "%o, %l"
    args, operands = [f"%q: {q}", f"%k: {k}", f"%v: {v}"], ""
    if mask_element:
        mb = B if mask_batch is None else mask_batch
        m = f"tensor<{mb}x{mask_heads}x{Sq}x{Skv}x{mask_element}>"
        args.append(f"%m: {m}")
        operands += f" mask(%m : {m})"
    if key_lengths:
        args.append(f"%kl: tensor<{B}xi32>")
        operands += f" key_lengths(%kl : tensor<{B}xi32>)"
    attr = f" {{pattern = {pattern}}}" if pattern else ""
    res = ", ".join(results)
    return (f"func.func @f({', '.join(args)}) -> ({res}) {{\n"
            f"  {names} = attn.sdpa %q, %k, %v{operands}{attr} : {q}, {k}, {v} -> {res}\n"
            f"  return {names} : {res}\n}}\n")
