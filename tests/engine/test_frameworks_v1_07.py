"""engine.frameworks additions for v1-07: the gpt-fast calibration constants (cited) and the check they feed.

Expected values are the PyTorch blog's published rates and the spec's hand arithmetic; the tolerance is stated.
"""

from __future__ import annotations

import math

from engine.frameworks import CITED, fuse_graph, op_graph, step_time
from engine.provenance import Kind
from engine.registry import sources as S


def test_gpt_fast_constants_are_cited():
    """The two fitted knobs are assumptions and the two published rates are measurements, all from the blog."""
    assert CITED["gpt_fast_t_dispatch_s"].kind is Kind.ASSUMED
    assert CITED["gpt_fast_bandwidth_efficiency"].kind is Kind.ASSUMED
    assert CITED["gpt_fast_eager_tokens_per_s"].kind is Kind.MEASURED
    assert CITED["gpt_fast_compiled_tokens_per_s"].kind is Kind.MEASURED
    for key in ("gpt_fast_t_dispatch_s", "gpt_fast_bandwidth_efficiency", "gpt_fast_eager_tokens_per_s",
                "gpt_fast_compiled_tokens_per_s"):
        assert CITED[key].source is S.GPT_FAST_BLOG


def test_gpt_fast_constants_in_base_units():
    """32 µs is 3.2e-5 s; 74 % is 0.74; the published rates are 25.5 and 107.0 tokens/s."""
    assert math.isclose(CITED["gpt_fast_t_dispatch_s"].value, 32e-6, rel_tol=1e-12)
    assert CITED["gpt_fast_bandwidth_efficiency"].value == 0.74
    assert CITED["gpt_fast_eager_tokens_per_s"].value == 25.5
    assert CITED["gpt_fast_compiled_tokens_per_s"].value == 107.0


def test_gpt_fast_check_reproduces_published_rates_within_2_percent():
    """7B on A100 (2,039 GB/s × 0.74): eager 1 / (1,221 × 32 µs) = 25.6 tokens/s; compiled
    1 / (324 × 0.875 µs + 13,476,831,232 / 1.50886e12) = 108.5 tokens/s; published 25.5 and 107.0 (within 2 %)."""
    graph = op_graph(32, "llm7b")
    assert (graph.eager_ops, graph.fused_ops) == (38 * 32 + 5, 10 * 32 + 4)
    bw = 2039e9 * 0.74
    w = 6_738_415_616 * 2
    eager = step_time(fuse_graph(graph, False, False, t_dispatch_s=32e-6), w, bw).total_s
    compiled = step_time(fuse_graph(graph, True, True, t_graph_s=8e-6), w, bw).total_s
    assert math.isclose(eager, 1221 * 32e-6, rel_tol=1e-12)
    assert math.isclose(compiled, 324 * 0.875e-6 + w / bw, rel_tol=1e-12)
    assert math.isclose(1 / eager, 25.5, rel_tol=0.02)
    assert math.isclose(1 / compiled, 107.0, rel_tol=0.02)
