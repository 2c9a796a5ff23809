"""v1-15 — No Free Safeguard.

Deploy lab: show that one confidence threshold for everyone loads the delays onto the group whose reads are less
separable (Part A), price the fix — equalising delay rates moves wrong credits onto that group (Part B), find where
DP-SGD's per-example gradients fit across the four deployment contexts and what privacy costs in measured accuracy
and time (Part C), and find a policy that passes the privacy, fairness and review-capacity rules at once (Part D).
Spec: shared/labs/v1-15.md.

Fairness numbers come from `engine.responsible`'s binormal score model (illustrative, labelled assumptions: d′ 3.0
and 2.2, B misreads 3× as often). Privacy's accuracy cost comes only from the measured table
`registry.quality.dpsgd_mnist` (Abadi et al. 2016 §5.2): ε ∈ {none, 8, 2, 0.5}; the engine looks up those rows and
refuses any other ε. Memory budgets are the v1-00 context envelope (tiny: the STM32H743's SRAM). This module only
chooses the scenario's settings and words the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.models import DP_MNIST_MLP
from engine.registry.quality import DPSGD_EPOCH_SLOWDOWN, DPSGD_MNIST
from engine.responsible import (
    CITED,
    DP_GRADIENT_BYTES,
    binormal_rates,
    delay_gap_check,
    dp_accuracy_lookup,
    dp_epoch_multiplier,
    dpsgd_fit,
    equalize_rate,
    fair_single_thresholds,
    group_outcomes,
    misread_rates,
    policy_report,
    score_density,
)
from engine.units import format_auto, format_exact, format_number, format_value, from_base, ratio, to_base
from labs.schema import (
    Briefing,
    Chart,
    ChoicePrediction,
    FailureState,
    Lab,
    LedgerRead,
    LedgerWrite,
    MathPeek,
    NumericPrediction,
    Option,
    Output,
    Part,
    Reveal,
    SHARE,
    Scenario,
    Select,
    Slider,
    Synthesis,
)
from labs.v1_13 import SAFE_UTILIZATION_PRESET

HOME = "v1-00.home_context"
SAFE_UTIL = "v1-13.safe_utilization"
MONITORS = "v1-14.monitors"

# --- the scenario's settings ---------------------------------------------------------------------------------
D_A = CITED["dprime_a"].value  # 3.0 (assumption, engine.responsible)
D_B = CITED["dprime_b"].value  # 2.2 (assumption)
SHARE_B = CITED["share_b"].value  # 20 % of cheques (assumption)
THRESHOLD = 2.0  # Ledgerline's single confidence threshold (scenario)
GAP_TARGET_POINTS = 5.0  # the fairness target (policy assumption)
PER = 10_000.0  # outcomes are counted per 10,000 cheques of a group
CHEQUES_PER_DAY = 20_000.0  # Ledgerline's volume (assumption): 16,000 group A + 4,000 group B
REVIEW_CAPACITY = 4_500.0  # cheques/day the review team clears (assumption)
EPSILON_BUDGET = 10.0  # ε per year (assumption: the regulator's rule in the scenario)
PARAMS = DP_MNIST_MLP.params  # 71,010 (Abadi et al. 2016's digit model, registry.models)
BYTES = DP_GRADIENT_BYTES.value  # 4 B per FP32 gradient value
LOT = 600  # Abadi et al. 2016 §5.2 lot size
MONITORS_PRESET = "not recorded"

# Lot sizes: powers of two from 1 to 4,096, plus the paper's 600 (spec: "log ×2", which would put 600 off the grid).
LOT_STEPS: tuple[float, ...] = tuple(sorted({float(2**k) for k in range(13)} | {float(LOT)}))

CONTEXT_LABEL: Mapping[str, str] = {k: f"{get_context(k).label} ({get_context(k).device.name})" for k in CONTEXT_KEYS}
SHORT_LABEL: Mapping[str, str] = {
    "cloud": "Cloud (H100)", "edge": "Edge (Orin)", "mobile": "Mobile (phone)", "tiny": "Tiny (STM32H743)",
}

EPS_LABEL: Mapping[str, str] = {"none": "none (non-private)", "8": "ε = 8", "2": "ε = 2", "0.5": "ε = 0.5"}
EPS_OPTIONS_C = tuple(Option(k, EPS_LABEL[k]) for k in ("none", "8", "2", "0.5"))
EPS_OPTIONS_D = tuple(Option(k, EPS_LABEL[k]) for k in ("8", "2", "0.5"))
RETRAIN_OPTIONS = (Option("1", "1 (once a year)", value=1), Option("4", "4 (quarterly)", value=4),
                   Option("12", "12 (monthly)", value=12))
POLICY_B_OPTIONS = (
    Option("single", "single threshold (t_B = t_A)"),
    Option("equal_delay", "equal delay rates"),
    Option("equal_far", "equal wrong-credit rates"),
    Option("manual", "manual (set t_B below)"),
)
POLICY_D_OPTIONS = (Option("single", "single threshold"), Option("equal_delay", "group thresholds (equal delay rates)"))
POLICY_NAME: Mapping[str, str] = {"single": "single threshold", "equal_delay": "group thresholds (equal delay rates)"}

# Part D's candidate policies (the prediction's options): threshold policy, ε per retrain, retrains per year
CANDIDATES: Mapping[str, tuple[str, str, int]] = {
    "a": ("single", "8", 1),
    "b": ("equal_delay", "8", 1),
    "c": ("equal_delay", "2", 4),
    "d": ("equal_delay", "0.5", 12),
}

# --- shared helpers (wording only; every number comes from an engine call) -----------------------------------


def _pct(x: float, sig: int = 3) -> str:
    return format_value(x, "percent", sig)


def _n(x: float, sig: int = 3) -> str:
    return format_number(x, sig)


def _count(x: float) -> str:
    """A count per day or per 10,000: whole numbers from 1,000 up, 3 significant figures below."""
    return format_number(x, 4) if abs(x) >= 1000 else format_number(x, 3)


def _target_points(gap_target_pp: float) -> float:
    """The fairness-target slider arrives in SI (a fraction); the engine takes percentage points."""
    return from_base(gap_target_pp, "points")



def _monitor_text(monitors: Any) -> str:
    """What v1-14 recorded, and whether a per-group monitor is already in place."""
    text = str(monitors).strip() if monitors is not None else ""
    if not text or text == MONITORS_PRESET:
        return "unknown (v1-14 not recorded)"
    keys = [k.strip() for k in text.split(",")]
    if "per_source" in keys:
        return "yes: per-source slicing (v1-14)"
    return f"no: {text} only (v1-14)"


def _band_text(band: Any, target_points: float) -> str:
    if band.all_pass:
        return (f"every threshold: the largest possible gap, {band.peak_gap_points:.1f} points at t = "
                f"{band.peak_threshold:.2f}, is within {target_points:.1f} points")
    return f"t ≤ {band.t_low:.3f} or t ≥ {band.t_high:.3f}"


# --- Part A: calibration — one threshold for everyone ---------------------------------------------------------


def one_threshold(threshold: float, dprime_b: float, gap_target_pp: float, monitors: Any) -> dict[str, Any]:
    """Part A model: both groups' error rates and outcomes per 10,000 cheques at one threshold, and the gap."""
    target = _target_points(gap_target_pp)
    m_a, m_b = misread_rates("none")
    oa = group_outcomes(threshold, D_A, m_a, PER)
    ob = group_outcomes(threshold, dprime_b, m_b, PER)
    gap = delay_gap_check(oa.rates, ob.rates, target)
    band = fair_single_thresholds(D_A, dprime_b, target)
    out: dict[str, Any] = {
        "far_a": oa.rates.far,
        "far_b": ob.rates.far,
        "frr_a": oa.rates.frr,
        "frr_b": ob.rates.frr,
        "delays_a": oa.delays,
        "delays_b": ob.delays,
        "wrong_a": oa.wrong_credits,
        "wrong_b": ob.wrong_credits,
        "auto_a": oa.auto_credited_share,
        "auto_b": ob.auto_credited_share,
        "delay_gap": to_base(gap.gap_points, "points"),
        "delay_ratio": ratio(ob.rates.frr, oa.rates.frr),
        "fair_band": _band_text(band, target),
        "monitor": _monitor_text(monitors),
        "m_a": m_a,
        "m_b": m_b,
        "dprime_a": D_A,
        "gap_fails": not gap.passes,
        "gap_message": gap.message(),
    }
    # densities on a score grid, with the threshold drawn as a vertical segment (its x appears twice)
    grid = [round(-2.5 + 0.1 * i, 1) for i in range(86)]
    xs = sorted(grid + [threshold, threshold])
    first = xs.index(threshold)
    peak = max(score_density(D_A, D_A)[1], score_density(0.0, 0.0)[0])
    miss, ok_a, ok_b, line = [], [], [], []
    for i, s in enumerate(xs):
        f_miss, f_a = score_density(s, D_A)
        _, f_b = score_density(s, dprime_b)
        miss.append(f_miss)
        ok_a.append(f_a)
        ok_b.append(f_b)
        line.append(0.0 if i == first else peak * 1.05 if i == first + 1 else None)
    out["charts"] = {
        "score_densities": {
            "x": xs,
            "series": [
                {"name": "misreads (both groups)", "y": miss},
                {"name": "correct reads, group A", "y": ok_a},
                {"name": "correct reads, group B", "y": ok_b},
                {"name": "threshold t", "y": line},
            ],
        }
    }
    return out


def _reveal_a() -> str:
    r = one_threshold(THRESHOLD, D_B, to_base(GAP_TARGET_POINTS, "points"), MONITORS_PRESET)
    return (
        f"Misread scores follow the same N(0, 1) in both groups, so the false-accept rate is 1 − Φ(2.0) = "
        f"**{_pct(r['far_a'])}** for both: the single rule equalised wrong credits. Correct reads differ: delay rates "
        f"are A = Φ(2.0 − 3.0) = {_pct(r['frr_a'], 4)} and B = Φ(2.0 − 2.2) = {_pct(r['frr_b'], 4)}, a gap of "
        f"**{_n(from_base(r['delay_gap'], 'points'))} points** ({_n(r['delay_ratio'], 2)}× as often).\n\n"
        f"Per 10,000 cheques (non-private misread rates m_A = {_pct(r['m_a'], 2)}, m_B = {_pct(r['m_b'], 2)}): delays "
        f"A {_count(r['delays_a'])}, B {_count(r['delays_b'])}; wrong credits A {_n(r['wrong_a'], 2)}, B "
        f"{_n(r['wrong_b'], 3)}. \"Same rule\" equalised the false-accept rate and concentrated the delays on group B. "
        f"A single threshold meets the {GAP_TARGET_POINTS:g}-point target only at {r['fair_band']}; Part B prices "
        f"each option."
    )


PART_A = Part(
    id="A",
    title="Calibration: one threshold for everyone",
    kind="calibration",
    scenario=Scenario(
        speaker="Camille Laurent",
        role="Head of Digital Deposits at Ledgerline",
        text=(
            "We use a single confidence threshold, 2.0, for every customer. Same rule, same treatment — that's fair "
            "by construction, isn't it? Complaints from some branches say their deposits are always delayed."
        ),
    ),
    prediction=NumericPrediction(
        prompt=(
            "Difference in delay rate (correct cheques sent to review) between group B and group A at the single "
            "threshold 2.0."
        ),
        unit="points",
        # the spec says 0–50 points; the off-by factor needs a positive prediction, so the scale opens at 0.1
        min=0.1,
        max=50,
        answer="delay_gap",
        scale="linear",
    ),
    instruments=(
        Slider("threshold", "Auto-credit threshold t", "none", 0, 5, THRESHOLD, step=0.05,
               help="Score ≥ t → auto-credit; below → a human reviewer (the deposit waits a day)."),
        Slider("dprime_b", "Separability of group B (what-if)", "none", 1.0, 3.0, D_B, step=0.1,
               help="d′_B: how far group B's correct-read scores sit above misread scores (group A: 3.0)."),
        # the spec says 1–20 points; its recovery "raise the target" needs a target above the 26.2-point gap
        Slider("gap_target_pp", "Fairness target (max delay-rate gap)", "points", 1, 30, GAP_TARGET_POINTS,
               step=0.5, help="The largest difference in delay rates between the groups the bank accepts."),
    ),
    compute=one_threshold,
    ledger_inputs={"monitors": MONITORS},
    outputs=(
        Output("delay_gap", "Delay-rate gap, B − A", "points", 3),
        Output("frr_a", "Group A: delay rate (correct cheques sent to review)", "percent", 4, bounds=SHARE),
        Output("frr_b", "Group B: delay rate", "percent", 4, bounds=SHARE),
        Output("delay_ratio", "B delayed this many times as often as A", "x", 3),
        Output("far_a", "Group A: wrong-credit rate (misreads auto-credited)", "percent", 3, bounds=SHARE),
        Output("far_b", "Group B: wrong-credit rate", "percent", 3, bounds=SHARE),
        Output("delays_a", "Group A: delays per 10,000 cheques", "count", 4),
        Output("delays_b", "Group B: delays per 10,000 cheques", "count", 4),
        Output("wrong_a", "Group A: wrong credits per 10,000 cheques", "count", 3),
        Output("wrong_b", "Group B: wrong credits per 10,000 cheques", "count", 3),
        Output("auto_a", "Group A: share auto-credited", "percent", 3, bounds=SHARE),
        Output("auto_b", "Group B: share auto-credited", "percent", 3, bounds=SHARE),
        Output("fair_band", "Single thresholds that meet the target", kind="text"),
        Output("monitor", "Per-group monitor already in place? (v1-14)", kind="text"),
        Output("m_a", "Misread rate m_A", "percent", 2, show=False, bounds=SHARE),
        Output("m_b", "Misread rate m_B", "percent", 2, show=False, bounds=SHARE),
        Output("dprime_a", "Separability of group A", "none", 2, show=False),
    ),
    charts=(
        Chart(
            id="score_densities",
            kind="line",
            title="Confidence scores: misreads, and correct reads of each group, with the threshold",
            x_label="Confidence score",
            y_label="Probability density",
            description=(
                "Misreads score N(0, 1) in both groups; correct reads score N(3.0, 1) for A and N(d′_B, 1) for B. "
                "Correct reads left of the threshold are delayed; misreads right of it are wrongly credited."
            ),
        ),
    ),
    failures=(
        FailureState("fairness_gap", "Fairness gap above target", when="gap_fails", message="gap_message"),
    ),
    math=MathPeek(
        equations=(
            r"\mathrm{FAR} = 1 - \Phi(t), \qquad \mathrm{FRR}_g = \Phi(t - d'_g)",
            r"\text{delays}_g = 10^4 (1 - m_g)\,\mathrm{FRR}_g, \qquad \text{wrong credits}_g = 10^4\, m_g\,\mathrm{FAR}_g",
            r"\Delta = 100\,(\mathrm{FRR}_B - \mathrm{FRR}_A)\ \text{points}",
        ),
        substituted=(
            "FAR = 1 − Φ({threshold}) = {far_a} (both groups)",
            "FRR_A = Φ({threshold} − {dprime_a}) = {frr_a};  FRR_B = Φ({threshold} − {dprime_b}) = {frr_b}",
            "delays: A 10⁴ × (1 − {m_a}) × {frr_a} = {delays_a};  B 10⁴ × (1 − {m_b}) × {frr_b} = {delays_b}",
            "wrong credits: A 10⁴ × {m_a} × {far_a} = {wrong_a};  B 10⁴ × {m_b} × {far_b} = {wrong_b}",
            "Δ = {frr_b} − {frr_a} = {delay_gap} (target {gap_target_pp})",
        ),
        engine=(
            "engine.responsible.binormal_rates",
            "engine.responsible.group_outcomes",
            "engine.responsible.misread_rates",
            "engine.responsible.delay_gap_check",
            "engine.responsible.fair_single_thresholds",
        ),
        note=(
            "The score model is illustrative (d′ values are assumptions); the misread rates are the measured "
            "non-private accuracy 98.30 % (Abadi et al. 2016) for group A and 3× that error for group B."
        ),
    ),
    reveal=Reveal(_reveal_a()),
)

# --- Part B: deepening — equalise one error, move another ----------------------------------------------------


def _t_b(policy: str, threshold_a: float, threshold_b: float) -> float:
    if policy == "equal_delay":
        return equalize_rate(threshold_a, D_A, D_B, "frr")
    if policy in ("single", "equal_far"):
        return equalize_rate(threshold_a, D_A, D_B, "far")  # equal FAR is t_B = t_A: the single threshold
    return threshold_b


def _roc_chart(t_a: float, t_b: float) -> dict[str, Any]:
    """ROC curves (x = wrong-credit rate, y = correct reads auto-credited) with each group's operating point drawn
    as a vertical segment (its x appears twice)."""
    entries: list[tuple[float, str]] = [(round(4.0 - 0.05 * i, 2), "") for i in range(121)]
    entries += [(t_a, "A0"), (t_a, "A1"), (t_b, "B0"), (t_b, "B1")]
    entries.sort(key=lambda e: (-e[0], e[1]))
    xs, roc_a, roc_b, pt_a, pt_b = [], [], [], [], []
    for t, tag in entries:
        ra, rb = binormal_rates(t, D_A), binormal_rates(t, D_B)
        xs.append(ra.far)
        roc_a.append(1 - ra.frr)
        roc_b.append(1 - rb.frr)
        pt_a.append({"A0": 0.0, "A1": 1 - ra.frr}.get(tag))
        pt_b.append({"B0": 0.0, "B1": 1 - rb.frr}.get(tag))
    return {
        "x": xs,
        "series": [
            {"name": "group A (d′ = 3.0)", "y": roc_a},
            {"name": "group B (d′ = 2.2)", "y": roc_b},
            {"name": "A's operating point", "y": pt_a},
            {"name": "B's operating point", "y": pt_b},
        ],
        "lines": [{"y": 1 - binormal_rates(t_a, D_A).frr, "label": "A's share of correct reads credited"}],
    }


def equalise(threshold_a: float, policy: str, threshold_b: float) -> dict[str, Any]:
    """Part B model: each group's threshold under a policy, both error rates, outcomes and precision per group."""
    t_b = _t_b(policy, threshold_a, threshold_b)
    m_a, m_b = misread_rates("none")
    oa = group_outcomes(threshold_a, D_A, m_a, PER)
    ob = group_outcomes(t_b, D_B, m_b, PER)
    single_b = group_outcomes(threshold_a, D_B, m_b, PER)
    t_eq = equalize_rate(threshold_a, D_A, D_B, "frr")
    gap = delay_gap_check(oa.rates, ob.rates, GAP_TARGET_POINTS)
    return {
        "t_b": t_b,
        "t_b_equal": t_eq,
        "far_a": oa.rates.far,
        "far_b": ob.rates.far,
        "frr_a": oa.rates.frr,
        "frr_b": ob.rates.frr,
        "far_ratio": ratio(ob.rates.far, oa.rates.far),
        "delay_gap": to_base(gap.gap_points, "points"),
        "delays_a": oa.delays,
        "delays_b": ob.delays,
        "delays_b_single": single_b.delays,
        "wrong_a": oa.wrong_credits,
        "wrong_b": ob.wrong_credits,
        "wrong_b_single": single_b.wrong_credits,
        "precision_a": oa.precision,
        "precision_b": ob.precision,
        "auto_a": oa.auto_credited_share,
        "auto_b": ob.auto_credited_share,
        "far_b_equalized": binormal_rates(t_eq, D_B).far,
        "dprime_a": D_A,
        "dprime_b": D_B,
        "charts": {"roc": _roc_chart(threshold_a, t_b)},
    }


def _reveal_b() -> str:
    r = equalise(THRESHOLD, "equal_delay", 1.2)
    band = fair_single_thresholds(D_A, D_B, GAP_TARGET_POINTS)
    low_far = binormal_rates(band.t_low, D_A).far
    high_frr = binormal_rates(band.t_high, D_A).frr
    return (
        f"Equal delay rates need t_B − 2.2 = 2.0 − 3.0 → t_B = **{_n(r['t_b'], 2)}**. Then FAR_B = 1 − Φ(1.2) = "
        f"**{_pct(r['far_b'], 4)}** ({_n(r['far_ratio'], 3)}× A's {_pct(r['far_a'])}). Per 10,000 group-B cheques: "
        f"delays {_count(r['delays_b_single'])} → {_count(r['delays_b'])}; wrong credits "
        f"{_n(r['wrong_b_single'], 3)} → {_n(r['wrong_b'], 3)}. Precision of B's auto-credits falls from "
        f"{_pct(group_outcomes(THRESHOLD, D_B, misread_rates('none')[1]).precision, 4)} to "
        f"{_pct(r['precision_b'], 4)}.\n\n"
        f"With unequal separability no threshold pair equalises both error rates: \"equal wrong-credit rates\" is "
        f"the single threshold again, so the policy chooses who carries which error. A single threshold meets the "
        f"{GAP_TARGET_POINTS:g}-point target only at t ≤ {band.t_low:.3f} ({_pct(low_far, 2)} of misreads "
        f"auto-credited) or t ≥ {band.t_high:.3f} ({_pct(high_frr, 2)} of group A's correct cheques delayed)."
    )


PART_B = Part(
    id="B",
    title="Deepening: equalise one error, move another",
    kind="deepening",
    scenario=Scenario(
        speaker="Camille Laurent",
        role="Head of Digital Deposits at Ledgerline",
        text="Then give group B a lower threshold so their delays match group A's. Problem solved?",
    ),
    prediction=NumericPrediction(
        prompt=(
            "Lower B's threshold until its delay rate equals A's (15.9 %). Group B's false-accept (wrong credit) rate "
            "becomes?"
        ),
        unit="percent",
        min=0.1,  # the spec says 0–40 %; the off-by factor needs a positive prediction
        max=40,
        answer="far_b_equalized",
        scale="linear",
    ),
    instruments=(
        Slider("threshold_a", "Threshold, group A", "none", 0, 5, THRESHOLD, step=0.05,
               help="Group A's auto-credit threshold t_A."),
        Select("policy", "Threshold policy", POLICY_B_OPTIONS, default="equal_delay",
               help="How group B's threshold is set from group A's."),
        Slider("threshold_b", "Threshold, group B (used when the policy is manual)", "none", 0, 5, 1.2, step=0.05,
               help="Group B's threshold t_B, free only under the manual policy; otherwise derived."),
    ),
    compute=equalise,
    outputs=(
        Output("t_b", "Group B's threshold in use", "none", 3),
        Output("frr_a", "Group A: delay rate", "percent", 4, bounds=SHARE),
        Output("frr_b", "Group B: delay rate", "percent", 4, bounds=SHARE),
        Output("far_a", "Group A: wrong-credit rate", "percent", 4, bounds=SHARE),
        Output("far_b", "Group B: wrong-credit rate", "percent", 4, bounds=SHARE),
        Output("far_ratio", "B's wrong-credit rate ÷ A's", "x", 3),
        Output("delay_gap", "Delay-rate gap", "points", 3),
        Output("delays_a", "Group A: delays per 10,000 cheques", "count", 4),
        Output("delays_b", "Group B: delays per 10,000 cheques", "count", 4),
        Output("wrong_a", "Group A: wrong credits per 10,000 cheques", "count", 3),
        Output("wrong_b", "Group B: wrong credits per 10,000 cheques", "count", 3),
        Output("precision_a", "Group A: precision of auto-credits", "percent", 4, bounds=SHARE),
        Output("precision_b", "Group B: precision of auto-credits", "percent", 4, bounds=SHARE),
        Output("auto_a", "Group A: share auto-credited", "percent", 3, bounds=SHARE),
        Output("auto_b", "Group B: share auto-credited", "percent", 3, bounds=SHARE),
        Output("far_b_equalized", "Group B's wrong-credit rate at equal delay rates", "percent", 3, show=False,
               bounds=SHARE),
        Output("t_b_equal", "t_B for equal delay rates", "none", 3, show=False),
        Output("delays_b_single", "B delays per 10,000 at t_B = t_A", "count", 4, show=False),
        Output("wrong_b_single", "B wrong credits per 10,000 at t_B = t_A", "count", 3, show=False),
        Output("dprime_a", "d′_A", "none", 2, show=False),
        Output("dprime_b", "d′_B", "none", 2, show=False),
    ),
    charts=(
        Chart(
            id="roc",
            kind="line",
            title="ROC curves of both groups, with each group's operating point",
            x_label="Wrong-credit rate, % (misreads auto-credited)",
            y_label="Correct reads auto-credited",
            x_unit="percent",
            y_unit="percent",
            x_log=True,
            description=(
                "Each curve is one group's trade-off as its threshold moves. Vertical segments mark the operating "
                "points; under equal delay rates B's point sits on A's dashed line, far to the right of A's."
            ),
        ),
    ),
    math=MathPeek(
        equations=(
            r"\text{equal FRR: } t_B = d'_B - (d'_A - t_A)",
            r"\mathrm{FAR}_B = 1 - \Phi(t_B)",
            r"\text{precision}_g = \frac{(1 - m_g)(1 - \mathrm{FRR}_g)}{(1 - m_g)(1 - \mathrm{FRR}_g) + m_g\,\mathrm{FAR}_g}",
        ),
        substituted=(
            "equal FRR: t_B = {dprime_b} − ({dprime_a} − {threshold_a}) = {t_b_equal}; policy {policy} → t_B = {t_b}",
            "FAR_B = 1 − Φ({t_b}) = {far_b};  FAR_A = 1 − Φ({threshold_a}) = {far_a};  ratio {far_ratio}",
            "delay rates: A {frr_a}, B {frr_b} (gap {delay_gap})",
            "precision: A {precision_a}, B {precision_b}",
        ),
        engine=(
            "engine.responsible.equalize_rate",
            "engine.responsible.binormal_rates",
            "engine.responsible.group_outcomes",
        ),
        note="Equal wrong-credit rates means t_B = t_A, because misread scores have one distribution in both groups.",
    ),
    reveal=Reveal(_reveal_b()),
)

# --- Part C: cross-context — where can private training run? -------------------------------------------------

FIT_OPTION: Mapping[tuple[str, ...], str] = {
    ("cloud", "edge", "mobile", "tiny"): "a",
    ("cloud", "edge", "mobile"): "b",
    ("cloud", "edge"): "c",
    ("cloud",): "d",
}


def _fits(lot: int) -> tuple[str, ...]:
    return tuple(k for k in CONTEXT_KEYS if dpsgd_fit(lot, PARAMS, k, BYTES).fits)


def fit_answer() -> str:
    """Part C's answer at the scenario's settings (lot 600): the option naming the contexts that hold the gradients."""
    return FIT_OPTION.get(_fits(LOT), "a")


def _fit_row(fit: Any) -> str:
    verdict = "fits" if fit.fits else f"does not fit ({_n(fit.ratio, 3)}× over)"
    return (f"{format_auto(fit.gradient_bytes, 'bytes', 4)} of {format_auto(fit.budget_bytes, 'bytes')} "
            f"{fit.budget_label}: {verdict}")


def private_training(lot_size: float, epsilon: str, context: str) -> dict[str, Any]:
    """Part C model: per-example gradient memory against each context's writable memory; accuracy and time at ε."""
    lot = int(round(lot_size))
    fits = {k: dpsgd_fit(lot, PARAMS, k, BYTES) for k in CONTEXT_KEYS}
    chosen = fits[context]
    acc = dp_accuracy_lookup(epsilon)
    fitting = [k for k in CONTEXT_KEYS if fits[k].fits]
    out: dict[str, Any] = {
        "grad_mem": chosen.gradient_bytes,
        "budget": chosen.budget_bytes,
        "budget_text": f"{format_auto(chosen.budget_bytes, 'bytes')} {chosen.budget_label}",
        "context_verdict": _fit_row(chosen),
        "memory_ratio": chosen.ratio,
        "fits_text": ", ".join(fitting) if fitting else "none",
        "accuracy": float(acc.accuracy),  # every offered ε has a measured row
        "accuracy_note": f"measured, {DPSGD_MNIST[epsilon].note}; the same on every context",
        "epoch_multiplier": dp_epoch_multiplier(epsilon),
        "params": PARAMS,
        "bytes_per_value": BYTES,
        "streaming": chosen.streaming_bytes,
        "oom": not chosen.fits,
        "oom_message": chosen.message(),
        "answer": fit_answer(),
    }
    for k in CONTEXT_KEYS:
        out[f"row_{k}"] = _fit_row(fits[k])
    out["charts"] = {
        "gradient_memory": {
            "x": [SHORT_LABEL[k] for k in CONTEXT_KEYS],
            "series": [
                {"name": "per-example gradients", "y": [fits[k].gradient_bytes for k in CONTEXT_KEYS],
                 "status": ["ok" if fits[k].fits else "fail" for k in CONTEXT_KEYS],
                 "labels": ["" if fits[k].fits else "does not fit" for k in CONTEXT_KEYS]},
                {"name": "writable memory", "y": [fits[k].budget_bytes for k in CONTEXT_KEYS]},
            ],
        }
    }
    return out


def _reveal_c() -> str:
    fits = {k: dpsgd_fit(LOT, PARAMS, k, BYTES) for k in CONTEXT_KEYS}
    t = fits["tiny"]
    cells = ", ".join(
        f"{k} ({format_auto(f.budget_bytes, 'bytes') if k != 'tiny' else format_exact(f.budget_bytes, 'MiB')}) "
        f"{'✓' if f.fits else '✗'}" for k, f in fits.items()
    )
    acc = dp_accuracy_lookup("2").accuracy
    tiny_lots = " and ".join(format_exact(x, "count") for x in LOT_STEPS if "tiny" in _fits(int(x)))
    return (
        f"The digit model of Abadi et al. (60-dimensional PCA input, 1,000 ReLU units, 10 outputs) has 60 × 1,000 + "
        f"1,000 + 1,000 × 10 + 10 = **{_count(PARAMS)}** trainable parameters. Gradients: {LOT} × {_count(PARAMS)} × "
        f"{format_exact(BYTES, 'B')} = **{format_auto(t.gradient_bytes, 'bytes', 4)}**: {cells} "
        f"({_n(t.ratio, 3)}× over) → (b).\n\n"
        f"Accuracy at ε = 2 is {_pct(float(acc), 2)} wherever it runs; time is "
        f"{_n(DPSGD_EPOCH_SLOWDOWN.value, 2)}× the non-private epoch wherever it runs. The microcontroller could "
        f"still train privately by streaming one example at a time: weights + one gradient + the clipped sum = "
        f"{format_auto(t.streaming_bytes, 'bytes')}, under its {format_auto(t.budget_bytes, 'bytes')} of SRAM; "
        f"holding a whole lot fits only at lot sizes {tiny_lots} on the slider."
    )


PART_C = Part(
    id="C",
    title="Cross-context: where can private training run?",
    kind="cross-context",
    scenario=Scenario(
        speaker="Ravi Menon",
        role="Privacy Engineering Lead",
        text=(
            "Regulators want differential privacy on anything trained from customer cheques. DP-SGD clips every "
            "example's gradient separately. We could train in our cloud, on branch Orin servers, on customers' "
            "phones, or on the Cortex-M7 in the deposit kiosks. Which of those can even hold it?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Where does DP-SGD fit with lots of 600 examples and per-example gradients held in memory?",
        options=(
            Option("a", "all four"),
            Option("b", "cloud, edge, mobile"),
            Option("c", "cloud and edge"),
            Option("d", "cloud only"),
        ),
        answer="answer",
    ),
    instruments=(
        Slider("lot_size", "Lot size", "count", 1, 4096, float(LOT), steps=LOT_STEPS,
               help="Examples L whose gradients are clipped separately and held at once (powers of two, and 600)."),
        Select("epsilon", "ε per training run", EPS_OPTIONS_C, default="2",
               help="Privacy level of one run (δ = 10⁻⁵). Only the measured rows are offered."),
        Select("context", "Context to train on", tuple(Option(k, CONTEXT_LABEL[k]) for k in CONTEXT_KEYS),
               default="cloud", default_from=HOME, help="Opens on your home context (v1-00)."),
    ),
    compute=private_training,
    ledger_inputs={},
    outputs=(
        Output("context_verdict", "Chosen context", kind="text"),
        Output("grad_mem", "Per-example gradient memory", "MB", 4),
        Output("memory_ratio", "Gradients ÷ writable memory", "x", 3),
        Output("row_cloud", CONTEXT_LABEL["cloud"], kind="text"),
        Output("row_edge", CONTEXT_LABEL["edge"], kind="text"),
        Output("row_mobile", CONTEXT_LABEL["mobile"], kind="text"),
        Output("row_tiny", CONTEXT_LABEL["tiny"], kind="text"),
        Output("fits_text", "Contexts that hold the gradients", kind="text"),
        Output("accuracy", "Measured accuracy at this ε", "percent", 3, bounds=SHARE),
        Output("accuracy_note", "Accuracy source (Abadi et al. 2016)", kind="text"),
        Output("epoch_multiplier", "Epoch time vs non-private training", "x", 2),
        Output("params", "Trainable parameters P", "parameters", 5, show=False),
        Output("bytes_per_value", "Bytes per gradient value (FP32)", "B", 1, show=False),
        Output("budget_text", "Writable memory of the chosen context", kind="text", show=False),
        Output("streaming", "Streaming footprint, one example at a time", "MB", 3, show=False),
        Output("answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="gradient_memory",
            kind="grouped_bar",
            title="Per-example gradient memory against each context's writable memory",
            x_label="Context",
            y_label="Memory",
            y_unit="MB",
            y_log=True,
            description="Red outline: the gradients of one lot do not fit (tiny's 1 MiB of SRAM at lots above 3).",
        ),
    ),
    failures=(
        FailureState("out_of_memory", "Out of memory", when="oom", message="oom_message"),
    ),
    math=MathPeek(
        equations=(
            r"M_\text{grad} = L_\text{lot}\,P\,b",
            r"M_\text{stream} = 3\,P\,b",
            r"A = T[\varepsilon]\ \text{(lookup, no interpolation)}",
        ),
        substituted=(
            "M_grad = {lot_size} × {params} × {bytes_per_value} = {grad_mem} vs {budget_text} ({memory_ratio})",
            "streaming one example: {streaming}",
            "A({epsilon}) = {accuracy}; epoch time × {epoch_multiplier}",
        ),
        engine=(
            "engine.responsible.dpsgd_memory",
            "engine.responsible.dpsgd_fit",
            "engine.responsible.dp_training_budget",
            "engine.responsible.dp_accuracy_lookup",
            "engine.responsible.dp_epoch_multiplier",
        ),
        note=(
            "Writable memory is the v1-00 envelope's model memory (80 GB, 64 GB, the phone app's 4 GB) and, for the "
            "microcontroller, its 1 MiB of SRAM: flash holds read-only weights, gradients are rewritten every step."
        ),
    ),
    reveal=Reveal(_reveal_c()),
)

# --- Part D: design challenge — all guardrails at once ---------------------------------------------------------


def _candidate(key: str) -> Any:
    policy, eps, k = CANDIDATES[key]
    return policy_report(policy, THRESHOLD, eps, k, CHEQUES_PER_DAY, REVIEW_CAPACITY, EPSILON_BUDGET,
                         GAP_TARGET_POINTS)


def best_policy_answer() -> str:
    """Part D's answer: the candidate that passes every rule with the fewest wrong credits per day."""
    passing = {k: _candidate(k) for k in CANDIDATES if _candidate(k).guardrails.passes}
    return min(passing, key=lambda k: passing[k].guardrails.wrong_credits_per_day)


def _safe_note(rho: float, safe: float) -> str:
    """Reviewer utilisation against v1-13's safe utilisation (a warning, not a rule)."""
    if rho >= 1:
        return f"ρ {rho:.2f} ≥ 1: unstable (safe: {_n(safe, 3)})"
    if rho > safe:
        return f"ρ {rho:.2f} > safe {_n(safe, 3)}: stable, long waits"
    return f"ρ {rho:.2f} ≤ safe {_n(safe, 3)}: short queue"


def all_guardrails(policy: str, threshold_a: float, epsilon: str, retrains_per_year: int, review_capacity: float,
                   epsilon_budget: float, gap_target_pp: float, safe_utilization: float) -> dict[str, Any]:
    """Part D model: every guardrail of the policy (privacy, fairness, review capacity) and who pays."""
    target = _target_points(gap_target_pp)
    rep = policy_report(policy, threshold_a, epsilon, int(retrains_per_year), CHEQUES_PER_DAY, review_capacity,
                        epsilon_budget, target)
    g = rep.guardrails
    priv, fair, review = rep.check("privacy"), rep.check("fairness"), rep.check("review capacity")
    safe = safe_utilization
    rho = g.review_utilization
    m_a, m_b = misread_rates(epsilon)

    def row(c: Any, value: str, limit: str) -> str:
        return f"{value} vs {limit} {'✓' if c.passes else '✗'}"

    out: dict[str, Any] = {
        "epsilon_per_year": g.epsilon_per_year,
        "delay_gap": to_base(fair.value, "points"),
        "reviews_per_day": g.reviews_per_day,
        "review_utilization": rho,
        "wrong_a": g.wrong_credits_a_per_day,
        "wrong_b": g.wrong_credits_b_per_day,
        "wrong_credits_per_day": g.wrong_credits_per_day,
        "harm_ratio": g.harm_ratio_b_over_a,
        "threshold_b": rep.threshold_b,
        "misread_a": m_a,
        "misread_b": m_b,
        "row_privacy": row(priv, f"ε/yr {format_exact(g.epsilon_per_year, 'none', 3)}",
                           f"budget {format_exact(g.epsilon_budget, 'none', 3)}"),
        "row_fairness": row(fair, f"gap {fair.value:.1f}", f"{fair.limit:.1f} points"),
        "row_review": row(review, f"{_count(g.reviews_per_day)}", f"{_count(g.review_capacity_per_day)}/day"),
        "binding_constraint": g.binding,
        "verdict": "passes every rule ✓" if g.passes else f"fails ({g.binding} binds)",
        "safe_util_note": _safe_note(rho, safe),
        "policy_text": (f"policy: {policy}, threshold_a: {format_exact(threshold_a, 'none')}, epsilon: {epsilon}, "
                        f"retrains_per_year: {int(retrains_per_year)}"),
        "safe_util": safe,
        "k": int(retrains_per_year),
        "eps_value": float(epsilon),
        "privacy_fails": not priv.passes,
        "privacy_message": priv.message,
        "fairness_fails": not fair.passes,
        "fairness_message": fair.message,
        "review_fails": not review.passes,
        "review_message": review.message,
        "answer": best_policy_answer(),
    }
    checks = (priv, fair, review)
    out["charts"] = {
        "guardrails": {
            "x": ["privacy", "fairness", "review"],
            "series": [{"name": "share of the limit", "y": [c.ratio for c in checks],
                        "status": ["ok" if c.passes else "fail" for c in checks]}],
            "lines": [{"y": 1.0, "label": "limit"}, {"y": safe, "label": "safe ρ (v1-13)"}],
        }
    }
    return out


def _reveal_d() -> str:
    d = policy_report("single", THRESHOLD, "2", 12, CHEQUES_PER_DAY, REVIEW_CAPACITY, EPSILON_BUDGET,
                      GAP_TARGET_POINTS)
    b, c, dd = _candidate("b"), _candidate("c"), _candidate("d")
    ma, mb = misread_rates("2")
    ra, rb = binormal_rates(THRESHOLD, D_A), binormal_rates(THRESHOLD, D_B)
    va, vb = CHEQUES_PER_DAY * (1 - SHARE_B), CHEQUES_PER_DAY * SHARE_B
    gb = b.guardrails
    return (
        f"Default (single, ε = 2, 12/yr): ε/yr = **{format_exact(d.guardrails.epsilon_per_year, 'none')}** ✗; gap "
        f"**{_n(d.check('fairness').value)}** ✗; reviews = {_count(va)} × ({_n(1 - ma, 2)} × {_n(ra.frr, 4)} + "
        f"{_n(ma, 1)} × {_n(1 - ra.far, 4)}) + {_count(vb)} × ({_n(1 - mb, 2)} × {_n(rb.frr, 4)} + {_n(mb, 2)} × "
        f"{_n(1 - rb.far, 4)}) = **{_count(d.guardrails.reviews_per_day)}/day** ✗.\n\n"
        f"Policy (b): ε/yr {format_exact(gb.epsilon_per_year, 'none')}, gap 0, reviews "
        f"{_count(gb.reviews_per_day)}/day (ρ = {gb.review_utilization:.2f}), wrong credits "
        f"**{_n(gb.wrong_credits_per_day)}/day** (A {_n(gb.wrong_credits_a_per_day)}, B "
        f"{_n(gb.wrong_credits_b_per_day)}) ✓. Policy (c) also passes (ρ = {c.guardrails.review_utilization:.2f}) "
        f"with {_n(c.guardrails.wrong_credits_per_day)}/day; (d) overloads review "
        f"({_count(dd.guardrails.reviews_per_day)}/day); (a) fails fairness. Who pays: under (b), a group-B cheque "
        f"is **{_n(gb.harm_ratio_b_over_a)}×** as likely to be wrongly credited as a group-A cheque; the delay burden "
        f"is equal. Policy (b) passes every rule, yet its ρ = {gb.review_utilization:.2f} is above the "
        f"{_n(SAFE_UTILIZATION_PRESET)} that v1-13 found safe: the queue is stable, but waits grow at peaks.\n\n"
        f"ε per year uses basic composition, an upper bound: Abadi et al. 2016 §5.1 show a tighter accountant "
        f"turning 9.34 into 1.26 for the same 100 epochs."
    )


PART_D = Part(
    id="D",
    title="Design challenge: all guardrails at once",
    kind="design",
    scenario=Scenario(
        speaker="Camille Laurent",
        role="Head of Digital Deposits at Ledgerline",
        text=(
            "Four rules, all mandatory: DP on every retrain, total ε ≤ 10 per year, delay-rate gap ≤ 5 points, and "
            "the review team (4,500 cheques/day) must keep up with 20,000 deposits a day. Find a policy — and tell "
            "me who pays for it."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Which policy passes every rule with the fewest wrong credits per day?",
        options=(
            Option("a", "single threshold, ε = 8 once a year"),
            Option("b", "group thresholds, ε = 8 once a year"),
            Option("c", "group thresholds, ε = 2 four times a year"),
            Option("d", "group thresholds, ε = 0.5 monthly"),
        ),
        answer="answer",
    ),
    instruments=(
        Select("policy", "Threshold policy", POLICY_D_OPTIONS, default="single",
               help="One threshold for everyone, or group B's threshold set for equal delay rates."),
        Slider("threshold_a", "Threshold (group A)", "none", 0, 5, THRESHOLD, step=0.05,
               help="Group A's threshold (everyone's under the single policy)."),
        Select("epsilon", "ε per retrain", EPS_OPTIONS_D, default="2",
               help="DP is mandatory: only the measured private rows (8, 2, 0.5) are offered."),
        Select("retrains_per_year", "Retrains per year", RETRAIN_OPTIONS, default="12", unit="count"),
        Slider("review_capacity", "Review capacity (cheques/day)", "count", 1000, 10000, REVIEW_CAPACITY, step=100,
               help="Cheques the review team clears per day."),
        Slider("epsilon_budget", "Annual ε budget", "none", 1, 20, EPSILON_BUDGET, step=0.5,
               help="Total ε allowed per year across all retrains (basic composition)."),
        Slider("gap_target_pp", "Fairness target (max delay-rate gap)", "points", 1, 30, GAP_TARGET_POINTS, step=0.5,
               help="The delay-rate gap the bank accepts (as in Part A)."),
    ),
    compute=all_guardrails,
    ledger_inputs={"safe_utilization": SAFE_UTIL},
    outputs=(
        Output("verdict", "Policy", kind="text"),
        Output("row_privacy", "Privacy (ε per year)", kind="text"),
        Output("row_fairness", "Fairness (delay-rate gap)", kind="text"),
        Output("row_review", "Review capacity (reviews/day)", kind="text"),
        Output("safe_util_note", "Reviewer utilisation vs v1-13's safe ρ", kind="text"),
        Output("epsilon_per_year", "ε per year (basic composition)", "none", 2),
        Output("delay_gap", "Delay-rate gap", "points", 3),
        Output("reviews_per_day", "Reviews per day", "count", 4),
        Output("review_utilization", "Reviewer utilisation ρ", "fraction", 3),
        Output("wrong_a", "Wrong credits per day, group A", "count", 3),
        Output("wrong_b", "Wrong credits per day, group B", "count", 3),
        Output("wrong_credits_per_day", "Wrong credits per day, total", "count", 3),
        Output("harm_ratio", "Per-cheque wrong-credit risk, B ÷ A", "x", 3),
        Output("threshold_b", "Group B's threshold", "none", 3),
        Output("binding_constraint", "Binding constraint", kind="text"),
        Output("misread_a", "Misread rate m_A at this ε", "percent", 3, show=False, bounds=SHARE),
        Output("misread_b", "Misread rate m_B at this ε", "percent", 3, show=False, bounds=SHARE),
        Output("safe_util", "Safe utilisation (v1-13)", "fraction", 3, show=False),
        Output("k", "Retrains per year", "count", 2, show=False),
        Output("eps_value", "ε per retrain", "none", 2, show=False),
        Output("policy_text", "Policy (ledger form)", kind="text", show=False),
        Output("answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="guardrails",
            kind="bar",
            title="Each guardrail as a share of its limit",
            x_label="Guardrail",
            y_label="Share of the limit",
            y_unit="none",
            description=(
                "Privacy: ε per year ÷ budget; fairness: delay-rate gap ÷ target; review: ρ = reviews ÷ capacity. "
                "Bars at or above the limit line fail (red). The lower line is v1-13's safe utilisation (review only)."
            ),
        ),
    ),
    failures=(
        FailureState("privacy", "Privacy budget exceeded", "privacy_fails",
                     "privacy_message"),
        FailureState("fairness", "Fairness gap above target", "fairness_fails",
                     "fairness_message"),
        FailureState("review_queue", "Review queue overloaded", "review_fails",
                     "review_message"),
    ),
    math=MathPeek(
        equations=(
            r"\varepsilon_\text{yr} = k\,\varepsilon \quad \text{(basic composition, an upper bound)}",
            r"m_A = 1 - A(\varepsilon), \qquad m_B = 3\,m_A",
            r"\text{reviews} = \sum_g V_g\left[(1 - m_g)\,\mathrm{FRR}_g + m_g\,(1 - \mathrm{FAR}_g)\right]",
            r"\rho = \text{reviews} / \text{capacity}",
        ),
        substituted=(
            "ε/yr = {k} × {eps_value} = {epsilon_per_year} (budget {epsilon_budget})",
            "m_A = {misread_a}, m_B = {misread_b}; t_A = {threshold_a}, t_B = {threshold_b}",
            "reviews = {reviews_per_day}/day; ρ = {reviews_per_day} / {review_capacity} = {review_utilization}",
            "wrong credits/day: A {wrong_a} + B {wrong_b} = {wrong_credits_per_day}; B ÷ A per cheque {harm_ratio}",
        ),
        engine=(
            "engine.responsible.policy_guardrails",
            "engine.responsible.policy_report",
            "engine.responsible.misread_rates",
        ),
        note=(
            "Basic composition adds ε over retrains; Abadi et al. 2016 §5.1 show a tighter accountant turning 9.34 "
            "into 1.26 for the same 100 epochs at q = 0.01, σ = 4, δ = 10⁻⁵, so this budget is conservative."
        ),
    ),
    reveal=Reveal(_reveal_d()),
)

# --- the lab -------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    d12 = policy_report("equal_delay", THRESHOLD, "0.5", 12, CHEQUES_PER_DAY, REVIEW_CAPACITY, EPSILON_BUDGET,
                        GAP_TARGET_POINTS).guardrails
    within = d12.epsilon_per_year <= d12.epsilon_budget
    missing = dp_accuracy_lookup("4")
    return (
        (
            "Why did a single threshold give equal wrong-credit rates?",
            "Misread scores have the same distribution in both groups; only correct reads differ.",
        ),
        (
            "12 retrains a year at ε = 0.5 with group thresholds — within a budget of 10?",
            f"{'Yes' if within else 'No'}, {format_exact(d12.epsilon_per_year, 'none')}; but review load "
            f"{_count(d12.reviews_per_day)}/day breaks capacity.",
        ),
        (
            "Why can't the engine show accuracy at ε = 4?",
            f"No measured row ({missing.note}); it only looks up 8, 2 and 0.5.",
        ),
    )


def _briefing_body() -> str:
    rows = "\n".join(
        f"| {EPS_LABEL[k]} | {_pct(float(dp_accuracy_lookup(k).accuracy), 4)} |" for k in ("none", "8", "2", "0.5")
    )
    return (
        "**Product.** Ledgerline, a bank's mobile cheque deposit: a model reads the handwritten amount digit by digit "
        "and gives a confidence score. Score ≥ threshold → auto-credit; otherwise → a human reviewer (the deposit "
        "waits a day). Two writer groups: A (styles common in training data, 80 % of cheques) and B (a digit style "
        "under-represented in training, 20 %). Parts A–B do not depend on hardware (scores are the model's, wherever "
        "it runs); your home context enters in Part C.\n\n"
        "**Score model** (`responsible.binormal_rates`, illustrative, *not measured*): for a misread digit the score "
        "is N(0, 1); for a correct read it is N(d′, 1), with d′_A = 3.0 and d′_B = 2.2 (assumption: B's reads are "
        "less separable). Misread rates come from measured accuracy (below); group B's is 3× group A's "
        "(assumption).\n\n"
        "**Measured accuracy evidence** (`registry.quality.dpsgd_mnist`, Abadi et al. 2016, §5.2, handwritten digits, "
        "δ = 10⁻⁵). Only these four rows are offered; nothing in between is interpolated.\n\n"
        "| privacy level | accuracy |\n|---|---|\n" + rows + "\n\n"
        f"Same paper, §5.3: DP training raised CIFAR-10 epoch time from ≈ 40 s to ≈ 180 s "
        f"({_n(DPSGD_EPOCH_SLOWDOWN.value, 2)}×)."
    )


LAB = Lab(
    id="v1-15",
    title="No Free Safeguard",
    volume=1,
    section="Deploy",
    minutes=55,
    prerequisites=("v1-00", "v1-13", "v1-14"),
    core_question=(
        "A fairness threshold and a privacy budget look like policy settings — what does each safeguard actually "
        "cost, who pays for it, and can you satisfy them all at once?"
    ),
    briefing=Briefing(
        objectives=(
            "Show that one threshold applied to everyone can still load the errors onto one group, and measure the "
            "gap.",
            "Price the fix: equalising one error rate moves another, and the bill lands on a specific group.",
            "Price privacy: what DP-SGD costs in memory on each kind of hardware, in accuracy (measured), and in a "
            "privacy budget that every retraining spends — then find a policy that passes every guardrail at once.",
        ),
        decide="The threshold policy, the privacy level and retraining cadence for a cheque-reading service.",
        body=_briefing_body(),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "A single threshold is a value choice, not a neutral one: it equalised wrong credits and left group B "
            "delayed 2.7× as often (42 % vs 16 %).",
            "Equalising delays moves the harm: B's wrong-credit rate rises 5×. With unequal data quality, no threshold "
            "pair equalises both; better data for B (v1-09) is the only lever that moves d′.",
            "Privacy has a memory bill (per-example gradients), a measured accuracy bill, a time bill, and a budget "
            "that every retrain spends; its accuracy cost lands in the review queue.",
        ),
        connections=(
            "v1-09 (data coverage sets d′), v1-13 (review queue), v1-14 (averages hide subgroups), v2-13 (privacy at "
            "scale), v2-14 (fairness at scale)."
        ),
        self_assessment=_self_assessment(),
    ),
    model_note=(
        "**Assumptions.** The score model is illustrative, not measured: misread scores N(0, 1) in both groups, "
        "correct reads N(3.0, 1) for group A and N(2.2, 1) for group B; group B misreads 3× as often as group A; "
        "20,000 cheques a day split 16,000 / 4,000; review capacity 4,500 cheques a day; ε budget 10 a year; fairness "
        "target 5 points. Group A's misread rate is 1 − the measured MNIST accuracy of Abadi et al. 2016 §5.2 "
        "(98.30 % non-private; 97 / 95 / 90 % at ε = 8 / 2 / 0.5, δ = 10⁻⁵), used as per-digit read accuracy. The "
        "4.5× epoch time is the paper's CIFAR-10 measurement (§5.3) applied to the digit model.\n\n"
        "**Simplifications.** Accuracy is looked up, never interpolated: the engine refuses any other ε. ε per year "
        "uses basic composition, an upper bound (a moments accountant would give less). Memory counts only the "
        "per-example gradients of one lot (weights, activations and the optimiser are small next to them, except on "
        "the microcontroller, where the streaming footprint of weights + one gradient + the clipped sum is shown). "
        "Each context's writable memory is its v1-00 model memory (80 GB, 64 GB, the phone app's 4 GB) and, for the "
        "STM32H743, its 1 MiB of SRAM (ST DS12110), since gradients cannot live in flash. The review queue passes "
        "when ρ < 1; v1-13's safe utilisation is shown as a warning line, not a rule.\n\n"
        "**Changes from the spec.** The lot-size slider's steps are powers of two plus the paper's 600 (a pure ×2 "
        "ladder cannot hold the default 600). The bytes-per-gradient instrument is a fixed 4 B (FP32) shown in the "
        "math peek rather than a one-position control (the measured rows used FP32 training). Part A's fairness "
        "target runs to 30 points (spec 1–20) so that \"raise the target\" can clear the 26.2-point gap. Part B adds "
        "a \"manual\" policy for the free t_B slider (under \"single\", t_B = t_A). Part D's guardrail radar is a bar "
        "chart of the three guardrails with limits (wrong credits have no limit; they are outputs), and Part D adds "
        "the fairness-target slider the ledger key `v1-15.fairness_gap_target` records. The single thresholds that "
        "meet 5 points are t ≤ 0.637 or t ≥ 4.563 (the spec rounds them inward to 0.63 and 4.57). Numeric "
        "predictions open at 0.1 instead of 0 (the off-by factor needs a positive guess).\n\n"
        "**Sources.** Abadi et al. 2016, 'Deep Learning with Differential Privacy' (§5.1–5.3, Algorithm 1); Green & "
        "Swets 1966 (binormal model); Hardt, Price & Srebro 2016 (equal opportunity); Dwork & Roth 2014 (composition); "
        "ST DS12110; the v1-00 context envelope."
    ),
    reads=(
        LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),
        LedgerRead(SAFE_UTIL, "Safe utilisation (v1-13)", SAFE_UTILIZATION_PRESET, between=(0.0, 1.0)),
        LedgerRead(MONITORS, "Monitors (v1-14, display only)", MONITORS_PRESET),
    ),
    writes=(
        LedgerWrite("v1-15.gap_prediction_pp", "prediction", "A", "prediction", unit="points"),
        LedgerWrite("v1-15.delay_gap_pp", "number", "A", "delay_gap", unit="points"),
        LedgerWrite("v1-15.far_b_equalized_pct", "number", "B", "far_b_equalized", unit="percent"),
        # text: comma-separated context keys, e.g. "cloud, edge, mobile"
        LedgerWrite("v1-15.dp_fits_contexts", "number", "C", "fits_text"),
        # text "policy: <single|equal_delay>, threshold_a: 2, epsilon: 2, retrains_per_year: 12": split on ", " / ": "
        LedgerWrite("v1-15.policy", "decision", "D", "policy_text", when="change"),
        LedgerWrite("v1-15.privacy_epsilon", "number", "D", "epsilon_per_year", when="change"),
        LedgerWrite("v1-15.epsilon_budget", "decision", "D", "epsilon_budget", when="change"),
        LedgerWrite("v1-15.policy_gap_pp", "number", "D", "delay_gap", unit="points", when="change"),
        LedgerWrite("v1-15.fairness_gap_target", "decision", "D", "gap_target_pp", unit="points", when="change"),
        LedgerWrite("v1-15.review_utilization", "number", "D", "review_utilization", unit="fraction", when="change"),
        LedgerWrite("v1-15.wrong_credits_per_day", "number", "D", "wrong_credits_per_day", unit="count",
                    when="change"),
        LedgerWrite("v1-15.harm_ratio_b_over_a", "number", "D", "harm_ratio", unit="x", when="change"),
        LedgerWrite("v1-15.binding_constraint", "number", "D", "binding_constraint", when="change"),
    ),
)
