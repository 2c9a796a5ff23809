"""Compression: what fewer bits cost in quality, from cited empirical tables only.

Quality effects are not derivable from first principles, so the engine looks them up in published tables and
refuses to interpolate or extrapolate: a (model, method, bits) triple that is not in a table comes back as
"not in table: requires evaluation", never as an invented number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.errors import require_choice
from engine.provenance import Cited, measured
from engine.registry import sources as S

QUANT_METHODS: tuple[str, ...] = ("fp16", "rtn", "gptq_g64")

# LLaMA-7B, WikiText-2 perplexity (fidelity set row 50).
_PERPLEXITY_TABLE: Mapping[tuple[str, str, int], Cited] = {
    ("llama_7b", "fp16", 16): measured(5.67, "none", S.GPTQ_FOR_LLAMA, "LLaMA-7B FP16 WikiText-2 perplexity"),
    ("llama_7b", "rtn", 4): measured(6.28, "none", S.GPTQ_FOR_LLAMA, "round-to-nearest 4-bit"),
    ("llama_7b", "rtn", 3): measured(25.66, "none", S.GPTQ_FOR_LLAMA, "round-to-nearest 3-bit"),
    ("llama_7b", "gptq_g64", 3): measured(12.24, "none", S.GPTQ_FOR_LLAMA, "GPTQ 3-bit, group size 64"),
}


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


def quality_lookup(model: str, method: str, bits: int) -> QualityLookup:
    """Perplexity of `model` compressed with `method` at `bits`, looked up without interpolation.

    ppl = T[model, method, bits]
    Source: GPTQ-for-LLaMa README (community replication of Frantar et al. 2023), LLaMA-7B WikiText-2.
    """
    require_choice("method", method, QUANT_METHODS)
    entry = _PERPLEXITY_TABLE.get((model, method, int(bits)))
    if entry is None:
        return QualityLookup(model, method, int(bits), None, "not in table: requires evaluation")
    return QualityLookup(model, method, int(bits), entry.value, entry.source.title)


def quality_table() -> Mapping[tuple[str, str, int], Cited]:
    """The cited perplexity table (for the sources page and tests)."""
    return dict(_PERPLEXITY_TABLE)
