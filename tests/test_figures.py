"""Every registered figure renders in both palettes, deterministically, with alt and caption;
the registry enforces the layering rules."""

import ast
import importlib
import re

import numpy as np
import pytest

from sitebuild import figure_cache
from snippets.figures import render, style
from snippets.figures.dying_relus.fixes_compared import accuracy_statement
from snippets.figures.formatting import markdown_table, mean_and_sd, scientific, superscript
from snippets.figures.registry import DATA, FIGURES, NAME_PATTERN, VALUES, figure
from tests.conftest import ROOT

MODULES = figure_cache.figure_modules()
CHAPTER_PACKAGES = {module.split(".")[2] for module in MODULES}
# The cheapest module to render twice: its bytes must equal the build's own render.
DETERMINISM_MODULE = "snippets.figures.why_relu_works.activation_curves"


@pytest.fixture(scope="module")
def registered():
    for module in MODULES:
        importlib.import_module(module)
    return FIGURES


def test_every_figure_module_registers_something(registered):
    for module in MODULES:
        assert any(entry.module == module
                   for entry in (*FIGURES.values(), *VALUES.values(), *DATA.values())), module


def test_the_build_rendered_every_figure_in_both_palettes(built_site, registered):
    cached = figure_cache.ensure_rendered()  # the build has just filled it: nothing renders
    seen = set()
    for module, (folder, manifest) in cached.items():
        assert figure_cache.verified(folder), module
        for name in manifest["figures"]:
            light = (folder / f"{name}-light.svg").read_bytes()
            dark = (folder / f"{name}-dark.svg").read_bytes()
            assert light.startswith(b"<?xml") and b"<svg" in light, name
            assert light != dark, f"{name}: the palettes must differ"
            assert b"<dc:date>" not in light, f"{name}: an SVG must carry no date"
            seen.add(name)
    assert seen == set(registered)


FIGURE_FONTS = {"DejaVu Sans"}  # the figures' font (snippets/figures/style.py), or its stack
FONT_FAMILY = re.compile(r"font-family: '([^']+)'")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def test_figure_text_uses_only_the_figure_font(built_site):
    """With SVG text (svg.fonttype "none"), matplotlib's mathtext writes some symbols as code
    points of TeX or STIX fonts no reader has: a prime became "0" (cmsy10), 𝔼 a box (a
    private-use STIX code point). Every text run must ask for the figures' font."""
    wrong = {}
    for folder, _ in figure_cache.ensure_rendered().values():
        for svg in sorted(folder.glob("*.svg")):
            text = svg.read_text(encoding="utf-8")
            fonts = set(FONT_FAMILY.findall(text)) - FIGURE_FONTS
            if fonts or PRIVATE_USE.search(text):
                wrong[svg.name] = sorted(fonts) or ["private-use code point"]
    assert not wrong, wrong


def test_a_second_render_is_byte_identical_to_the_builds(built_site, tmp_path):
    folder, _ = figure_cache.ensure_rendered()[DETERMINISM_MODULE]
    render.render_module(DETERMINISM_MODULE, tmp_path)
    for svg in sorted(folder.glob("*.svg")):
        assert (tmp_path / svg.name).read_bytes() == svg.read_bytes(), svg.name


def test_dark_palette_draws_light_text(built_site):
    folder, _ = figure_cache.ensure_rendered()[DETERMINISM_MODULE]
    dark = (folder / "sigmoid-tanh-saturation-dark.svg").read_text()
    assert style.PALETTES["dark"]["text"].lower() in dark.lower()
    assert style.PALETTES["light"]["text"].lower() not in dark.lower()


def test_every_figure_has_alt_caption_and_existing_code_sections(built_site, registered):
    # Alt texts and captions as the build computed them (some are functions of the results).
    served = {name: meta for _, manifest in figure_cache.ensure_rendered().values()
              for name, meta in manifest["figures"].items()}
    for spec in registered.values():
        meta = served[spec.name]
        assert len(meta["alt"]) > 40 and len(meta["caption"]) > 20, spec.name
        assert meta["caption"].count("$") % 2 == 0, f"{spec.name}: unmatched $ in caption"
        for include in spec.code:
            path, _, section = include.partition(":")
            text = (ROOT / path).read_text()
            if section:
                assert f"--8<-- [start:{section}]" in text and \
                    f"--8<-- [end:{section}]" in text, f"{spec.name}: section {include} missing"
        # The code shown includes the experiment module itself, whole.
        assert any(include.startswith("snippets/experiments/") and ":" not in include
                   for include in spec.code), spec.name


def test_builder_names_equal_figure_names(registered):
    for spec in registered.values():
        assert re.fullmatch(NAME_PATTERN, spec.name)
        assert spec.build.__name__ == spec.name.replace("-", "_"), spec.name
        assert spec.code[-1].endswith(f":{spec.name}")


def test_registry_refuses_bad_figures():
    from snippets.experiments.why_relu_works.activation_curves import activation_curves

    def no_alt(data):
        return None
    with pytest.raises(ValueError, match="alt text"):
        figure("no-alt", experiment=activation_curves, alt=" ", caption="c")(no_alt)
    with pytest.raises(ValueError, match="must be called"):
        figure("some-figure", experiment=activation_curves, alt="a", caption="c")(no_alt)

    def not_from_experiments(data):
        return None
    with pytest.raises(ValueError, match="experiment must come from"):
        figure("not-from-experiments", experiment=lambda: 1, alt="a",
               caption="c")(not_from_experiments)


def _imports(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_layering_computations_never_import_plotting_and_figures_never_each_other():
    for path in (ROOT / "snippets").rglob("*.py"):
        names = _imports(path)
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("snippets/core/", "snippets/experiments/")):
            assert not any(n.startswith(("matplotlib", "snippets.figures")) for n in names), \
                relative
        if relative.startswith("snippets/figures/") and path.parent.name != "figures":
            # Chapter figure modules may use the shared machinery, never each other.
            chapter_modules = {n for n in names if n.startswith("snippets.figures.")
                               and n.split(".")[2] in CHAPTER_PACKAGES}
            assert not chapter_modules, f"{relative} imports figure modules {chapter_modules}"
    # Only the tests of what figure modules produce (figures, the site, the explorer's data
    # and its words, the figures' layout) import them; the computations' tests never do.
    for path in (ROOT / "tests").glob("test_*.py"):
        if path.name not in ("test_figures.py", "test_site.py", "test_browser.py",
                             "test_explorer_model.py", "test_figure_overlap.py",
                             "test_label_line_ends.py", "test_figure_links.py",
                             "test_lab_presets.py", "test_lab_hostile.py"):
            assert not any(n.startswith("snippets.figures") for n in _imports(path)), path.name


def test_superscript_digits():
    assert superscript(50) == "⁵⁰" and superscript(-7) == "⁻⁷" and superscript(0) == "⁰"
    for bad in (1.5, "3", True):
        with pytest.raises(ValueError, match="integer must be an int"):
            superscript(bad)


def test_scientific_formatting():
    assert scientific(2 ** -20) == "9.54 × 10⁻⁷"
    assert scientific(1234.5, 2) == "1.2 × 10³"
    assert scientific(0.5) == "5.00 × 10⁻¹"


def test_markdown_tables_escape_their_cells_and_check_their_shape():
    table = markdown_table(["a", "b"], [["<script>", "1 | 2"]])
    assert table.splitlines() == ["| a | b |", "| --- | ---: |", "| &lt;script&gt; | 1 \\| 2 |"]
    with pytest.raises(ValueError):
        markdown_table(["a", "b"], [["only one"]])


def test_mean_and_sd_formats_the_sample_spread_and_skips_nan():
    # Sample standard deviation of 1, 2, 3 is exactly 1 (ddof = 1).
    assert mean_and_sd([0.01, 0.02, 0.03, float("nan")], 1, 100, " %") == "2.0 % ± 1.0"
    assert mean_and_sd([2.5]) == "2.50"
    assert mean_and_sd([float("nan")]) == "—"


# Numbers an alt text may state in words of its own, because they are mathematical facts of
# the functions drawn (ranges, slopes, the chance loss of ten classes, type names), not
# measurements: each phrase is removed before looking for digits.
ALT_MATHEMATICAL_FACTS = (
    r"from −1 to 1", r"from 0 to 1\b", r"from 0 to", r"−2 to 2", r"4 sigma minus 2",
    r"^ to 1,", r"w/4", r"slope 1( at 0)?", r"\b0 for negative [xz]", r"\b1 for positive [xz]",
    r"[xz] = 0", r"exactly 0", r"at 0\b", r"ceiling of 1", r"the level 1", r"1/α²",
    r"0\.25 to the r", r"ln 10", r"float(16|32|64)", r"s\(1 − s\) is 0", r"from layer 1",
    r"start at 0", r"towards 0",
)


def _alt_literals(path):
    """{figure name: the literal (typed) pieces of its alt text}: string constants of the
    ``alt=`` argument, or of the function passed as ``alt``, without f-string fields and
    format specifications (those are computed when the figure renders)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    specs = {id(node.format_spec) for node in ast.walk(tree)
             if isinstance(node, ast.FormattedValue) and node.format_spec is not None}

    def pieces(root):
        inside = {id(v) for node in ast.walk(root) if isinstance(node, ast.JoinedStr)
                  for v in node.values}
        for node in ast.walk(root):
            if isinstance(node, ast.JoinedStr) and id(node) not in specs:
                yield from (v.value for v in node.values if isinstance(v, ast.Constant))
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in inside):
                yield node.value

    literals = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "figure":
            alt = next(k.value for k in node.keywords if k.arg == "alt")
            root = functions[alt.id] if isinstance(alt, ast.Name) else alt
            literals[node.args[0].value] = [p for p in pieces(root)
                                            if p not in _nested_specs(root, specs)]
    return literals


def _nested_specs(root, specs):
    """Constants inside format specifications below ``root`` (e.g. '.2f')."""
    return {v.value for node in ast.walk(root) if id(node) in specs
            for v in getattr(node, "values", ()) if isinstance(v, ast.Constant)}


@pytest.mark.parametrize("module", MODULES)
def test_every_number_in_an_alt_text_is_computed_not_typed(module):
    # An alt text is generated from the same constants and measurements as its caption; a
    # digit typed into it would not follow them when they change.
    path = ROOT / (module.replace(".", "/") + ".py")
    for name, literals in _alt_literals(path).items():
        for literal in literals:
            stripped = literal
            for phrase in ALT_MATHEMATICAL_FACTS:
                stripped = re.sub(phrase, "", stripped)
            assert not re.search(r"\d", stripped), f"{name}: typed number in alt {literal!r}"


def test_the_alt_number_check_catches_a_typed_number(tmp_path):
    source = tmp_path / "module.py"
    source.write_text('@figure("x", experiment=e, alt=f"falls {N} times, to 0.07 at", '
                      'caption="c")\ndef x(d):\n    pass\n')
    assert _alt_literals(source) == {"x": ["falls ", " times, to 0.07 at"]}


def test_accuracy_statement_separates_only_differences_beyond_two_standard_errors():
    # Oracle: Welch's standard error by hand. Reference 0.80, 0.90 (mean 0.85, var 0.005);
    # "close" 0.86, 0.96 (mean 0.91): difference 0.06, error √(0.005/2 + 0.005/2) = 0.0707,
    # under 2 errors. "far" 0.99, 1.00 (mean 0.995, var 0.00005): difference 0.145, error
    # √(0.0025 + 0.000025) ≈ 0.0502, over 2 errors. "lone" has one trained seed: not compared.
    def run(*values):
        return {"accuracy": np.array(values, dtype=float)}

    close = {"ref": run(0.80, 0.90), "close": run(0.86, 0.96), "lone": run(np.nan, 0.99)}
    statement = accuracy_statement(close, reference="ref")
    assert statement.startswith("Held-out accuracy does not separate") and "lone" not in statement
    far = dict(close, far=run(0.99, 1.00))
    statement = accuracy_statement(far, reference="ref")
    assert "separates only far (+14.5 points)" in statement and "close" not in statement
