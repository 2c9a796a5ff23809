"""v1-04 — Data Gravity: Move the Bytes or Move the Math?

Foundations lab: price one byte in operations (Part A, the exchange rate), compare three placements of a daily
imagery pipeline on one bill (Part B), ask the same question on batteries in three device contexts (Part C), and
choose a plan that survives a fourfold growth in data (Part D). Spec: shared/labs/v1-04.md.

Every number comes from the engine: prices and radio constants from engine.registry.infrastructure, device peaks
and powers from engine.registry.hardware (the v1-00 envelope), exchange rates, placements and crossovers from
engine.data and engine.economics. This module chooses the scenario's settings and words the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from engine.data import (
    compare_local,
    compare_placement,
    crossover_volume,
    device_energy_per_op,
    exchange_rate,
    link_goodput_bytes_per_s,
    radio_energy_per_byte,
)
from engine.economics import price_per_flop
from engine.latency import CITED as LATENCY_CITED
from engine.registry.hardware import CONTEXT_KEYS, get_context
from engine.registry.infrastructure import get_constant
from engine.units import format_number, format_value, from_base, to_base
from labs.common import context_options, failures_per, log_steps
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
    Scenario,
    Select,
    Slider,
    Synthesis,
)

HOME = "v1-00.home_context"

# --- the scenario's settings ---------------------------------------------------------------------------------

CLOUD = get_context("cloud")
PEAK_FLOP_PER_S = CLOUD.device.peak_fp16_dense_flop_per_s  # H100 SXM dense BF16: 989.5 TFLOP/s (half of 1,979)
EGRESS_USD_PER_B = get_constant("price.egress_inter_region")  # $0.02/GB, SI: $/B
GPU_USD_PER_H = from_base(get_constant("price.gpu_h100_rental"), "USD/h")  # $2.50 per GPU-hour
# η = 0.5, the sustained fraction of peak v1-02 assumes; device energy per op uses the same η
ETA = LATENCY_CITED["batch1_conv_efficiency"].value
DAY_S = to_base(1.0, "day")  # seconds per day (unit conversion, not physics)
MB = to_base(1.0, "MB")

# Part B/D scenario (Deepa): 30 TB/day, keep 0.33, 2,000 FLOP/B filter, 512 GPU-h/day, +50 % in region A, 10 Gb/s
VOLUME_TB_DAY, VOLUME_D_TB_DAY = 30.0, 120.0
KEEP, FILTER_FLOP_PER_B, JOB_GPU_H, PREMIUM, LINK_GBPS, BUDGET_USD = 0.33, 2000.0, 512.0, 0.5, 10.0, 700.0

DEVICE_CONTEXTS: tuple[str, ...] = ("tiny", "mobile", "edge")  # Part C's order, as the spec's table
DEFAULT_LINK: Mapping[str, str] = {"cloud": "lte", "edge": "lte", "mobile": "lte", "tiny": "ble"}
LINK_OPTIONS = (Option("ble", "BLE 1M (nRF52840)"), Option("lte", "LTE uplink"))
LINK_NAME = {"ble": "BLE 1M", "lte": "LTE"}

# Part C: one "decision" per context (scenario, assumptions in the spec): tiny a 1-s window of 1 kHz × 3 axes ×
# 2 B; mobile one 3 MB photo; edge one second of 1080p30 H.264 at 8 Mb/s (30 YOLOv8n frames of 8.7 GFLOP).
DECISION = {"tiny": "1-s vibration window", "mobile": "inspection photo", "edge": "second of 1080p30 video"}
STREAM_PERIOD_S = {"tiny": 1.0, "edge": 1.0}  # continuous streams: one decision per second; mobile: one photo
C_DEFAULTS = {
    "tiny": {"raw": 6000.0, "ops": 5e5, "result": 16.0},
    "mobile": {"raw": 3e6, "ops": 6e8, "result": 200.0},
    "edge": {"raw": 1e6, "ops": 8.7e9 * 30, "result": 1000.0},
}
CTX_NAME = {"cloud": "cloud", "edge": "edge (Orin robot)", "mobile": "mobile (phone app)", "tiny": "tiny (MCU + BLE)"}
CTX_TITLE = {"cloud": "Cloud (imagery pipeline)", "edge": "Edge (Kestrel's Orin robot)",
             "mobile": "Mobile (inspection app)", "tiny": "Tiny (vibration sensor, MCU + BLE)"}

PLANS: Mapping[str, str] = {"ship_raw": "ship raw", "move_job": "move job", "filter_ship": "filter + ship"}
PLAN_OPTIONS = tuple(Option(k, v) for k, v in PLANS.items())
PLAN_CHOICE = {"ship_raw": "a", "move_job": "b", "filter_ship": "c"}

# --- wording helpers (formatting only; every number comes from an engine call) -------------------------------


def _usd(x: float) -> str:
    """Dollars as a bill prints them ($600.00, $2,400.00); tiny amounts with 3 significant figures."""
    if x == 0 or abs(x) >= 0.01:
        return f"${x:,.2f}"
    return "$" + format_number(x, 3)


def _md(text: str) -> str:
    """Escape dollar signs for Markdown fields (the builder reads $…$ as inline math)."""
    return text.replace("$", r"\$")


def _joules(x: float, sig: int = 3) -> str:
    """Energy with the largest of pJ, nJ, µJ, mJ, J that keeps the number ≥ 1."""
    for unit in ("J", "mJ", "uJ", "nJ"):
        if abs(x) >= to_base(1.0, unit):
            return format_value(x, unit, sig)
    return format_value(x, "pJ", sig)


def _ladder(lo: float, hi: float, *extra: float) -> tuple[float, ...]:
    """log_steps(lo, hi) plus the scenario's own values, so every default sits on the slider."""
    return tuple(sorted(set(log_steps(lo, hi)) | {float(e) for e in extra}))


def _cloud_cost_per_op(gpu_usd_per_h: float = GPU_USD_PER_H, eta: float = ETA) -> float:
    return price_per_flop(gpu_usd_per_h, PEAK_FLOP_PER_S, eta)


def _cost_per_byte(ctx: str, link: str, egress_usd_per_b: float = EGRESS_USD_PER_B) -> float:
    """$ per byte across regions (cloud) or J per byte over the device's radio."""
    return egress_usd_per_b if ctx == "cloud" else radio_energy_per_byte(link)


def _cost_per_op(ctx: str, eta: float = ETA, gpu_usd_per_h: float = GPU_USD_PER_H) -> float:
    """$ per FLOP on a rented H100 (cloud) or device-level J per INT8 op (P_act / (R·η))."""
    return _cloud_cost_per_op(gpu_usd_per_h, eta) if ctx == "cloud" else device_energy_per_op(ctx, eta)


def _cost_text(ctx: str, x: float) -> str:
    return "$" + format_number(x, 4) if ctx == "cloud" else _joules(x, 4)


def scenario_rate(ctx: str, link: str | None = None) -> float:
    """The exchange rate of context `ctx` at the scenario's prices, η and default radio."""
    link = link or DEFAULT_LINK[ctx]
    return exchange_rate(_cost_per_byte(ctx, link), _cost_per_op(ctx))


def _placement(volume_bytes_per_day: float, keep: float = KEEP, filt: float = FILTER_FLOP_PER_B,
               job_gpu_h: float = JOB_GPU_H, premium: float = PREMIUM, link_bytes_per_s: float | None = None,
               budget: float = float("inf")):
    link = to_base(LINK_GBPS, "Gb/s") if link_bytes_per_s is None else link_bytes_per_s
    return compare_placement(volume_bytes_per_day, EGRESS_USD_PER_B, _cloud_cost_per_op(), keep, filt, job_gpu_h,
                             GPU_USD_PER_H, premium, link, budget)


def _plan_option(p, plan: str):
    return {"ship_raw": p.ship_raw, "move_job": p.move_job, "filter_ship": p.filter_ship}[plan]


def _budget_message(p, option) -> str:
    """The engine's budget sentence for `option` even when its link also saturates (message() reports the link
    first): the same option with the link check set aside."""
    return p.message(dataclasses.replace(option, link_s_per_day=0.0), 1.0)


def _tb_day(volume_bytes_per_day: float) -> str:
    return format_value(volume_bytes_per_day / DAY_S, "TB/day", 3)


# --- Part A: the exchange rate ---------------------------------------------------------------------------------


def exchange(egress_usd_per_gb: float, gpu_usd_per_h: float, eta: float, link: str, intensity: float,
             home: str) -> dict[str, Any]:
    """Part A model: cost of a byte and of an operation on the home context, their ratio, and the cloud's."""
    p_gpu = from_base(gpu_usd_per_h, "USD/h")  # compute receives $/s; price_per_flop takes $/GPU-h
    cloud_cb = egress_usd_per_gb  # $/B (SI)
    cloud_cop = _cloud_cost_per_op(p_gpu, eta)
    cloud_rate = exchange_rate(cloud_cb, cloud_cop)
    cb = cloud_cb if home == "cloud" else radio_energy_per_byte(link)
    cop = cloud_cop if home == "cloud" else device_energy_per_op(home, eta)
    rate = exchange_rate(cb, cop)
    env = get_context(home)
    move_mb, compute_mb = MB * cb, MB * intensity * cop
    others = {k: exchange_rate(_cost_per_byte(k, DEFAULT_LINK[k]), _cost_per_op(k, eta)) for k in CONTEXT_KEYS if k != "cloud"}
    others = {"cloud": cloud_rate, **others}
    if home == "cloud":
        label = f"Cloud ({env.device.name}): dollars"
        byte_how = f"{_usd(egress_usd_per_gb * 1e9)}/GB ÷ 10⁹ B/GB"
        op_how = (f"{_usd(p_gpu)}/h ÷ (3,600 s/h × {format_value(PEAK_FLOP_PER_S, 'TFLOP/s', 4)} × "
                  f"{format_number(eta, 2)})")
    else:
        radio = LINK_NAME[link]
        label = f"{env.label} ({env.device.name}) over {radio}: energy"
        goodput = link_goodput_bytes_per_s(link)
        byte_how = (f"{format_value(cb * goodput, 'mW', 4)} {radio} radio power ÷ "
                    f"{format_value(goodput, 'B/s', 3)} goodput")
        op_how = (f"{format_value(env.active_power_w, 'W', 3)} ÷ ({format_auto_rate(env.int8_dense_op_per_s)} × "
                  f"{format_number(eta, 2)})")
    return {
        "home_label": label,
        "cost_per_byte_text": _cost_text(home, cb) + " per byte",
        "cost_per_op_text": _cost_text(home, cop) + (" per FLOP" if home == "cloud" else " per op"),
        "exchange_rate": rate,
        "cloud_exchange_rate": cloud_rate,
        "all_rates": " · ".join(
            f"{k} {format_number(others[k], 3)}" + (f" ({LINK_NAME[DEFAULT_LINK[k]]})" if k != "cloud" else "")
            for k in CONTEXT_KEYS
        ),
        "cost_per_byte": cb,
        "cost_per_op": cop,
        "byte_how": byte_how,
        "op_how": op_how,
        "egress_text": f"${format_number(egress_usd_per_gb * 1e9, 3)}/GB",
        "gpu_text": f"{_usd(p_gpu)}/GPU-h",
        "move_mb_text": _cost_text(home, move_mb),
        "compute_mb_text": _cost_text(home, compute_mb),
        "compute_over_move": compute_mb / move_mb if move_mb > 0 else 0.0,
        "charts": {
            "one_mb": {
                "x": ["move 1 MB", "compute on 1 MB"],
                "series": [{
                    "name": "dollars" if home == "cloud" else "joules",
                    "y": [move_mb, compute_mb],
                    "labels": [_cost_text(home, move_mb), _cost_text(home, compute_mb)],
                }],
            }
        },
    }


def format_auto_rate(ops_per_s: float) -> str:
    """An INT8 op rate in TOP/s or GOP/s."""
    return format_value(ops_per_s, "TOP/s" if ops_per_s >= 1e12 else "GOP/s", 4)


def _reveal_a() -> str:
    cop = _cloud_cost_per_op()
    rates = {k: scenario_rate(k) for k in CONTEXT_KEYS}
    lte, ble = radio_energy_per_byte("lte"), radio_energy_per_byte("ble")
    dev = {k: device_energy_per_op(k, ETA) for k in ("edge", "mobile", "tiny")}
    return (
        f"Cloud: one FLOP on a rented H100 costs {_usd(GPU_USD_PER_H)} ÷ 3,600 ÷ "
        f"({format_value(PEAK_FLOP_PER_S, 'TFLOP/s', 4)} × {ETA:g}) = ${format_number(cop, 5)}; one byte across "
        f"regions costs $0.02 ÷ 10⁹ = ${format_number(EGRESS_USD_PER_B, 3)}. Ratio: "
        f"**{format_number(rates['cloud'], 4)} FLOP per byte**: ten million operations for the price of moving one "
        f"byte.\n\n"
        f"On batteries the currency is energy. LTE costs {_joules(lte, 5)} per byte, BLE {_joules(ble, 4)}; "
        f"device-level energy per operation (active power ÷ 0.5 × INT8 peak) is {_joules(dev['edge'], 5)} on the "
        f"Orin, {_joules(dev['mobile'], 4)} on the phone NPU, {_joules(dev['tiny'], 4)} on the STM32H743. Rates: "
        f"edge **{format_number(rates['edge'], 3)}**, mobile **{format_number(rates['mobile'], 3)}**, tiny "
        f"**{format_number(rates['tiny'], 3)}** operations per byte. Everywhere but the microcontroller, computing "
        f"is millions of times cheaper than moving."
    )


PART_A = Part(
    id="A",
    title="Calibration: the exchange rate",
    kind="calibration",
    scenario=Scenario(
        speaker="Deepa Raman",
        role="data-platform lead at Halcyon Orbital (satellite imagery)",
        text=(
            "Our imagery lands in one cloud region; our GPUs live in another. Egress is billed per gigabyte, GPUs per "
            "hour. Gut check for the team: how much GPU arithmetic costs the same as moving a single byte between "
            "regions?"
        ),
    ),
    prediction=NumericPrediction(
        prompt=(
            "How much GPU arithmetic costs the same as moving a single byte between regions? (If your home context "
            "is edge, mobile or tiny: how many operations cost the same energy as sending one byte over the "
            "device's radio?)"
        ),
        unit="OP/B",
        min=1,
        max=1e12,
        answer="exchange_rate",
        scale="log",
    ),
    instruments=(
        Slider("egress_usd_per_gb", "Inter-region transfer price", "USD/GB", 0.0, 0.20, 0.02, step=0.005,
               help="Billed per GB crossing regions (cloud)."),
        Slider("gpu_usd_per_h", "GPU price", "USD/h", 0.50, 10.00, 2.50, step=0.05,
               help="Rental price of one H100 per hour (cloud)."),
        Slider("eta", "Sustained fraction of peak", "fraction", 0.1, 1.0, 0.5, step=0.05,
               help="η: sustained ÷ peak operation rate, on the GPU and on the devices."),
        Select("link", "Radio", LINK_OPTIONS, default="lte", default_from=HOME, default_by=dict(DEFAULT_LINK),
               help="The device's uplink (edge, mobile, tiny homes; the cloud uses the transfer price)."),
        Slider("intensity", "Chart: operations spent per byte", "OP/B", 1, 1e9, FILTER_FLOP_PER_B,
               steps=log_steps(1, 1e9), help="For the chart only: work done on each byte of a 1 MB block."),
    ),
    compute=exchange,
    ledger_inputs={"home": HOME},
    outputs=(
        Output("home_label", "Home context and currency", kind="text"),
        Output("cost_per_byte_text", "Cost of moving one byte", kind="text"),
        Output("cost_per_op_text", "Cost of one operation", kind="text"),
        Output("exchange_rate", "Exchange rate on your home context", "OP/B", 3),
        Output("cloud_exchange_rate", "Cloud exchange rate (Deepa's regions)", "FLOP/B", 3),
        Output("all_rates", "All four contexts at these η (op/B)", kind="text"),
        Output("cost_per_byte", "c_B (SI: $/B or J/B)", "none", 4, show=False),
        Output("cost_per_op", "c_op (SI: $/FLOP or J/op)", "none", 4, show=False),
        Output("byte_how", "How c_B is priced", kind="text", show=False),
        Output("op_how", "How c_op is priced", kind="text", show=False),
        Output("egress_text", "Transfer price", kind="text", show=False),
        Output("gpu_text", "GPU price", kind="text", show=False),
        Output("move_mb_text", "Move 1 MB", kind="text", show=False),
        Output("compute_mb_text", "Compute on 1 MB", kind="text", show=False),
        Output("compute_over_move", "Compute ÷ move for 1 MB", "x", 3),
    ),
    charts=(
        Chart(
            id="one_mb",
            kind="bar",
            title="1 MB moved vs 1 MB worth of operations",
            x_label="",
            y_label="Cost ($ on cloud, J on batteries)",
            y_log=True,
            description="Two bars: the cost of moving 1 MB and of spending the chart slider's operations on each "
                        "of its bytes. They meet when the intensity equals the exchange rate.",
        ),
    ),
    math=MathPeek(
        equations=(
            r"X = \frac{c_B}{c_\text{op}}",
            r"c_\text{op}^\text{cloud} = \frac{p_\text{GPU}}{3600\,R\,\eta}",
            r"c_\text{op}^\text{device} = \frac{P_\text{act}}{R\,\eta}",
            r"c_B^\text{BLE} = \frac{8\,P_\text{radio}}{r_\text{PHY}\,g}",
            r"c_B^\text{LTE} = \frac{8\,(\alpha_u r + \beta)}{r}",
        ),
        substituted=(
            "c_B = {byte_how} = {cost_per_byte_text}",
            "c_op = {op_how} = {cost_per_op_text}",
            "X = {cost_per_byte_text} ÷ {cost_per_op_text} = {exchange_rate}",
            "cloud at {egress_text} and {gpu_text}: X = {cloud_exchange_rate}",
        ),
        engine=("engine.data.exchange_rate", "engine.economics.price_per_flop", "engine.data.radio_energy_per_byte",
                "engine.data.device_energy_per_op"),
        note=(
            "Device energy per operation is device-level (whole-module active power over sustained INT8 rate), not "
            "a transistor figure. The cloud uses the BF16 dense peak (FLOP); devices their INT8 peak (ops)."
        ),
    ),
    reveal=Reveal(_md(_reveal_a())),
)

# --- Part B: three placements, one bill ------------------------------------------------------------------------


def placement(volume_tb_day: float, keep_fraction: float, filter_flop_per_byte: float, job_gpu_h_day: float,
              region_premium: float, link_gbps: float) -> dict[str, Any]:
    """Part B model: $/day and link hours of ship raw / move job / filter + ship, and the break-even intensity."""
    v = volume_tb_day * DAY_S  # B/s → B/day
    job_h = from_base(job_gpu_h_day, "GPU-h")
    p = _placement(v, keep_fraction, filter_flop_per_byte, job_h, region_premium, link_gbps)
    ship, move, filt = p.ship_raw, p.move_job, p.filter_ship
    cheapest = next(k for k, o in zip(PLANS, p.options) if o is p.cheapest)
    out: dict[str, Any] = {}
    for key, o in zip(PLANS, p.options):
        out[f"{key}_usd"] = o.total_usd
        out[f"{key}_link_h"] = o.link_s_per_day
        out[f"{key}_text"] = (f"{_usd(o.total_usd)}/day (compute {_usd(o.compute_usd)} + movement "
                              f"{_usd(o.movement_usd)}), link {format_value(o.link_s_per_day, 'h', 3)}/day")
    out.update({
        "filter_compute_usd": filt.compute_usd,
        "filter_gpu_h": to_base(filt.compute_usd / (GPU_USD_PER_H * (1 + region_premium)), "GPU-h"),
        "cheapest_plan": cheapest,
        "cheapest_text": f"{PLANS[cheapest]}, {_usd(p.cheapest.total_usd)}/day",
        "cheapest_answer": PLAN_CHOICE[cheapest],
        "break_even": p.break_even_flop_per_byte,
        "break_even_margin": p.break_even_flop_per_byte / filter_flop_per_byte,
        "ship_saturated": ship.link_utilisation > 1.0,
        "ship_utilisation": ship.link_utilisation,
        "message": (p.message(ship, link_gbps) + f" (Ship raw: {_tb_day(v)} over a "
                    f"{format_value(link_gbps, 'Gb/s', 3)} link.)") if ship.link_utilisation > 1.0 else "",
        "volume_text": _tb_day(v),
        "charts": {
            "bill": {
                "x": list(PLANS.values()),
                "series": [
                    {"name": "data movement", "y": [o.movement_usd for o in p.options],
                     "status": ["fail" if o.link_utilisation > 1 else "ok" for o in p.options],
                     "labels": [f"link {format_number(o.link_s_per_day / 3600, 3)} h" for o in p.options]},
                    {"name": "compute", "y": [o.compute_usd for o in p.options]},
                ],
            }
        },
    })
    return out


def _reveal_b() -> str:
    p = _placement(VOLUME_TB_DAY * 1e12)
    f = p.filter_ship
    gpu_s = f.compute_usd / (GPU_USD_PER_H * (1 + PREMIUM)) * 3600
    return (
        f"**Filter + ship: {_usd(f.total_usd)}/day.** Shipping raw costs 30,000 GB × $0.02 = "
        f"{_usd(p.ship_raw.total_usd)} and {format_value(p.ship_raw.link_s_per_day, 'h', 3)} of the 10 Gb/s link. "
        f"Moving the job costs the premium on 512 GPU-hours: 512 × $2.50 × 0.5 = {_usd(p.move_job.total_usd)}. "
        f"Filtering in region A costs 30 × 10¹² B × 2,000 FLOP/B ÷ "
        f"({format_value(PEAK_FLOP_PER_S, 'TFLOP/s', 4)} × 0.5) = {format_number(gpu_s, 4)} GPU-seconds at $3.75/h "
        f"= {_usd(f.compute_usd)}, plus 0.33 × 30,000 GB × $0.02 = {_usd(f.movement_usd)} of egress.\n\n"
        f"The filter would have to cost (1 − 0.33) × c_B ÷ (c_op × 1.5) = "
        f"**{format_number(p.break_even_flop_per_byte, 3)} FLOP/B** before shipping raw won: "
        f"{format_number(p.break_even_flop_per_byte / FILTER_FLOP_PER_B, 3)}× its 2,000. Reduction is cheap "
        f"because the exchange rate is 10⁷."
    )


def _b_controls(volume_default: float) -> tuple[Slider, ...]:
    return (
        Slider("volume_tb_day", "Imagery per day", "TB/day", 1, 200, volume_default, step=1,
               help="Tiles landing in region A each day."),
        Slider("keep_fraction", "Share of tiles kept by the filter", "fraction", 0.0, 1.0, KEEP, step=0.01,
               help="k: the filter ships this share (0.33 ≈ 1 − 67 % mean cloud cover)."),
        Slider("filter_flop_per_byte", "Filter cost", "FLOP/B", 10, 1e7, FILTER_FLOP_PER_B,
               steps=log_steps(10, 1e7), help="I: work per byte of imagery (2,000 = 2 GFLOP per 1 MB tile)."),
        Slider("job_gpu_h_day", "Training job size", "GPU-h", 8, 4096, JOB_GPU_H,
               steps=tuple(float(2**n) for n in range(3, 13)), help="H: GPU-hours the training job uses per day."),
        Slider("region_premium", "GPU price premium in region A", "fraction", 0.0, 2.0, PREMIUM, step=0.05,
               help="π: region A's GPUs cost (1 + π) × $2.50/h."),
        Slider("link_gbps", "Inter-region link", "Gb/s", 1, 100, LINK_GBPS, steps=log_steps(1, 100),
               help="Capacity of the link between the regions, per direction."),
    )


PART_B = Part(
    id="B",
    title="Deepening: three placements, one bill",
    kind="deepening",
    scenario=Scenario(
        speaker="Deepa Raman",
        role="data-platform lead at Halcyon Orbital",
        text=(
            "Thirty terabytes of tiles land every day in region A. The training job (fixed budget, 512 GPU-hours a "
            "day, sampling from everything that arrives) runs in region B. GPUs in region A cost 50 % more. One more "
            "idea: two-thirds of tiles are cloud-covered and useless — a small filter could drop them before "
            "shipping."
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Cheapest per day?",
        options=(
            Option("a", "ship all raw tiles to B"),
            Option("b", "move the job to A"),
            Option("c", "filter in A, ship survivors to B"),
        ),
        answer="cheapest_answer",
    ),
    instruments=_b_controls(VOLUME_TB_DAY),
    compute=placement,
    outputs=(
        Output("ship_raw_text", "Ship raw", kind="text"),
        Output("move_job_text", "Move the job", kind="text"),
        Output("filter_ship_text", "Filter + ship", kind="text"),
        Output("cheapest_text", "Cheapest feasible", kind="text"),
        Output("break_even", "Break-even filter intensity", "FLOP/B", 3),
        Output("break_even_margin", "Break-even ÷ your filter", "x", 3),
        Output("ship_utilisation", "Link busy, ship raw", "percent", 3),
        *(Output(f"{k}_usd", f"{v} $/day", "USD", 5, show=False) for k, v in PLANS.items()),
        *(Output(f"{k}_link_h", f"{v} link time per day", "h", 3, show=False) for k, v in PLANS.items()),
        Output("filter_compute_usd", "Filter compute $/day", "USD", 3, show=False),
        Output("filter_gpu_h", "Filter GPU-hours per day", "GPU-h", 3, show=False),
        Output("cheapest_plan", "Cheapest plan key", kind="text", show=False),
        Output("cheapest_answer", "Answer key", kind="text", show=False),
        Output("volume_text", "Volume", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="bill",
            kind="grouped_bar",
            title="Daily bill per placement: data movement and compute, with link hours",
            x_label="Placement",
            y_label="Cost per day",
            y_unit="USD",
            description="Two bars per placement: egress dollars (labelled with link hours per day; red when the "
                        "link is saturated) and compute dollars. A placement's bill is the sum of its two bars.",
        ),
    ),
    failures=(
        FailureState("link_saturated", "Link saturated", when="ship_saturated", message="message"),
    ),
    math=MathPeek(
        equations=(
            r"C_\text{ship} = V c_B, \quad C_\text{move} = H\,p\,\pi",
            r"C_\text{filter} = V I c_\text{op}(1+\pi) + kVc_B",
            r"\text{filter wins while } I < \frac{(1-k)\,c_B}{c_\text{op}(1+\pi)}",
            r"t_\text{link} = \frac{8 V}{\text{link}} \le 86{,}400\ \text{s/day}",
        ),
        substituted=(
            "V = {volume_text}: ship raw = {ship_raw_text}",
            "move job = {move_job_text}",
            "filter + ship = {filter_ship_text}",
            "break-even I = {break_even} ({break_even_margin} your {filter_flop_per_byte})",
        ),
        engine=("engine.data.compare_placement", "engine.economics.price_per_flop"),
        note=_md("Prices: $0.02/GB egress, $2.50/GPU-h in region B and (1 + π) × that in region A, η = 0.5 of the "
             "H100's dense BF16 peak. Moving the job pays only the premium: the GPU-hours are bought either way."),
    ),
    reveal=Reveal(_md(_reveal_b())),
)

# --- Part C: the same question on batteries ----------------------------------------------------------------------


def _c_instruments() -> tuple[Any, ...]:
    d = C_DEFAULTS
    out: list[Any] = []
    for ctx in DEVICE_CONTEXTS:
        out += [
            Slider(f"raw_rate_{ctx}", f"{ctx.capitalize()}: raw data per {DECISION[ctx]}", "B", 1, 1e9,
                   d[ctx]["raw"], steps=_ladder(1, 1e9, *(d[c]["raw"] for c in DEVICE_CONTEXTS)),
                   help="Bytes that streaming would send per decision."),
            Slider(f"model_ops_{ctx}", f"{ctx.capitalize()}: model operations per decision", "OP", 1e3, 1e12,
                   d[ctx]["ops"], steps=_ladder(1e3, 1e12, *(d[c]["ops"] for c in DEVICE_CONTEXTS)),
                   help="Operations the local model spends per decision."),
            Slider(f"result_bytes_{ctx}", f"{ctx.capitalize()}: verdict size", "B", 1, 10_000, d[ctx]["result"],
                   steps=_ladder(1, 10_000, *(d[c]["result"] for c in DEVICE_CONTEXTS)),
                   help="Bytes sent when the device decides locally."),
            Select(f"link_{ctx}", f"{ctx.capitalize()}: radio", LINK_OPTIONS, default=DEFAULT_LINK[ctx]),
        ]
    return tuple(out)


def contexts_answer(rates: Mapping[str, float]) -> str:
    """Part C's answer: the option key of the context with the lowest exchange rate."""
    return "abcd"[CONTEXT_KEYS.index(min(rates, key=lambda k: rates[k]))]


def batteries(raw_rate_tiny: float, model_ops_tiny: float, result_bytes_tiny: float, link_tiny: str,
              raw_rate_mobile: float, model_ops_mobile: float, result_bytes_mobile: float, link_mobile: str,
              raw_rate_edge: float, model_ops_edge: float, result_bytes_edge: float, link_edge: str) -> dict[str, Any]:
    """Part C model: per context, exchange rate and energy per decision of streaming raw vs computing locally."""
    args = {
        "tiny": (raw_rate_tiny, model_ops_tiny, result_bytes_tiny, link_tiny),
        "mobile": (raw_rate_mobile, model_ops_mobile, result_bytes_mobile, link_mobile),
        "edge": (raw_rate_edge, model_ops_edge, result_bytes_edge, link_edge),
    }
    out: dict[str, Any] = {}
    rates = {"cloud": scenario_rate("cloud")}
    stream_y, local_y, status = [], [], []
    for ctx, (raw, ops, res, link) in args.items():
        cb, cop = radio_energy_per_byte(link), device_energy_per_op(ctx, ETA)
        rates[ctx] = exchange_rate(cb, cop)
        r = compare_local(raw, ops, res, cb, cop)
        goodput = link_goodput_bytes_per_s(link)
        out[f"rate_{ctx}"] = rates[ctx]
        out[f"stream_{ctx}"] = r.stream_raw
        out[f"local_{ctx}"] = r.compute_local
        out[f"local_compute_{ctx}"] = r.local_compute_part
        out[f"local_send_{ctx}"] = r.local_send_part
        out[f"ratio_{ctx}"] = r.ratio
        if ctx in STREAM_PERIOD_S:
            rate_bps = raw / STREAM_PERIOD_S[ctx]
            util = rate_bps / goodput
            link_text = f"uplink {format_value(util, 'percent', 3)} busy"
        else:
            rate_bps, util = 0.0, 0.0
            link_text = f"upload {format_value(raw / goodput, 's', 3)} per photo"
        out[f"util_{ctx}"] = util
        out[f"saturated_{ctx}"] = util > 1.0
        out[f"message_{ctx}"] = (
            f"Uplink saturated: {format_value(rate_bps, 'Mb/s', 2)} {'video' if ctx == 'edge' else 'raw stream'} > "
            f"{format_value(goodput, 'Mb/s', 2)} {LINK_NAME[link]} uplink ({format_number(util, 3)}×). First fix: "
            + ("run the detector on the robot." if ctx == "edge" else "compute locally and send the verdict.")
            if util > 1.0 else ""
        )
        stream_txt = _joules(r.stream_raw, 4) + (" (link saturated)" if util > 1.0 else "")
        out[f"row_{ctx}"] = (
            f"{format_number(rates[ctx], 3)} op/B · stream raw {stream_txt} · compute locally "
            f"{_joules(r.compute_local, 4)} per {DECISION[ctx]} ({format_number(r.ratio, 3)}×) · {link_text}"
        )
        stream_y.append(r.stream_raw)
        local_y.append(r.compute_local)
        status.append("fail" if util > 1.0 else "ok")
    b = _placement(VOLUME_TB_DAY * 1e12)
    out["rate_cloud"] = rates["cloud"]
    out["ratio_cloud"] = b.ship_raw.total_usd / b.filter_ship.total_usd
    out["row_cloud"] = (f"{format_number(rates['cloud'], 3)} FLOP/B · ship raw {_usd(b.ship_raw.total_usd)}/day vs "
                        f"filter + ship {_usd(b.filter_ship.total_usd)}/day ({format_number(out['ratio_cloud'], 3)}×, "
                        f"Part B)")
    out["lowest_rate_answer"] = contexts_answer(rates)
    out["lowest_rate_context"] = min(rates, key=lambda k: rates[k])
    out["charts"] = {
        "per_decision": {
            "x": list(DEVICE_CONTEXTS),
            "series": [
                {"name": "stream raw", "y": stream_y, "status": status},
                {"name": "compute locally", "y": local_y},
            ],
        }
    }
    return out


def _reveal_c() -> str:
    r = {k: scenario_rate(k) for k in CONTEXT_KEYS}
    ble, lte = radio_energy_per_byte("ble"), radio_energy_per_byte("lte")
    d = C_DEFAULTS
    loc = {c: compare_local(d[c]["raw"], d[c]["ops"], d[c]["result"], radio_energy_per_byte(DEFAULT_LINK[c]),
                            device_energy_per_op(c, ETA)) for c in DEVICE_CONTEXTS}
    return (
        f"**Tiny, {format_number(r['tiny'], 3)} ops per byte**, against cloud {format_number(r['cloud'], 3)}, "
        f"edge {format_number(r['edge'], 3)}, mobile {format_number(r['mobile'], 3)}. A microcontroller operation "
        f"costs {_joules(device_energy_per_op('tiny', ETA), 4)}, about 10³× a phone NPU's, while a BLE byte "
        f"({_joules(ble, 4)}) is 17× cheaper than an LTE byte ({_joules(lte, 5)}).\n\n"
        f"Local still wins everywhere here. Tiny: streaming 6,000 B/s costs {_joules(loc['tiny'].stream_raw, 4)} per "
        f"second, the detector plus a 16 B verdict {_joules(loc['tiny'].compute_local, 3)} "
        f"(**{format_number(loc['tiny'].ratio, 3)}×**). Phone: a 3 MB photo over LTE "
        f"{_joules(loc['mobile'].stream_raw, 4)} vs {_joules(loc['mobile'].compute_local, 3)} "
        f"(**{format_number(loc['mobile'].ratio, 2)}×**). Robot: 8 Mb/s of video cannot even fit the 6 Mb/s uplink; "
        f"YOLOv8n at 30 frames/s costs {_joules(loc['edge'].local_compute_part, 3)} per second plus "
        f"{_joules(loc['edge'].local_send_part, 3)} to send 1,000 B of detections = "
        f"{_joules(loc['edge'].compute_local, 3)} (0.374 W). The lopsidedness shrinks as the exchange rate falls, "
        f"but 11× is still a clear win."
    )


PART_C = Part(
    id="C",
    title="Cross-context: the same question on batteries",
    kind="cross-context",
    scenario=Scenario(
        speaker="Mateo Quispe",
        role="CTO of Ridgeline Pumps",
        text=(
            "Our vibration sensors (MCU + BLE), our phone inspection app, and Kestrel's Orin robots all ask the same "
            "thing: stream raw, or think locally and send a verdict?"
        ),
    ),
    prediction=ChoicePrediction(
        prompt="Where is local computation the least lopsided winner (lowest exchange rate)?",
        options=(Option("a", "cloud"), Option("b", "edge"), Option("c", "mobile"), Option("d", "tiny")),
        answer="lowest_rate_answer",
    ),
    instruments=_c_instruments(),
    compute=batteries,
    outputs=(
        *(Output(f"row_{c}", CTX_TITLE[c], kind="text") for c in (*DEVICE_CONTEXTS, "cloud")),
        Output("lowest_rate_context", "Lowest exchange rate", kind="text"),
        *(Output(f"rate_{c}", f"{c} exchange rate", "OP/B", 3, show=False) for c in CONTEXT_KEYS),
        *(Output(f"{q}_{c}", f"{c} {q} energy per decision", "J", 4, show=False)
          for c in DEVICE_CONTEXTS for q in ("stream", "local", "local_compute", "local_send")),
        *(Output(f"ratio_{c}", f"{c} stream ÷ local", "x", 3, show=False) for c in (*DEVICE_CONTEXTS, "cloud")),
        *(Output(f"util_{c}", f"{c} uplink utilisation", "percent", 3, show=False) for c in DEVICE_CONTEXTS),
        Output("lowest_rate_answer", "Answer key", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="per_decision",
            kind="grouped_bar",
            title="Energy per decision: stream raw vs compute locally",
            x_label="Context",
            y_label="Energy per decision",
            y_unit="J",
            y_log=True,
            description="Paired bars per device context; a red-outlined bar is a stream its uplink cannot carry. "
                        "Cloud is priced in dollars (Part B) and appears in the table, not the chart.",
        ),
    ),
    failures=failures_per(
        STREAM_PERIOD_S,
        id="uplink_saturated_{key}",
        title=lambda ctx: f"{CTX_TITLE[ctx]}: uplink saturated",
        when="saturated_{key}",
        message="message_{key}",
    ),
    math=MathPeek(
        equations=(
            r"E_\text{raw} = D\,c_B",
            r"E_\text{local} = O\,c_\text{op} + D_\text{out}\,c_B",
            r"\text{saturated iff } D / T_\text{decision} > r_\text{goodput}",
        ),
        substituted=(
            "tiny: {row_tiny}",
            "mobile: {row_mobile}",
            "edge: {row_edge}",
            "cloud: {row_cloud}",
        ),
        engine=("engine.data.compare_local", "engine.data.radio_energy_per_byte", "engine.data.device_energy_per_op",
                "engine.data.link_goodput_bytes_per_s", "engine.data.compare_placement"),
        note="A decision is a 1-s window (tiny), one photo (mobile) or one second of video (edge), so on tiny and "
             "edge energy per decision is also average power (1 mJ per second = 1 mW).",
    ),
    reveal=Reveal(_md(_reveal_c())),
)

# --- Part D: the archive quadruples ------------------------------------------------------------------------------


def design(volume_tb_day: float, keep_fraction: float, filter_flop_per_byte: float, job_gpu_h_day: float,
           region_premium: float, link_gbps: float, budget_usd_day: float, plan: str) -> dict[str, Any]:
    """Part D model: the chosen plan's $/day and link hours against the budget and the day; the crossover volume."""
    v = volume_tb_day * DAY_S
    job_h = from_base(job_gpu_h_day, "GPU-h")
    p = _placement(v, keep_fraction, filter_flop_per_byte, job_h, region_premium, link_gbps, budget_usd_day)
    chosen = _plan_option(p, plan)
    cross = crossover_volume(p.move_job.total_usd, keep_fraction, EGRESS_USD_PER_B, filter_flop_per_byte,
                             _cloud_cost_per_op(), region_premium)
    out: dict[str, Any] = {}
    for key, o in zip(PLANS, p.options):
        fails = [w for w, bad in (("link", o.link_utilisation > 1), ("budget", o.total_usd > budget_usd_day)) if bad]
        out[f"{key}_text"] = (f"{_usd(o.total_usd)}/day, link {format_value(o.link_s_per_day, 'h', 3)}/day → "
                              + (f"fails: {' and '.join(fails)}" if fails else "passes"))
        out[f"{key}_usd"] = o.total_usd
    link_fail = chosen.link_utilisation > 1.0
    budget_fail = chosen.total_usd > budget_usd_day
    grid = [i * 5.0 for i in range(41)]  # 0–200 TB/day
    sweep = [_placement(g * 1e12, keep_fraction, filter_flop_per_byte, job_h, region_premium, link_gbps)
             for g in grid]
    out.update({
        "plan_usd": chosen.total_usd,
        "plan_link_h": chosen.link_s_per_day,
        "verdict": f"{PLANS[plan]}: {_usd(chosen.total_usd)}/day → " + (
            "passes (under budget, under 24 h of link)" if not (link_fail or budget_fail)
            else "fails " + " and ".join(w for w, bad in (("link", link_fail), ("budget", budget_fail)) if bad)),
        "link_fail": link_fail,
        "budget_fail": budget_fail,
        "link_message": (p.message(chosen, link_gbps) + f" ({PLANS[plan].capitalize()}: {_tb_day(v)} over a "
                         f"{format_value(link_gbps, 'Gb/s', 3)} link.)") if link_fail else "",
        "budget_message": (_budget_message(p, chosen) + f" ({PLANS[plan].capitalize()}.)") if budget_fail else "",
        "crossover_volume": cross / DAY_S,  # B/day → B/s (the TB/day unit's base)
        "volume_text": _tb_day(v),
        "move_usd_text": _usd(p.move_job.total_usd),
        "charts": {
            "cost_vs_volume": {
                "x": [to_base(g, "TB/day") for g in grid],
                # filter + ship before move job so the flat move-job line does not share the budget line's red
                "series": [{"name": PLANS[k], "y": [_plan_option(s, k).total_usd for s in sweep]}
                           for k in ("ship_raw", "filter_ship", "move_job")],
                "lines": [{"y": budget_usd_day, "label": f"budget {_usd(budget_usd_day)}"}],
            }
        },
    })
    return out


def _reveal_d() -> str:
    p = _placement(VOLUME_D_TB_DAY * 1e12, budget=BUDGET_USD)
    cross = crossover_volume(p.move_job.total_usd, KEEP, EGRESS_USD_PER_B, FILTER_FLOP_PER_B, _cloud_cost_per_op(),
                             PREMIUM)
    f = p.filter_ship
    return (
        f"At 120 TB/day shipping raw costs {_usd(p.ship_raw.total_usd)} and needs "
        f"{format_value(p.ship_raw.link_s_per_day, 'h', 3)} of link a day: it fails twice. Filter + ship costs "
        f"{_usd(f.compute_usd)} + {_usd(f.movement_usd)} = {_usd(f.total_usd)} and "
        f"{format_value(f.link_s_per_day, 'h', 2)} of link: over the $700 budget. **Moving the job** still costs "
        f"{_usd(p.move_job.total_usd)}: its bill does not grow with the data.\n\n"
        f"Crossover: V × (0.33 × $2 × 10⁻¹¹ + 2,000 × c_op × 1.5) = $640 → V = "
        f"**{format_value(cross / DAY_S, 'TB/day', 3)}**. Below it, reduce near the data and ship; above it, the "
        f"even-reduced stream costs more than relocating a fixed job."
    )


PART_D = Part(
    id="D",
    title="Design challenge: the archive quadruples",
    kind="design",
    scenario=Scenario(
        speaker="Deepa Raman",
        role="data-platform lead at Halcyon Orbital",
        text="A new constellation brings us to 120 TB a day. Keep data movement under $700/day and the link under "
             "24 h/day.",
    ),
    prediction=NumericPrediction(
        prompt="Above what daily volume does moving the job beat filter-then-ship?",
        unit="TB/day",
        min=1,
        max=200,
        answer="crossover_volume",
        scale="linear",
    ),
    instruments=(
        *_b_controls(VOLUME_D_TB_DAY),
        Slider("budget_usd_day", "Data-movement budget", "USD", 100, 5000, BUDGET_USD, step=50,
               help="Dollars per day the plan may spend."),
        Select("plan", "Placement", PLAN_OPTIONS, default="ship_raw"),
    ),
    compute=design,
    outputs=(
        Output("verdict", "Your plan", kind="text"),
        Output("plan_usd", "Your plan's cost per day", "USD", 5, show=False),
        Output("plan_link_h", "Your plan's link time per day", "h", 3),
        Output("ship_raw_text", "Ship raw", kind="text"),
        Output("move_job_text", "Move the job", kind="text"),
        Output("filter_ship_text", "Filter + ship", kind="text"),
        Output("crossover_volume", "Move job beats filter + ship above", "TB/day", 3),
        *(Output(f"{k}_usd", f"{v} $/day", "USD", 5, show=False) for k, v in PLANS.items()),
        Output("volume_text", "Volume", kind="text", show=False),
        Output("move_usd_text", "Move-job cost", kind="text", show=False),
    ),
    charts=(
        Chart(
            id="cost_vs_volume",
            kind="line",
            title="Daily cost of each plan as the archive grows",
            x_label="Imagery per day (TB/day)",
            y_label="Cost per day",
            x_unit="TB/day",
            y_unit="USD",
            description="Ship raw and filter + ship grow with volume; move job is flat. Filter + ship crosses move "
                        "job at the crossover volume; the dashed line is the budget.",
        ),
    ),
    failures=(
        FailureState("link_saturated", "Link saturated", "link_fail", "link_message"),
        FailureState("over_budget", "Budget exceeded", "budget_fail",
                     "budget_message"),
    ),
    math=MathPeek(
        equations=(
            r"C_\text{ship} = V c_B,\quad C_\text{move} = H p \pi",
            r"C_\text{filter} = V I c_\text{op}(1+\pi) + kVc_B",
            r"V^* = \frac{H p \pi}{k c_B + I c_\text{op} (1+\pi)}",
        ),
        substituted=(
            "V = {volume_text}: ship raw {ship_raw_text}",
            "move job {move_job_text}; filter + ship {filter_ship_text}",
            "V* = {move_usd_text} ÷ (k c_B + I c_op (1 + π)) = {crossover_volume}",
        ),
        engine=("engine.data.compare_placement", "engine.data.crossover_volume"),
    ),
    reveal=Reveal(_md(_reveal_d())),
)

# --- the lab -----------------------------------------------------------------------------------------------------


def _self_assessment() -> tuple[tuple[str, str], ...]:
    half = exchange_rate(EGRESS_USD_PER_B / 2, _cloud_cost_per_op())
    p = _placement(VOLUME_TB_DAY * 1e12)
    k_equal = (p.move_job.total_usd - p.filter_ship.compute_usd) / p.ship_raw.total_usd
    return (
        ("Egress drops to $0.01/GB. New cloud exchange rate?", f"{format_number(half, 3)} FLOP/B (half of 1.42 × 10⁷)."),
        ("Why is the MCU's rate so low?",
         f"Each MCU operation costs ~{_joules(device_energy_per_op('tiny', ETA), 2)}, ~10³× a phone NPU's, while BLE "
         f"bytes are cheap."),
        ("At 30 TB/day, what keep-fraction makes filter-then-ship cost as much as moving the job?",
         f"k = ({_usd(p.move_job.total_usd)} − {_usd(p.filter_ship.compute_usd)}) / {_usd(p.ship_raw.total_usd)} = "
         f"{format_number(k_equal, 3)} > 1 — never; filtering wins for any k ≤ 1."),
    )


def _constants_md() -> str:
    rows = [
        ("Inter-region transfer", f"$0.02/GB = ${format_number(EGRESS_USD_PER_B, 3)}/B", "AWS data-transfer pricing (assumption-grade)"),
        ("H100 rental", f"{_usd(GPU_USD_PER_H)}/GPU-h", "mid-range rental (assumption)"),
        ("H100 dense BF16 peak", format_value(PEAK_FLOP_PER_S, "TFLOP/s", 4), "NVIDIA datasheet, half the sparse figure"),
        ("BLE 1M, nRF52840 at 0 dBm", f"{_joules(radio_energy_per_byte('ble'), 4)}/B, "
         f"{format_value(link_goodput_bytes_per_s('ble'), 'B/s', 3)} goodput", "6.4 mA × 3.0 V, goodput 0.5"),
        ("LTE uplink at 6 Mb/s", f"{_joules(radio_energy_per_byte('lte'), 5)}/B", "Huang et al. 2012 power model"),
    ]
    return "| constant | value | source |\n|---|---|---|\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)


LAB = Lab(
    id="v1-04",
    title="Data Gravity: Move the Bytes or Move the Math?",
    volume=1,
    section="Foundations",
    minutes=50,
    prerequisites=("v1-00", "v1-01"),
    core_question="When is moving compute to data cheaper than moving data to compute?",
    briefing=Briefing(
        objectives=(
            "Compute an \"exchange rate\": how many operations cost the same as moving one byte off the device or "
            "across a priced boundary.",
            "Compare three placements (ship raw data, move the job to the data, reduce near the data then ship) on "
            "cost, link time and link capacity.",
            "Pick a placement that survives data growth without saturating the link or the budget.",
        ),
        decide="A placement plan for your home context's data stream.",
        body=(
            "Cost unit per context: money for `cloud` (bytes crossing regions are billed), energy for `edge`, "
            "`mobile` and `tiny` (batteries). Device energy per operation is **device-level**: active power ÷ "
            "sustained ops/s (η = 0.5 of peak, **assumption**), not a transistor figure.\n\n" + _md(_constants_md())
        ),
    ),
    parts=(PART_A, PART_B, PART_C, PART_D),
    synthesis=Synthesis(
        takeaways=(
            "Price one byte in operations: 10⁷ FLOP in the cloud, 10⁷ ops on a phone over LTE, only ~10³ on an MCU "
            "with BLE.",
            "Reducing data next to where it is born usually wins because reduction is cheap relative to movement.",
            "At scale the answer can flip: when even reduced data costs more than relocating a fixed job, move the "
            "job.",
        ),
        connections=(
            "v1-01 (power budgets), v1-09 (curation near the data), v2-04 (storage feeding GPUs), v2-11 (federated "
            "learning: moving models instead of data)."
        ),
        self_assessment=tuple((_md(q), _md(a)) for q, a in _self_assessment()),
    ),
    model_note=_md(
        "Costs are linear: a byte across regions is billed at a flat $0.02/GB; a FLOP costs the GPU's hourly price "
        "over its sustained rate (η = 0.5 of the H100's 989.5 TFLOP/s dense BF16 peak, the registry's half of the "
        "1,979 TFLOP/s sparse figure; the spec rounds it to 989, so its 1.424 × 10⁷ FLOP/B reads 1.425 × 10⁷ here). "
        "On devices a byte costs radio energy (BLE: 6.4 mA × 3.0 V over half the 1 Mb/s PHY rate; LTE: Huang et "
        "al.'s uplink model P = α_u r + β at their 6 Mb/s median) and an operation costs active power over η × INT8 "
        "peak, so idle power, radio tail energy and protocol wake-ups are ignored. Moving the job pays only the "
        "regional premium on GPU-hours bought anyway; the job's own input traffic inside region A is free. "
        "Link time assumes the whole daily volume crosses a dedicated link at its line rate. "
        "Changes from the spec: (1) Part C's edge local energy includes sending 1,000 B/s of detections over LTE "
        "(0.368 W + 5.2 mW = 0.374 W; the spec's 0.368 W left the verdict out); (2) the model-operations slider "
        "runs to 10¹² because the robot's 30 × 8.7 GFLOP per second (2.61 × 10¹¹) lay above the spec's 10¹¹; log "
        "ladders include each context's default; (3) Part D's prediction starts at 1 TB/day, not 0, because an "
        "off-by factor needs a positive guess; (4) the chart renderer has no stacked bars, so Part B shows movement "
        "and compute as paired bars, and Part D names the crossover in a readout instead of a marker; (5) Part A adds "
        "a chart-only intensity slider. Sources: AWS EC2 data-transfer pricing; NVIDIA H100 datasheet; Nordic "
        "nRF52840 Product Specification; Huang et al., MobiSys 2012; MODIS cloud cover (King et al. 2013); "
        "Sandler et al. 2018 (MobileNetV2); Ultralytics YOLOv8 model table."
    ),
    reads=(LedgerRead(HOME, "Home context (v1-00)", "cloud", choices=CONTEXT_KEYS),),
    writes=(
        LedgerWrite("v1-04.exchange_rate_prediction", "prediction", "A", "prediction", unit="OP/B"),
        LedgerWrite("v1-04.exchange_rate_home", "number", "A", "exchange_rate", unit="OP/B"),
        LedgerWrite("v1-04.placement_default_volume", "number", "B", "cheapest_plan"),
        LedgerWrite("v1-04.placement_plan", "decision", "D", "plan", when="change"),
        LedgerWrite("v1-04.daily_cost_usd", "number", "D", "plan_usd", unit="USD", when="change"),
        LedgerWrite("v1-04.link_hours_day", "number", "D", "plan_link_h", unit="h", when="change"),
        LedgerWrite("v1-04.crossover_volume_tb_day", "number", "D", "crossover_volume", unit="TB/day"),
    ),
)
