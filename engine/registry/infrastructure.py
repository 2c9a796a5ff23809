"""Infrastructure registry: grid carbon, PUE, network fabrics, storage tiers, radios, prices and failure statistics.

Every value is a cited number converted once to SI base units. Scalars that have no richer structure are `Constant`
records keyed by a dotted name ("grid.us_patterson_2021"); fabrics carry the alpha–beta pair the collective-time
formulas use (latency alpha in s, per-direction bandwidth beta in bytes/s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.errors import require_choice
from engine.provenance import Cited, assumed, build_record, derived, measured, spec
from engine.registry import sources as S


@dataclass(frozen=True)
class Constant:
    """One cited scalar with a human label; `value` is in SI base units of `unit_quantity`."""

    key: str
    label: str
    value: float
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Fabric:
    """A link or network: per-message latency alpha (s) and per-direction bandwidth beta (bytes/s)."""

    key: str
    name: str
    alpha_s: float
    bandwidth_bytes_per_s_per_direction: float
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class StorageTier:
    """A storage tier: sequential read bandwidth and price per byte-second where it is rented."""

    key: str
    name: str
    read_bandwidth_bytes_per_s: float | None
    price_usd_per_byte_s: float | None
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


def _c(key: str, label: str, value: Cited) -> Constant:
    return build_record(Constant, key=key, label=label, value=value)


_CONSTANTS: tuple[Constant, ...] = (
    # grid carbon intensity
    _c("grid.gpt3_patterson_2021", "Grid intensity used for GPT-3 (Patterson 2021)",
       measured(0.429, "kgCO2e/kWh", S.PATTERSON_2021, "Table 4, GPT-3 row")),
    _c("grid.us_llama_2023", "US average used by LLaMA", measured(0.385, "kgCO2e/kWh", S.LLAMA1_CARBON, "§6")),
    _c("grid.us_strubell_2019", "US average used by Strubell (0.954 lb/kWh)",
       measured(0.954 * 0.45359237, "kgCO2e/kWh", S.STRUBELL_2019, "eq. 2: 0.954 lbCO2e per kWh, × 0.4536 kg/lb")),
    # PUE
    _c("pue.patterson_2021", "PUE used for GPT-3", measured(1.1, "none", S.PATTERSON_2021, "Table 4")),
    _c("pue.llama_2023", "PUE used by LLaMA", measured(1.1, "none", S.LLAMA1_CARBON, "§6")),
    _c("pue.strubell_2019", "PUE used by Strubell (2018 industry average)",
       measured(1.58, "none", S.STRUBELL_2019, "eq. 1 coefficient 1.58")),
    _c("pue.uptime_2023", "Industry average PUE", measured(1.58, "none", S.UPTIME_2023, "survey average")),
    _c("pue.google_fleet", "Google fleet PUE", measured(1.10, "none", S.GOOGLE_PUE, "trailing-twelve-month fleet")),
    # prices
    _c("price.egress_inter_region", "Inter-region transfer price",
       assumed(0.02, "USD/GB", S.AWS_TRANSFER, "US inter-region list price; prices change")),
    _c("price.gpu_h100_rental", "H100 rental price",
       assumed(2.50, "USD/h", S.CLOUD_PRICE_ESTIMATES, "mid-range H100 rental, per GPU-hour")),
    _c("price.object_storage", "Object storage price",
       assumed(23, "USD/TB-month", S.AWS_S3, "≈ $0.023/GB-month Standard tier, rounded")),
    # radios
    _c("radio.ble_tx_current", "nRF52840 TX current, 0 dBm, 1 Mb/s, DC/DC",
       spec(6.4, "mA", S.NRF52840, "radio current table")),
    _c("radio.ble_supply_voltage", "BLE supply voltage", assumed(3.0, "V", S.NRF52840, "3.0 V supply assumed")),
    _c("radio.ble_phy_rate", "BLE 1M PHY rate", spec(1, "Mb/s", S.NRF52840, "1 Mb/s PHY")),
    _c("radio.ble_goodput_fraction", "BLE goodput fraction",
       assumed(0.5, "fraction", S.NRF52840, "protocol overhead halves the PHY rate")),
    _c("radio.lte_alpha_up", "LTE uplink power slope",
       measured(438.39, "mW/Mbps", S.HUANG_LTE, "power-model table (verify before a hard test)")),
    _c("radio.lte_beta", "LTE uplink base power", measured(1288.04, "mW", S.HUANG_LTE, "power-model table")),
    _c("radio.lte_uplink_rate", "LTE median uplink rate", measured(6, "Mb/s", S.HUANG_LTE, "measured median uplink")),
    # failures at scale (Llama 3 405B pre-training snapshot)
    _c("failures.llama3_gpus", "GPUs in the Llama 3 snapshot", spec(16384, "count", S.LLAMA3_PAPER, "§3.3.4")),
    _c("failures.llama3_days", "Snapshot length", spec(54, "day", S.LLAMA3_PAPER, "§3.3.4: 54-day snapshot")),
    _c("failures.llama3_interruptions", "Job interruptions",
       measured(466, "count", S.LLAMA3_PAPER, "§3.3.4: 466 interruptions")),
    _c("failures.llama3_planned", "Planned interruptions", measured(47, "count", S.LLAMA3_PAPER, "§3.3.4: 47 planned")),
    _c("failures.llama3_unexpected", "Unexpected interruptions",
       measured(419, "count", S.LLAMA3_PAPER, "Table 5: 419 unexpected")),
    # serving replicas per box and reference service times (v1-13)
    _c("serving.hgx_h100_gpus", "GPUs in one HGX H100 server (one model replica per GPU)",
       spec(8, "count", S.H100_DATASHEET, "HGX H100 8-GPU server form factor")),
    _c("serving.orin_dla_engines", "NVDLA engines on a Jetson AGX Orin 64 GB module",
       spec(2, "count", S.ORIN_DATASHEET, "2× NVDLA v2.0 deep-learning accelerators beside the GPU")),
    _c("serving.service_time_cloud", "Mean service time, one inference of the cloud reference model (H100)",
       assumed(20, "ms", S.LABS_ASSUMPTIONS, "v1-13: one request of the reference model on one GPU replica")),
    _c("serving.service_time_edge", "Mean service time, one inference of the edge reference model (Orin)",
       assumed(30, "ms", S.LABS_ASSUMPTIONS, "v1-13: one frame of the edge reference model on one Orin engine")),
    _c("serving.service_time_mobile", "Mean service time, one inference of the mobile reference model (phone NPU)",
       assumed(40, "ms", S.LABS_ASSUMPTIONS, "v1-13: one tap of the mobile reference model on the phone")),
    _c("serving.service_time_tiny", "Mean service time, one inference of the tiny reference model (STM32H743)",
       assumed(100, "ms", S.LABS_ASSUMPTIONS, "v1-13: one sensor window of the tiny reference model on the MCU")),
    _c("serving.service_time_slide", "GPU time to classify one whole pathology slide (tumour-patch model, cloud)",
       assumed(12, "s", S.LABS_ASSUMPTIONS, "v1-14: all patches of one whole-slide image through the classifier")),
)

CONSTANTS: Mapping[str, Constant] = {c.key: c for c in _CONSTANTS}

# Llama 3 Table 5: root causes of the 419 unexpected interruptions (counts; shares are computed, never printed).
_T5 = (
    ("faulty_gpu", 148), ("gpu_hbm3", 72), ("software_bug", 54), ("network_switch_cable", 35),
    ("host_maintenance", 32), ("gpu_sram", 19), ("gpu_system_processor", 17), ("nic", 7), ("nccl_watchdog", 7),
    ("silent_data_corruption", 6), ("gpu_thermal", 6), ("ssd", 3), ("psu", 3), ("server_chassis", 2), ("io_board", 2),
    ("dependency", 2), ("cpu", 2), ("system_memory", 2),
)
LLAMA3_ROOT_CAUSES: Mapping[str, Cited] = {
    name: measured(count, "count", S.LLAMA3_PAPER, f"Table 5: {name.replace('_', ' ')}") for name, count in _T5
}

_FABRICS: tuple[Fabric, ...] = (
    build_record(
        Fabric, key="nvlink4", name="NVLink 4 (H100 SXM)",
        alpha_s=assumed(2, "us", S.NCCL_TESTS, "order of a small-message NCCL latency inside one node"),
        bandwidth_bytes_per_s_per_direction=derived(900 / 2, "GB/s", S.NVLINK4, "900 GB/s bidirectional / 2"),
    ),
    build_record(
        Fabric, key="infiniband_ndr", name="InfiniBand NDR, one 400 Gb/s port",
        alpha_s=assumed(5, "us", S.IB_NDR, "order of an inter-node NCCL latency"),
        bandwidth_bytes_per_s_per_direction=derived(400 / 8, "GB/s", S.IB_NDR, "400 Gb/s / 8 bits per byte"),
    ),
    build_record(
        Fabric, key="pcie5_x16", name="PCIe 5.0 ×16",
        alpha_s=assumed(1, "us", S.PCIE5, "order of a DMA setup latency"),
        bandwidth_bytes_per_s_per_direction=derived(
            32 * 16 * 128 / 130 / 8, "GB/s", S.PCIE5, "32 GT/s × 16 lanes × 128/130 / 8 bits"
        ),
    ),
    build_record(
        Fabric, key="ethernet_100g", name="100 Gb Ethernet",
        alpha_s=assumed(10, "us", S.IB_NDR, "order of a TCP/RoCE small-message latency"),
        bandwidth_bytes_per_s_per_direction=derived(100 / 8, "GB/s", S.IB_NDR, "100 Gb/s / 8"),
    ),
)
FABRICS: Mapping[str, Fabric] = {f.key: f for f in _FABRICS}

_TIERS: tuple[StorageTier, ...] = (
    build_record(
        StorageTier, key="nvme_gen4", name="NVMe SSD (PCIe 4.0)",
        read_bandwidth_bytes_per_s=assumed(7, "GB/s", S.NVME_GEN4, "typical PCIe 4.0 ×4 sequential read"),
        price_usd_per_byte_s=None,
    ),
    build_record(
        StorageTier, key="hdd", name="7,200 rpm hard disk",
        read_bandwidth_bytes_per_s=assumed(250, "MB/s", S.NVME_GEN4, "typical sequential read"),
        price_usd_per_byte_s=None,
    ),
    build_record(
        StorageTier, key="object_storage", name="Cloud object storage (Standard)",
        read_bandwidth_bytes_per_s=None,
        price_usd_per_byte_s=assumed(23, "USD/TB-month", S.AWS_S3, "≈ $0.023/GB-month"),
    ),
)
STORAGE_TIERS: Mapping[str, StorageTier] = {t.key: t for t in _TIERS}


def get_constant(key: str) -> float:
    """Return the SI value of infrastructure constant `key` (e.g. 'pue.google_fleet')."""
    return CONSTANTS[require_choice("constant", key, tuple(CONSTANTS))].value


def get_fabric(key: str) -> Fabric:
    """Return network fabric `key` (nvlink4, infiniband_ndr, pcie5_x16, ethernet_100g)."""
    return FABRICS[require_choice("fabric", key, tuple(FABRICS))]
