"""Dataset evidence: DataComp baselines (zero-shot ImageNet top-1 and 38-task average) and pool facts.

Cells are measured values from the OpenCLIP results CSV; unmeasured cells are absent (never interpolated).
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.provenance import Cited, measured, spec
from engine.registry import sources as S

SCALES: tuple[str, ...] = ("small", "medium", "large", "xlarge")
FILTERS: tuple[str, ...] = ("none", "basic", "laion", "text", "image", "clip30", "image_clip")
METRICS: tuple[str, ...] = ("imagenet", "avg38")

# (imagenet, avg38) per filter per scale; None = not measured (or excluded as unreliable).
_T: dict[str, tuple[tuple[float, float] | None, ...]] = {
    "none": ((2.70, 14.20), (17.55, 25.80), (45.93, 43.70), (72.29, 62.07)),
    "basic": ((3.77, 14.23), (22.55, 28.49), (51.55, 45.85), None),
    "laion": ((3.05, 13.32), (23.04, 29.19), (55.26, 50.11), (75.45, 63.60)),
    "text": ((4.60, 15.73), (25.48, 30.66), (56.05, 47.60), None),
    "image": ((3.92, 14.49), (26.78, 31.18), (57.19, 48.12), None),
    "clip30": ((5.05, 17.31), (27.25, 32.78), (57.77, 52.94), (76.37, 65.01)),
    "image_clip": (None, (29.72, 32.81), (63.10, 53.72), (79.21, 66.27)),
}

DATACOMP_BASELINES: Mapping[tuple[str, str, str], Cited] = {
    (scale, flt, metric): measured(pair[i], "percent", S.OPENCLIP_RESULTS, f"{flt} @ {scale}: {metric}")
    for flt, row in _T.items()
    for scale, pair in zip(SCALES, row)
    if pair is not None
    for i, metric in enumerate(METRICS)
}

# Pool = samples seen per scale, on-disk size, and the architecture trained at that scale (DataComp README).
POOL_SAMPLES: Mapping[str, Cited] = {
    "small": spec(12.8e6, "count", S.DATACOMP_README, "small: 12.8 M pool = samples seen"),
    "medium": spec(128e6, "count", S.DATACOMP_README, "medium: 128 M"),
    "large": spec(1.28e9, "count", S.DATACOMP_README, "large: 1.28 B"),
    "xlarge": spec(12.8e9, "count", S.DATACOMP_README, "xlarge: 12.8 B"),
}
POOL_BYTES: Mapping[str, Cited] = {
    "small": spec(0.45, "TB", S.DATACOMP_README, "small pool on disk"),
    "medium": spec(4.5, "TB", S.DATACOMP_README, "medium pool on disk"),
    "large": spec(45, "TB", S.DATACOMP_README, "large pool on disk"),
    "xlarge": spec(450, "TB", S.DATACOMP_README, "xlarge pool on disk"),
}
SCALE_MODEL: Mapping[str, str] = {
    "small": "clip_vit_b32", "medium": "clip_vit_b32", "large": "clip_vit_b16", "xlarge": "clip_vit_l14",
}
FILTER_KEEP_FRACTION: Mapping[str, Cited] = {
    "clip30": spec(0.3, "fraction", S.DATACOMP_README, "CLIP-score baseline keeps the top 30 %"),
}
# Filters that score every pool pair with an embedding model: forward FLOP per pair of the scorer.
SCORER_FLOP_PER_PAIR: Mapping[str, Cited] = {
    "clip30": spec(175.33, "GFLOP", S.OPENCLIP_RESULTS, "ViT-L/14 both towers, model_profile.csv"),
    "image_clip": spec(175.33, "GFLOP", S.OPENCLIP_RESULTS, "ViT-L/14 both towers, model_profile.csv"),
    "image": spec(162.03, "GFLOP", S.OPENCLIP_RESULTS, "ViT-L/14 image tower only, model_profile.csv"),
}


def all_tables() -> Mapping[str, Mapping[object, Cited]]:
    """Every dataset table by name (for the catalogue)."""
    return {
        "datacomp_baselines": DATACOMP_BASELINES,
        "datacomp_pool_samples": POOL_SAMPLES,
        "datacomp_pool_bytes": POOL_BYTES,
        "datacomp_keep_fraction": FILTER_KEEP_FRACTION,
        "datacomp_scorer_flop": SCORER_FLOP_PER_PAIR,
    }

# Lower-case name the lab specs use (`registry.datasets.datacomp_baselines`).
datacomp_baselines = DATACOMP_BASELINES
