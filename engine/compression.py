"""Compression: what fewer bits cost in quality, from cited empirical tables only, and what they save in bytes.

Quality effects are not derivable from first principles, so the engine looks them up in published tables and
refuses to interpolate or extrapolate: a (model, method, bits) triple that is not in a table comes back as
"not in table: requires evaluation", never as an invented number. Two README revisions exist: 01069233 (the
fidelity set's row 50 and v1-01) and 3cf64c6f (v1-10); every lookup names its revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.errors import require_choice, require_fraction, require_positive, require_positive_int
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
    require_positive_int("bits", bits)
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
    require_positive_int("bits", bits)
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

    require_positive_int("bits", bits)
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



# --- v1-10 additions: one lookup across both README revisions, the bit sweep, the quality gate, MCU evidence,
# --- and a deployment check whose failure sentence names the first fix ----------------------------------------

LLAMA_SIZES: tuple[str, ...] = _MODELS_BY_SIZE
ROW_METHODS: tuple[str, ...] = ("rtn", "gptq", "gptq_g128")
METHOD_TEXT: Mapping[str, str] = {
    "fp16": "FP16", "rtn": "RTN", "gptq": "GPTQ", "gptq_g128": "GPTQ g128", "gptq_g64": "GPTQ g64",
}


@dataclass(frozen=True)
class RowLookup:
    """One measured row (or None with the reason) with its own revision's FP16 reference and checkpoint size."""

    model: str
    method: str  # the method actually looked up (GPTQ g128 is read as GPTQ g64 at 2 bits)
    bits: int
    perplexity: float | None
    fp16_perplexity: float
    revision: str
    size_bytes: float | None
    note: str

    @property
    def in_table(self) -> bool:
        return self.perplexity is not None

    @property
    def ratio(self) -> float | None:
        """PPL_b / PPL_16 against the FP16 row of the same revision."""
        return None if self.perplexity is None else self.perplexity / self.fp16_perplexity

    @property
    def degradation(self) -> float | None:
        """Δ = PPL_b / PPL_16 − 1."""
        return None if self.perplexity is None else self.perplexity / self.fp16_perplexity - 1.0

    @property
    def label(self) -> str:
        return "FP16" if self.method == "fp16" else f"{METHOD_TEXT[self.method]} {self.bits}-bit"


def lookup_row(model: str, method: str, bits: int, include_2bit: bool = True) -> RowLookup:
    """The table row for (model, method, bits): README 3cf64c6f for 16/4/3 bits, 01069233 for the 2-bit rows.

    ppl = T_rev[model, method, bits];  ratio = ppl / T_rev[model, fp16, 16] (same revision); GPTQ g128 at 2 bits is
    read as the only grouped 2-bit row, GPTQ g64. No interpolation, no extrapolation: absent rows return None.
    Source: GPTQ-for-LLaMa README, commits 3cf64c6f (16/4/3-bit) and 01069233 (2-bit, FP16 5.67); v1-10 Part B.
    """
    require_positive_int("bits", bits)
    require_choice("model", model, LLAMA_SIZES)
    require_choice("method", method, ("fp16",) + ROW_METHODS)
    b = int(require_choice("bits", int(bits), (16, 8, 4, 3, 2)))
    if b == 16 or method == "fp16":
        b, method = 16, "fp16"
    revision = "01069233" if b == 2 else "3cf64c6f"
    used = "gptq_g64" if (b == 2 and method == "gptq_g128") else method
    base = quality_lookup(model, "fp16", 16, revision).perplexity
    if base is None:  # 33B and 65B have no FP16 row in the older revision (nor any 2-bit row)
        base = quality_lookup(model, "fp16", 16, "3cf64c6f").perplexity
    assert base is not None
    if b == 2 and not include_2bit:
        return RowLookup(model, used, b, None, base, revision, None, "2-bit rows hidden (README rev. 01069233)")
    q = quality_lookup(model, used, b, revision)
    size = checkpoint_bytes(model, used, b) if revision == "3cf64c6f" else None
    note = q.note if q.in_table else "not in table: requires evaluation"
    return RowLookup(model, used, b, q.perplexity, base, revision, size, note)


@dataclass(frozen=True)
class BitSweep:
    """Every measured bit-width of one model and method, and the cliff (None when no row more than doubles)."""

    model: str
    method: str
    rows: tuple[RowLookup, ...]
    factor: float

    @property
    def cliff_bits(self) -> int | None:
        for row in self.rows:
            if row.bits < 16 and row.ratio is not None and row.ratio > self.factor:
                return row.bits
        return None


def bit_sweep(model: str, method: str, include_2bit: bool = True, factor: float = 2.0) -> BitSweep:
    """Perplexity at 16, 4, 3 and 2 bits (measured rows only) and the first bit-width whose ratio exceeds `factor`.

    cliff = max{b : PPL_b / PPL_16 > 2} over measured b, scanning 4 → 3 → 2 (the first bit-width, going down, at
    which perplexity more than doubles)
    Source: v1-10 Part B math peek; GPTQ-for-LLaMa README revisions 3cf64c6f and 01069233.
    """
    require_positive("factor", factor)
    rows = tuple(lookup_row(model, method, b, include_2bit) for b in (16, 4, 3, 2))
    return BitSweep(model, method, rows, factor)


@dataclass(frozen=True)
class GateCheck:
    """A row against the quality gate PPL ≤ PPL_16 · (1 + g), with the first fix when it fails."""

    row: RowLookup
    gate: float
    fix: RowLookup | None

    @property
    def limit(self) -> float:
        return self.row.fp16_perplexity * (1.0 + self.gate)

    @property
    def passes(self) -> bool | None:
        """True / False, or None when the row is not in the table (nothing to check)."""
        if self.row.perplexity is None:
            return None
        return self.row.perplexity <= self.limit + 1e-12

    def message(self) -> str:
        if self.passes is not False:
            return ""
        r = self.row
        assert r.perplexity is not None
        text = (f"Quality gate failed: perplexity {r.perplexity:,.2f} > limit {self.limit:.2f} "
                f"(FP16 {r.fp16_perplexity:.2f} + {self.gate * 100:g} %). ")
        if self.fix is None:
            return text + "First fix: return to FP16 weights; no compressed row of this model passes the gate."
        f = self.fix
        assert f.perplexity is not None and f.degradation is not None
        same_bits = [lookup_row(r.model, m, r.bits) for m in ROW_METHODS] if r.bits in (4, 3) else []
        best_same = min((x for x in same_bits if x.perplexity is not None), key=lambda x: x.perplexity or 0.0,
                        default=None)
        text += f"First fix: {f.label} ({f.perplexity:.2f}, +{f.degradation * 100:.1f} %)"
        if (f.bits != r.bits and best_same is not None and best_same.method != r.method
                and best_same.perplexity is not None and best_same.degradation is not None):
            text += (f"; the best {r.bits}-bit method, {METHOD_TEXT[best_same.method]} ({best_same.perplexity:.2f}, "
                     f"+{best_same.degradation * 100:.1f} %), still fails a {self.gate * 100:g} % gate")
        return text + "."


def gate_check(model: str, method: str, bits: int, gate: float, include_2bit: bool = True) -> GateCheck:
    """Check a row against PPL ≤ PPL_16 · (1 + g); the first fix is the fewest-bit passing row of the same model.

    pass iff PPL_b / PPL_16 − 1 ≤ g;  fix = argmin_{b, method: pass} (b, PPL) over measured 3- and 4-bit rows
    Source: v1-10 Part B failure state; GPTQ-for-LLaMa README 3cf64c6f.
    """
    g = require_positive("gate", require_fraction("gate", gate))
    row = lookup_row(model, method, bits, include_2bit)
    fix = None
    for b in (3, 4):
        passing = [x for x in (lookup_row(model, m, b) for m in ROW_METHODS)
                   if x.degradation is not None and x.degradation <= g + 1e-12]
        if passing:
            fix = min(passing, key=lambda x: x.perplexity or 0.0)
            break
    return GateCheck(row, g, fix)


@dataclass(frozen=True)
class McuRow:
    """One row of the tiny evidence: weights (None when the paper does not print them), top-1 and the fit verdict."""

    key: str
    label: str
    weight_bytes: float | None
    top1_pct: float
    fits: bool | None  # None: not reported for this device
    note: str


# Rusci et al. 2020 (abstract): the mixed INT4/INT8 MobileNetV1 was deployed on a device with 2 MB of flash and
# 512 kB of RAM, so its weights are at most 2 MB.
MCU_MIXED_DEPLOYMENT_FLASH: Cited = measured(
    2, "MB", S.RUSCI_2020, "abstract: end-to-end deployment on a device with 2 MB of FLASH and 512 kB of RAM")


def mcu_evidence(budget_bytes: float) -> tuple[McuRow, ...]:
    """The tiny context's evidence: MobileNetV1 FP32 (does it fit?), the mixed INT4/INT8 deployment, prior INT8.

    W_fp32 = N · 4 B (16.8 MB for 4.2 M parameters); fit iff W ≤ M_flash; the mixed network fits where its reported
    deployment flash (2 MB) ≤ M_flash; prior 8-bit MCU networks: accuracy only (68 − 8 = 60 %), size not reported.
    Source: Howard et al. 2017 Table 8 (4.2 M, 70.6 %); Rusci, Capotondi, Benini 2020 (MLSys), abstract.
    """
    from engine.memory import weight_bytes
    from engine.registry.models import get_model
    from engine.registry.quality import MCU_MOBILENET

    m = require_positive("budget_bytes", budget_bytes)
    fp32 = weight_bytes(get_model("mobilenet_v1").params, 32)
    return (
        McuRow("mobilenet_v1_fp32", "MobileNetV1 1.0-224, FP32", fp32,
               MCU_MOBILENET["mobilenet_v1_fp32_top1"].published, fp32 <= m, "Howard et al. 2017, Table 8"),
        McuRow("mixed_int4_int8", "MobileNetV1, mixed INT4/INT8, integer-only (Rusci 2020)", None,
               MCU_MOBILENET["mixed_int4_int8_stm32h7_top1"].published, MCU_MIXED_DEPLOYMENT_FLASH.value <= m,
               "deployed within 2 MB flash and 512 kB RAM on an STM32H7 (abstract)"),
        McuRow("prior_int8", "previously published 8-bit MCU networks", None,
               MCU_MOBILENET["prior_int8_mcu_top1"].published, None,
               "accuracy only (68 % is 8 points above them); sizes and devices not reported"),
    )


def max_row_context(model: str, method: str, bits: int, context: str) -> int:
    """Longest KV-cache context (tokens) that fits next to a table row's weights on a context (0: weights overflow).

    T_max = ⌊(M_ctx − W) / (2·L·d·b_kv)⌋
    Source: v1-10 Part C failure state (7B GPTQ 4-bit g128 on a 4 GB app budget: ≤ 256 tokens);
    memory.max_context_length.
    """
    from engine.errors import EngineInputError
    from engine.memory import kv_cache_bytes, max_context_length
    from engine.registry.hardware import get_context
    from engine.registry.models import get_model

    require_positive_int("bits", bits)
    w = checkpoint_bytes(model, method, int(bits))
    if w is None:
        raise EngineInputError(f"`bits` must be a bit-width with a printed size for {model} {method} (got {bits!r})")
    m = get_model(model)
    per_token = kv_cache_bytes(m.layers, m.kv_heads, m.head_dim, 16, 1, 1)
    return max_context_length(get_context(context).model_memory_bytes, w, per_token)


@dataclass(frozen=True)
class DeploymentCheck:
    """A row on a context: memory, speed and quality verdicts; `binding` is the first failed rule and `message` its
    sentence with the first fix."""

    model: str
    method: str
    bits: int
    context_tokens: int
    fit: ContextFit
    row: RowLookup
    min_tokens_per_s: float
    gate: float
    binding: str  # none | capacity | bandwidth | quality
    message: str


def row_text(model: str, method: str, bits: int) -> str:
    """'65B GPTQ g128 4-bit', '7B FP16': a table row as the labs name it (no number is computed here).

    Source: naming convention of the GPTQ-for-LLaMa README columns.
    """
    require_positive_int("bits", bits)
    size = model.split("_")[1].upper()
    return f"{size} FP16" if method == "fp16" else f"{size} {METHOD_TEXT[method]} {bits}-bit"


def _gb(x: float) -> str:
    from engine.units import format_number

    return format_number(x / 1e9, 4 if x >= 1e11 else 3)


def _capacity_fix(model: str, method: str, bits: int, context_tokens: int, context: str) -> str:
    """The first fix for an out-of-memory row: 4-bit g128, else a shorter context, else a smaller model."""
    from engine.units import format_auto

    g128 = fits_context(model, "gptq_g128", 4, context_tokens, context)
    t_row = max_row_context(model, method, bits, context)
    t_g128 = max_row_context(model, "gptq_g128", 4, context)

    def shorter(m: str, b: int, tokens: int) -> str:
        f = fits_context(model, m, b, tokens, context)
        spare = f.budget_bytes - f.total_bytes
        return f"a context of ≤ {tokens:,} tokens ({_gb(f.total_bytes)} GB, {format_auto(spare, 'bytes', 2)} to spare)"

    if method != "gptq_g128" and g128.fits:
        return f"GPTQ 4-bit g128 ({_gb(g128.total_bytes)} GB with the KV cache)."
    if t_row >= 1:
        return shorter(method, bits, t_row) + "."
    if method != "gptq_g128" and t_g128 >= 1:
        return f"GPTQ 4-bit g128 with {shorter('gptq_g128', 4, t_g128)}."
    smaller = [s for s in LLAMA_SIZES[:LLAMA_SIZES.index(model)]
               if fits_context(s, "gptq_g128", 4, context_tokens, context).fits]
    if smaller:
        f = fits_context(smaller[-1], "gptq_g128", 4, context_tokens, context)
        return f"a smaller model ({row_text(smaller[-1], 'gptq_g128', 4)}: {_gb(f.total_bytes)} GB)."
    shorter_smaller = [(s, t) for s in LLAMA_SIZES[:LLAMA_SIZES.index(model)]
                       for t in (max_row_context(s, "gptq_g128", 4, context),) if t >= 1]
    if shorter_smaller:
        s, t = shorter_smaller[-1]
        f = fits_context(s, "gptq_g128", 4, t, context)
        return (f"a smaller model ({row_text(s, 'gptq_g128', 4)}) with a context of ≤ {t:,} tokens "
                f"({_gb(f.total_bytes)} GB).")
    budget = fits_context(model, method, bits, context_tokens, context).budget_bytes
    return (f"no LLaMA row fits {format_auto(budget, 'bytes')}; a different model family (see the tiny evidence), "
            "or another context.")


def deployment_check(model: str, method: str, bits: int, context_tokens: int, context: str,
                     min_tokens_per_s: float, gate: float) -> DeploymentCheck:
    """Memory (W + KV ≤ M), speed (BW / M ≥ r_min) and quality (Δ ≤ g) of one row on one context, in that order.

    M = W + 2·L·d·b_kv·T;  r = BW / M;  Δ = PPL / PPL_16 − 1. First fixes: capacity → the same model at 4-bit
    g128, else a shorter context, else a smaller model; bandwidth → the next smaller model at the same bits;
    quality → the fewest-bit row that passes (gate_check).
    Source: v1-10 Part D failure states and math peek; README 3cf64c6f; Touvron et al. 2023 Table 2.
    """
    from engine.registry.hardware import get_context
    from engine.units import format_auto

    require_positive_int("bits", bits)
    if int(bits) == 16:
        method = "fp16"
    require_positive("min_tokens_per_s", min_tokens_per_s)
    require_fraction("gate", gate)
    row = lookup_row(model, method, bits)
    fit = fits_context(model, row.method, row.bits, context_tokens, context)
    env = get_context(context)
    if not fit.fits:
        binding = "capacity"
        msg = (f"Memory {_gb(fit.total_bytes)} GB > budget {format_auto(fit.budget_bytes, 'bytes')} "
               f"{env.model_memory_label} (weights {_gb(fit.weight_bytes)} + KV {_gb(fit.kv_bytes)}). First fix: "
               + _capacity_fix(model, row.method, row.bits, context_tokens, context))
    elif fit.tokens_per_s < min_tokens_per_s:
        binding = "bandwidth"
        msg = (f"Decode {fit.tokens_per_s:.1f} tok/s < floor {min_tokens_per_s:g} tok/s ({env.label.lower()}, "
               f"{row_text(model, row.method, row.bits)}). First fix: ")
        ok = [(s, f) for s in reversed(LLAMA_SIZES[:LLAMA_SIZES.index(model)])
              for f in (fits_context(s, row.method, row.bits, context_tokens, context),)
              if f.fits and f.tokens_per_s >= min_tokens_per_s]
        if ok:
            s, f = ok[0]
            msg += f"a smaller model ({row_text(s, row.method, row.bits)}: {f.tokens_per_s:.1f} tok/s)."
        else:
            msg += "fewer bytes per token: fewer bits, a shorter context or a smaller model."
    elif row.degradation is not None and row.degradation > gate + 1e-12:
        binding = "quality"
        msg = gate_check(model, row.method, row.bits, gate).message()
    else:
        binding = "none"
        msg = ""
    return DeploymentCheck(model, row.method, row.bits, int(context_tokens), fit, row, float(min_tokens_per_s),
                           float(gate), binding, msg)
