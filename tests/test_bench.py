"""The bench cannot rot unseen: a 10k-row run of its generator (valid, faulty and adversarial) through the gate,
in process, asserting that the gate finds exactly the faults the generator made, rule by rule. No figure of time or
memory is asserted here (those are `make bench`'s, in docs/benchmarks.md)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import ROOT

from build_report import bench, validate
from build_report.package import Package


@pytest.mark.parametrize(
    "kind, rate, spans", [("valid", 0.0, True), ("faulty", 0.01, True), ("adversarial", 0.0, False)]
)
def test_bench_package_gives_exactly_its_faults(tmp_path, kind, rate, spans):
    made = bench.make_package(Package.load(ROOT), tmp_path / kind, 10_000, rate, spans=spans)
    assert made["rows"] >= 9_000
    assert (made["faults"] > 0) == (kind != "valid")
    failures = validate.run(Package.load(tmp_path / kind, strict=False))
    found = Counter(f.rule for f in failures)
    assert found == Counter(made["expected"]), "\n".join(f.line() for f in failures[:20])
