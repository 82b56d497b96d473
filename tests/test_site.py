"""The built site: strict build, figures present, nothing loaded from outside, markers expanded,
the cache doing its job."""

import contextlib
import gzip
import html
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import numpy as np
import pytest
import yaml

from sitebuild import cache, figure_cache, markers
from snippets.core import mean_field
from snippets.experiments.edge_of_chaos import explorer
from tests.conftest import ROOT, _free_port, config_with, mkdocs_build


class _References(HTMLParser):
    """Collects every URL a page would load or link to, with its tag."""

    LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"),
               ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
               ("object", "data"), ("image", "href"), ("use", "href")}

    def __init__(self):
        super().__init__()
        self.loads, self.images = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (tag, name) in self.LOADING:
                self.loads.append((tag, value))
                if tag == "img":
                    self.images.append(value)


def _pages(site):
    return sorted(site.rglob("*.html"))


def _references(page):
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_built(built_site):
    for path in ("index.html", "chapters/why-relu-works/index.html",
                 "chapters/vanishing-gradient-problem/index.html", "claims/index.html",
                 "assets/mathjax-svg.css"):
        assert (built_site / path).is_file(), path


def test_every_figure_a_page_references_exists(built_site):
    checked = 0
    for page in _pages(built_site):
        base = "/" + page.relative_to(built_site).as_posix()
        for source in _references(page).images:
            if source.startswith("data:"):  # a notebook's plot, inside the page itself
                continue
            target = urlparse(urljoin(base, source)).path.lstrip("/")
            assert (built_site / target).is_file(), f"{page}: missing image {source}"
            checked += 1
    chapter = built_site / "chapters/why-relu-works/index.html"
    figures = re.findall(r'src="([^"]+\.svg)#only-(light|dark)"', chapter.read_text())
    assert len(figures) == 12  # six figures, two palettes each
    assert checked >= 12


def test_no_reference_to_anything_outside_the_site(built_site):
    outside = re.compile(r"^(https?:)?//", re.IGNORECASE)
    for page in _pages(built_site):
        for tag, url in _references(page).loads:
            if tag == "link" and "canonical" in url:
                continue
            host = urlparse(url).hostname
            assert not outside.match(url) or host == "127.0.0.1", f"{page}: {tag} loads {url}"
    # Stylesheets and scripts must not pull fonts or styles from elsewhere either.
    for asset in list(built_site.rglob("*.css")) + list(built_site.rglob("*.js")):
        text = asset.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?(https?://[^)'\"]+)", text):
            pytest.fail(f"{asset}: loads {url}")
        assert "fonts.googleapis.com" not in text or asset.name.startswith("bundle"), asset


def test_canonical_links_point_at_the_site_itself(built_site):
    html = (built_site / "index.html").read_text()
    for url in re.findall(r'<link rel="canonical" href="([^"]+)"', html):
        assert urlparse(url).hostname == "127.0.0.1"


def test_no_marker_or_raw_include_left_unexpanded(built_site):
    for page in _pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert "[[figure:" not in text and "[[value:" not in text and "[[claim:" not in text, page
        assert "--8<--" not in text, f"{page}: an include was not expanded"


def test_code_behind_figures_is_the_tested_source(built_site):
    # The block links the file it is fetched from (sitebuild/listings.py), beside the page.
    page = (built_site / "chapters/why-relu-works/index.html").read_text()
    block = re.search(r"<summary>Code behind figure 1\.3</summary>.*?</details>", page,
                      re.DOTALL).group(0)
    listing = re.search(r'<a href="(code-behind-figure-1-3\.html)">', block).group(1)
    text = "Code behind figure 1.3\n" + html.unescape(re.sub(
        r"<[^>]+>", "", (built_site / "chapters/why-relu-works" / listing).read_text()))
    from sitebuild.html_passes import source_without_mutation_notes

    source = (ROOT / "snippets/core/gradient_chain.py").read_text()
    section = source.split("--8<-- [start:chain_gradient_ratios]")[1].split("# --8<-- [end:")[0]
    section = source_without_mutation_notes(section)  # maintainers' notes stay in the source
    lines = [line.strip() for line in section.splitlines()[1:] if line.strip()]
    assert len(lines) > 10 and "Code behind figure 1.3" in text
    for line in lines:  # every line of the tested function is shown, verbatim
        assert line in text, line


def test_quoted_numbers_come_from_the_snippets(built_site):
    html = (built_site / "chapters/why-relu-works/index.html").read_text()
    # 0.25^10 = 2^-20, formatted with three significant digits.
    assert "9.54 × 10⁻⁷" in html
    assert "…" not in re.sub(r"<[^>]+>", "", html.split("References")[0]).replace("\\dots", "")


@pytest.mark.parametrize("marker, message", [
    ("[[figure: no-such-figure]]", "line 3: unknown figure 'no-such-figure'"),
    ("[[value: no-such-value]]", "line 3: unknown quoted value 'no-such-value'"),
    ("[[claim: no-such-claim]]", "line 3: unknown claim 'no-such-claim'"),
    ("[[ figure: known ]]", "line 3: malformed marker"),
    ("[[Figure: known]]", "line 3: malformed marker"),
    ("[[figures: known]]", "line 3: malformed marker"),
    ("Text [[figure: known]]", "line 3: malformed marker"),
    ("[[claim:known]]", "line 3: malformed marker"),
    ("[[figure: known]", "line 3: malformed marker"),
    ("[[value: known]", "line 3: malformed marker"),
    ("Text [[value: known] more", "line 3: malformed marker"),
    ("[figure: known]]", "line 3: malformed marker"),
    ("[[\u200bfigure: known]]", "line 3: malformed marker"),
    ("[[figure\u200b: known]]", "line 3: malformed marker"),
    ("[[figure:\u00a0known]]", "line 3: malformed marker"),
    ("[[figure: known]]\n\n[[figure: known]]", "line 5: figure 'known' is already shown on "
                                                "line 3"),
    ("```\n[[figure: known]]\n```\n\n[[value: nope]]", "line 7: unknown quoted value"),
])
def test_unknown_or_malformed_markers_are_errors_naming_page_and_line(marker, message):
    def claim_text(claim_id):
        raise KeyError(f"unknown claim '{claim_id}' (not in claims.yml)")

    figures = {"known": ({"alt": "a", "caption": "c", "code": [],
                          "sizes": {"narrow": (1, 1), "wide": (1, 1)}}, lambda name: name)}
    with pytest.raises(markers.MarkerError, match=re.escape(f"page.md, {message}")):
        markers.expand(f"# Test\n\n{marker}\n", "page.md", 1, figures, {}, claim_text)


@pytest.mark.parametrize("code", ["```\n[[figure: known]]\n```", "~~~~ text\n[[value: x]]\n~~~~",
                                  "    ```python\n    [[claim: x]]\n    ```",
                                  "Write `[[value: x]]` in a sentence, or ``[[figure: x]``."])
def test_a_marker_in_code_is_shown_as_written(code):
    page = f"# Test\n\n{code}\n"
    assert markers.expand(page, "page.md", 1, {}, {}, lambda claim: "EXPANDED") == page


def test_a_marker_error_names_the_line_of_the_file_behind_its_front_matter(tmp_path,
                                                                            figure_cache_dir,
                                                                            built_site):
    page = "---\ntitle: Test\nsummary: x\n---\n\n# Test\n\nText.\n\n[[figure: no-such-figure]]\n"
    assert page.splitlines()[9] == "[[figure: no-such-figure]]"  # line 10 of the file
    config = config_with(tmp_path, page)
    result = mkdocs_build(tmp_path / "out", config)
    assert result.returncode != 0
    assert "index.md, line 10: unknown figure 'no-such-figure'" in result.stdout + result.stderr


def test_failing_builder_fails_naming_the_figure_and_keeps_nothing(tmp_path, monkeypatch):
    module = tmp_path / "broken_figures_for_test.py"
    module.write_text(
        "from snippets.figures.registry import figure\n"
        "from snippets.experiments.why_relu_works.activation_curves import activation_curves\n"
        "@figure('broken-figure', experiment=activation_curves, alt='a', caption='c')\n"
        "def broken_figure(data):\n"
        "    raise ZeroDivisionError('on purpose')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setattr(figure_cache, "CACHE", tmp_path / "cache")
    with pytest.raises(figure_cache.RenderError,
                       match=r"figure 'broken-figure'.*ZeroDivisionError"):
        figure_cache.render("broken_figures_for_test", tmp_path / "cache" / "out")
    assert not (tmp_path / "cache" / "out").exists()  # nothing stale or partial is kept
    assert not list((tmp_path / "cache").glob(".*"))  # and no scratch folder is left


def _processes_mentioning(text):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


def test_a_hanging_builder_times_out_naming_its_module_and_leaves_no_process(tmp_path,
                                                                            monkeypatch):
    module = f"hanging_figures_for_test_{os.getpid()}"  # unique: other sessions may run too
    (tmp_path / f"{module}.py").write_text("import time\ntime.sleep(600)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setattr(figure_cache, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(figure_cache, "RENDER_TIMEOUT", 2)
    started = time.monotonic()
    with pytest.raises(figure_cache.RenderError,
                       match=f"{module}: rendering took longer than 2 s"):
        figure_cache.render(module, tmp_path / "cache" / "out")
    assert time.monotonic() - started < 300  # the timeout fired: the module sleeps for 600 s
    assert _processes_mentioning(module) == []
    assert not list((tmp_path / "cache").glob(".*"))  # scratch folder removed


@pytest.mark.parametrize("moment", ["starting", "rendering"])
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_build_mid_render_leaves_no_process_and_no_scratch(tmp_path, stop, moment):
    """Stopped while a render process is being started (the moment the driver forks: the race
    of issue 19) or while it renders: the build ends, and no render and no scratch outlive
    it."""
    # A name of this run's own: another test session on the machine may be doing the same.
    module = f"hanging_figures_for_stop_{os.getpid()}_{stop.value}_{moment}"
    (tmp_path / f"{module}.py").write_text("import time\ntime.sleep(600)\n")
    driver = (
        # As from a terminal: a shell that starts a job in the background (CI may) makes it
        # ignore SIGINT, and Python then installs no KeyboardInterrupt handler.
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import sys; from pathlib import Path; from sitebuild import figure_cache as c\n"
        f"c.CACHE = Path({str(tmp_path / 'cache')!r})\n"
        f"c.figure_modules = lambda: [{module!r}]\n"
        "c.artifact_key = lambda module: 'key'\n"
        "c.ensure_rendered()\n")
    build = subprocess.Popen([sys.executable, "-c", driver], cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=f"{ROOT}:{tmp_path}"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _stop_and_check(build, module, moment, stop)
        # No scratch folder is left (the lock file of the renders stays: it holds nothing).
        assert [path.name for path in (tmp_path / "cache").glob(".*")] == [".lock-renders"]
    finally:  # a failed check leaves nothing running behind it
        for pid in [str(build.pid), *_processes_mentioning(module)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        build.wait()


def _stop_and_check(build, module, moment, stop):
    # Generous bounds, for a loaded machine: they only decide when to give up, and a stopped
    # build ends in about a second.
    deadline = time.monotonic() + 300
    # Starting: the driver and its fork, before the fork runs the renderer. Rendering: the
    # renderer itself runs.
    def renderer_runs():
        return any(b"snippets.figures.render" in (Path("/proc") / pid / "cmdline").read_bytes()
                   for pid in _processes_mentioning(module))

    while len(_processes_mentioning(module)) < 2 or (moment == "rendering"
                                                     and not renderer_runs()):
        assert time.monotonic() < deadline, "the render never started"
        time.sleep(0.01)
    if moment == "rendering":
        time.sleep(1.0)  # well inside the hanging module's 600 s
    build.send_signal(stop)
    assert build.wait(timeout=300) != 0
    assert _processes_mentioning(module) == []


def test_a_corrupt_cached_figure_is_rendered_again_not_served(built_site, figure_cache_dir,
                                                               caplog):
    import logging

    module = "snippets.figures.why_relu_works.activation_curves"
    folder, manifest = figure_cache.ensure_rendered()[module]
    svg = folder / next(iter(manifest["files"]))
    original = svg.read_bytes()
    svg.write_bytes(original[:100])  # truncated, as by a full disk or a killed copy
    assert not figure_cache.verified(folder)
    with caplog.at_level(logging.INFO):
        again, _ = figure_cache.ensure_rendered()[module]
    assert (again / svg.name).read_bytes() == original
    # Repaired, and said at INFO: a WARNING would fail a --strict build for a fixed problem.
    notices = [record for record in caplog.records if folder.name in record.getMessage()]
    assert notices and all(record.levelname == "INFO" for record in notices)
    (again / "manifest.json").write_text("{ truncated")
    third, manifest = figure_cache.ensure_rendered()[module]
    assert figure_cache.verified(third) and manifest["files"]


def test_warm_build_renders_nothing(rebuilt_site):
    # built_site has filled the cache; a second build must find every figure there.
    _, result = rebuilt_site
    assert "rendering figures" not in result.stdout + result.stderr


def test_cache_key_follows_transitive_snippet_imports():
    shapes = figure_cache.module_dependencies("snippets.figures.why_relu_works.activation_curves")
    deaths = figure_cache.module_dependencies("snippets.figures.why_relu_works.dying_unit")
    assert "snippets/core/activations.py" in shapes and "snippets/figures/style.py" in shapes
    assert "snippets/core/relu_unit.py" not in shapes
    # dying_unit figures → its experiment → relu_unit → activations: indirect ones count.
    assert {"snippets/experiments/why_relu_works/dying_unit.py", "snippets/core/relu_unit.py",
            "snippets/core/activations.py"} <= set(deaths)
    assert "snippets/core/activation_timing.py" not in deaths
    costs = figure_cache.module_dependencies("snippets.figures.why_relu_works.activation_cost")
    assert {"snippets/core/activation_timing.py", "snippets/core/activations.py"} <= set(costs)


def test_editing_a_snippet_changes_only_the_keys_that_depend_on_it(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "snippets", tmp_path / "snippets",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(figure_cache, "ROOT", tmp_path)
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    monkeypatch.setattr(figure_cache, "FIGURE_PACKAGE", tmp_path / "snippets" / "figures")
    before = {module: figure_cache.artifact_key(module) for module in figure_cache.figure_modules()}
    with open(tmp_path / "snippets" / "core" / "activation_timing.py", "a") as source:
        source.write("\n# an edit\n")
    after = {module: figure_cache.artifact_key(module) for module in figure_cache.figure_modules()}
    changed = {module for module in before if before[module] != after[module]}
    assert changed == {"snippets.figures.why_relu_works.activation_cost"}


def test_the_build_never_writes_into_docs(built_site):
    generated = {"figures", "claims.md", "assets/mathjax-svg.css"}
    for name in generated:
        assert not (ROOT / "docs" / name).exists(), f"docs/{name} must stay generated-only"


def test_mkdocs_yml_is_valid_yaml_for_tools():
    # !ENV tags are MkDocs-specific; every other key parses as plain YAML.
    text = re.sub(r"!ENV \[[^\]]*\]", "''", (ROOT / "mkdocs.yml").read_text())
    config = yaml.safe_load(text)
    assert config["theme"]["font"] is False
    assert any("snippets" in str(entry) for entry in config["markdown_extensions"])


EXPLORER_DATA = "figures/edge-of-chaos-explorer.json"


@pytest.fixture(scope="module")
def explorer_json(built_site):
    """The explorer's grid as the site serves it."""
    return json.loads((built_site / EXPLORER_DATA).read_text(encoding="utf-8"))


def test_explorer_weighs_at_most_100_kb_compressed(built_site):
    """The data and the script the explorer page adds to the site's base, gzip-compressed."""
    added = [built_site / EXPLORER_DATA, built_site / "assets" / "explorer.js"]
    assert sum(len(gzip.compress(path.read_bytes(), 9)) for path in added) <= 100_000


def _weight_index(weight_variance):
    return int(np.flatnonzero(np.isclose(explorer.weight_variances(), weight_variance))[0])


@pytest.mark.parametrize("name, bias_index, weight_variance", [
    ("tanh", 0, 1.0), ("tanh", 1, 2.0), ("sigmoid", 2, 128.0), ("sigmoid", 0, 103.008),
    ("relu", 0, 2.0), ("leaky_relu", 1, 0.5 ** 0.5), ("penalized_tanh", 2, 8.0)])
def test_explorer_data_agrees_with_direct_calls(explorer_json, name, bias_index,
                                                weight_variance):
    """The served grid at sampled points against the mean-field functions called directly."""
    weight_index = _weight_index(weight_variance)
    point = explorer_json["points"][name][bias_index][weight_index]
    weight_variance = explorer.weight_variances()[weight_index]
    bias_variance = explorer.BIAS_VARIANCES[bias_index]
    assert explorer_json["weightVariances"][weight_index] == pytest.approx(weight_variance,
                                                                           rel=1e-3)
    lengths = mean_field.length_sequence(name, explorer.INPUT_LENGTH, weight_variance,
                                         bias_variance, explorer.DEPTH)
    steps = [math.log10(mean_field.gradient_factor(name, q, weight_variance))
             for q in lengths[:-1]]
    # Stored so that every sum over a run of layers is exact to a hundredth of a decade.
    assert np.allclose(np.cumsum(point["stepPredicted"][::-1]) / 100, np.cumsum(steps[::-1]),
                       atol=0.006)
    weak = [mean_field.weak_derivative_share(name, q) for q in lengths]
    assert np.allclose(np.array(point["weakPredicted"]) / 100, weak, atol=0.006)
    # The sampled share of weak units, averaged over layers 10–50 where q^l has settled: a
    # layer's units share its random q̂^l, so the margin comes from the layer-to-layer spread.
    difference = (np.array(point["weakMeasured"]) / 100 - np.array(weak))[10:]
    margin = 5 * difference.std(ddof=1) / math.sqrt(difference.size) + 0.01  # + rounding
    assert abs(difference.mean()) <= margin


def test_explorer_quantiles_follow_the_gaussian_prediction(explorer_json):
    """Activation quantiles are φ(√q* · z_p) at the fixed point, since φ is monotone and
    h^l ~ N(0, q*): checked for tanh, averaged over layers 10–50 (a single layer of width 128
    scatters by a few hundredths, its own q̂^l being random)."""
    from statistics import NormalDist

    from snippets.core.activations import tanh

    weight_index, bias_index = _weight_index(2.0), 1  # σ_w² = 2, σ_b² = 0.05
    point = explorer_json["points"]["tanh"][bias_index][weight_index]
    scale = next(a["quantileScale"] for a in explorer_json["activations"] if a["name"] == "tanh")
    lengths = mean_field.length_sequence("tanh", explorer.INPUT_LENGTH,
                                         explorer.weight_variances()[weight_index],
                                         explorer.BIAS_VARIANCES[bias_index], explorer.DEPTH)
    for p, measured in zip(explorer.QUANTILES, point["quantiles"]):
        predicted = tanh(np.sqrt(lengths) * NormalDist().inv_cdf(p))
        assert abs(np.mean(measured[10:]) / scale - np.mean(predicted[10:])) < 0.02


def test_home_page_lists_every_chapter_from_its_front_matter(built_site):
    from sitebuild import chapters
    home = (built_site / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li>\s*<p><a href="(chapters/[a-z0-9-]+/)">([^<]+)</a>', home)
    assert listed == [(page.url, html.escape(page.title, quote=False))
                      for page in chapters.chapters()]
    assert "[[chapters]]" not in home


def test_no_equivalent_mutant_note_is_published(built_site):
    """The notes that justify equivalent mutants stay in the source; every published file of
    the site, listings included, is free of them (sitebuild/html_passes.py)."""
    leaking = [path.relative_to(built_site).as_posix() for path in built_site.rglob("*")
               if path.is_file() and path.suffix in (".html", ".json", ".js")
               and re.search(r"(equivalent|tolerance) mutant",
                             path.read_text(encoding="utf-8", errors="replace"))]
    assert not leaking


def test_a_build_from_empty_caches_is_byte_identical(tmp_path, site_port, built_site):
    """Everything computed afresh (experiments, figures, notebooks, math: an empty VG_CACHE)
    gives the same site, byte for byte, as the suite's build from the shared cache. Nothing
    published may depend on the moment or the machine: chapter 1's timings, which did, are a
    recorded measurement."""
    destination = tmp_path / "site"
    result = mkdocs_build(destination, env_extra={"SITE_URL": f"http://127.0.0.1:{site_port}/",
                                                  "VG_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout + result.stderr
    ours = sorted(path.relative_to(destination) for path in destination.rglob("*")
                  if path.is_file())
    theirs = sorted(path.relative_to(built_site) for path in built_site.rglob("*")
                    if path.is_file())
    assert ours == theirs
    differing = [str(path) for path in ours
                 if (destination / path).read_bytes() != (built_site / path).read_bytes()]
    assert differing == []


def _get(url):
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def test_the_dev_server_shows_a_failed_build_on_the_page_and_recovers(tmp_path,
                                                                      figure_cache_dir,
                                                                      built_site):
    """`mkdocs serve` with a broken ledger: the page shows the error (the reader of the dev
    server would otherwise wait for a reload that never comes); once the ledger is fixed, the
    page is the page again."""
    config = config_with(tmp_path, "# Served page\n\nSome text of the page.\n")
    ledger = tmp_path / "docs" / "claims.yml"
    ledger.write_text("- {id: x, title: t, page: index.md, source: '000', section: s, "
                      "claim: c, verdict: maybe, finding: f, test: t, counterfactual: f}\n")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config), "-a",
         f"127.0.0.1:{port}"], cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 600  # generous: it only decides when to give up

        def page_with(text):
            while text not in (page := _get(f"http://127.0.0.1:{port}/")):
                assert server.poll() is None, "the dev server stopped"
                assert time.monotonic() < deadline, f"the page never showed {text!r}"
                time.sleep(0.5)
            return page

        failed = page_with("The build failed")
        assert "verdict &#39;maybe&#39;" in failed or "verdict 'maybe'" in failed
        ledger.unlink()  # fixed: no ledger, nothing to check
        recovered = page_with("Some text of the page.")
        assert "The build failed" not in recovered
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=120)
