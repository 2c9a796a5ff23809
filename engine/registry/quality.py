"""Measured quality tables: the only source of accuracy effects in the engine (quantisation, privacy, shift, MCU).

Each cell is a `measured` Cited number with its table locator. Solvers look cells up and never interpolate or
extrapolate; a missing cell is reported as "not in table: requires evaluation".
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.provenance import Cited, derived, measured
from engine.registry import sources as S

# --- GPTQ-for-LLaMa README, commit 3cf64c6f: LLaMA WikiText-2 perplexity and checkpoint size (GiB) -----------
# key: (model, method, bits) with method in fp16 / rtn / gptq / gptq_g128.
_PPL = {
    "llama_7b": (5.68, 6.29, 6.09, 5.85, 25.54, 8.07, 6.61),
    "llama_13b": (5.09, 5.53, 5.36, 5.20, 11.40, 6.63, 5.62),
    "llama_33b": (4.10, 4.54, 4.45, 4.23, 14.89, 5.69, 4.80),
    "llama_65b": (3.53, 3.92, 3.84, 3.65, 10.59, 5.04, 4.17),
}
_SIZE_GIB = {  # fp16, gptq4, gptq4 g128, gptq3, gptq3 g128 as printed (README "GB" = GiB)
    "llama_7b": (12.5, 3.5, 3.6, 2.7, 3.0),
    "llama_13b": (24.2, 6.5, 6.7, 5.1, 5.4),
    "llama_33b": (60.5, 15.7, 16.3, 12.0, 13.0),
    "llama_65b": (121.0, 31.1, 32.3, 23.6, 25.6),
}
_COLS = (("fp16", 16), ("rtn", 4), ("gptq", 4), ("gptq_g128", 4), ("rtn", 3), ("gptq", 3), ("gptq_g128", 3))

GPTQ_LLAMA_WIKITEXT2: Mapping[tuple[str, str, int], Cited] = {
    (model, method, bits): measured(ppl, "perplexity", S.GPTQ_README_NEW, f"{model} {method} {bits}-bit WikiText-2")
    for model, row in _PPL.items()
    for (method, bits), ppl in zip(_COLS, row)
}


def _size_cells() -> dict[tuple[str, str, int], Cited]:
    cells: dict[tuple[str, str, int], Cited] = {}
    for model, (fp16, g4, g4_128, g3, g3_128) in _SIZE_GIB.items():
        src = S.GPTQ_README_NEW
        cells[(model, "fp16", 16)] = measured(fp16, "GiB", src, f"{model} FP16 checkpoint size as printed")
        cells[(model, "gptq", 4)] = measured(g4, "GiB", src, f"{model} GPTQ 4-bit size as printed")
        cells[(model, "gptq_g128", 4)] = measured(g4_128, "GiB", src, f"{model} GPTQ 4-bit g128 size as printed")
        cells[(model, "gptq", 3)] = measured(g3, "GiB", src, f"{model} GPTQ 3-bit size as printed")
        cells[(model, "gptq_g128", 3)] = measured(g3_128, "GiB", src, f"{model} GPTQ 3-bit g128 size as printed")
        cells[(model, "rtn", 4)] = derived(g4, "GiB", src, "RTN reuses the GPTQ size at the same bits (same tensors)")
        cells[(model, "rtn", 3)] = derived(g3, "GiB", src, "RTN reuses the GPTQ size at the same bits (same tensors)")
    return cells


GPTQ_LLAMA_SIZES: Mapping[tuple[str, str, int], Cited] = _size_cells()

# --- Tiny evidence: MobileNetV1 on an MCU ---------------------------------------------------------------------
MCU_MOBILENET: Mapping[str, Cited] = {
    "mobilenet_v1_fp32_top1": measured(70.6, "percent", S.MOBILENETV1_PAPER, "Table 8: 1.0 MobileNet-224, 70.6 %"),
    "mixed_int4_int8_stm32h7_top1": measured(68, "percent", S.RUSCI_2020, "abstract: 68 % top-1 on STM32H7"),
    "prior_int8_mcu_top1": derived(68 - 8, "percent", S.RUSCI_2020, "'8 points above' prior 8-bit MCU deployments"),
}

# --- DP-SGD accuracy on MNIST (Abadi et al. 2016 §5.2, δ = 1e-5) ------------------------------------------------
DPSGD_MNIST: Mapping[str, Cited] = {
    "none": measured(98.30, "percent", S.ABADI_DP, "§5.2 non-private baseline 98.30 %"),
    "8": measured(97, "percent", S.ABADI_DP, "§5.2 ε = 8: 97 %"),
    "2": measured(95, "percent", S.ABADI_DP, "§5.2 ε = 2: 95 %"),
    "0.5": measured(90, "percent", S.ABADI_DP, "§5.2 ε = 0.5: 90 %"),
}
DPSGD_EPOCH_SLOWDOWN: Cited = derived(180 / 40, "x", S.ABADI_DP, "§5.3: CIFAR-10 epoch 40 s → 180 s")

# --- Distribution shift: Camelyon17-WILDS ERM (Koh et al. 2021 Table 1) -------------------------------------------
WILDS_CAMELYON17: Mapping[str, Cited] = {
    "in_distribution": measured(93.2, "percent", S.WILDS_PAPER, "Table 1 Camelyon17 ERM in-distribution"),
    "out_of_distribution": measured(70.3, "percent", S.WILDS_PAPER, "Table 1 Camelyon17 ERM out-of-distribution"),
}


def all_tables() -> Mapping[str, Mapping[object, Cited]]:
    """Every quality table by name (for the catalogue)."""
    return {
        "gptq_llama_wikitext2": GPTQ_LLAMA_WIKITEXT2,
        "gptq_llama_sizes": GPTQ_LLAMA_SIZES,
        "mcu_mobilenet": MCU_MOBILENET,
        "dpsgd_mnist": DPSGD_MNIST,
        "dpsgd_epoch_slowdown": {"cifar10": DPSGD_EPOCH_SLOWDOWN},
        "wilds_camelyon17": WILDS_CAMELYON17,
    }

# Lower-case names the lab specs use (`registry.quality.gptq_llama_wikitext2`, …).
gptq_llama_wikitext2 = GPTQ_LLAMA_WIKITEXT2
mcu_mobilenet = MCU_MOBILENET
dpsgd_mnist = DPSGD_MNIST
