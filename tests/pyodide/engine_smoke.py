"""Stdlib-only known-answer suite for the engine; runs in CPython and inside Pyodide (tests/pyodide/run_engine.mjs)."""

import importlib
import math
import unittest

MODULES = (
    "engine.errors", "engine.units", "engine.provenance", "engine.memory", "engine.latency", "engine.roofline",
    "engine.compression", "engine.frameworks", "engine.training", "engine.data", "engine.economics",
    "engine.serving", "engine.ops", "engine.responsible", "engine.workflow", "engine.sustainability",
    "engine.capstone", "engine.registry.sources", "engine.registry.hardware", "engine.registry.models",
    "engine.registry.infrastructure", "engine.registry.quality", "engine.registry.datasets", "engine.registry.catalog",
)


class ImportsAndCatalogue(unittest.TestCase):
    def test_every_module_imports(self):
        """Every engine module imports with the standard library only."""
        for name in MODULES:
            importlib.import_module(name)

    def test_catalogue_complete(self):
        """No uncited registry number; every row has a kind."""
        from engine.registry import catalog

        self.assertEqual(catalog.uncited_numbers(), [])
        rows = catalog.all_citations()
        self.assertGreater(len(rows), 500)
        self.assertTrue(all(r["kind"] in ("spec", "derived", "measured", "assumed") for r in rows))
        self.assertGreater(len(catalog.function_sources()), 100)


class KnownAnswers(unittest.TestCase):
    def test_v1_00_stream_time(self):
        """1e9 × 16/8 B / 51.2e9 B/s = 39.0625 ms."""
        from engine.latency import stream_time
        from engine.memory import weight_bytes

        self.assertAlmostEqual(stream_time(weight_bytes(1e9, 16), 51.2e9), 2.0e9 / 51.2e9)

    def test_v1_02_iron_law(self):
        """T = 8.178e9/(989e12·0.5) + 107.92e6/3.35e12 + 49 µs ≈ 97.75 µs."""
        from engine.latency import iron_law

        t = iron_law(2 * 4_089_184_256, 989e12, 0.5, (25_557_032 + 28_404_712) * 2, 3.35e12, 49e-6).total_s
        self.assertAlmostEqual(t * 1e6, 97.75, delta=0.01)

    def test_v1_03_rework(self):
        """R(5)/R(1) = 80/5 = 16."""
        from engine.workflow import rework_cost

        self.assertEqual(rework_cost(5).multiplier, 16)

    def test_v1_05_max_batch(self):
        """⌊(50e6 − 1,179,808)/81,920⌋ = 595."""
        from engine.memory import max_batch_in_budget

        self.assertEqual(max_batch_in_budget(4096, 8, 16, "sigmoid", 50e6), 595)

    def test_v1_06_context(self):
        """Naive attention caps the cloud context at 28,403 tokens."""
        from engine.memory import max_context_length

        self.assertEqual(max_context_length(80e9, 6_738_415_616 * 2, 524_288, 64), 28_403)

    def test_v1_07_compile(self):
        """Eager 2,940 µs ÷ compiled 172.59 µs = 17.03×."""
        from engine import frameworks as F

        g = F.op_graph(12)
        b = F.gpt2_decode_bytes(1024)
        e = F.step_time(F.fuse_graph(g, False, False), b, 3.35e12).total_s
        c = F.step_time(F.fuse_graph(g, True, True), b, 3.35e12).total_s
        self.assertAlmostEqual(e / c, 17.03, delta=0.01)

    def test_v1_08_states(self):
        """7e9 × 16 B = 112 GB; ZeRO-1 on 8 GPUs 38.5 GB."""
        from engine.memory import model_state_bytes, shard_states

        self.assertEqual(model_state_bytes(7e9).total_bytes, 112e9)
        self.assertEqual(shard_states(7e9, 8, 1).total_bytes, 38.5e9)

    def test_v1_11_roofline(self):
        """90,207,744 B / 3.35e12 = 26.93 µs; ridge 989e12/3.35e12 ≈ 295."""
        from engine.roofline import gemm_time, ridge_point

        self.assertAlmostEqual(gemm_time(1, 4096, 11008, 2, 989e12, 3.35e12).total_s, 90_207_744 / 3.35e12)
        self.assertAlmostEqual(ridge_point(989e12, 3.35e12), 295.22, delta=0.01)

    def test_v1_12_amdahl_gustafson(self):
        """Amdahl 19.64× and Gustafson 972.85× at 1,024 lanes."""
        from engine.latency import amdahl_speedup, gustafson_speedup

        self.assertAlmostEqual(amdahl_speedup(0.05, 1024), 19.64, delta=0.005)
        self.assertAlmostEqual(gustafson_speedup(0.05, 1024), 972.85)

    def test_v1_13_queues(self):
        """M/M/1 at 0.8: 5S; Erlang C c = 4: 0.596; p99 c = 4, 150 req/s: 120.1 ms."""
        from engine import serving

        self.assertAlmostEqual(serving.mm1_response_time(0.8, 1.0).response_s, 5.0)
        self.assertAlmostEqual(serving.mmc(3.2, 1.0, 4).p_wait, 0.596, delta=0.0005)
        self.assertAlmostEqual(serving.mmc_response_quantile(150, 0.02, 4) * 1e3, 120.1, delta=0.05)
        self.assertTrue(math.isinf(serving.mm1_response_time(1.2, 0.02).wait_s))

    def test_v1_14_sample_size(self):
        """n(0.932, 0.902) = 615 and the source-share alarm fires on day 2."""
        from engine import ops

        self.assertEqual(ops.sample_size_one_proportion(0.932, 0.902), 615)
        self.assertEqual(ops.detection_day("source_share", 0.1, 5), 2)

    def test_v1_15_gap(self):
        """Φ(−0.2) − Φ(−1.0) = 26.2 points."""
        from engine.responsible import binormal_rates

        gap = binormal_rates(2.0, 2.2).frr - binormal_rates(2.0, 3.0).frr
        self.assertAlmostEqual(gap * 100, 26.2, delta=0.05)

    def test_v1_16_binding(self):
        """The preset design is bound by serving memory at 4.73×."""
        from engine.capstone import Design, replay

        a = replay(Design())
        self.assertEqual(a.bound, "G2")
        self.assertAlmostEqual(a.binding.ratio, 4.728, delta=0.001)

    def test_training_and_carbon(self):
        """6·175e9·300e9 = 3.15e23; GPT-3 energy 10,000·14.8·24 h·330 W·1.1 ≈ 1,289 MWh."""
        from engine.sustainability import training_energy
        from engine.training import training_flop

        self.assertEqual(training_flop(175e9, 300e9), 6 * 175e9 * 300e9)
        self.assertAlmostEqual(training_energy(10000 * 14.8 * 24, 330, 1.1).total_energy_j / 3.6e9, 1289.3, delta=0.1)

    def test_error_form(self):
        """Bad arguments raise the one error form."""
        from engine.errors import EngineInputError
        from engine.memory import kv_cache_bytes

        with self.assertRaisesRegex(EngineInputError, "`layers` must be a positive number"):
            kv_cache_bytes(-1, 8, 128, 16, 1)


if __name__ == "__main__":
    unittest.main()
