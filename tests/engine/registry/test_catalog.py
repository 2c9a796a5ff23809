"""engine.registry.catalog: every registry number cited with a kind; every public formula names its source."""

import dataclasses
import math

import pytest

from engine.errors import EngineInputError
from engine.provenance import Cited, Kind, build_record, spec
from engine.registry import catalog, hardware, models
from engine.registry import sources as S

KEYS = {"registry", "record", "field", "value_si", "unit", "published", "kind", "source_id", "source_title",
        "locator", "note"}


def test_no_uncited_number_in_any_record():
    """Iterating every record's dataclass fields finds no int/float without a citation."""
    assert catalog.uncited_numbers() == []


def test_every_citation_row_is_complete():
    """Every catalogue row has the agreed keys, a known kind, a source and a finite SI value."""
    rows = catalog.all_citations()
    assert len(rows) > 500
    for r in rows:
        assert set(r) == KEYS
        assert r["kind"] in {k.value for k in Kind}
        assert r["source_id"] and r["source_title"]
        assert math.isfinite(r["value_si"])
        if r["kind"] != "spec":
            assert r["note"], f"{r['registry']}.{r['record']}.{r['field']} needs a note"


def test_every_table_value_is_cited():
    """Every entry of every cited lookup table and solver CITED mapping is a Cited number."""
    for name, table in catalog.cited_tables():
        assert table, name
        assert all(isinstance(v, Cited) for v in table.values()), name


def test_catalogue_covers_every_registry():
    """Rows come from hardware, contexts, models, jobs, infrastructure, fabrics, storage and the tables."""
    registries = {r["registry"] for r in catalog.all_citations()}
    for expected in ("hardware", "contexts", "models", "frozen_mlp_jobs", "infrastructure", "fabrics",
                     "storage_tiers", "quality.gptq_llama_wikitext2", "datasets.datacomp_baselines",
                     "compression.gptq_llama_01069233", "latency.CITED", "ops.CITED"):
        assert expected in registries, expected


ALLOWED_WITHOUT_SOURCE = ("engine.units.", "engine.registry.", "engine.compression.quality_table")


def test_every_public_formula_has_a_source_line():
    """Each public solver function's docstring has a non-empty `Source:` line (formatting/getters excepted)."""
    sources = catalog.function_sources()
    assert len(sources) > 100
    missing = [k for k, v in sources.items() if not v and not k.startswith(ALLOWED_WITHOUT_SOURCE)]
    assert missing == []
    assert "Amdahl 1967" in sources["engine.latency.amdahl_speedup"]


def test_h100_datasheet_values():
    """H100 SXM: 1,979/2 TFLOP/s dense FP16, 3.35 TB/s, 80 GB, 700 W, NVLink 900 GB/s bidirectional = 450 per direction."""
    d = hardware.get_device("h100_sxm")
    assert d.peak_fp16_dense_flop_per_s == 1979e12 / 2
    assert d.peak_fp16_sparse_flop_per_s == 1979e12
    assert (d.memory_bandwidth_bytes_per_s, d.memory_capacity_bytes, d.power_w) == (3.35e12, 80e9, 700)
    assert d.interconnect_bytes_per_s_per_direction == d.interconnect_bidir_bytes_per_s / 2 == 450e9


def test_required_devices_present():
    """The issue's device list is in the registry, each with bandwidth and capacity."""
    for key in ("h100_sxm", "h200_sxm", "b200", "a100_sxm_80gb", "v100_sxm2_32gb", "t4", "l4", "tpu_v5e", "mi300x",
                "jetson_agx_orin_64", "a17_pro_class_phone", "snapdragon_8g3_phone", "raspberry_pi_5", "stm32h743",
                "esp32_s3"):
        d = hardware.get_device(key)
        assert d.memory_bandwidth_bytes_per_s > 0 and d.memory_capacity_bytes > 0


def test_required_models_present():
    """The issue's model list is in the registry with parameters; decoders carry their shapes."""
    for key in ("resnet50", "mobilenet_v2", "efficientnet_b0", "ds_cnn_kws_small", "bert_base", "bert_large",
                "gpt2_small", "gpt2_xl", "gpt3_175b", "llama2_7b", "llama2_13b", "llama2_70b", "llama3_8b",
                "llama3_70b", "llama3_405b", "mixtral_8x7b"):
        assert models.get_model(key).params > 0
    m = models.get_model("llama2_70b")
    assert (m.layers, m.hidden, m.heads, m.kv_heads, m.head_dim) == (80, 8192, 64, 8, 128)


def test_resnet50_counts_derived_from_layer_list():
    """v1-02: 56 kernels, 4,089,184,256 MAC (card: 4.09 GMAC), 28.40e6 activation elements."""
    r = models.get_model("resnet50")
    assert (r.kernels_per_image, r.macs_per_image) == (56, 4_089_184_256)
    assert r.activation_elements_per_image == pytest.approx(28.40e6, rel=1e-3)
    assert r.citations["macs_per_image"].kind is Kind.DERIVED


def test_existing_envelope_values_unchanged():
    """v1-00's envelope still reads 3.35 TB/s, 204.8 GB/s, 51.2 GB/s and 1.92 GB/s."""
    assert [hardware.get_context(k).memory_bandwidth_bytes_per_s for k in hardware.CONTEXT_KEYS] == pytest.approx(
        [3.35e12, 204.8e9, 51.2e9, 1.92e9])


def test_records_are_frozen_and_reject_unknown_keys():
    """Registry records cannot be mutated, and build_record rejects an unknown field."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        hardware.get_device("t4").power_w = 1.0  # type: ignore[misc]
    with pytest.raises(EngineInputError, match="`colour` must be a field of Model"):
        build_record(models.Model, key="x", name="x", params=spec(1, "parameters", S.GPT2_CONFIG), colour="red")


def test_unknown_device_raises():
    """An unknown device key names the closed list."""
    with pytest.raises(EngineInputError, match="`device` must be one of"):
        hardware.get_device("h900")
