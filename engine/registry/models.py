"""Model registry: shapes, parameter counts and work per token/sequence/image, each cited.

Parameter counts are counts (unit 'parameters'); work is in FLOP with the denominator in the field name
(`flop_per_token`, `flop_per_image`). Stand-in workloads that the labs use as round numbers are marked assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.errors import require_choice
from engine.provenance import Cited, assumed, build_record, spec
from engine.registry import sources as S


@dataclass(frozen=True)
class Model:
    """A model's size. Fields a lab does not need yet stay None rather than guessed."""

    key: str
    name: str
    params: float
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


ASSISTANT_7B = build_record(
    Model,
    key="assistant_7b",
    name="7B assistant (stand-in for 7B-class open models)",
    params=assumed(7.0e9, "parameters", S.LABS_STAND_INS, "a round stand-in for 7B-class open models"),
)
ASSISTANT_3B = build_record(
    Model,
    key="assistant_3b",
    name="3B assistant (stand-in for 3B-class open models)",
    params=assumed(3.0e9, "parameters", S.LABS_STAND_INS, "a round stand-in for 3B-class open models"),
)
DS_CNN_KWS_SMALL = build_record(
    Model,
    key="ds_cnn_kws_small",
    name="DS-CNN keyword spotter (small)",
    params=spec(38.6e3, "parameters", S.HELLO_EDGE, "38.6 K parameters (38.6 KB at 8 bit)"),
)

MODELS: Mapping[str, Model] = {m.key: m for m in (ASSISTANT_7B, ASSISTANT_3B, DS_CNN_KWS_SMALL)}


def get_model(key: str) -> Model:
    """Return the registry model `key`."""
    return MODELS[require_choice("model", key, tuple(MODELS))]
