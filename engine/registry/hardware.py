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
    # --- engine v1 additions: optional, None where the vendor publishes no number -----------------------------
    peak_fp16_sparse_flop_per_s: float | None = None
    peak_fp8_dense_flop_per_s: float | None = None
    peak_int8_sparse_op_per_s: float | None = None
    memory_type: str | None = None
    interconnect_name: str | None = None
    interconnect_bidir_bytes_per_s: float | None = None  # both directions summed, as datasheets print it
    interconnect_bytes_per_s_per_direction: float | None = None  # derived: bidirectional / 2
    parallel_lanes: float | None = None  # SMs / CUs / NPU cores / MAC lanes (a count)
    price_usd: float | None = None  # purchase price where published
    rental_usd_per_h: float | None = None  # an assumed rental price (teaching estimate)
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
    peak_fp16_sparse_flop_per_s=_h100_fp16_sparse,
    peak_fp8_dense_flop_per_s=derived(3958 / 2, "TFLOP/s", S.H100_DATASHEET, "half the 3,958 TFLOP/s sparse FP8"),
    peak_int8_sparse_op_per_s=_h100_int8_sparse,
    memory_type="HBM3",
    interconnect_name="NVLink 4",
    interconnect_bidir_bytes_per_s=spec(900, "GB/s-bidir", S.H100_DATASHEET, "NVLink, both directions summed"),
    interconnect_bytes_per_s_per_direction=derived(900 / 2, "GB/s", S.H100_DATASHEET, "900 GB/s bidirectional / 2"),
    parallel_lanes=spec(132, "count", S.H100_WHITEPAPER, "SXM5: 132 SMs"),
    rental_usd_per_h=assumed(2.50, "USD/h", S.CLOUD_PRICE_ESTIMATES, "mid-range H100 rental (labs v1-04/v1-08/v1-09)"),
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
    peak_int8_sparse_op_per_s=_orin_int8_sparse,
    memory_type="LPDDR5",
    parallel_lanes=spec(16, "count", S.ORIN_DATASHEET, "16 SMs (2,048 CUDA cores, 128 per SM)"),
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
    memory_type="LPDDR5",
    parallel_lanes=spec(16, "count", S.A17_ANNOUNCEMENT, "16-core Neural Engine"),
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
    memory_type="SRAM",
    parallel_lanes=assumed(2, "count", S.CORTEX_M7_TRM, "SMLAD: two 16-bit MACs per cycle taken as 2 lanes"),
)

# --- engine v1: the wider catalogue -------------------------------------------------------------------------


def _half(sparse: Cited, unit: str, what: str) -> Cited:
    """Dense peak = half the 'with sparsity' headline (2:4 structured sparsity doubles the printed rate)."""
    return derived(sparse.published / 2, unit, sparse.source, f"half the {sparse.published:g} {unit} sparse {what}")


_h200_fp16_sparse = spec(1979, "TFLOP/s", S.H200_DATASHEET, "FP16/BF16 Tensor Core, with sparsity")
_h200_fp8_sparse = spec(3958, "TFLOP/s", S.H200_DATASHEET, "FP8 Tensor Core, with sparsity")
_h200_int8_sparse = spec(3958, "TOP/s", S.H200_DATASHEET, "INT8 Tensor Core, with sparsity")
H200_SXM = build_record(
    Device,
    key="h200_sxm",
    name="NVIDIA H200 SXM 141 GB",
    peak_fp16_dense_flop_per_s=_half(_h200_fp16_sparse, "TFLOP/s", "FP16"),
    peak_int8_dense_op_per_s=_half(_h200_int8_sparse, "TOP/s", "INT8"),
    peak_fp32_flop_per_s=spec(67, "TFLOP/s", S.H200_DATASHEET, "FP32 (non-tensor)"),
    memory_capacity_bytes=spec(141, "GB", S.H200_DATASHEET, "HBM3e"),
    memory_bandwidth_bytes_per_s=spec(4.8, "TB/s", S.H200_DATASHEET, "HBM3e"),
    on_chip_memory_bytes=assumed(50, "MB", S.H100_WHITEPAPER, "same Hopper die as H100: 50 MB L2 (not in H200 sheet)"),
    power_w=spec(700, "W", S.H200_DATASHEET, "max TDP, configurable"),
    peak_fp16_sparse_flop_per_s=_h200_fp16_sparse,
    peak_fp8_dense_flop_per_s=_half(_h200_fp8_sparse, "TFLOP/s", "FP8"),
    peak_int8_sparse_op_per_s=_h200_int8_sparse,
    memory_type="HBM3e",
    interconnect_name="NVLink 4",
    interconnect_bidir_bytes_per_s=spec(900, "GB/s-bidir", S.H200_DATASHEET, "NVLink, both directions summed"),
    interconnect_bytes_per_s_per_direction=derived(900 / 2, "GB/s", S.H200_DATASHEET, "900 GB/s bidirectional / 2"),
    parallel_lanes=assumed(132, "count", S.H100_WHITEPAPER, "same die as H100 SXM5: 132 SMs"),
)

_b200_board_fp16_sparse = spec(36, "PFLOP/s", S.HGX_B200_DATASHEET, "8-GPU board, FP16/BF16, with sparsity")
_b200_board_fp8_sparse = spec(72, "PFLOP/s", S.HGX_B200_DATASHEET, "8-GPU board, FP8, with sparsity")
_b200_board_int8_sparse = spec(72, "PFLOP/s", S.HGX_B200_DATASHEET, "8-GPU board, INT8 (printed as POPS), sparsity")
_b200_board_mem = spec(1440, "GB", S.HGX_B200_DATASHEET, "8-GPU board total HBM3e ('1.4 TB')")
_b200_board_bw = spec(64, "TB/s", S.HGX_B200_DATASHEET, "8-GPU board aggregate HBM bandwidth")
B200 = build_record(
    Device,
    key="b200",
    name="NVIDIA B200 (HGX B200, per GPU)",
    peak_fp16_dense_flop_per_s=derived(
        _b200_board_fp16_sparse.published / 8 / 2, "PFLOP/s", S.HGX_B200_DATASHEET, "36 PFLOP/s board / 8 GPUs / 2"
    ),
    peak_int8_dense_op_per_s=derived(
        _b200_board_int8_sparse.published * 1000 / 8 / 2, "TOP/s", S.HGX_B200_DATASHEET, "72 POP/s board / 8 / 2"
    ),
    peak_fp32_flop_per_s=None,
    memory_capacity_bytes=derived(_b200_board_mem.published / 8, "GB", S.HGX_B200_DATASHEET, "1,440 GB / 8 GPUs"),
    memory_bandwidth_bytes_per_s=derived(_b200_board_bw.published / 8, "TB/s", S.HGX_B200_DATASHEET, "64 TB/s / 8"),
    on_chip_memory_bytes=assumed(
        100, "MB", S.HGX_B200_DATASHEET, "L2 not published; two Hopper-class dies × 50 MB taken as a teaching value"
    ),
    power_w=spec(1000, "W", S.HGX_B200_DATASHEET, "per-GPU TDP"),
    peak_fp16_sparse_flop_per_s=derived(
        _b200_board_fp16_sparse.published / 8, "PFLOP/s", S.HGX_B200_DATASHEET, "36 PFLOP/s board / 8 GPUs"
    ),
    peak_fp8_dense_flop_per_s=derived(
        _b200_board_fp8_sparse.published / 8 / 2, "PFLOP/s", S.HGX_B200_DATASHEET, "72 PFLOP/s board / 8 / 2"
    ),
    memory_type="HBM3e",
    interconnect_name="NVLink 5",
    interconnect_bidir_bytes_per_s=spec(1800, "GB/s-bidir", S.HGX_B200_DATASHEET, "NVLink 5 per GPU, both directions"),
    interconnect_bytes_per_s_per_direction=derived(1800 / 2, "GB/s", S.HGX_B200_DATASHEET, "1.8 TB/s bidirectional / 2"),
)

A100_SXM_80GB = build_record(
    Device,
    key="a100_sxm_80gb",
    name="NVIDIA A100 SXM 80 GB",
    peak_fp16_dense_flop_per_s=spec(312, "TFLOP/s", S.A100_DATASHEET, "BF16/FP16 Tensor Core, dense"),
    peak_int8_dense_op_per_s=spec(624, "TOP/s", S.A100_DATASHEET, "INT8 Tensor Core, dense"),
    peak_fp32_flop_per_s=spec(19.5, "TFLOP/s", S.A100_DATASHEET, "FP32 (non-tensor)"),
    memory_capacity_bytes=spec(80, "GB", S.A100_DATASHEET, "HBM2e"),
    memory_bandwidth_bytes_per_s=spec(2039, "GB/s", S.A100_DATASHEET, "HBM2e, 80 GB SXM"),
    on_chip_memory_bytes=spec(40, "MB", S.A100_WHITEPAPER, "L2 cache"),
    power_w=spec(400, "W", S.A100_DATASHEET, "max TDP (SXM)"),
    peak_fp16_sparse_flop_per_s=spec(624, "TFLOP/s", S.A100_DATASHEET, "BF16/FP16 Tensor Core, with sparsity"),
    peak_int8_sparse_op_per_s=spec(1248, "TOP/s", S.A100_DATASHEET, "INT8 Tensor Core, with sparsity"),
    memory_type="HBM2e",
    interconnect_name="NVLink 3",
    interconnect_bidir_bytes_per_s=spec(600, "GB/s-bidir", S.A100_DATASHEET, "NVLink, both directions summed"),
    interconnect_bytes_per_s_per_direction=derived(600 / 2, "GB/s", S.A100_DATASHEET, "600 GB/s bidirectional / 2"),
    parallel_lanes=spec(108, "count", S.A100_WHITEPAPER, "108 SMs"),
)
A100_SXM_40GB = build_record(
    Device,
    key="a100_sxm_40gb",
    name="NVIDIA A100 SXM 40 GB",
    peak_fp16_dense_flop_per_s=spec(312, "TFLOP/s", S.A100_DATASHEET, "BF16/FP16 Tensor Core, dense"),
    peak_int8_dense_op_per_s=spec(624, "TOP/s", S.A100_DATASHEET, "INT8 Tensor Core, dense"),
    peak_fp32_flop_per_s=spec(19.5, "TFLOP/s", S.A100_DATASHEET, "FP32 (non-tensor)"),
    memory_capacity_bytes=spec(40, "GB", S.A100_DATASHEET, "HBM2"),
    memory_bandwidth_bytes_per_s=spec(1555, "GB/s", S.A100_DATASHEET, "HBM2, 40 GB SXM"),
    on_chip_memory_bytes=spec(40, "MB", S.A100_WHITEPAPER, "L2 cache"),
    power_w=spec(400, "W", S.A100_DATASHEET, "max TDP (SXM)"),
    peak_fp16_sparse_flop_per_s=spec(624, "TFLOP/s", S.A100_DATASHEET, "BF16/FP16 Tensor Core, with sparsity"),
    peak_int8_sparse_op_per_s=spec(1248, "TOP/s", S.A100_DATASHEET, "INT8 Tensor Core, with sparsity"),
    memory_type="HBM2",
    interconnect_name="NVLink 3",
    interconnect_bidir_bytes_per_s=spec(600, "GB/s-bidir", S.A100_DATASHEET, "NVLink, both directions summed"),
    interconnect_bytes_per_s_per_direction=derived(600 / 2, "GB/s", S.A100_DATASHEET, "600 GB/s bidirectional / 2"),
    parallel_lanes=spec(108, "count", S.A100_WHITEPAPER, "108 SMs"),
)


def _v100(key: str, capacity_gb: int) -> Device:
    return build_record(
        Device,
        key=key,
        name=f"NVIDIA V100 SXM2 {capacity_gb} GB",
        peak_fp16_dense_flop_per_s=spec(125, "TFLOP/s", S.V100_DATASHEET, "Tensor Core FP16 (no sparsity on Volta)"),
        peak_int8_dense_op_per_s=None,
        peak_fp32_flop_per_s=spec(15.7, "TFLOP/s", S.V100_DATASHEET, "FP32 (SXM2)"),
        memory_capacity_bytes=spec(capacity_gb, "GB", S.V100_DATASHEET, "HBM2"),
        memory_bandwidth_bytes_per_s=spec(900, "GB/s", S.V100_DATASHEET, "HBM2 (spec databases: 897 GB/s)"),
        on_chip_memory_bytes=spec(6, "MB", S.V100_DATASHEET, "L2 cache (Volta architecture whitepaper)"),
        power_w=spec(300, "W", S.V100_DATASHEET, "max power (SXM2)"),
        memory_type="HBM2",
        interconnect_name="NVLink 2",
        interconnect_bidir_bytes_per_s=spec(300, "GB/s-bidir", S.V100_DATASHEET, "NVLink, both directions summed"),
        interconnect_bytes_per_s_per_direction=derived(300 / 2, "GB/s", S.V100_DATASHEET, "300 GB/s bidirectional / 2"),
        parallel_lanes=spec(80, "count", S.V100_DATASHEET, "80 SMs (5,120 CUDA cores)"),
    )


V100_SXM2_16GB = _v100("v100_sxm2_16gb", 16)
V100_SXM2_32GB = _v100("v100_sxm2_32gb", 32)

T4 = build_record(
    Device,
    key="t4",
    name="NVIDIA T4 16 GB",
    peak_fp16_dense_flop_per_s=spec(65, "TFLOP/s", S.T4_DATASHEET, "mixed-precision FP16/FP32 Tensor Core"),
    peak_int8_dense_op_per_s=spec(130, "TOP/s", S.T4_DATASHEET, "INT8 Tensor Core"),
    peak_fp32_flop_per_s=spec(8.1, "TFLOP/s", S.T4_DATASHEET, "single precision"),
    memory_capacity_bytes=spec(16, "GB", S.T4_DATASHEET, "GDDR6"),
    memory_bandwidth_bytes_per_s=spec(320, "GB/s", S.T4_DATASHEET, "GDDR6"),
    on_chip_memory_bytes=assumed(4, "MB", S.T4_DATASHEET, "TU104 L2 4 MB from the Turing whitepaper, not the sheet"),
    power_w=spec(70, "W", S.T4_DATASHEET, "max power"),
    memory_type="GDDR6",
    parallel_lanes=spec(40, "count", S.T4_DATASHEET, "2,560 CUDA cores = 40 SMs × 64"),
)

_l4_fp16_sparse = spec(242, "TFLOP/s", S.L4_DATASHEET, "FP16/BF16 Tensor Core, with sparsity")
_l4_fp8_sparse = spec(485, "TFLOP/s", S.L4_DATASHEET, "FP8 Tensor Core, with sparsity")
_l4_int8_sparse = spec(485, "TOP/s", S.L4_DATASHEET, "INT8 Tensor Core, with sparsity")
L4 = build_record(
    Device,
    key="l4",
    name="NVIDIA L4 24 GB",
    peak_fp16_dense_flop_per_s=_half(_l4_fp16_sparse, "TFLOP/s", "FP16"),
    peak_int8_dense_op_per_s=_half(_l4_int8_sparse, "TOP/s", "INT8"),
    peak_fp32_flop_per_s=spec(30.3, "TFLOP/s", S.L4_DATASHEET, "FP32"),
    memory_capacity_bytes=spec(24, "GB", S.L4_DATASHEET, "GDDR6"),
    memory_bandwidth_bytes_per_s=spec(300, "GB/s", S.L4_DATASHEET, "GDDR6"),
    on_chip_memory_bytes=assumed(48, "MB", S.L4_DATASHEET, "AD104 L2 48 MB from the Ada whitepaper, not the sheet"),
    power_w=spec(72, "W", S.L4_DATASHEET, "max power"),
    peak_fp16_sparse_flop_per_s=_l4_fp16_sparse,
    peak_fp8_dense_flop_per_s=_half(_l4_fp8_sparse, "TFLOP/s", "FP8"),
    peak_int8_sparse_op_per_s=_l4_int8_sparse,
    memory_type="GDDR6",
)

TPU_V5E = build_record(
    Device,
    key="tpu_v5e",
    name="Google TPU v5e (per chip)",
    peak_fp16_dense_flop_per_s=spec(197, "TFLOP/s", S.TPU_V5E_DOCS, "BF16 peak (the field is the 16-bit rate)"),
    peak_int8_dense_op_per_s=spec(394, "TOP/s", S.TPU_V5E_DOCS, "INT8 peak"),
    peak_fp32_flop_per_s=None,
    memory_capacity_bytes=spec(16, "GB", S.TPU_V5E_DOCS, "HBM2"),
    memory_bandwidth_bytes_per_s=spec(819, "GB/s", S.TPU_V5E_DOCS, "HBM2"),
    on_chip_memory_bytes=None,
    power_w=None,
    memory_type="HBM2",
    interconnect_name="ICI",
    interconnect_bidir_bytes_per_s=derived(1600 / 8, "GB/s-bidir", S.TPU_V5E_DOCS, "1,600 Gbps ICI per chip / 8"),
    interconnect_bytes_per_s_per_direction=derived(1600 / 8 / 2, "GB/s", S.TPU_V5E_DOCS, "200 GB/s bidirectional / 2"),
)

TPU_V4 = build_record(
    Device,
    key="tpu_v4",
    name="Google TPU v4 (per chip)",
    peak_fp16_dense_flop_per_s=spec(275, "TFLOP/s", S.TPU_V4_PAPER, "BF16 peak"),
    peak_int8_dense_op_per_s=spec(275, "TOP/s", S.TPU_V4_PAPER, "INT8 peak (same rate as BF16 on v4)"),
    peak_fp32_flop_per_s=None,
    memory_capacity_bytes=spec(32, "GiB", S.TPU_V4_PAPER, "HBM2"),
    memory_bandwidth_bytes_per_s=spec(1200, "GB/s", S.TPU_V4_PAPER, "HBM2"),
    on_chip_memory_bytes=spec(128, "MiB", S.TPU_V4_PAPER, "CMEM"),
    power_w=None,
    memory_type="HBM2",
)

MI300X = build_record(
    Device,
    key="mi300x",
    name="AMD Instinct MI300X",
    peak_fp16_dense_flop_per_s=spec(1307.4, "TFLOP/s", S.MI300X_DATASHEET, "FP16/BF16 matrix, dense"),
    peak_int8_dense_op_per_s=spec(2614.9, "TOP/s", S.MI300X_DATASHEET, "INT8 matrix, dense"),
    peak_fp32_flop_per_s=spec(163.4, "TFLOP/s", S.MI300X_DATASHEET, "FP32 matrix"),
    memory_capacity_bytes=spec(192, "GB", S.MI300X_DATASHEET, "HBM3"),
    memory_bandwidth_bytes_per_s=spec(5.3, "TB/s", S.MI300X_DATASHEET, "HBM3 peak"),
    on_chip_memory_bytes=spec(256, "MB", S.MI300X_DATASHEET, "AMD Infinity Cache"),
    power_w=spec(750, "W", S.MI300X_DATASHEET, "total board power"),
    peak_fp16_sparse_flop_per_s=spec(2614.9, "TFLOP/s", S.MI300X_DATASHEET, "FP16/BF16 with structured sparsity"),
    peak_fp8_dense_flop_per_s=spec(2614.9, "TFLOP/s", S.MI300X_DATASHEET, "FP8 matrix, dense"),
    memory_type="HBM3",
    interconnect_name="Infinity Fabric",
    interconnect_bidir_bytes_per_s=spec(896, "GB/s-bidir", S.MI300X_DATASHEET, "peak Infinity Fabric, aggregate"),
    interconnect_bytes_per_s_per_direction=derived(896 / 2, "GB/s", S.MI300X_DATASHEET, "896 GB/s aggregate / 2"),
    parallel_lanes=spec(304, "count", S.MI300X_DATASHEET, "304 compute units"),
)

_sd_mt_per_s = spec(9600, "MHz", S.SNAPDRAGON_8G3_BRIEF, "LPDDR5X at 4,800 MHz = 9,600 MT/s (stored as MT/s)")
_sd_int8 = assumed(45, "TOP/s", S.SNAPDRAGON_ESTIMATES, "Hexagon NPU; Qualcomm prints no TOP/s; third-party figure")
SNAPDRAGON_8G3_PHONE = build_record(
    Device,
    key="snapdragon_8g3_phone",
    name="Snapdragon 8 Gen 3-class phone",
    peak_fp16_dense_flop_per_s=assumed(_sd_int8.published / 2, "TFLOP/s", S.SNAPDRAGON_ESTIMATES, "half the INT8 rate"),
    peak_int8_dense_op_per_s=_sd_int8,
    peak_fp32_flop_per_s=None,
    memory_capacity_bytes=assumed(12, "GB", S.SNAPDRAGON_ESTIMATES, "DRAM of a 2024 flagship phone"),
    memory_bandwidth_bytes_per_s=derived(
        _sd_mt_per_s.value * 8 / 1e9, "GB/s", S.SNAPDRAGON_8G3_BRIEF, "64-bit bus: 8 B × 9.6e9 transfers/s"
    ),
    on_chip_memory_bytes=None,
    power_w=assumed(5, "W", S.SNAPDRAGON_ESTIMATES, "sustained SoC power before thermal throttling"),
    memory_type="LPDDR5X",
)

_rpi_clock = spec(2.4, "GHz", S.RPI5_PRODUCT_BRIEF, "quad-core Cortex-A76 at 2.4 GHz")
_rpi_mt = spec(4267, "MHz", S.RPI5_PRODUCT_BRIEF, "LPDDR4X-4267 SDRAM (stored as MT/s)")
RASPBERRY_PI_5 = build_record(
    Device,
    key="raspberry_pi_5",
    name="Raspberry Pi 5 (8 GB)",
    peak_fp16_dense_flop_per_s=None,
    peak_int8_dense_op_per_s=derived(
        4 * _rpi_clock.value * 2 * 16 * 2 / 1e9, "GOP/s", S.ARM_A76_TRM,
        "4 cores × 2.4 GHz × 2 NEON pipes × 16 INT8 MAC (SDOT) × 2 op/MAC",
    ),
    peak_fp32_flop_per_s=derived(
        4 * _rpi_clock.value * 2 * 4 * 2 / 1e9, "GFLOP/s", S.ARM_A76_TRM,
        "4 cores × 2.4 GHz × 2 NEON FMA pipes × 4 FP32 lanes × 2 FLOP/FMA",
    ),
    memory_capacity_bytes=spec(8, "GB", S.RPI5_PRODUCT_BRIEF, "8 GB variant (also 2/4 GB)"),
    memory_bandwidth_bytes_per_s=derived(
        _rpi_mt.value * 4 / 1e9, "GB/s", S.RPI5_PRODUCT_BRIEF, "32-bit bus: 4 B × 4.267e9 transfers/s"
    ),
    on_chip_memory_bytes=spec(2, "MB", S.RPI5_PRODUCT_BRIEF, "2 MB shared L3 (plus 512 KB L2 per core)"),
    power_w=assumed(12, "W", S.RPI5_PRODUCT_BRIEF, "loaded board power; the official supply is 27 W"),
    memory_type="LPDDR4X",
    parallel_lanes=spec(4, "count", S.RPI5_PRODUCT_BRIEF, "4 CPU cores"),
    price_usd=spec(80, "USD", S.RPI5_PRODUCT_BRIEF, "launch price, 8 GB variant"),
)

_esp_clock = spec(240, "MHz", S.ESP32S3_DATASHEET, "dual-core Xtensa LX7 up to 240 MHz")
ESP32_S3 = build_record(
    Device,
    key="esp32_s3",
    name="Espressif ESP32-S3 (dual LX7, 240 MHz)",
    peak_fp16_dense_flop_per_s=None,
    peak_int8_dense_op_per_s=assumed(
        2 * _esp_clock.value * 16 * 2 / 1e9, "GOP/s", S.ESP32S3_ESTIMATES,
        "2 cores × 240 MHz × 16 INT8 MAC per 128-bit SIMD op × 2 op/MAC (one SIMD op per cycle assumed)",
    ),
    peak_fp32_flop_per_s=derived(
        2 * _esp_clock.value * 1 * 2 / 1e9, "GFLOP/s", S.ESP32S3_DATASHEET, "2 cores × 240 MHz × 1 FMA × 2 FLOP"
    ),
    memory_capacity_bytes=spec(512, "KiB", S.ESP32S3_DATASHEET, "'512 KB SRAM' taken as 524,288 bytes"),
    memory_bandwidth_bytes_per_s=assumed(
        16 * _esp_clock.value / 1e9, "GB/s", S.ESP32S3_ESTIMATES, "128-bit SIMD load per cycle from SRAM at 240 MHz"
    ),
    on_chip_memory_bytes=spec(512, "KiB", S.ESP32S3_DATASHEET, "SRAM is the on-chip memory"),
    power_w=assumed(0.33, "W", S.ESP32S3_ESTIMATES, "≈100 mA at 3.3 V, radio off"),
    memory_type="SRAM",
    parallel_lanes=spec(2, "count", S.ESP32S3_DATASHEET, "2 CPU cores"),
)

DEVICES: Mapping[str, Device] = {
    d.key: d
    for d in (
        H100_SXM,
        JETSON_AGX_ORIN_64,
        A17_PRO_CLASS_PHONE,
        STM32H743,
        H200_SXM,
        B200,
        A100_SXM_80GB,
        A100_SXM_40GB,
        V100_SXM2_16GB,
        V100_SXM2_32GB,
        T4,
        L4,
        TPU_V5E,
        TPU_V4,
        MI300X,
        SNAPDRAGON_8G3_PHONE,
        RASPBERRY_PI_5,
        ESP32_S3,
    )
}


def get_device(key: str) -> Device:
    """Return the registry device `key` (e.g. 'h100_sxm', 'a100_sxm_80gb')."""
    return DEVICES[require_choice("device", key, tuple(DEVICES))]

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
