"""Hardware registry: devices with cited peak rates, memories and power, and the four deployment contexts.

Every number is converted to SI base units once, here, and carries its citation (engine.provenance). Dense and
sparse peaks are separate fields; a device that has no number for a field leaves it None (a lab that needs it
must choose another field, never a guess).

The context envelope (cloud / edge / mobile / tiny) is the table every lab from v1-00 on draws from: one device per
context plus the limits a product in that context works within (the phone's app memory budget is smaller than
the phone's DRAM; the microcontroller keeps weights in flash).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.errors import require_choice
from engine.provenance import Cited, assumed, build_record, derived, spec
from engine.registry import sources as S


@dataclass(frozen=True)
class Device:
    """One accelerator or processor. Rates are dense unless the field name says sparse."""

    key: str
    name: str
    peak_fp16_dense_flop_per_s: float | None
    peak_int8_dense_op_per_s: float | None
    peak_fp32_flop_per_s: float | None
    memory_capacity_bytes: float
    memory_bandwidth_bytes_per_s: float
    on_chip_memory_bytes: float
    power_w: float
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ContextEnvelope:
    """A deployment context's limits for a model: what it can hold, stream, compute and burn."""

    key: str
    label: str
    device: Device
    model_memory_bytes: float
    model_memory_label: str
    memory_bandwidth_bytes_per_s: float
    int8_dense_op_per_s: float
    active_power_w: float
    breaks_first: str
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


# --- devices ------------------------------------------------------------------------------------------------

_h100_fp16_sparse = spec(1979, "TFLOP/s", S.H100_DATASHEET, "FP16/BF16 Tensor Core, with sparsity")
_h100_int8_sparse = spec(3958, "TOP/s", S.H100_DATASHEET, "INT8 Tensor Core, with sparsity")

H100_SXM = build_record(
    Device,
    key="h100_sxm",
    name="NVIDIA H100 SXM 80 GB",
    peak_fp16_dense_flop_per_s=derived(
        _h100_fp16_sparse.published / 2, "TFLOP/s", S.H100_DATASHEET, "half the 1,979 TFLOP/s sparse figure"
    ),
    peak_int8_dense_op_per_s=derived(
        _h100_int8_sparse.published / 2, "TOP/s", S.H100_DATASHEET, "half the 3,958 TOP/s sparse figure"
    ),
    peak_fp32_flop_per_s=spec(67, "TFLOP/s", S.H100_DATASHEET, "FP32 (non-tensor)"),
    memory_capacity_bytes=spec(80, "GB", S.H100_DATASHEET, "HBM3"),
    memory_bandwidth_bytes_per_s=spec(3.35, "TB/s", S.H100_DATASHEET, "HBM3"),
    on_chip_memory_bytes=spec(50, "MB", S.H100_WHITEPAPER, "L2 cache"),
    power_w=spec(700, "W", S.H100_DATASHEET, "max TDP, configurable"),
)

_orin_int8_sparse = spec(170, "TOP/s", S.ORIN_BRIEF, "GPU INT8 with sparsity (16 SMs)")
_orin_int8_dense = derived(_orin_int8_sparse.published / 2, "TOP/s", S.ORIN_BRIEF, "half the 170 TOP/s sparse figure")

JETSON_AGX_ORIN_64 = build_record(
    Device,
    key="jetson_agx_orin_64",
    name="Jetson AGX Orin 64 GB module",
    peak_fp16_dense_flop_per_s=derived(
        _orin_int8_dense.published / 2, "TFLOP/s", S.ORIN_BRIEF, "FP16 dense = half the 85 TOP/s dense INT8 rate"
    ),
    peak_int8_dense_op_per_s=_orin_int8_dense,
    peak_fp32_flop_per_s=None,
    memory_capacity_bytes=spec(64, "GB", S.ORIN_BRIEF, "LPDDR5"),
    memory_bandwidth_bytes_per_s=spec(204.8, "GB/s", S.ORIN_BRIEF, "LPDDR5"),
    on_chip_memory_bytes=spec(4, "MB", S.ORIN_BRIEF, "GPU L2"),
    power_w=spec(60, "W", S.ORIN_BRIEF, "MAXN power mode (modes 15–60 W)"),
)

_a17_int8 = assumed(35, "TOP/s", S.A17_ANNOUNCEMENT, "Neural Engine 35 TOP/s; precision unstated, taken as INT8")

A17_PRO_CLASS_PHONE = build_record(
    Device,
    key="a17_pro_class_phone",
    name="A17 Pro-class phone",
    peak_fp16_dense_flop_per_s=assumed(
        _a17_int8.published / 2, "TFLOP/s", S.A17_ANNOUNCEMENT, "FP16 taken as half the INT8 rate"
    ),
    peak_int8_dense_op_per_s=_a17_int8,
    peak_fp32_flop_per_s=None,
    memory_capacity_bytes=assumed(8, "GB", S.PHONE_ESTIMATES, "device DRAM of a 2023 flagship phone"),
    memory_bandwidth_bytes_per_s=assumed(
        64 / 8 * 6400e6 / 1e9, "GB/s", S.PHONE_ESTIMATES, "64-bit LPDDR5-6400: 8 B × 6.4e9 transfers/s"
    ),
    on_chip_memory_bytes=assumed(16, "MB", S.PHONE_ESTIMATES, "system-level cache, not published"),
    power_w=assumed(5, "W", S.PHONE_ESTIMATES, "sustained SoC power before thermal throttling"),
)

_stm32_clock_hz = spec(480, "MHz", S.STM32H7_DATASHEET, "Cortex-M7 max core clock")
_stm32_macs_per_cycle = 2  # dual 16-bit MAC (SMLAD), Arm Cortex-M7 TRM
_stm32_ops_per_mac = 2

STM32H743 = build_record(
    Device,
    key="stm32h743",
    name="STM32H743 (Cortex-M7, 480 MHz)",
    peak_fp16_dense_flop_per_s=None,
    peak_int8_dense_op_per_s=derived(
        _stm32_clock_hz.value * _stm32_macs_per_cycle * _stm32_ops_per_mac / 1e9,
        "GOP/s",
        S.CORTEX_M7_TRM,
        "480 MHz × 2 MAC/cycle (dual 16-bit SMLAD) × 2 op/MAC",
    ),
    peak_fp32_flop_per_s=derived(
        _stm32_clock_hz.value * 1 * 2 / 1e9, "GFLOP/s", S.CORTEX_M7_TRM, "480 MHz × 1 FMA/cycle × 2 FLOP/FMA"
    ),
    memory_capacity_bytes=spec(1, "MiB", S.STM32H7_DATASHEET, "'up to 1 MB RAM' taken as 1,048,576 bytes of SRAM"),
    memory_bandwidth_bytes_per_s=assumed(
        8 * 240e6 / 1e9, "GB/s", S.STM32H7_DATASHEET, "64-bit AXI bus × 240 MHz to SRAM"
    ),
    on_chip_memory_bytes=spec(1, "MiB", S.STM32H7_DATASHEET, "SRAM is the on-chip memory"),
    power_w=assumed(0.3, "W", S.STM32H7_DATASHEET, "order of magnitude of run-mode current at 480 MHz, 3.3 V"),
)

DEVICES: Mapping[str, Device] = {d.key: d for d in (H100_SXM, JETSON_AGX_ORIN_64, A17_PRO_CLASS_PHONE, STM32H743)}

# --- the context envelope -----------------------------------------------------------------------------------

CONTEXT_KEYS: tuple[str, ...] = ("cloud", "edge", "mobile", "tiny")


def _envelope(
    key: str, label: str, device: Device, model_memory: Cited, model_memory_label: str, breaks_first: str
) -> ContextEnvelope:
    c = device.citations
    return build_record(
        ContextEnvelope,
        key=key,
        label=label,
        device=device,
        model_memory_bytes=model_memory,
        model_memory_label=model_memory_label,
        memory_bandwidth_bytes_per_s=c["memory_bandwidth_bytes_per_s"],
        int8_dense_op_per_s=c["peak_int8_dense_op_per_s"],
        active_power_w=c["power_w"],
        breaks_first=breaks_first,
    )


_CONTEXTS: Mapping[str, ContextEnvelope] = {
    "cloud": _envelope(
        "cloud", "Cloud", H100_SXM, H100_SXM.citations["memory_capacity_bytes"], "HBM3", "cost and overhead"
    ),
    "edge": _envelope(
        "edge",
        "Edge",
        JETSON_AGX_ORIN_64,
        JETSON_AGX_ORIN_64.citations["memory_capacity_bytes"],
        "LPDDR5",
        "power and latency",
    ),
    "mobile": _envelope(
        "mobile",
        "Mobile",
        A17_PRO_CLASS_PHONE,
        assumed(4, "GB", S.PHONE_ESTIMATES, "app memory budget: about half of the phone's 8 GB"),
        "app budget",
        "memory bandwidth and battery",
    ),
    "tiny": _envelope(
        "tiny",
        "Tiny",
        STM32H743,
        spec(2, "MiB", S.STM32H7_DATASHEET, "2 MB flash taken as 2,097,152 bytes; weights execute in place"),
        "flash",
        "memory capacity",
    ),
}


def get_context(key: str) -> ContextEnvelope:
    """Return the envelope of deployment context `key` (cloud, edge, mobile or tiny).

    Source: the v1-00 context envelope table; each field's citation is in `.citations`.
    """
    return _CONTEXTS[require_choice("context", key, CONTEXT_KEYS)]
