"""Every public engine function, fed hostile values one argument at a time: one error form or a finite result.

Discovery walks every module of `engine` and `engine.registry`, so a new public function is covered the day it
lands: it needs a known-good call in `KNOWN_GOOD` unless the simple heuristic (0.5 for a float, 2 for an int, the
defaults for the rest) already calls it cleanly; otherwise its test fails and says so. For each numeric argument of
each known-good call (numeric elements of list, tuple and dict arguments included) the test substitutes NaN, ±∞,
−1, 0, True and "3" while the other arguments stay valid, and asserts the call either raises EngineInputError in the
house form "`name` must be … (got …)" or returns a result (dataclass fields and properties, dicts, lists, tuples)
with no NaN or infinity in it. Documented exceptions live in the tables below, each with its reason.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import inspect
import math
import pkgutil
import re
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
import engine.registry
from engine import latency, ops
from engine.capstone import Design
from engine.errors import EngineInputError
from engine.frameworks import ExecutionPlan, OpGraph
from engine.provenance import Source, spec
from engine.responsible import binormal_rates

NAN, INF = float("nan"), float("inf")
HOSTILE: tuple[object, ...] = (NAN, INF, -INF, -1, 0, True, "3")
# The house error form (STYLE item 9); an element of a list argument may be named `efforts[2]`.
ERROR_FORM = re.compile(r"^`[a-z_0-9.]+(\[[^\]]+\])?` must be .+ \(got .+\)$", re.DOTALL)
# The error helpers themselves are the checks, not checked functions.
SKIP_MODULES = ("engine.errors",)


@dataclass(frozen=True)
class _Record:
    """A minimal registry record for `build_record`'s known-good call."""

    bandwidth_bytes_per_s: float
    citations: dict


_SRC = Source("test", "a test source", "Table 1")
_LAW = latency.iron_law(4e9, 1e12, 0.5, 1e8, 1e11, overhead_s=1e-4)
_TIMELINE = ops.mixture_drift(28)

# Known-good calls: dotted name -> one kwargs dict, or a list of them when another branch uses other arguments.
KNOWN_GOOD: dict[str, dict | list[dict]] = {
    # units
    "engine.units.get_unit": {"unit_id": "ms"},
    "engine.units.to_base": {"value": 3.0, "unit_id": "ms"},
    "engine.units.from_base": {"value": 3e-3, "unit_id": "ms"},
    "engine.units.format_number": {"x": 1234.5, "sig": 3},
    "engine.units.shortest_sig": {"x": 4096.0, "max_sig": 6},
    "engine.units.format_exact": {"value_base": 4096.0, "unit_id": "tokens", "max_sig": 6},
    "engine.units.format_value": {"value_base": 0.0390625, "unit_id": "ms", "sig": 4},
    "engine.units.auto_unit": {"value_base": 2e9, "quantity": "bytes"},
    "engine.units.format_auto": {"value_base": 2e9, "quantity": "bytes", "sig": 3},
    "engine.units.spoken_value": {"value_base": 3.35e12, "unit_id": "TB/s", "sig": 3},
    # provenance
    "engine.provenance.spec": {"value": 3.35, "unit": "TB/s", "source": _SRC},
    "engine.provenance.derived": {"value": 70 / 80, "unit": "us", "source": _SRC, "note": "70 µs / 80 kernels"},
    "engine.provenance.measured": {"value": 5.67, "unit": "none", "source": _SRC, "note": "Table 1"},
    "engine.provenance.assumed": {"value": 0.5, "unit": "fraction", "source": _SRC, "note": "teaching value"},
    "engine.provenance.build_record": {"cls": _Record, "bandwidth_bytes_per_s": spec(3.35, "TB/s", _SRC)},
    # memory
    "engine.memory.weight_bytes": {"params": 7e9, "bits_per_weight": 16},
    "engine.memory.saved_bits_per_element": {"nonlinearity": "gelu", "bits": 16},
    "engine.memory.saved_activation_bytes": {"elements": 1e6, "nonlinearity": "sigmoid", "bits": 16},
    "engine.memory.trainable_params_frozen_mlp": [{"width": 128, "depth": 8, "classes": 10},
                                                  {"width": 128, "depth": 8, "classes": 10, "mode": "full"}],
    "engine.memory.spill_penalty": {"working_set_bytes": 2e6, "budget_bytes": 1e6, "bandwidth_bytes_per_s": 1e9},
    "engine.memory.training_working_set": [
        {"width": 128, "depth": 8, "batch": 32, "bits": 16, "nonlinearity": "relu", "budget_bytes": 50e6},
        {"width": 1024, "depth": 8, "batch": 64, "bits": 16, "nonlinearity": "gelu", "budget_bytes": 1e6,
         "mode": "full", "backing_bandwidth_bytes_per_s": 1e10},
    ],
    "engine.memory.max_batch_in_budget": {"width": 128, "depth": 8, "bits": 16, "nonlinearity": "sigmoid",
                                          "budget_bytes": 50e6},
    "engine.memory.attention_score_bytes": {"tokens": 4096, "heads": 32, "bits": 16},
    "engine.memory.kv_cache_bytes": {"layers": 32, "kv_heads": 32, "head_dim": 128, "bits": 16, "tokens": 4096,
                                     "batch": 2},
    "engine.memory.max_context_length": {"capacity_bytes": 80e9, "weight_bytes_total": 13.5e9,
                                         "kv_bytes_per_token": 524288, "score_bytes_per_token_sq": 64},
    "engine.memory.optimizer_moments": {"optimizer": "adam"},
    "engine.memory.model_state_bytes": {"params": 7e9, "grad_bits": 16},
    "engine.memory.activation_bytes": [
        {"seq_len": 4096, "micro_batch": 1, "hidden": 4096, "layers": 32, "heads": 32},
        {"seq_len": 2048, "micro_batch": 2, "hidden": 4096, "layers": 32, "heads": 32, "attention": "naive",
         "checkpointing": "full", "coefficient": 24},
    ],
    "engine.memory.training_footprint": {"states_bytes": 112e9, "activation_bytes_total": 18e9,
                                         "capacity_bytes": 80e9},
    "engine.memory.max_trainable_params": [{"capacity_bytes": 80e9},
                                           {"capacity_bytes": 80e9, "mode": "adapters", "trainable_fraction": 0.01}],
    "engine.memory.shard_states": {"params": 7.5e9, "gpus": 64, "stage": 3},
    "engine.memory.check_fit": {"num_bytes": 14e9, "capacity_bytes": 80e9, "where": "on cloud"},
    "engine.memory.adapter_state_bytes": {"params": 7e9, "trainable_fraction": 0.01},
    "engine.memory.shard_state_bytes": {"weights_bytes": 14e9, "gradients_bytes": 14e9, "optimizer_bytes": 84e9,
                                        "gpus": 8, "stage": 1},
    "engine.memory.layer_activation_blocks": {"seq_len": 2048, "micro_batch": 1, "hidden": 4096, "heads": 32,
                                              "attention": "naive"},
    "engine.memory.check_training_memory": {"weights_bytes": 14e9, "gradients_bytes": 14e9, "optimizer_bytes": 84e9,
                                            "activation_bytes_total": 18e9, "capacity_bytes": 80e9, "gpus": 8,
                                            "stage": 1},
    # latency
    "engine.latency.check_envelope": {"params": 7e9, "bits_per_weight": 16, "rate_tokens_per_s": 10,
                                      "power_budget_w": 700, "context": "cloud"},
    "engine.latency.find_first_wall": {"bits_per_weight": 16, "rate_tokens_per_s": 10, "power_budget_w": 300,
                                       "context": "cloud"},
    "engine.latency.iron_law": {"flop": 4e9, "peak_flop_per_s": 1e12, "efficiency": 0.5, "bytes_moved": 1e8,
                                "bandwidth_bytes_per_s": 1e11, "overhead_s": 1e-4, "overlap": True},
    "engine.latency.kernel_overhead": {"kernels": 80, "per_kernel_s": 0.875e-6},
    "engine.latency.scale_iron_law": {"law": _LAW, "compute_x": 2.0, "bandwidth_x": 2.0, "overhead_x": 0.5},
    "engine.latency.image_workload": {"flop_per_image": 8.2e9, "params": 25.6e6, "activation_elements": 1e7,
                                      "side_px": 448},
    "engine.latency.check_latency_slo": {"law": _LAW, "slo_s": 0.01, "item": "image"},
    "engine.latency.amdahl_speedup": {"serial_fraction": 0.05, "lanes": 8},
    "engine.latency.amdahl_limit": {"serial_fraction": 0.05},
    "engine.latency.gustafson_speedup": {"serial_fraction_scaled": 0.05, "lanes": 8},
    "engine.latency.serial_fraction_convert": {"serial_fraction_scaled": 0.05, "lanes": 8},
    "engine.latency.layer_matrix_params": {"hidden": 4096, "ffn_hidden": 11008, "ffn_matrices": 3, "kv_heads": 8,
                                           "heads": 32},
    "engine.latency.transformer_flops": [
        {"tokens": 4096, "layers": 32, "hidden": 4096, "layer_params": 202375168, "vocab": 32000},
        {"tokens": 4096, "layers": 32, "hidden": 4096, "layer_params": 202375168, "vocab": 32000, "window": 1024},
    ],
    "engine.latency.attention_crossover_tokens": {"layer_params": 202375168, "hidden": 4096},
    "engine.latency.prefill_time": {"flop": 1e12, "peak_flop_per_s": 989e12, "efficiency": 0.5},
    "engine.latency.max_prefill_tokens": {"budget_s": 10, "peak_flop_per_s": 989e12, "efficiency": 0.5,
                                          "layers": 32, "hidden": 4096, "layer_params": 202375168, "vocab": 32000},
    "engine.latency.frame_time": {"serial_s": 2e-3, "parallel_s": 95e-3, "lanes": 97,
                                  "coordination_s_per_lane": 10e-6},
    "engine.latency.usl_speedup": {"lanes": 8, "sigma": 0.05, "kappa": 0.001},
    "engine.latency.optimal_lanes": {"parallel_s": 95e-3, "coordination_s_per_lane": 10e-6, "max_lanes": 64},
    "engine.latency.plan_frame_budget": {"max_lanes": 97, "deadline_s": 5e-3},
    # roofline
    "engine.roofline.compute_time": {"flop": 1e12, "peak_flop_per_s": 989e12, "efficiency": 0.5},
    "engine.roofline.gemm_time": {"batch": 1, "k": 4096, "n": 11008, "bytes_per_value": 2,
                                  "peak_flop_per_s": 989e12, "bandwidth_bytes_per_s": 3.35e12, "efficiency": 0.8},
    "engine.roofline.crossover_batch": {"k": 4096, "n": 11008, "bytes_per_value": 2, "peak_flop_per_s": 989e12,
                                        "bandwidth_bytes_per_s": 3.35e12},
    "engine.roofline.upgrade_speedup": {"batch": 1, "k": 4096, "n": 11008, "bytes_per_value": 2,
                                        "peak_flop_per_s": 989e12, "bandwidth_bytes_per_s": 3.35e12,
                                        "compute_scale": 2.0, "bandwidth_scale": 1.5},
    "engine.roofline.decode_step": {"batch": 64, "weight_bytes": 3.9e9, "kv_bytes_per_sequence": 1e9,
                                    "params": 6.7e9, "peak_flop_per_s": 989e12, "bandwidth_bytes_per_s": 3.35e12,
                                    "capacity_bytes": 80e9, "step_budget_s": 0.05},
    # compression
    "engine.compression.quality_lookup": {"model": "llama_7b", "method": "rtn", "bits": 4},
    "engine.compression.relative_degradation": {"model": "llama_7b", "method": "rtn", "bits": 4},
    "engine.compression.checkpoint_bytes": {"model": "llama_7b", "method": "gptq_g128", "bits": 4},
    "engine.compression.size_ratio": {"model": "llama_7b", "method": "gptq_g128", "bits": 4},
    "engine.compression.cliff_bits": {"model": "llama_7b", "method": "rtn", "factor": 2.0},
    "engine.compression.fits_context": {"model": "llama_7b", "method": "gptq_g128", "bits": 4,
                                        "context_tokens": 2048, "context": "mobile"},
    "engine.compression.best_feasible": {"context": "cloud", "context_tokens": 2048, "min_tokens_per_s": 10,
                                         "gate": 0.05},
    "engine.compression.lookup_row": {"model": "llama_7b", "method": "gptq", "bits": 3},
    "engine.compression.bit_sweep": {"model": "llama_7b", "method": "gptq", "factor": 2.0},
    "engine.compression.gate_check": {"model": "llama_7b", "method": "rtn", "bits": 3, "gate": 0.05},
    "engine.compression.mcu_evidence": {"budget_bytes": 2e6},
    "engine.compression.max_row_context": {"model": "llama_7b", "method": "gptq_g128", "bits": 4,
                                           "context": "mobile"},
    "engine.compression.row_text": {"model": "llama_65b", "method": "gptq_g128", "bits": 4},
    "engine.compression.deployment_check": [
        {"model": "llama_7b", "method": "gptq_g128", "bits": 4, "context_tokens": 2048, "context": "cloud",
         "min_tokens_per_s": 10, "gate": 0.05},
        {"model": "llama_65b", "method": "rtn", "bits": 4, "context_tokens": 2048, "context": "edge",
         "min_tokens_per_s": 10, "gate": 0.05},
    ],
    # frameworks
    "engine.frameworks.op_graph": {"layers": 12, "family": "gpt2"},
    "engine.frameworks.fuse_graph": [
        {"graph": OpGraph(294, 100), "fusion": False, "graph_capture": False, "t_dispatch_s": 10e-6},
        {"graph": OpGraph(294, 100), "fusion": True, "graph_capture": False, "t_launch_s": 5e-6},
        {"graph": OpGraph(294, 100), "fusion": True, "graph_capture": True, "t_graph_s": 8e-6},
    ],
    "engine.frameworks.step_time": {"plan": ExecutionPlan("eager", 294, 2.94e-3), "bytes_moved": 2.5e8,
                                    "bandwidth_bytes_per_s": 3.35e12, "t_gpu_per_kernel_s": 0.875e-6},
    "engine.frameworks.gpt2_decode_bytes": {"context_tokens": 1024},
    "engine.frameworks.compile_break_even": {"eager_step_s": 2.94e-3, "compiled_step_s": 0.17e-3,
                                             "compile_s_per_bucket": 45.0, "buckets": 2, "tokens_per_day": 1e5},
    # training
    "engine.training.run_time": {"params": 7e9, "tokens": 1e12, "devices": 64, "peak_flop_per_s": 989e12,
                                 "mfu_fraction": 0.4},
    "engine.training.pipeline_bubble_fraction": {"stages": 8, "micro_batches": 32, "interleave": 1},
    "engine.training.ring_factor": {"ranks": 8, "collective": "reduce_scatter"},
    "engine.training.collective_time": {"payload_bytes": 1e9, "ranks": 8,
                                        "bandwidth_bytes_per_s_per_direction": 450e9, "alpha_s": 1e-6},
    "engine.training.failure_shares": {"counts": {"faulty_gpu": 148, "other": 271}},
    "engine.training.mlp_step_flop": {"width": 4096, "depth": 8, "batch": 1024, "mode": "full"},
    # data
    "engine.data.radio_energy_per_byte": [{"link": "ble"}, {"link": "lte"}],
    "engine.data.link_goodput_bytes_per_s": {"link": "lte"},
    "engine.data.device_energy_per_op": {"context": "mobile", "efficiency": 0.5},
    "engine.data.compare_placement": {"volume_bytes_per_day": 30e12, "usd_per_byte": 2e-11, "usd_per_flop": 1.4e-18,
                                      "keep_fraction": 0.33, "filter_flop_per_byte": 2000, "job_gpu_h_per_day": 256,
                                      "gpu_usd_per_h": 2.5, "region_premium": 0.5, "link_bytes_per_s": 1.25e9,
                                      "budget_usd_per_day": 500.0},
    "engine.data.crossover_volume": {"move_job_usd_per_day": 640, "keep_fraction": 0.33, "usd_per_byte": 2e-11,
                                     "filter_flop_per_byte": 2000, "usd_per_flop": 1.4043e-18, "region_premium": 0.5},
    "engine.data.selection_accuracy": {"scale": "medium", "filter": "image_clip", "metric": "avg38"},
    "engine.data.plan_cost": {"scale": "medium", "filter": "image_clip", "peak_flop_per_s": 989e12},
    "engine.data.source_filter_feasibility": {"context": "cloud", "scorer_params": 427.62e6, "bits": 16,
                                              "flop_per_pair": 175.33e9},
    "engine.data.plan_evaluate": {"scale": "medium", "filter": "image_clip", "budget_usd": 200, "target_pct": 31,
                                  "gpu_usd_per_h": 2.5, "mfu": 0.25},
    "engine.data.scorer_model": {"scorer": "l14_image"},
    "engine.data.scoring_flop_per_pair": {"filter": "image_clip"},
    "engine.data.curation_plan_cost": {"scale": "medium", "filter": "image_clip", "gpu_usd_per_h": 2.5, "mfu": 0.25,
                                       "storage_usd_per_tb_month": 23.0, "months_stored": 1.0},
    "engine.data.next_scale": {"scale": "medium"},
    "engine.data.curation_vs_scale": {"scale": "medium", "filter": "image_clip", "metric": "avg38",
                                      "gpu_usd_per_h": 2.5, "mfu": 0.25, "storage_usd_per_tb_month": 23.0,
                                      "months_stored": 1.0},
    "engine.data.upload_bytes": {"pairs": 1e6, "scale": "medium", "keep_fraction": 0.3},
    "engine.data.curation_plan_evaluate": {"scale": "medium", "filter": "image_clip", "budget_usd": 200,
                                           "target_pct": 31, "metric": "avg38", "runs_sharing_scores": 1,
                                           "gpu_usd_per_h": 2.5, "mfu": 0.25, "storage_usd_per_tb_month": 23.0,
                                           "months_stored": 1.0},
    "engine.data.rank_plans": {"budget_usd": 200, "target_pct": 31, "metric": "avg38", "runs_sharing_scores": 1,
                               "gpu_usd_per_h": 2.5, "mfu": 0.25, "storage_usd_per_tb_month": 23.0,
                               "months_stored": 1.0},
    # economics
    "engine.economics.price_per_flop": {"gpu_usd_per_h": 2.5, "peak_flop_per_s": 989e12, "efficiency": 0.5},
    "engine.economics.run_cost": {"run_time_s": 3600.0, "gpus": 8, "gpu_usd_per_h": 2.5},
    "engine.economics.data_plan_cost": {"learn_flop_per_sample": 4.4e9, "samples_seen": 128e6,
                                        "score_flop_per_sample": 175e9, "pool_samples": 128e6, "pool_bytes": 4.5e12,
                                        "usd_per_flop": 2.8e-18, "storage_usd_per_byte_s": 8.9e-18,
                                        "months_stored": 1.0, "runs_sharing_scores": 2},
    # serving
    "engine.serving.erlang_c": {"servers": 4, "offered_load": 3.2},
    "engine.serving.mmc": {"arrival_rate_per_s": 150, "service_s": 0.02, "servers": 4},
    "engine.serving.mmc_response_tail": {"t_s": 0.1, "arrival_rate_per_s": 150, "service_s": 0.02, "servers": 4},
    "engine.serving.mmc_response_quantile": {"arrival_rate_per_s": 150, "service_s": 0.02, "servers": 4},
    "engine.serving.admission_cap_for_slo": {"service_s": 0.02, "servers": 7, "slo_s": 0.25, "offered_per_s": 300},
    "engine.serving.periodic_shed_fraction": {"arrival_rate_per_s": 16, "service_s": 0.1, "servers": 1},
    "engine.serving.batch_throughput": {"batch": 8, "fixed_s": 1e-3, "per_item_s": 1e-4},
    "engine.serving.periodic_response_time": {"arrival_rate_per_s": 8, "service_s": 0.1, "servers": 1},
    "engine.serving.replicas_for_slo": {"arrival_rate_per_s": 300, "service_s": 0.02, "slo_s": 0.25,
                                        "max_servers": 16},
    "engine.serving.mmc_response_quantile_tol": {"arrival_rate_per_s": 150, "service_s": 0.02, "servers": 4,
                                                 "rel_tol": 1e-9},
    "engine.serving.admission_cap_by_tail": {"service_s": 0.03, "servers": 3, "slo_s": 0.3, "offered_per_s": 100,
                                             "rel_tol": 1e-9},
    # ops
    "engine.ops.mixture_accuracy": {"share_new": 0.131, "accuracy_in": 0.932, "accuracy_out": 0.703},
    "engine.ops.mixture_drift": {"days": 28, "accuracy_in": 0.932, "accuracy_out": 0.703},
    "engine.ops.labelled_view": [
        {"timeline": _TIMELINE, "day": 11, "label_delay_days": 5},
        {"timeline": _TIMELINE, "day": 2, "label_delay_days": 5, "validation_accuracy": 0.932},
    ],
    "engine.ops.sample_size_one_proportion": {"p0": 0.932, "p1": 0.902},
    "engine.ops.detection_day": [
        {"monitor": "aggregate", "audit_fraction": 0.1, "label_delay_days": 5, "horizon_days": 28},
        {"monitor": "per_source", "audit_fraction": 0.1, "label_delay_days": 5, "horizon_days": 28},
        {"monitor": "source_share", "audit_fraction": 0.0, "label_delay_days": 5, "horizon_days": 28},
    ],
    "engine.ops.undetected_errors": {"detect_day": 7, "horizon_days": 28},
    "engine.ops.monitoring_policy_cost": {"monitors": ["source_share", "per_source"], "audit_fraction": 0.02},
    "engine.ops.labelled_count": {"timeline": _TIMELINE, "day": 11, "label_delay_days": 5, "audit_fraction": 0.1},
    # responsible
    "engine.responsible.binormal_rates": {"threshold": 2.0, "dprime": 3.0},
    "engine.responsible.equalize_rate": {"threshold_a": 2.0, "dprime_a": 3.0, "dprime_b": 2.2},
    "engine.responsible.dpsgd_memory": {"lot_size": 600, "params": 71010},
    "engine.responsible.dp_accuracy_lookup": {"epsilon": "8"},
    "engine.responsible.policy_guardrails": [{}, {"policy": "equal_delay", "epsilon": "8"}],
    "engine.responsible.score_density": {"score": 1.0, "dprime": 3.0},
    "engine.responsible.group_outcomes": {"threshold": 2.0, "dprime": 3.0, "misread_rate": 0.03, "volume": 1e4},
    "engine.responsible.misread_rates": {"epsilon": "8"},
    "engine.responsible.dp_epoch_multiplier": {"epsilon": "2"},
    "engine.responsible.delay_gap_check": {"rates_a": binormal_rates(2.0, 3.0), "rates_b": binormal_rates(2.0, 2.2),
                                           "gap_target_points": 5.0},
    "engine.responsible.fair_single_thresholds": {"dprime_a": 3.0, "dprime_b": 2.2, "gap_target_points": 5.0},
    "engine.responsible.dp_training_budget": [{"context": "tiny"}, {"context": "cloud"}],
    "engine.responsible.dpsgd_streaming_bytes": {"params": 71010},
    "engine.responsible.dpsgd_fit": {"lot_size": 600, "params": 71010, "context": "tiny"},
    "engine.responsible.policy_report": [{}, {"policy": "equal_delay", "epsilon": "8", "retrains_per_year": 1}],
    # sustainability
    "engine.sustainability.training_energy": {"device_hours": 1000, "avg_power_w": 400, "pue": 1.1,
                                              "carbon_kg_per_j": 1e-7},
    # workflow
    "engine.workflow.invalidation_profile": {"constraint_type": "hardware_envelope", "stages": 6},
    "engine.workflow.rework_cost": {"discovery_stage": 5, "invalidated": [1.0, 0.0, 1.0, 1.0, 1.0]},
    "engine.workflow.field_fix_cost": {"fleet_size": 20000, "per_unit_person_days": 0.1,
                                       "release_fixed_person_days": 2},
    "engine.workflow.expected_gate_cost": {"gates_on": ["G1", "G3"]},
    # capstone
    "engine.capstone.serving_memory_bytes": {"design": Design()},
    "engine.capstone.training_state_bytes": [{"design": Design()}, {"design": Design(train_adapters=0.01)}],
    "engine.capstone.data_plan_cost_usd": {"design": Design()},
    "engine.capstone.evaluate_design": {"design": Design(), "context": "edge"},
    "engine.capstone.replay": {"design": Design()},
    "engine.capstone.replay_context": {"design": Design(), "context": "edge", "step_budget_s": 0.05},
    "engine.capstone.stress_tornado": {"design": Design(), "factor": 2.0},
    "engine.capstone.apply_revisions": {"design": Design(), "revisions": ["R1", "R3"]},
    "engine.capstone.max_batch_for_memory": {"design": Design()},
    # registries
    "engine.registry.hardware.get_device": {"key": "h100_sxm"},
    "engine.registry.hardware.get_context": {"key": "edge"},
    "engine.registry.infrastructure.get_constant": {"key": "grid.us_llama_2023"},
    "engine.registry.infrastructure.get_fabric": {"key": "nvlink4"},
    "engine.registry.models.frozen_mlp_jobs": {"context": "tiny"},
    "engine.registry.models.get_model": {"key": "llama_7b"},
}

# Arguments that legitimately take zero or negative values (each function's docstring says so).
ACCEPTS_ZERO_OR_NEGATIVE: dict[tuple[str, str], str] = {
    ("engine.units.to_base", "value"): "a unit conversion of any finite number",
    ("engine.units.from_base", "value"): "a unit conversion of any finite number",
    ("engine.units.format_number", "x"): "display: any number, NaN and ∞ included, is formatted",
    ("engine.units.shortest_sig", "x"): "display: any number",
    ("engine.units.format_exact", "value_base"): "display: any number",
    ("engine.units.format_value", "value_base"): "display: any number",
    ("engine.units.auto_unit", "value_base"): "display: the prefix is chosen from |value|",
    ("engine.units.format_auto", "value_base"): "display: any number",
    ("engine.units.spoken_value", "value_base"): "display: any number",
    ("engine.provenance.spec", "value"): "a published number may be zero or negative",
    ("engine.provenance.derived", "value"): "a published number may be zero or negative",
    ("engine.provenance.measured", "value"): "a published number may be zero or negative",
    ("engine.provenance.assumed", "value"): "a published number may be zero or negative",
    ("engine.data.marginal_accuracy_per_dollar", "delta_accuracy_points"): "a filter can hurt accuracy",
    ("engine.responsible.binormal_rates", "threshold"): "a score threshold is any real number",
    ("engine.responsible.equalize_rate", "threshold_a"): "a score threshold is any real number",
    ("engine.responsible.score_density", "score"): "a score is any real number",
    ("engine.responsible.group_outcomes", "threshold"): "a score threshold is any real number",
    ("engine.responsible.policy_guardrails", "threshold_a"): "a score threshold is any real number",
    ("engine.responsible.policy_report", "threshold_a"): "a score threshold is any real number",
}

_UNSTABLE = "an unstable queue (utilisation ≥ 1) waits forever: a failure state returned as a value"

# Results the docstring documents as infinite (never NaN): dotted name -> {path in the result: reason}.
# A path is the dotted field/property route from the result ("" for the result itself); `*` matches any part.
DOCUMENTED_INFINITY: dict[str, dict[str, str]] = {
    "engine.latency.amdahl_limit": {"": "S(∞) = 1/f is ∞ when nothing is serial (f = 0)"},
    "engine.latency.find_first_wall": {"power_params": "∞ when the budget covers the chip's full active power"},
    "engine.roofline.crossover_batch": {"": "∞ when the GEMM never turns compute-bound"},
    "engine.frameworks.compile_break_even": {"tokens": "∞ when compiled is not faster"},
    "engine.data.compare_placement": {"budget_usd_per_day": "∞ is the default: no daily budget"},
    "engine.serving.mm1_response_time": {"wait_s": _UNSTABLE, "in_queue": _UNSTABLE, "in_system": _UNSTABLE,
                                         "response_s": _UNSTABLE},
    "engine.serving.mmc": {"wait_s": _UNSTABLE, "in_queue": _UNSTABLE, "in_system": _UNSTABLE,
                           "response_s": _UNSTABLE},
    "engine.serving.mm1_quantile": {"": _UNSTABLE},
    "engine.serving.md1_wait": {"": _UNSTABLE},
    "engine.serving.kingman_wait": {"": _UNSTABLE},
    "engine.serving.mmc_response_quantile": {"": _UNSTABLE},
    "engine.serving.mmc_response_quantile_tol": {"": _UNSTABLE},
    "engine.serving.periodic_response_time": {"": "a D/D/c server that cannot keep up (ρ > 1) never answers"},
    "engine.capstone.evaluate_design": {"guardrails.*.value": _UNSTABLE, "guardrails.*.ratio": _UNSTABLE,
                                        "binding.value": _UNSTABLE, "binding.ratio": _UNSTABLE},
    "engine.capstone.replay": {"guardrails.*.value": _UNSTABLE, "guardrails.*.ratio": _UNSTABLE,
                               "binding.value": _UNSTABLE, "binding.ratio": _UNSTABLE},
    "engine.capstone.replay_context": {"guardrails.*.value": _UNSTABLE, "guardrails.*.ratio": _UNSTABLE,
                                       "binding.value": _UNSTABLE, "binding.ratio": _UNSTABLE},
    "engine.capstone.stress_tornado": {"*.value": "an unstable queue's p99 is ∞ (v1-16 Part B: traffic × 2)",
                                       "*.ratio": "value ÷ limit of an unbounded p99"},
}


# --- discovery -------------------------------------------------------------------------------------------------


def _engine_modules() -> list[str]:
    names = []
    for pkg in (engine, engine.registry):
        for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
            if not info.ispkg and info.name not in SKIP_MODULES:
                names.append(info.name)
    return sorted(names)


def public_functions() -> dict[str, Callable]:
    """Every public function defined in an engine module (no leading underscore, not a class, not re-exported)."""
    out: dict[str, Callable] = {}
    for module_name in _engine_modules():
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if name.startswith("_") or isinstance(obj, type) or not callable(obj):
                continue
            if getattr(obj, "__module__", None) != module_name or not inspect.isfunction(obj):
                continue
            out[f"{module_name}.{name}"] = obj
    return out


FUNCTIONS = public_functions()


def _heuristic_kwargs(fn: Callable) -> dict | None:
    """0.5 for a required float, 2 for a required int, defaults for the rest; None when a required one is neither."""
    kwargs = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        ann = str(p.annotation)
        if ann == "float":
            kwargs[p.name] = 0.5
        elif ann == "int":
            kwargs[p.name] = 2
        else:
            return None
    return kwargs


def known_good_calls(name: str) -> list[dict]:
    """The table's calls for `name`, or the heuristic call; fails (never skips) when neither exists or works."""
    if name in KNOWN_GOOD:
        calls = KNOWN_GOOD[name]
        return [dict(c) for c in (calls if isinstance(calls, list) else [calls])]
    kwargs = _heuristic_kwargs(FUNCTIONS[name])
    if kwargs is None:
        pytest.fail(f"{name} has no known-good call: add one to KNOWN_GOOD in {__name__}")
    try:
        _materialise(FUNCTIONS[name](**kwargs))
    except Exception as exc:  # noqa: BLE001 - any failure means the heuristic guessed wrong
        pytest.fail(f"{name}: the heuristic call {kwargs} raised {type(exc).__name__}: {exc}; "
                    f"add a known-good call to KNOWN_GOOD")
    return [kwargs]


# --- substitution and the result walk ----------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric_annotation(annotation: object) -> bool:
    return str(annotation) in ("float | None", "int | None")


def hostile_sites(fn: Callable, kwargs: dict) -> list[tuple[str, Callable[[object], dict]]]:
    """Every numeric slot of a call: (label, substitute) where substitute(value) returns the modified kwargs.

    Slots are numeric arguments (given or defaulted), optional numeric arguments left at None, and the numeric
    elements of list, tuple and dict arguments.
    """
    sig = inspect.signature(fn)
    bound = sig.bind_partial(**kwargs)
    bound.apply_defaults()
    full = {k: v for k, v in bound.arguments.items() if sig.parameters[k].kind is not inspect.Parameter.VAR_KEYWORD}
    extra = bound.arguments.get(next((k for k, p in sig.parameters.items() if p.kind is p.VAR_KEYWORD), ""), {})
    full.update(extra)
    sites: list[tuple[str, Callable[[object], dict]]] = []

    def with_arg(arg: str) -> Callable[[object], dict]:
        return lambda v: {**full, arg: v}

    def with_element(arg: str, key: object) -> Callable[[object], dict]:
        def sub(v: object) -> dict:
            container = full[arg]
            if isinstance(container, Mapping):
                return {**full, arg: {**container, key: v}}
            items = list(container)
            items[key] = v  # type: ignore[index]
            return {**full, arg: type(container)(items) if isinstance(container, tuple) else items}
        return sub

    for arg, value in full.items():
        param = sig.parameters.get(arg)
        if _is_number(value) or (value is None and param is not None and _numeric_annotation(param.annotation)):
            sites.append((arg, with_arg(arg)))
        elif isinstance(value, (list, tuple)) and value and all(_is_number(x) for x in value):
            sites += [(f"{arg}[{i}]", with_element(arg, i)) for i in range(len(value))]
        elif isinstance(value, Mapping) and value and all(_is_number(x) for x in value.values()):
            sites += [(f"{arg}[{k}]", with_element(arg, k)) for k in value]
    return sites


def _materialise(result: object) -> object:
    if isinstance(result, types.GeneratorType) or isinstance(result, Iterator):
        return list(result)
    return result


def non_finite(result: object, path: str = "", seen: set[int] | None = None) -> Iterator[tuple[str, object]]:
    """Yield (path, value) for every NaN or infinity in a result: floats, dataclass fields and properties,
    mappings, lists, tuples and sets (a property that raises is reported with its exception)."""
    seen = set() if seen is None else seen
    if isinstance(result, bool) or result is None or isinstance(result, (str, bytes, int)):
        return
    if isinstance(result, float):
        if not math.isfinite(result):
            yield path, result
        return
    if id(result) in seen or isinstance(result, (type, types.FunctionType, types.ModuleType)):
        return
    seen.add(id(result))
    join = (lambda p: f"{path}.{p}" if path else p)
    if dataclasses.is_dataclass(result):
        for f in dataclasses.fields(result):
            yield from non_finite(getattr(result, f.name), join(f.name), seen)
        for name, attr in inspect.getmembers(type(result), lambda a: isinstance(a, property)):
            if name.startswith("_"):
                continue
            try:
                value = getattr(result, name)
            except Exception as exc:  # noqa: BLE001 - a property that raises is a finding
                yield join(name), exc
                continue
            yield from non_finite(value, join(name), seen)
    elif isinstance(result, Mapping):
        for k, v in result.items():
            yield from non_finite(v, join(str(k)), seen)
    elif isinstance(result, (list, tuple, set, frozenset)):
        for i, v in enumerate(result):
            yield from non_finite(v, join(str(i)), seen)


def _allowed(name: str, path: str, value: object) -> bool:
    if not isinstance(value, float) or math.isnan(value):
        return False
    return any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(path, p + ".*") or p == ""
               for p in DOCUMENTED_INFINITY.get(name, {}))


def check_call(name: str, kwargs: dict, label: str = "") -> str | None:
    """Call `name` with `kwargs`; return a finding (text) unless it raised the house error or returned finite."""
    where = f"{name}({label}={kwargs.get(label.split('[')[0], '…')!r})" if label else name
    try:
        result = _materialise(FUNCTIONS[name](**kwargs))
    except EngineInputError as exc:
        return None if ERROR_FORM.match(str(exc)) else f"{where}: error not in the house form: {exc}"
    except Exception as exc:  # noqa: BLE001 - every other exception type is the finding
        return f"{where}: {type(exc).__name__}: {exc}"
    bad = [(p, v) for p, v in non_finite(result) if not _allowed(name, p, v)]
    if bad:
        return f"{where}: non-finite result " + ", ".join(f"{p or 'result'}={v!r}" for p, v in bad[:4])
    return None


# --- tests -------------------------------------------------------------------------------------------------------


def test_discovery_finds_every_engine_module():
    """Discovery reaches every solver and registry module with public functions (and skips the error helpers)."""
    modules = {n.rsplit(".", 1)[0] for n in FUNCTIONS}
    assert {"engine.memory", "engine.serving", "engine.capstone", "engine.registry.hardware"} <= modules
    assert not any(n.startswith("engine.errors.") for n in FUNCTIONS)
    assert len(FUNCTIONS) >= 200


def test_tables_name_only_real_functions_and_arguments():
    """Every table entry names a discovered function and a real parameter of it (no stale rows)."""
    stale = [n for n in (*KNOWN_GOOD, *DOCUMENTED_INFINITY) if n not in FUNCTIONS]
    stale += [f"{n}.{a}" for n, a in ACCEPTS_ZERO_OR_NEGATIVE
              if n not in FUNCTIONS or a not in inspect.signature(FUNCTIONS[n]).parameters]
    assert [] == stale


def test_a_new_function_without_a_known_good_call_fails(monkeypatch):
    """A public function the heuristic cannot call and the table does not list fails its test, never skips."""
    def new_solver(context: str, tokens: int) -> float:
        return float(tokens)

    monkeypatch.setitem(FUNCTIONS, "engine.latency.new_solver", new_solver)
    with pytest.raises(pytest.fail.Exception, match="no known-good call"):
        known_good_calls("engine.latency.new_solver")


def test_documented_exceptions_are_in_the_docstrings():
    """Each argument recorded as taking zero or negatives is named in its function's docstring, which says so."""
    undocumented = [f"{n}.{a}" for n, a in ACCEPTS_ZERO_OR_NEGATIVE
                    if n in FUNCTIONS and "negative" not in (FUNCTIONS[n].__doc__ or "")]
    assert [] == undocumented


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_known_good_call_is_finite(name):
    """The function's known-good call(s) succeed and return finite results."""
    findings = [f for kwargs in known_good_calls(name) if (f := check_call(name, kwargs))]
    assert [] == findings


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_hostile_values_raise_the_house_error_or_stay_finite(name):
    """NaN, ±∞, −1, 0, True and "3" in each numeric slot: EngineInputError in the house form, or a finite result."""
    fn = FUNCTIONS[name]
    findings = []
    for kwargs in known_good_calls(name):
        for label, substitute in hostile_sites(fn, kwargs):
            for value in HOSTILE:
                finding = check_call(name, substitute(value), label)
                if finding:
                    findings.append(f"{finding} [{label}={value!r}]")
    assert [] == findings


def test_negatives_accepted_only_where_documented():
    """A −1 that a function accepts silently is an argument recorded (with its reason) as taking negatives."""
    silent = []
    for name, fn in FUNCTIONS.items():
        for kwargs in known_good_calls(name):
            for label, substitute in hostile_sites(fn, kwargs):
                if (name, label.split("[")[0]) in ACCEPTS_ZERO_OR_NEGATIVE:
                    continue
                try:
                    fn(**substitute(-1))
                except Exception:  # noqa: BLE001 - rejection (of any kind) is what this test wants
                    continue
                silent.append(f"{name}({label}=-1)")
    assert [] == silent


# Any float, NaN and ±∞ included, at physical magnitudes: a positive 1e-300 divides to an honest overflow, which
# is not the hostile input this test is about (the tolerance test below covers the one place tiny values hang).
_FLOATS = st.one_of(st.sampled_from([NAN, INF, -INF, 0.0, -0.0, -1.0]),
                    st.floats(min_value=-1e3, max_value=1e3).filter(lambda x: x == 0 or abs(x) >= 1e-6))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_any_float_in_one_slot_is_rejected_or_finite(name, data):
    """Hypothesis: any float (NaN and ±∞ included) in one numeric slot gives the house error or a finite result."""
    fn = FUNCTIONS[name]
    calls = known_good_calls(name)
    kwargs = data.draw(st.sampled_from(calls), label="call")
    sites = hostile_sites(fn, kwargs)
    if not sites:
        return
    label, substitute = data.draw(st.sampled_from(sites), label="slot")
    value = data.draw(_FLOATS, label="value")
    assert check_call(name, substitute(value), label) is None


@pytest.mark.parametrize("name", ["mmc_response_quantile_tol", "admission_cap_by_tail"])
def test_tolerances_below_double_precision_are_rejected(name):
    """A positive rel_tol below double precision would bisect forever; it is rejected in the house form."""
    kwargs = {**KNOWN_GOOD[f"engine.serving.{name}"], "rel_tol": 1e-300}
    with pytest.raises(EngineInputError, match=ERROR_FORM):
        FUNCTIONS[f"engine.serving.{name}"](**kwargs)


def test_score_thresholds_beyond_eight_sigma_are_rejected():
    """Beyond 8σ group A's false-accept rate rounds to 0 and the harm ratio has no value: rejected, not divided."""
    with pytest.raises(EngineInputError, match=ERROR_FORM):
        FUNCTIONS["engine.responsible.policy_guardrails"](threshold_a=9.0)
