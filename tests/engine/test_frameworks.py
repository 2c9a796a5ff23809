"""engine.frameworks: op graphs, execution modes, host/device step time, compile break-even."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import frameworks as F

B = 2 * (85_054_464 + 38_597_376 + 1_536 + 1_536) + 2 * 12 * 1024 * 768 * 2


def test_op_graph_gpt2_and_7b():
    """v1-07: 24·12 + 6 = 294 eager and 8·12 + 4 = 100 fused; 7B-class 38·32 + 5 = 1,221 and 10·32 + 4 = 324."""
    assert F.op_graph(12) == F.OpGraph(294, 100)
    assert F.op_graph(32, "llm7b") == F.OpGraph(1221, 324)


def test_gpt2_bytes_per_token():
    """v1-07: 247,309,824 + 37,748,736 = 285,058,560 B."""
    assert F.gpt2_decode_bytes(1024) == B == 285_058_560


def test_eager_vs_compiled_cloud_17x():
    """v1-07 A: eager max(2,940, 342.34) = 2,940 µs; compiled 100·0.875 + 85.09 = 172.59 µs; 17.03×."""
    g = F.op_graph(12)
    eager = F.step_time(F.fuse_graph(g, False, False), B, 3.35e12)
    comp = F.step_time(F.fuse_graph(g, True, True), B, 3.35e12)
    assert eager.total_s == pytest.approx(294 * 10e-6)
    assert comp.total_s == pytest.approx(100 * 0.875e-6 + B / 3.35e12)
    assert eager.total_s / comp.total_s == pytest.approx(17.03, abs=0.01)
    assert eager.bound == "host" and comp.bound == "device"
    assert eager.device_idle_fraction == pytest.approx(1 - (294 * 0.875e-6 + B / 3.35e12) / 2940e-6)


def test_graph_only_vs_fusion_only():
    """v1-07 B: graphs alone 2,940/342.34 = 8.59×; fusion alone 2,940/500 = 5.88×."""
    g = F.op_graph(12)
    eager = F.step_time(F.fuse_graph(g, False, False), B, 3.35e12).total_s
    graphs = F.step_time(F.fuse_graph(g, False, True), B, 3.35e12).total_s
    fusion = F.step_time(F.fuse_graph(g, True, False), B, 3.35e12).total_s
    assert eager / graphs == pytest.approx(2940 / (294 * 0.875 + B / 3.35e12 * 1e6))
    assert eager / fusion == pytest.approx(2940 / 500)


def test_mobile_compile_barely_helps():
    """v1-07 C: mobile eager max(4,410, 5,824.80) vs compiled 5,655.05 µs → 1.03×."""
    g = F.op_graph(12)
    eager = F.step_time(F.fuse_graph(g, False, False, t_dispatch_s=15e-6), B, 51.2e9)
    comp = F.step_time(F.fuse_graph(g, True, True), B, 51.2e9)
    assert eager.total_s * 1e6 == pytest.approx(294 * 0.875 + B / 51.2e9 * 1e6)
    assert eager.total_s / comp.total_s == pytest.approx(1.03, abs=0.005)


def test_compile_break_even():
    """v1-07 D: 45 / (2,940 − 172.59) µs = 16,261 tokens per bucket; 65,043 for four."""
    saving = 2940e-6 - (100 * 0.875e-6 + B / 3.35e12)
    be = F.compile_break_even(2940e-6, 2940e-6 - saving, 45, 1)
    assert be.tokens == pytest.approx(45 / saving)
    assert round(be.tokens) == 16_261
    four = F.compile_break_even(2940e-6, 2940e-6 - saving, 45, 4, tokens_per_day=5000)
    assert round(four.tokens) == 65_043
    assert not four.amortised and "never pays" in four.message()


def test_break_even_infinite_when_not_faster():
    """A compiled step that is not faster never pays back."""
    assert F.compile_break_even(1e-3, 2e-3).tokens == float("inf")


@given(st.floats(1e-7, 1e-4), st.floats(1e-8, 1e-5), st.floats(1e6, 1e10), st.floats(1e10, 1e13))
def test_step_time_is_max_of_lanes(td, tg, nbytes, bw):
    """Step time equals the slower lane; fusion + graphs is never slower than eager."""
    g = F.op_graph(12)
    e = F.step_time(F.fuse_graph(g, False, False, t_dispatch_s=td), nbytes, bw, tg)
    c = F.step_time(F.fuse_graph(g, True, True, t_dispatch_s=td, t_graph_s=min(td, 8e-6)), nbytes, bw, tg)
    assert e.total_s == max(e.host_s, e.device_s)
    assert c.total_s <= e.total_s * (1 + 1e-12)
