"""Each experiment is computed once per change of its code, across processes: the build's
renders, the tests and the notebook kernels read one cached result (snippets/experiments,
sitebuild/cache.py). Oracles: a log line per computation (VG_EXPERIMENT_LOG), the result
recomputed from scratch, and the cache's own digests."""

import logging
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sitebuild import cache

EXPERIMENT = textwrap.dedent('''
    import time

    import numpy as np

    from snippets.core.statistics import spawn_generators
    from snippets.experiments import experiment

    SEED = 3


    @experiment
    def draws():
        time.sleep(1.0)  # long enough for two processes to overlap
        return {"x": np.stack([rng.normal(size=4) for rng in spawn_generators(SEED, 3)])}

''')


@pytest.fixture
def module(tmp_path):
    """A throwaway experiment module (a name of this run's own), its cache and its log."""
    name = f"throwaway_experiment_{os.getpid()}"
    (tmp_path / f"{name}.py").write_text(EXPERIMENT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path), VG_CACHE=str(tmp_path / "cache"),
               VG_EXPERIMENT_LOG=str(tmp_path / "computed.log"))
    return name, tmp_path, env


def _start(name, env, function="draws"):
    code = (f"import pickle, sys; from {name} import {function}; "
            f"sys.stdout.buffer.write(pickle.dumps({function}()))")
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _finish(process):
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    return pickle.loads(out)


def _computations(folder):
    log = folder / "computed.log"
    return log.read_text().splitlines() if log.exists() else []


def _expected():
    from snippets.core.statistics import spawn_generators
    return np.stack([rng.normal(size=4) for rng in spawn_generators(3, 3)])


def test_two_processes_at_once_compute_it_once_and_a_third_reads_it(module):
    name, folder, env = module
    first, second = _start(name, env), _start(name, env)
    results = [_finish(first), _finish(second)]
    assert len(_computations(folder)) == 1  # the second waited for the first's result
    third = _finish(_start(name, env))
    assert len(_computations(folder)) == 1
    for result in (*results, third):
        np.testing.assert_array_equal(result["x"], _expected())  # recomputed independently


def test_a_corrupt_result_is_computed_again_and_said_so(module, monkeypatch, caplog):
    name, folder, env = module
    _finish(_start(name, env))
    [entry] = (folder / "cache" / "experiments").glob(f"{name}.draws-*")
    store = cache.Store("experiments", folder=folder / "cache" / "experiments")
    assert store.verified(entry)
    result = entry / "result.pickle"
    result.write_bytes(result.read_bytes()[:-7])  # truncated, as by a full disk
    assert not store.verified(entry)
    again = _start(name, env)
    np.testing.assert_array_equal(_finish(again)["x"], _expected())
    assert len(_computations(folder)) == 2
    assert store.verified(entry)
    # The notice is INFO (a --strict build must not fail for a repaired cache).
    monkeypatch.setenv("VG_CACHE", str(folder / "cache"))
    result.write_bytes(b"not a pickle")
    with caplog.at_level(logging.INFO):
        assert store.usable(entry, logging.getLogger("test")) is False
    assert [record.levelname for record in caplog.records] == ["INFO"]
    assert "corrupt or incomplete" in caplog.text and not entry.exists()


def test_an_edit_to_the_experiment_or_what_it_imports_changes_its_key(module):
    name, folder, _ = module
    source = folder / f"{name}.py"
    before = cache.content_key(cache.relative_dependencies(source))
    assert "snippets/core/statistics.py" in cache.relative_dependencies(source)
    source.write_text(source.read_text() + "\n# an edit\n")
    assert cache.content_key(cache.relative_dependencies(source)) != before
