"""`make bench` must keep working: a benchmark nobody can run is how a build-time regression
went unnoticed. The smoke run takes every measurement once, on the checkout's warm caches."""

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.site  # it builds the site (twice)
def test_the_benchmark_runs_and_prints_every_measurement(built_site):
    done = subprocess.run([sys.executable, "scripts/benchmark.py", "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    warm = float(re.search(r"^warm build .*?([\d.]+) s", out, re.MULTILINE).group(1))
    floor = float(re.search(r"^floor .*?([\d.]+) s", out, re.MULTILINE).group(1))
    assert warm > 0 and floor > 0
    assert re.search(r"^notebooks executed alone", out, re.MULTILINE)
    assert re.search(r"^  snippets\.figures\.\S+ +[\d.]+ s +[\d.]+ s$", out, re.MULTILINE)


def test_the_benchmark_refuses_a_bad_repeat_count():
    done = subprocess.run([sys.executable, "scripts/benchmark.py", "--repeats", "0"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--repeats must be from 1 to 20" in done.stderr
