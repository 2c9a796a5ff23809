"""engine.data v1-09 additions: scorer per filter, plan cost with the scoring pass, curation vs scale, plans.

Expected values are computed by hand from the spec's constants (OpenCLIP model_profile.csv FLOPs, DataComp pool
sizes, H100 dense BF16 peak = 1,979 / 2 TFLOP/s), never read back from the engine.
"""

import math

import pytest

from engine import data as D
from engine.errors import EngineInputError

PEAK = 1979e12 / 2  # H100 dense BF16, half the sparse datasheet figure
C_OP = 2.50 / 3600 / (PEAK * 0.25)  # $/FLOP at the v1-09 defaults
PRICES = dict(gpu_usd_per_h=2.50, mfu=0.25, storage_usd_per_tb_month=23.0, months_stored=1.0)
TRAIN_128M = 3 * 14.78e9 * 128e6  # ViT-B/32, 128 M samples seen
TRAIN_1B = 3 * 41.09e9 * 1.28e9  # ViT-B/16, 1.28 B samples seen
SCORE_128M = 175.33e9 * 128e6  # ViT-L/14 both towers over the 128 M pool


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel)


def test_scoring_flop_per_filter():
    """Rule filters score nothing; LAION uses B/32 (14.78 G), image-based the L/14 image tower (162.03 G)."""
    assert D.scoring_flop_per_pair("none") == 0.0
    assert D.scoring_flop_per_pair("basic") == 0.0
    assert D.scoring_flop_per_pair("text") == 0.0
    assert close(D.scoring_flop_per_pair("laion"), 14.78e9)
    assert close(D.scoring_flop_per_pair("image"), 162.03e9)
    assert close(D.scoring_flop_per_pair("clip30"), 175.33e9)
    assert close(D.scoring_flop_per_pair("image_clip"), 175.33e9)


def test_scorer_models():
    """Scorer keys resolve to the model_profile.csv rows: L/14 427.62 M, image tower 303.97 M, B/32 151.28 M."""
    assert close(D.scorer_model("l14").params, 427.62e6)
    assert close(D.scorer_model("l14_image").params, 303.97e6)
    assert close(D.scorer_model("b32").params, 151.28e6)
    with pytest.raises(EngineInputError, match="`scorer` must be one of"):
        D.scorer_model("vit_h")


def test_curation_plan_cost_image_clip_128m():
    """v1-09 B: training 5.6755e18 FLOP, scoring 2.2442e19 FLOP, storage 4.5 TB × $23 = $103.50; parts add up."""
    c = D.curation_plan_cost("medium", "image_clip", **PRICES)
    assert close(c.training_flop, TRAIN_128M)
    assert close(c.scoring_flop, SCORE_128M)
    assert close(c.training_usd, TRAIN_128M * C_OP)
    assert close(c.scoring_usd, SCORE_128M * C_OP)
    assert close(c.storage_usd, 4.5 * 23.0)
    assert close(c.total_usd, (TRAIN_128M + SCORE_128M) * C_OP + 103.5)


def test_curation_plan_cost_charges_laion_scorer():
    """The LAION-2B rule pays one ViT-B/32 pass: 14.78e9 × 128e6 FLOP (plan_cost leaves it out)."""
    c = D.curation_plan_cost("medium", "laion", **PRICES)
    assert close(c.scoring_flop, 14.78e9 * 128e6)
    assert close(c.scoring_usd, 14.78e9 * 128e6 * C_OP)


def test_curation_plan_cost_shared_scoring():
    """v1-09 D: four runs share one scoring pass: $15.94 + $63.03 / 4 + $103.50 per run (989.5 TFLOP/s peak)."""
    c = D.curation_plan_cost("medium", "image_clip", runs_sharing_scores=4, **PRICES)
    assert close(c.scoring_flop, SCORE_128M / 4)
    assert close(c.total_usd, TRAIN_128M * C_OP + SCORE_128M * C_OP / 4 + 103.5)


def test_next_scale():
    """Each DataComp scale is 10× the last; nothing above xlarge."""
    assert [D.next_scale(s) for s in ("small", "medium", "large", "xlarge")] == ["medium", "large", "xlarge", None]


def test_curation_vs_scale_128m():
    """v1-09 B: 12.17 / $63.03 × 1000 vs 28.38 / (Δ total) × 1000, ratio ≈ 9.25 at the 989.5 TFLOP/s peak."""
    v = D.curation_vs_scale("medium", "image_clip", "imagenet", **PRICES)
    cur_k = (29.72 - 17.55) / (SCORE_128M * C_OP) * 1000
    d_scale = (TRAIN_1B * C_OP + 45 * 23.0) - (TRAIN_128M * C_OP + 4.5 * 23.0)
    scale_k = (45.93 - 17.55) / d_scale * 1000
    assert close(v.curation_per_kusd, cur_k)
    assert close(v.scale_per_kusd, scale_k)
    assert close(v.ratio, cur_k / scale_k)
    assert round(v.ratio, 2) == 9.25
    assert v.note == ""


def test_curation_vs_scale_small_and_large():
    """v1-09 B: one scale down (CLIP-30 vs 128 M raw) 2.70×; one scale up (image ∩ CLIP vs 12.8 B raw) 28.7×."""
    small = D.curation_vs_scale("small", "clip30", "imagenet", **PRICES)
    cur = (5.05 - 2.70) / (175.33e9 * 12.8e6 * C_OP) * 1000
    d = (TRAIN_128M * C_OP + 4.5 * 23) - (3 * 14.78e9 * 12.8e6 * C_OP + 0.45 * 23)
    assert close(small.ratio, cur / ((17.55 - 2.70) / d * 1000))
    assert round(small.ratio, 2) == 2.70
    large = D.curation_vs_scale("large", "image_clip", "imagenet", **PRICES)
    cur = (63.10 - 45.93) / (175.33e9 * 1.28e9 * C_OP) * 1000
    d = (3 * 175.33e9 * 12.8e9 * C_OP + 450 * 23) - (TRAIN_1B * C_OP + 45 * 23)
    assert close(large.ratio, cur / ((72.29 - 45.93) / d * 1000))
    assert round(large.ratio, 1) == 28.7


def test_curation_vs_scale_refuses_missing_rows():
    """No scale above 12.8 B, no small image ∩ CLIP row, and a free rule filter: None with the reason."""
    top = D.curation_vs_scale("xlarge", "clip30", "imagenet", **PRICES)
    assert top.ratio is None and top.bigger is None and "no measured row above 12.8 B" in top.note
    small = D.curation_vs_scale("small", "image_clip", "imagenet", **PRICES)
    assert small.curated_pct is None and small.ratio is None and small.note.startswith("not measured")
    basic = D.curation_vs_scale("medium", "basic", "imagenet", **PRICES)
    assert basic.curation_cost_usd == 0.0 and basic.curation_per_kusd is None and "rule-based" in basic.note


def test_upload_bytes():
    """v1-09 C: 4.5 TB / 128 M = 35.16 kB per pair → 35.16 MB per 1,000 raw, 10.55 MB for the top 30 %."""
    assert close(D.upload_bytes(1000), 1000 * 4.5e12 / 128e6)
    assert close(D.upload_bytes(1000, "medium", 0.3), 0.3 * 1000 * 4.5e12 / 128e6)
    with pytest.raises(EngineInputError, match="`keep_fraction` must be a fraction"):
        D.upload_bytes(1000, "medium", 1.5)


def test_curation_plan_evaluate_verdicts():
    """v1-09 D: 128 M raw misses 31 % (25.80); image ∩ CLIP passes; 1.28 B raw breaks the $200 budget."""
    base = D.curation_plan_evaluate("medium", "none", 200, 31, "avg38", 1, **PRICES)
    assert base.binding == "target" and base.accuracy_pct == 25.80
    best = D.curation_plan_evaluate("medium", "image_clip", 200, 31, "avg38", 1, **PRICES)
    assert best.feasible and best.accuracy_pct == 32.81
    big = D.curation_plan_evaluate("large", "none", 200, 31, "avg38", 1, **PRICES)
    assert big.binding == "budget"
    assert close(big.cost_usd, TRAIN_1B * C_OP + 45 * 23)


def test_rank_plans_default_brief():
    """v1-09 D: the feasible plans are 128 M image-based, CLIP-30 and image ∩ CLIP, best first."""
    ranked = D.rank_plans(200, 31, "avg38", 1, **PRICES)
    feasible = [(p.scale, p.filter) for p in ranked if p.feasible]
    assert feasible == [("medium", "image_clip"), ("medium", "clip30"), ("medium", "image")]
    assert len(ranked) == 24  # every measured cell, none invented
    assert all(p.accuracy_pct is not None for p in ranked)
