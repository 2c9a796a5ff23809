"""Sustainability: energy and operational carbon of training runs (device power × time × PUE × grid intensity).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import require_non_negative, require_positive


@dataclass(frozen=True)
class Footprint:
    """Energy at the device, facility overhead, and carbon; `total_energy_j` = it_energy_j + overhead_energy_j."""

    it_energy_j: float
    overhead_energy_j: float
    carbon_kg: float

    @property
    def total_energy_j(self) -> float:
        return self.it_energy_j + self.overhead_energy_j

    @property
    def bound(self) -> str:
        return "it load"


def training_energy(device_hours: float, avg_power_w: float, pue: float,
                    carbon_kg_per_j: float = 0.0) -> Footprint:
    """Facility energy and carbon of a run.

    E = n·t·P·PUE;  CO₂e = E·I
    Source: Patterson et al. 2021 Table 4 (GPT-3: 1,287 MWh, 552 tCO₂e); LLaMA Table 15.
    """
    it = require_non_negative("device_hours", device_hours) * 3600.0 * require_non_negative("avg_power_w", avg_power_w)
    p = require_positive("pue", pue)
    if p < 1:
        from engine.errors import EngineInputError

        raise EngineInputError(f"`pue` must be at least 1 (got {pue!r})")
    total = it * p
    return Footprint(it, total - it, total * require_non_negative("carbon_kg_per_j", carbon_kg_per_j))


def strubell_energy_kwh(hours: float, total_power_w: float, pue: float = 1.58) -> float:
    """Strubell et al.'s facility energy estimate.

    p_t = PUE·t·(p_c + p_r + g·p_g) / 1000   (kWh; t in hours, powers in W)
    Source: Strubell et al. 2019, eq. 1 (PUE 1.58).
    """
    return require_positive("pue", pue) * require_non_negative("hours", hours) * require_non_negative(
        "total_power_w", total_power_w) / 1000.0


def strubell_co2_lbs(energy_kwh: float, lbs_per_kwh: float = 0.954) -> float:
    """Strubell et al.'s carbon conversion.

    CO₂e = 0.954 · p_t   (lbs)
    Source: Strubell et al. 2019, eq. 2.
    """
    return require_non_negative("energy_kwh", energy_kwh) * require_non_negative("lbs_per_kwh", lbs_per_kwh)
