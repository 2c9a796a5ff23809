"""The sources catalogue: every cited registry number and every public function's `Source:` line, as plain data.

`all_citations()` walks every registry (devices, contexts, models, jobs, infrastructure, quality and dataset tables)
and every solver module's `CITED` mapping, and returns one plain dict per cited number. `function_sources()` maps
each public engine function's dotted name to the text of its docstring's `Source:` line. The site builder renders
the sources page from these two lists; the tests use them to prove nothing is uncited.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass

from engine.provenance import Cited

# Every engine module with public functions (the order is the order of the sources page).
ENGINE_MODULES: tuple[str, ...] = (
    "engine.units",
    "engine.memory",
    "engine.latency",
    "engine.roofline",
    "engine.compression",
    "engine.frameworks",
    "engine.training",
    "engine.data",
    "engine.economics",
    "engine.serving",
    "engine.ops",
    "engine.responsible",
    "engine.workflow",
    "engine.sustainability",
    "engine.capstone",
    "engine.registry.hardware",
    "engine.registry.models",
    "engine.registry.infrastructure",
)


def _row(registry: str, record: str, field_name: str, c: Cited) -> dict:
    return {
        "registry": registry,
        "record": record,
        "field": field_name,
        "value_si": c.value,
        "unit": c.unit,
        "published": c.published,
        "kind": c.kind.value,
        "source_id": c.source.id,
        "source_title": c.source.title,
        "locator": c.source.locator,
        "note": c.note,
    }


def registry_records() -> Iterator[tuple[str, str, object]]:
    """Yield (registry, record key, record) for every record that carries a `citations` mapping."""
    from engine.registry import hardware, infrastructure, models

    for key, d in hardware.DEVICES.items():
        yield "hardware", key, d
    for key in hardware.CONTEXT_KEYS:
        yield "contexts", key, hardware.get_context(key)
    for key, m in models.MODELS.items():
        yield "models", key, m
    for key, job in models.FROZEN_MLP_JOBS.items():
        yield "frozen_mlp_jobs", key, job
    for key, c in infrastructure.CONSTANTS.items():
        yield "infrastructure", key, c
    for key, f in infrastructure.FABRICS.items():
        yield "fabrics", key, f
    for key, t in infrastructure.STORAGE_TIERS.items():
        yield "storage_tiers", key, t


def cited_tables() -> Iterator[tuple[str, Mapping[object, Cited]]]:
    """Yield (table name, mapping of key -> Cited) for every cited lookup table and solver-module constant set."""
    from engine import compression
    from engine.registry import datasets, infrastructure, quality

    yield "compression.gptq_llama_01069233", compression.quality_table()
    for name, table in quality.all_tables().items():
        yield f"quality.{name}", table
    for name, table in datasets.all_tables().items():
        yield f"datasets.{name}", table
    yield "infrastructure.llama3_root_causes", infrastructure.LLAMA3_ROOT_CAUSES
    for module_name in ENGINE_MODULES:
        module = importlib.import_module(module_name)
        cited = getattr(module, "CITED", None)
        if cited:
            yield f"{module_name.removeprefix('engine.')}.CITED", cited


def _key_text(key: object) -> str:
    if isinstance(key, tuple):
        return "/".join(str(k) for k in key)
    return str(key)


def all_citations() -> list[dict]:
    """One plain dict per cited number in every registry and table (see the module docstring for the keys)."""
    rows: list[dict] = []
    for registry, key, record in registry_records():
        for field_name, c in record.citations.items():
            rows.append(_row(registry, key, field_name, c))
    for table, mapping in cited_tables():
        for key, c in mapping.items():
            rows.append(_row(table, _key_text(key), "value", c))
    return rows


def uncited_numbers() -> list[str]:
    """Every numeric dataclass field of a registry record that has no citation ('' list when all are cited)."""
    missing: list[str] = []
    for registry, key, record in registry_records():
        assert is_dataclass(record)
        for f in fields(record):
            value = getattr(record, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if f.name not in record.citations:
                missing.append(f"{registry}.{key}.{f.name}")
    return missing


def _source_line(doc: str) -> str | None:
    lines = inspect.cleandoc(doc).splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("Source:"):
            parts = [stripped.removeprefix("Source:").strip()]
            for cont in lines[i + 1:]:
                c = cont.strip()
                if not c or c.endswith(":") and " " not in c:
                    break
                if c.split(":")[0] in ("Args", "Returns", "Raises"):
                    break
                parts.append(c)
            return " ".join(p for p in parts if p)
    return None


def public_functions() -> Iterator[tuple[str, object]]:
    """Yield (dotted name, function) for every public function defined in an engine module."""
    for module_name in ENGINE_MODULES:
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module_name:
                continue
            yield f"{module_name}.{name}", obj


def function_sources() -> dict[str, str]:
    """Map every public engine function's dotted name to its docstring's `Source:` text ('' when it has none)."""
    return {name: (_source_line(fn.__doc__ or "") or "") for name, fn in public_functions()}
