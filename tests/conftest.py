"""Shared fixtures, and the two tiers of the suite.

`make test` (the everyday loop) runs the tests that need neither a built site nor a browser:
``-m "not site"``. `make check` runs everything. A test is in the ``site`` tier when it uses a
fixture that builds the site, executes the notebooks or drives Chromium (``SITE_FIXTURES``), or
is marked ``site`` itself (a test that starts a build of its own)."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles: "full" is loaded here, so a bare `pytest` (and `make check`) is the
# thorough run; `make test` passes --hypothesis-profile=fast for fewer generated examples. A
# test's own @settings(max_examples=...) still wins over both.
settings.register_profile("full", max_examples=12, derandomize=True, database=None)
settings.register_profile("fast", max_examples=3, derandomize=True, database=None)
settings.load_profile("full")

# One BLAS thread, as in the build's render processes: the networks here are small, and with
# several threads per process a loaded 2-core machine ran the experiments up to 6× slower.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

ROOT = Path(__file__).resolve().parent.parent


# Fixtures that build the site, execute notebooks or start Chromium: a test that uses one
# (directly or through another fixture) is in the `site` tier.
SITE_FIXTURES = {"built_site", "rebuilt_site", "hosted_site", "run_notebook", "chromium",
                 "visit", "base_url", "figure_cache_dir", "clean_and_hostile_builds"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())) or \
                item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.site)


def mkdocs_build(destination, config="mkdocs.yml", env_extra=None):
    """Run `mkdocs build --strict`; returns the CompletedProcess (output in .stdout)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                           "-d", str(destination)], cwd=ROOT, env=env, capture_output=True,
                          text=True)


def config_with(tmp_path, page_text):
    """A copy of mkdocs.yml whose docs folder holds one page with ``page_text`` (and the
    site's assets; no bibliography or ledger pages)."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    (docs / "index.md").write_text(page_text)
    return config_for(docs, tmp_path, keep_nav=False)


def config_for(docs, folder, keep_nav=True):
    """A copy of mkdocs.yml in ``folder`` that builds the docs folder ``docs`` (its nav kept
    when the folder is a copy of the whole docs)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    # Relative paths that only make sense beside mkdocs.yml (the nav's: beside docs/).
    for block in ("watch",) if keep_nav else ("nav", "watch"):
        config = re.sub(rf"\n{block}:\n(  .*\n?)*", "\n", config)
    path = folder / "mkdocs.yml"
    path.write_text(config + f"\ndocs_dir: {docs}\n", encoding="utf-8")
    return path


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def site_port():
    return _free_port()


@pytest.fixture(scope="session")
def figure_cache_dir():
    """The figure cache the site builds of this session use: the checkout's own (.cache/ or
    VG_CACHE), shared with `make build` and with the experiments the tests already ran, so
    that nothing is computed twice. It is content-keyed and verified, never trusted blindly."""
    from sitebuild import figure_cache
    return figure_cache.CACHE


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port, figure_cache_dir):
    """The site built once, strictly, with site_url on the port the browser tests serve it on
    (Material's instant navigation only intercepts links on that exact origin)."""
    destination = tmp_path_factory.mktemp("site")
    result = mkdocs_build(destination, env_extra={"SITE_URL": f"http://127.0.0.1:{site_port}/"})
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}"
    return destination


@pytest.fixture(scope="session")
def rebuilt_site(tmp_path_factory, site_port, built_site):
    """The same site built a second time, exactly as built_site was (figures now cached):
    (destination, the build's CompletedProcess)."""
    destination = tmp_path_factory.mktemp("site-again")
    result = mkdocs_build(destination, env_extra={"SITE_URL": f"http://127.0.0.1:{site_port}/"})
    assert result.returncode == 0, f"second build failed:\n{result.stdout}{result.stderr}"
    return destination, result


HOSTED_PATH = "vanishing-gradients/"  # a project site lives under a sub-path, as on GitHub Pages
HOSTED_REPOSITORY = "https://github.com/example/vanishing-gradients"


@pytest.fixture(scope="session")
def hosted_site(tmp_path_factory, built_site):
    """The site as the deploy workflow builds it, for a sub-path address with a repository
    link: (folder to serve, the built site inside it, its site_url)."""
    root = tmp_path_factory.mktemp("hosted")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{HOSTED_PATH}"
    result = mkdocs_build(root / HOSTED_PATH, env_extra={
        "SITE_URL": url, "REPO_URL": HOSTED_REPOSITORY, "REPO_NAME": "example/vanishing-gradients"})
    assert result.returncode == 0, f"hosted build failed:\n{result.stdout}{result.stderr}"
    return root, root / HOSTED_PATH, url


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole test run (each test opens its own context)."""
    from scripts.browser import browser
    with browser() as instance:
        yield instance


# ---------------------------------------------------------------------------- mutation testing
# Under `make mutate` mutmut forks a process per mutant from one that has run the suite
# unmutated, and names the mutant in MUTANT_UNDER_TEST (it picks the mutated code at call time).
# Both of an experiment's caches would hide the mutant: the forked process inherits the
# unmutated results kept in memory, and the on-disk key hashes the experiment's source file,
# which is the same file (every mutant in it) for all mutants. So under a mutant, experiments
# compute afresh into a cache of the process's own, and in mutmut's "stats" run — which traces
# which tests reach which function — afresh for every test, so that each test that reads an
# experiment is traced to the code inside it, not only the first.
@contextlib.contextmanager
def _computing_afresh(cache_folder):
    """Experiments computed afresh into ``cache_folder`` (VG_CACHE restored afterwards)."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("snippets", "tests"):  # tests: fuzz() keeps its records
            for value in list(vars(module).values()):
                if callable(value) and hasattr(value, "cache_clear"):
                    value.cache_clear()
    before = os.environ.get("VG_CACHE")
    os.environ["VG_CACHE"] = str(cache_folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("VG_CACHE", None)
        else:
            os.environ["VG_CACHE"] = before


@pytest.fixture(scope="session", autouse=True)
def mutation_isolation(tmp_path_factory):
    if os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats", "fail"):
        yield
    else:
        with _computing_afresh(tmp_path_factory.mktemp("mutant-cache")):
            yield


@pytest.fixture(autouse=True)
def mutation_stats_isolation(tmp_path_factory):
    if os.environ.get("MUTANT_UNDER_TEST", "") != "stats":
        yield
    else:
        with _computing_afresh(tmp_path_factory.mktemp("stats-cache")):
            yield
