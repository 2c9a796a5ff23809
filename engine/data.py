"""Data: what moving a byte costs in operations, where to place a pipeline, and what curation buys (from tables).

v1-04: exchange rates (cost of a byte ÷ cost of an operation), three placements (ship raw, move the job, filter
then ship) and their crossover. v1-09: DataComp accuracy lookups (no interpolation, no extrapolation past the
measured scales), plan cost and value per dollar, and whether a device can curate at the source.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.economics import data_plan_cost, price_per_flop
from engine.errors import require_choice, require_fraction, require_non_negative, require_positive, require_positive_int
from engine.registry import datasets as DS
from engine.registry.hardware import get_context
from engine.registry.infrastructure import get_constant
from engine.registry.models import get_model
from engine.units import format_auto, format_number

LINKS: tuple[str, ...] = ("ble", "lte")


def radio_energy_per_byte(link: str) -> float:
    """Energy to send one byte over a radio (J/B).

    BLE: c_B = 8·P_radio / (r_PHY·g), P_radio = I_TX·V;   LTE: c_B = 8·(α_u·r + β) / r
    Source: Nordic nRF52840 PS (6.4 mA TX at 0 dBm, 1 Mb/s); Huang et al. 2012 LTE power model (v1-04 Part A).
    """
    if require_choice("link", link, LINKS) == "ble":
        p = get_constant("radio.ble_tx_current") * get_constant("radio.ble_supply_voltage")
        goodput_bytes_per_s = get_constant("radio.ble_phy_rate") * get_constant("radio.ble_goodput_fraction")
        return p / goodput_bytes_per_s
    rate = get_constant("radio.lte_uplink_rate")  # bytes/s
    p = get_constant("radio.lte_alpha_up") * rate + get_constant("radio.lte_beta")
    return p / rate


def link_goodput_bytes_per_s(link: str) -> float:
    """Usable payload rate of a radio (B/s): BLE r_PHY·g; LTE the measured median uplink.

    r = r_PHY·g (BLE) or r_up (LTE)
    Source: nRF52840 PS; Huang et al. 2012.
    """
    if require_choice("link", link, LINKS) == "ble":
        return get_constant("radio.ble_phy_rate") * get_constant("radio.ble_goodput_fraction")
    return get_constant("radio.lte_uplink_rate")


def device_energy_per_op(context: str, efficiency: float = 0.5) -> float:
    """Device-level energy per INT8 operation: active power over sustained op rate (J/op).

    c_op = P_act / (R_int8 · η)
    Source: v1-04 briefing (device-level, not a transistor figure); envelope values from v1-00.
    """
    env = get_context(context)
    eta = require_positive("efficiency", require_fraction("efficiency", efficiency))
    return env.active_power_w / (env.int8_dense_op_per_s * eta)


def exchange_rate(cost_per_byte: float, cost_per_op: float) -> float:
    """How many operations cost the same as moving one byte.

    X = c_B / c_op   (ops per byte)
    Source: v1-04 Part A math peek (cloud: 2e-11 / 1.4043e-18 = 1.424e7 FLOP/B).
    """
    return require_non_negative("cost_per_byte", cost_per_byte) / require_positive("cost_per_op", cost_per_op)


@dataclass(frozen=True)
class PlacementOption:
    """One placement: compute dollars, movement dollars and link seconds per day; `total_usd` adds the two."""

    name: str
    compute_usd: float
    movement_usd: float
    link_s_per_day: float

    @property
    def total_usd(self) -> float:
        return self.compute_usd + self.movement_usd

    @property
    def link_utilisation(self) -> float:
        return self.link_s_per_day / 86400.0


@dataclass(frozen=True)
class Placement:
    """The three placements of v1-04, the cheapest feasible one and the binding constraint of the chosen plan."""

    ship_raw: PlacementOption
    move_job: PlacementOption
    filter_ship: PlacementOption
    break_even_flop_per_byte: float
    budget_usd_per_day: float

    @property
    def options(self) -> tuple[PlacementOption, ...]:
        return (self.ship_raw, self.move_job, self.filter_ship)

    def feasible(self, option: PlacementOption) -> bool:
        return option.link_utilisation <= 1.0 and option.total_usd <= self.budget_usd_per_day

    @property
    def cheapest(self) -> PlacementOption:
        ok = [o for o in self.options if self.feasible(o)] or list(self.options)
        return min(ok, key=lambda o: o.total_usd)

    def message(self, option: PlacementOption, link_bytes_per_s: float) -> str:
        """The first failure of `option`: link saturation, then budget ('' when it passes)."""
        if option.link_utilisation > 1.0:
            backlog = (option.link_s_per_day - 86400.0) * link_bytes_per_s
            return (f"Link saturated: needs {format_number(option.link_s_per_day / 3600)} h of link per day "
                    f"({format_number(option.link_utilisation)}×); backlog grows by {format_auto(backlog, 'bytes')}/day."
                    f" First fix: reduce before shipping, or move the job.")
        if option.total_usd > self.budget_usd_per_day:
            return (f"Budget exceeded: ${option.total_usd:,.2f}/day > ${self.budget_usd_per_day:,.0f} "
                    f"({format_number(option.total_usd / self.budget_usd_per_day)}×). First fix: move the job to "
                    f"the data.")
        return ""


def compare_placement(volume_bytes_per_day: float, usd_per_byte: float, usd_per_flop: float, keep_fraction: float,
                      filter_flop_per_byte: float, job_gpu_h_per_day: float, gpu_usd_per_h: float,
                      region_premium: float, link_bytes_per_s: float,
                      budget_usd_per_day: float = float("inf")) -> Placement:
    """Daily cost and link time of shipping raw data, moving the job, or filtering near the data then shipping.

    C_ship = V·c_B;  C_move = H·p·π;  C_filter = V·I·c_op·(1 + π) + k·V·c_B;
    filter beats shipping while I < (1 − k)·c_B / (c_op·(1 + π))
    Source: v1-04 Part B math peek (30 TB/day: $600, $640, $198.13).
    """
    v = require_non_negative("volume_bytes_per_day", volume_bytes_per_day)
    cb = require_non_negative("usd_per_byte", usd_per_byte)
    cop = require_positive("usd_per_flop", usd_per_flop)
    k = require_fraction("keep_fraction", keep_fraction)
    i = require_non_negative("filter_flop_per_byte", filter_flop_per_byte)
    pi = require_non_negative("region_premium", region_premium)
    link = require_positive("link_bytes_per_s", link_bytes_per_s)
    move = require_non_negative("job_gpu_h_per_day", job_gpu_h_per_day) * require_non_negative(
        "gpu_usd_per_h", gpu_usd_per_h) * pi
    budget = budget_usd_per_day if budget_usd_per_day == float("inf") else require_positive(
        "budget_usd_per_day", budget_usd_per_day)
    return Placement(
        PlacementOption("ship raw", 0.0, v * cb, v / link),
        PlacementOption("move job", move, 0.0, 0.0),
        PlacementOption("filter + ship", v * i * cop * (1 + pi), k * v * cb, k * v / link),
        (1 - k) * cb / (cop * (1 + pi)),
        budget,
    )


def crossover_volume(move_job_usd_per_day: float, keep_fraction: float, usd_per_byte: float,
                     filter_flop_per_byte: float, usd_per_flop: float, region_premium: float) -> float:
    """Daily volume above which moving the job beats filter-then-ship.

    V* = C_move / (k·c_B + I·c_op·(1 + π))
    Source: v1-04 Part D math peek (640 / (0.33·2e-11 + 2000·1.4043e-18·1.5) = 9.69e13 B = 96.9 TB/day).
    """
    per_byte = require_fraction("keep_fraction", keep_fraction) * require_non_negative("usd_per_byte", usd_per_byte) \
        + require_non_negative("filter_flop_per_byte", filter_flop_per_byte) * require_non_negative(
            "usd_per_flop", usd_per_flop) * (1 + require_non_negative("region_premium", region_premium))
    return require_non_negative("move_job_usd_per_day", move_job_usd_per_day) / require_positive(
        "per-byte cost", per_byte)


@dataclass(frozen=True)
class LocalVsStream:
    """Energy (or dollars) per decision of streaming raw data vs computing locally and sending a verdict."""

    stream_raw: float
    compute_local: float
    local_compute_part: float
    local_send_part: float

    @property
    def ratio(self) -> float:
        return self.stream_raw / self.compute_local


def compare_local(raw_bytes: float, model_ops: float, result_bytes: float, cost_per_byte: float,
                  cost_per_op: float) -> LocalVsStream:
    """Stream raw vs compute locally, per decision.

    E_raw = D·c_B;  E_local = O·c_op + D_out·c_B
    Source: v1-04 Part C math peek (tiny: 1.843 mW vs 0.161 mW, 11.4×).
    """
    cb = require_non_negative("cost_per_byte", cost_per_byte)
    local_c = require_non_negative("model_ops", model_ops) * require_non_negative("cost_per_op", cost_per_op)
    send = require_non_negative("result_bytes", result_bytes) * cb
    return LocalVsStream(require_non_negative("raw_bytes", raw_bytes) * cb, local_c + send, local_c, send)


# --- v1-09: curation from the DataComp table ----------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A DataComp cell: accuracy (%) or None with the reason."""

    scale: str
    filter: str
    metric: str
    accuracy_pct: float | None
    note: str

    @property
    def measured(self) -> bool:
        return self.accuracy_pct is not None


def selection_accuracy(scale: str, filter: str, metric: str = "imagenet") -> Selection:
    """Zero-shot accuracy of a DataComp baseline, by lookup only (unmeasured cells return None).

    A = T[scale, filter, metric]
    Source: OpenCLIP docs/openclip_results.csv (DataComp baselines), v1-09 table.
    """
    require_choice("scale", scale, DS.SCALES)
    require_choice("filter", filter, DS.FILTERS)
    require_choice("metric", metric, DS.METRICS)
    cell = DS.DATACOMP_BASELINES.get((scale, filter, metric))
    if cell is None:
        return Selection(scale, filter, metric, None, "not measured: no row, and the engine does not extrapolate")
    return Selection(scale, filter, metric, cell.published, cell.source.title)


def repetition_factor(samples_seen: float, pool_samples: float, keep_fraction: float) -> float:
    """How many times each kept sample is seen.

    r = N_seen / (k·N_pool)
    Source: v1-09 Part A math peek (128 M / (0.3 × 128 M) = 3.33).
    """
    return require_positive("samples_seen", samples_seen) / (
        require_positive("keep_fraction", keep_fraction) * require_positive("pool_samples", pool_samples))


def plan_cost(scale: str, filter: str, gpu_usd_per_h: float = 2.50, mfu: float = 0.25,
              storage_usd_per_tb_month: float = 23.0, months_stored: float = 1.0, runs_sharing_scores: int = 1,
              peak_flop_per_s: float | None = None):
    """Dollar cost of a DataComp plan at a scale with a filter (H100 peak unless given).

    C = (3·F_learn·N_seen + F_score·N_pool/k)·c_op + V_pool·c_store·m, c_op = p/(3600·P·MFU)
    Source: v1-09 Part B (128 M raw: $119.44; image ∩ CLIP: $182.47).
    """
    require_choice("scale", scale, DS.SCALES)
    require_choice("filter", filter, DS.FILTERS)
    peak = get_context("cloud").device.peak_fp16_dense_flop_per_s if peak_flop_per_s is None else peak_flop_per_s
    c_op = price_per_flop(gpu_usd_per_h, peak, mfu)
    learner = get_model(DS.SCALE_MODEL[scale])
    n = DS.POOL_SAMPLES[scale].value
    score = DS.SCORER_FLOP_PER_PAIR.get(filter)
    return data_plan_cost(learner.flop_per_sample_forward, n, 0.0 if score is None else score.value, n,
                          DS.POOL_BYTES[scale].value, c_op,
                          require_non_negative("storage_usd_per_tb_month", storage_usd_per_tb_month) / 1e12 / 2592000,
                          months_stored, runs_sharing_scores)


def marginal_accuracy_per_dollar(delta_accuracy_points: float, delta_cost_usd: float) -> float:
    """Accuracy points bought per $1,000 of extra spend.

    value = ΔA / ΔC × 1,000
    `delta_accuracy_points` may be zero or negative (a filter can hurt accuracy); `delta_cost_usd` must be > 0.
    Source: v1-09 Part B math peek (curation 12.17 / $63.03 → 193.1 points per $1k).
    """
    return _require_finite_points(delta_accuracy_points) / require_positive("delta_cost_usd", delta_cost_usd) * 1000.0


def _require_finite_points(x: float) -> float:
    """Accept any finite accuracy change (negative is allowed: a filter can hurt)."""
    from engine.errors import require_finite

    return require_finite("delta_accuracy_points", x)


@dataclass(frozen=True)
class SourceFilter:
    """Can a context run a scorer at the point of collection: fit, time and energy per pair."""

    context: str
    weight_bytes: float
    budget_bytes: float
    time_per_pair_s: float | None
    energy_per_pair_j: float | None

    @property
    def fits(self) -> bool:
        return self.weight_bytes <= self.budget_bytes

    @property
    def pairs_per_hour(self) -> float | None:
        return None if self.time_per_pair_s is None else 3600.0 / self.time_per_pair_s

    def message(self) -> str:
        if self.fits:
            return ""
        return (f"Scorer does not fit: {format_auto(self.weight_bytes, 'bytes')} > "
                f"{format_auto(self.budget_bytes, 'bytes')} ({format_number(self.weight_bytes / self.budget_bytes)}× "
                f"over). First fix: run the rule-based filter on the device and score in the cloud.")


def source_filter_feasibility(context: str, scorer_params: float, bits: float, flop_per_pair: float,
                              efficiency: float = 0.25) -> SourceFilter:
    """Whether a scorer fits a context and how long it takes per pair.

    fit iff N·b/8 ≤ M_ctx;  t = F / (P_ctx·η);  E = P_W·t
    Source: v1-09 Part C math peek (L/14 FP16: 855.2 MB; cloud 0.709 ms, 0.50 J per pair).
    """
    env = get_context(context)
    w = require_positive("scorer_params", scorer_params) * require_positive("bits", bits) / 8.0
    peak = env.device.peak_fp16_dense_flop_per_s
    if peak is None or w > env.model_memory_bytes:
        return SourceFilter(context, w, env.model_memory_bytes, None, None)
    eta = require_positive("efficiency", require_fraction("efficiency", efficiency))
    t = require_positive("flop_per_pair", flop_per_pair) / (peak * eta)
    return SourceFilter(context, w, env.model_memory_bytes, t, env.active_power_w * t)


@dataclass(frozen=True)
class PlanVerdict:
    """A data plan's cost, accuracy and verdicts; `binding` is 'budget', 'target', 'not measured' or 'none'."""

    scale: str
    filter: str
    cost_usd: float
    accuracy_pct: float | None
    budget_usd: float
    target_pct: float

    @property
    def binding(self) -> str:
        if self.accuracy_pct is None:
            return "not measured"
        if self.cost_usd > self.budget_usd:
            return "budget"
        if self.accuracy_pct < self.target_pct:
            return "target"
        return "none"

    @property
    def feasible(self) -> bool:
        return self.binding == "none"


def plan_evaluate(scale: str, filter: str, budget_usd: float, target_pct: float, metric: str = "avg38",
                  runs_sharing_scores: int = 1, **prices: float) -> PlanVerdict:
    """Cost and accuracy of one plan against a budget and a target (lookup only).

    feasible iff C ≤ B ∧ A_metric ≥ A*
    Source: v1-09 Part D math peek.
    """
    sel = selection_accuracy(scale, filter, metric)
    cost = plan_cost(scale, filter, runs_sharing_scores=require_positive_int("runs_sharing_scores",
                                                                            runs_sharing_scores), **prices)
    return PlanVerdict(scale, filter, cost.total_usd, sel.accuracy_pct, require_positive("budget_usd", budget_usd),
                       require_non_negative("target_pct", target_pct))


# --- input pipelines ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineRate:
    """Samples/s each stage of an input pipeline can sustain; `throughput` is the slowest; `bound` names it."""

    storage_per_s: float
    preprocess_per_s: float
    accelerator_per_s: float

    @property
    def throughput_per_s(self) -> float:
        return min(self.storage_per_s, self.preprocess_per_s, self.accelerator_per_s)

    @property
    def bound(self) -> str:
        rates = {"storage": self.storage_per_s, "preprocessing": self.preprocess_per_s,
                 "accelerator": self.accelerator_per_s}
        return min(rates, key=lambda k: rates[k])

    @property
    def accelerator_utilisation(self) -> float:
        return self.throughput_per_s / self.accelerator_per_s


def pipeline_throughput(bytes_per_sample: float, storage_bandwidth_bytes_per_s: float,
                        preprocess_s_per_sample: float, workers: int, accelerator_samples_per_s: float) -> PipelineRate:
    """Throughput of a storage → preprocessing → accelerator pipeline (stages overlap; the slowest sets the pace).

    X = min(BW/b, n_workers/t_pre, X_acc)
    Source: bottleneck analysis of a pipelined system (Lazowska et al. 1984, Quantitative System Performance, ch. 5).
    """
    return PipelineRate(
        require_positive("storage_bandwidth_bytes_per_s", storage_bandwidth_bytes_per_s)
        / require_positive("bytes_per_sample", bytes_per_sample),
        require_positive_int("workers", workers) / require_positive("preprocess_s_per_sample", preprocess_s_per_sample),
        require_positive("accelerator_samples_per_s", accelerator_samples_per_s),
    )


# --- v1-09 additions: what each filter must score, plan cost with that scoring pass, curation vs scale --------

SCORERS: tuple[str, ...] = ("l14", "l14_image", "b32")
# The embedding model each DataComp filter runs over every pool pair (DataComp README baseline definitions):
# CLIP score and image ∩ CLIP score pairs with ViT-L/14 (both towers); image-based clusters ViT-L/14 image
# embeddings; the LAION-2B rule thresholds an OpenAI ViT-B/32 CLIP score at 0.28. none/basic/text need no model.
FILTER_SCORER: dict[str, str | None] = {
    "none": None, "basic": None, "text": None, "laion": "b32", "image": "l14_image", "clip30": "l14",
    "image_clip": "l14",
}
_SCORER_MODEL: dict[str, str] = {"l14": "clip_vit_l14", "l14_image": "clip_vit_l14_image", "b32": "clip_vit_b32"}


def scorer_model(scorer: str):
    """The registry model behind a scorer key: 'l14' (both towers), 'l14_image' (image tower), 'b32'.

    (params N, forward FLOP per pair F) = model_profile.csv row
    Source: OpenCLIP docs/model_profile.csv (commit 3b37473b): ViT-L-14 427.62 M / 175.33 GFLOP, image tower
    303.97 M / 162.03 GFLOP, ViT-B-32 151.28 M / 14.78 GFLOP.
    """
    from engine.registry import models as M

    key = _SCORER_MODEL[require_choice("scorer", scorer, SCORERS)]
    return M.CLIP_VIT_L14_IMAGE_TOWER if key == "clip_vit_l14_image" else get_model(key)


def scoring_flop_per_pair(filter: str) -> float:
    """Forward FLOP per pool pair that a filter spends scoring (0 for rule-based filters).

    F_score = F(scorer(filter)), 0 when the filter uses no model
    Source: DataComp README baseline definitions; FLOP from OpenCLIP model_profile.csv (the LAION-2B rule scores
    every pair with ViT-B/32: 14.78 GFLOP, which `plan_cost` leaves out).
    """
    scorer = FILTER_SCORER[require_choice("filter", filter, DS.FILTERS)]
    if scorer is None:
        return 0.0
    return float(scorer_model(scorer).flop_per_sample_forward)


def curation_plan_cost(scale: str, filter: str, gpu_usd_per_h: float, mfu: float, storage_usd_per_tb_month: float,
                       months_stored: float, runs_sharing_scores: int = 1,
                       peak_flop_per_s: float | None = None):
    """Dollar cost of training at a DataComp scale on a pool scored by `filter`'s own model (cloud H100 peak).

    C = (3·F_learn·N_seen + F_score·N_pool/k_runs)·p/(3600·P·η) + V_pool·c_store·m
    Same as `plan_cost`, but every filter pays for its scorer (LAION-2B rule: ViT-B/32) and prices are required.
    Source: v1-09 Part B math peek (128 M raw: training 5.6755e18 FLOP; image ∩ CLIP scoring 2.2442e19 FLOP);
    economics.data_plan_cost.
    """
    require_choice("scale", scale, DS.SCALES)
    peak = get_context("cloud").device.peak_fp16_dense_flop_per_s if peak_flop_per_s is None else peak_flop_per_s
    c_op = price_per_flop(gpu_usd_per_h, peak, mfu)
    learner = get_model(DS.SCALE_MODEL[scale])
    n = DS.POOL_SAMPLES[scale].value
    return data_plan_cost(learner.flop_per_sample_forward, n, scoring_flop_per_pair(filter), n,
                          DS.POOL_BYTES[scale].value, c_op,
                          require_non_negative("storage_usd_per_tb_month", storage_usd_per_tb_month) / 1e12 / 2592000,
                          months_stored, runs_sharing_scores)


def next_scale(scale: str) -> str | None:
    """The DataComp scale 10× larger than `scale`, or None above 12.8 B (no measured row).

    next(small) = medium, next(medium) = large, next(large) = xlarge, next(xlarge) = None
    Source: DataComp README (four scales, each 10× the last).
    """
    i = DS.SCALES.index(require_choice("scale", scale, DS.SCALES))
    return DS.SCALES[i + 1] if i + 1 < len(DS.SCALES) else None


@dataclass(frozen=True)
class CurationValue:
    """Curate the pool you have vs buy 10× more raw data (and the next DataComp model), from one starting scale.

    Each arm's Δ is against the unfiltered run at `scale`. Values are points per $1,000; None where a cell is not
    measured, a filter costs nothing extra (rule-based), or no scale exists above.
    """

    scale: str
    filter: str
    metric: str
    base_pct: float
    curated_pct: float | None
    bigger: str | None
    scaled_pct: float | None
    curation_cost_usd: float
    scale_cost_usd: float | None
    curation_per_kusd: float | None
    scale_per_kusd: float | None

    @property
    def ratio(self) -> float | None:
        if self.curation_per_kusd is None or self.scale_per_kusd is None or self.scale_per_kusd <= 0:
            return None
        return self.curation_per_kusd / self.scale_per_kusd

    @property
    def note(self) -> str:
        if self.curated_pct is None:
            return "not measured: no row for this filter at this scale, and the engine does not extrapolate"
        if self.bigger is None:
            return "no measured row above 12.8 B samples: the scale arm does not exist"
        if self.curation_cost_usd <= 0:
            return "rule-based filter: no scoring pass, so its extra cost is $0 and points per dollar are unbounded"
        return ""


def curation_vs_scale(scale: str, filter: str, metric: str, gpu_usd_per_h: float, mfu: float,
                      storage_usd_per_tb_month: float, months_stored: float) -> CurationValue:
    """Points per $1,000 of curating at `scale` with `filter`, and of moving to the next scale unfiltered.

    value_cur = (A[s, f] − A[s, none]) / (C[s, f] − C[s, none]) × 1,000;
    value_scale = (A[10s, none] − A[s, none]) / (C[10s, none] − C[s, none]) × 1,000; ratio = value_cur / value_scale
    Source: v1-09 Part B reveal (12.17 / $63.03 → 193.1; 28.38 / $1,358.73 → 20.9; ratio 9.24); DataComp table.
    """
    prices = dict(gpu_usd_per_h=gpu_usd_per_h, mfu=mfu, storage_usd_per_tb_month=storage_usd_per_tb_month,
                  months_stored=months_stored)
    base = selection_accuracy(scale, "none", metric).accuracy_pct
    assert base is not None  # the unfiltered row is measured at every scale
    cur = selection_accuracy(scale, filter, metric).accuracy_pct
    base_cost = curation_plan_cost(scale, "none", **prices).total_usd
    d_cur = curation_plan_cost(scale, filter, **prices).total_usd - base_cost
    cur_value = (marginal_accuracy_per_dollar(cur - base, d_cur)
                 if cur is not None and d_cur > 0 else None)
    big = next_scale(scale)
    scaled = None if big is None else selection_accuracy(big, "none", metric).accuracy_pct
    d_scale = None if big is None else curation_plan_cost(big, "none", **prices).total_usd - base_cost
    scale_value = (marginal_accuracy_per_dollar(scaled - base, d_scale)
                   if scaled is not None and d_scale is not None and d_scale > 0 else None)
    return CurationValue(scale, filter, metric, base, cur, big, scaled, d_cur, d_scale, cur_value, scale_value)


def upload_bytes(pairs: float, scale: str = "medium", keep_fraction: float = 1.0) -> float:
    """Bytes uploaded for `pairs` collected pairs when a fraction `keep_fraction` survives filtering at the source.

    U = n · (V_pool / N_pool) · k
    Source: DataComp README (medium pool 4.5 TB for 128 M pairs → 35.16 kB per pair); v1-09 Part C reveal.
    """
    require_choice("scale", scale, DS.SCALES)
    per_pair = DS.POOL_BYTES[scale].value / DS.POOL_SAMPLES[scale].value
    return require_non_negative("pairs", pairs) * per_pair * require_fraction("keep_fraction", keep_fraction)


def curation_plan_evaluate(scale: str, filter: str, budget_usd: float, target_pct: float, metric: str,
                           runs_sharing_scores: int, gpu_usd_per_h: float, mfu: float,
                           storage_usd_per_tb_month: float, months_stored: float) -> PlanVerdict:
    """One plan's cost (scorer included) and accuracy against a budget and a target, by lookup only.

    feasible iff C ≤ B ∧ A_metric ≥ A*   (A from the table; unmeasured cells are 'not measured', never guessed)
    Source: v1-09 Part D math peek; `curation_plan_cost`; DataComp table.
    """
    sel = selection_accuracy(scale, filter, metric)
    cost = curation_plan_cost(scale, filter, gpu_usd_per_h, mfu, storage_usd_per_tb_month, months_stored,
                              require_positive_int("runs_sharing_scores", runs_sharing_scores))
    return PlanVerdict(scale, filter, cost.total_usd, sel.accuracy_pct, require_positive("budget_usd", budget_usd),
                       require_non_negative("target_pct", target_pct))


def rank_plans(budget_usd: float, target_pct: float, metric: str, runs_sharing_scores: int, gpu_usd_per_h: float,
               mfu: float, storage_usd_per_tb_month: float, months_stored: float) -> tuple[PlanVerdict, ...]:
    """Every measured (scale, filter) cell as a plan: feasible plans first, highest accuracy first, then cheapest.

    argmax A_metric over {C ≤ B ∧ A ≥ A*}; unmeasured cells are left out
    Source: v1-09 Part D math peek (128 M: image ∩ CLIP $182.47, 32.81 % best under $200 and ≥ 31 %).
    """
    plans = [
        curation_plan_evaluate(s, f, budget_usd, target_pct, metric, runs_sharing_scores, gpu_usd_per_h, mfu,
                               storage_usd_per_tb_month, months_stored)
        for s in DS.SCALES for f in DS.FILTERS if selection_accuracy(s, f, metric).measured
    ]
    plans.sort(key=lambda p: (not p.feasible, -(p.accuracy_pct or 0.0), p.cost_usd))
    return tuple(plans)
