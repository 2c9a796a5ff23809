"""Compression: what fewer bits cost in quality, from cited empirical tables only, and what they save in bytes.

Quality effects are not derivable from first principles, so the engine looks them up in published tables and
refuses to interpolate or extrapolate: a (model, method, bits) triple that is not in a table comes back as
"not in table: requires evaluation", never as an invented number. Two README revisions exist: 01069233 (the
fidelity set's row 50 and v1-01) and 3cf64c6f (v1-10); every lookup names its revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.errors import require_choice, require_fraction, require_positive
from engine.provenance import Cited, measured
from engine.registry import sources as S
from engine.registry.quality import GPTQ_LLAMA_SIZES, GPTQ_LLAMA_WIKITEXT2

QUANT_METHODS: tuple[str, ...] = ("fp16", "rtn", "gptq_g64", "gptq", "gptq_g128")
REVISIONS: tuple[str, ...] = ("01069233", "3cf64c6f")

# README revision 01069233: LLaMA-7B (fidelity set row 50), LLaMA-13B (row 51), 2-bit rows.
_PERPLEXITY_TABLE: Mapping[tuple[str, str, int], Cited] = {
    ("llama_7b", "fp16", 16): measured(5.67, "none", S.GPTQ_FOR_LLAMA, "LLaMA-7B FP16 WikiText-2 perplexity"),
    ("llama_7b", "rtn", 4): measured(6.28, "none", S.GPTQ_FOR_LLAMA, "round-to-nearest 4-bit"),
    ("llama_7b", "rtn", 3): measured(25.66, "none", S.GPTQ_FOR_LLAMA, "round-to-nearest 3-bit"),
    ("llama_7b", "gptq_g64", 3): measured(12.24, "none", S.GPTQ_FOR_LLAMA, "GPTQ 3-bit, group size 64"),
    ("llama_7b", "rtn", 2): measured(101940, "none", S.GPTQ_FOR_LLAMA, "round-to-nearest 2-bit (collapse)"),
    ("llama_7b", "gptq_g64", 2): measured(75.28, "none", S.GPTQ_FOR_LLAMA, "GPTQ 2-bit, group size 64"),
    ("llama_13b", "fp16", 16): measured(5.08, "none", S.GPTQ_FOR_LLAMA, "LLaMA-13B FP16 (fidelity row 51)"),
    ("llama_13b", "rtn", 4): measured(5.52, "none", S.GPTQ_FOR_LLAMA, "LLaMA-13B RTN 4-bit (fidelity row 51)"),
    ("llama_13b", "rtn", 3): measured(11.41, "none", S.GPTQ_FOR_LLAMA, "LLaMA-13B RTN 3-bit (fidelity row 51)"),
    ("llama_13b", "gptq_g64", 3): measured(5.50, "none", S.GPTQ_FOR_LLAMA, "LLaMA-13B GPTQ 3-bit g64 (row 51)"),
}


def _table(revision: str) -> Mapping[tuple[str, str, int], Cited]:
    return _PERPLEXITY_TABLE if revision == "01069233" else GPTQ_LLAMA_WIKITEXT2


@dataclass(frozen=True)
class QualityLookup:
    """A perplexity from a table, or None with the reason when the engine has no measured value."""

    model: str
    method: str
    bits: int
    perplexity: float | None
    note: str

    @property
    def in_table(self) -> bool:
        return self.perplexity is not None


def quality_lookup(model: str, method: str, bits: int, revision: str = "01069233") -> QualityLookup:
    """Perplexity of `model` compressed with `method` at `bits`, looked up without interpolation.

    ppl = T[model, method, bits]
    Source: GPTQ-for-LLaMa README (community replication of Frantar et al. 2023), WikiText-2; revision 01069233
    (default, fidelity row 50) or 3cf64c6f (v1-10).
    """
    require_choice("method", method, QUANT_METHODS)
    require_choice("revision", revision, REVISIONS)
    entry = _table(revision).get((model, method, int(bits)))
    if entry is None:
        return QualityLookup(model, method, int(bits), None, "not in table: requires evaluation")
    return QualityLookup(model, method, int(bits), entry.value, entry.source.title)


def quality_table() -> Mapping[tuple[str, str, int], Cited]:
    """The cited perplexity table of revision 01069233 (for the sources page and tests)."""
    return dict(_PERPLEXITY_TABLE)


def relative_degradation(model: str, method: str, bits: int, revision: str = "3cf64c6f") -> float | None:
    """Perplexity increase relative to the same model's FP16 row, or None when either cell is missing.

    Δ = PPL_q / PPL_16 − 1
    Source: v1-10 Part A math peek; cells from the GPTQ-for-LLaMa README.
    """
    q = quality_lookup(model, method, bits, revision)
    base = quality_lookup(model, "fp16", 16, revision)
    if q.perplexity is None or base.perplexity is None:
        return None
    return q.perplexity / base.perplexity - 1.0


def checkpoint_bytes(model: str, method: str, bits: int) -> float | None:
    """Checkpoint size in bytes from the README (printed GiB × 2³⁰), or None when the README prints none.

    B = size_GiB · 2³⁰
    Source: GPTQ-for-LLaMa README 3cf64c6f (its 'GB' are GiB: 6.738e9 × 2 B = 12.55 GiB ≈ 12.5 printed).
    """
    require_choice("method", method, QUANT_METHODS)
    cell = GPTQ_LLAMA_SIZES.get((model, method, int(bits)))
    return None if cell is None else cell.value


@dataclass(frozen=True)
class SizeRatio:
    """Nominal (16 / bits) and on-disk (FP16 file / compressed file) compression."""

    nominal_x: float
    on_disk_x: float | None


def size_ratio(model: str, method: str, bits: int) -> SizeRatio:
    """Nominal and on-disk compression of a table row.

    nominal = 16 / b;  on_disk = size(FP16) / size(row)
    Source: v1-10 Part A (12.5 / 3.6 = 3.47× for 7B GPTQ 4-bit g128); README 3cf64c6f sizes.
    """
    b = require_positive("bits", bits)
    fp16 = checkpoint_bytes(model, "fp16", 16)
    row = checkpoint_bytes(model, method, int(bits))
    return SizeRatio(16.0 / b, None if fp16 is None or row is None else fp16 / row)


def cliff_bits(model: str, method: str, revision: str = "3cf64c6f", factor: float = 2.0) -> int | None:
    """Highest measured bit-width whose perplexity exceeds `factor` × FP16 (the cliff), or None within the table.

    cliff = max{b : PPL_b / PPL_16 > factor} scanning b = 4, 3, 2 downwards, first b that exceeds
    Source: v1-10 Part B math peek.
    """
    require_positive("factor", factor)
    base = quality_lookup(model, "fp16", 16, revision).perplexity
    if base is None:
        return None
    for b in (8, 4, 3, 2):
        for rev in (revision, "01069233"):
            q = quality_lookup(model, method if not (b == 2 and method == "gptq_g128") else "gptq_g64", b, rev)
            if q.perplexity is not None:
                ref = quality_lookup(model, "fp16", 16, rev).perplexity or base
                if q.perplexity / ref > factor:
                    return b
                break
    return None


@dataclass(frozen=True)
class ContextFit:
    """Weights + KV cache of one table row on one context, batch-1 decode speed and the verdict."""

    context: str
    weight_bytes: float
    kv_bytes: float
    budget_bytes: float
    decode_time_s: float
    fits: bool

    @property
    def total_bytes(self) -> float:
        return self.weight_bytes + self.kv_bytes

    @property
    def tokens_per_s(self) -> float:
        return 1.0 / self.decode_time_s


def fits_context(model: str, method: str, bits: int, context_tokens: int, context: str) -> ContextFit:
    """Does a table row with a `context_tokens` FP16 KV cache fit the context, and how fast does it decode?

    M = W + 2·L·d·b_kv·T;  t_tok = M / BW  (batch 1, every byte read once per token)
    Source: v1-10 Part C math peek; sizes from README 3cf64c6f; shapes from Touvron et al. 2023 Table 2.
    """
    from engine.memory import kv_cache_bytes
    from engine.registry.hardware import get_context
    from engine.registry.models import get_model

    env = get_context(context)
    m = get_model(model)
    w = checkpoint_bytes(model, method, int(bits))
    if w is None:
        w = m.params * (16 if method == "fp16" else bits) / 8.0
    kv = kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 16, context_tokens, 1)
    total = w + kv
    return ContextFit(context, w, kv, env.model_memory_bytes, total / env.memory_bandwidth_bytes_per_s,
                      total <= env.model_memory_bytes)


@dataclass(frozen=True)
class Candidate:
    """One feasible (or best-rejected) configuration from `best_feasible`."""

    model: str
    method: str
    bits: int
    perplexity: float
    total_bytes: float
    tokens_per_s: float
    feasible: bool
    binding: str  # 'none', 'capacity', 'bandwidth', 'quality'


_MODELS_BY_SIZE = ("llama_7b", "llama_13b", "llama_33b", "llama_65b")


def best_feasible(context: str, context_tokens: int, min_tokens_per_s: float, gate: float,
                  methods: tuple[str, ...] = ("gptq_g128", "gptq", "rtn", "fp16")) -> tuple[Candidate, ...]:
    """Rank every sized README row by perplexity; feasible iff it fits, streams fast enough and passes the gate.

    min PPL s.t. M ≤ M_ctx, BW / M ≥ r_min, PPL / PPL_16 − 1 ≤ g
    Returns all candidates, feasible first (lowest perplexity first); binding names the first failed rule.
    Source: v1-10 Part D math peek; README 3cf64c6f.
    """
    require_positive("min_tokens_per_s", min_tokens_per_s)
    require_fraction("gate", gate)
    out: list[Candidate] = []
    for model in _MODELS_BY_SIZE:
        for method in methods:
            for bits in ((16,) if method == "fp16" else (4, 3)):
                ppl = quality_lookup(model, method, bits, "3cf64c6f").perplexity
                if ppl is None or checkpoint_bytes(model, method, bits) is None:
                    continue
                fit = fits_context(model, method, bits, context_tokens, context)
                deg = relative_degradation(model, method, bits) or 0.0
                if not fit.fits:
                    binding = "capacity"
                elif fit.tokens_per_s < min_tokens_per_s:
                    binding = "bandwidth"
                elif deg > gate + 1e-12:
                    binding = "quality"
                else:
                    binding = "none"
                out.append(Candidate(model, method, bits, ppl, fit.total_bytes, fit.tokens_per_s, binding == "none",
                                     binding))
    out.sort(key=lambda c: (not c.feasible, c.perplexity, c.total_bytes))
    return tuple(out)

