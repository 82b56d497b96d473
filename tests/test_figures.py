"""Every registered figure renders in both palettes, deterministically, with alt and caption."""

import importlib
import re

import pytest

from scripts import figures_hook as hook
from snippets.figures import render, style
from snippets.figures.registry import FIGURES, VALUES, figure, scientific
from tests.conftest import ROOT

MODULES = hook.figure_modules()


@pytest.fixture(scope="module")
def rendered_twice(built_site, tmp_path_factory):
    """Each figure module rendered twice, independently: once by the build (a fresh
    interpreter, into the cache) and once here, in this process."""
    folders = {}
    cached = hook.ensure_rendered()  # the build has just filled it: nothing is re-rendered
    for module in MODULES:
        again = tmp_path_factory.mktemp("again")
        render.render_module(module, again)
        folders[module] = (cached[module][0], again)
    return folders


def test_every_figure_module_registers_something():
    for module in MODULES:
        importlib.import_module(module)
        assert any(spec.module == module for spec in FIGURES.values()) or \
            any(value.module == module for value in VALUES.values()), module


def test_every_figure_renders_in_both_palettes_and_identically_twice(rendered_twice):
    names = 0
    for module, (first, second) in rendered_twice.items():
        for spec in (s for s in FIGURES.values() if s.module == module):
            light = (first / f"{spec.name}-light.svg").read_bytes()
            dark = (first / f"{spec.name}-dark.svg").read_bytes()
            assert light.startswith(b"<?xml") and b"<svg" in light
            assert light != dark, f"{spec.name}: the palettes must differ"
            for theme in style.THEMES:
                again = (second / f"{spec.name}-{theme}.svg").read_bytes()
                assert again == (first / f"{spec.name}-{theme}.svg").read_bytes(), \
                    f"{spec.name} ({theme}) is not byte-for-byte reproducible"
            names += 1
    assert names == len(FIGURES)


def test_svgs_carry_no_date_and_a_fixed_id_salt(rendered_twice):
    first, _ = rendered_twice[MODULES[0]]
    text = next(first.glob("*.svg")).read_text()
    assert "<dc:date>" not in text


def test_dark_palette_draws_light_text(rendered_twice):
    first, _ = rendered_twice["snippets.figures.activation_shapes"]
    dark = (first / "sigmoid-tanh-saturation-dark.svg").read_text()
    assert style.PALETTES["dark"]["text"].lower() in dark.lower()
    assert style.PALETTES["light"]["text"].lower() not in dark.lower()


def test_every_figure_has_alt_caption_and_existing_code_sections():
    for module in MODULES:
        importlib.import_module(module)
    for spec in FIGURES.values():
        assert len(spec.alt) > 40 and len(spec.caption) > 20, spec.name
        assert spec.caption.count("$") % 2 == 0, f"{spec.name}: unmatched $ in caption"
        for include in spec.code:
            path, section = include.split(":")
            text = (ROOT / path).read_text()
            assert f"--8<-- [start:{section}]" in text and f"--8<-- [end:{section}]" in text, \
                f"{spec.name}: section {include} is missing"


def test_registry_refuses_missing_alt_text_and_duplicates():
    with pytest.raises(ValueError, match="alt text"):
        figure("test-no-alt", data=lambda: None, alt=" ", caption="c")(lambda data: None)
    importlib.import_module(MODULES[0])
    name = next(spec.name for spec in FIGURES.values() if spec.module == MODULES[0])
    with pytest.raises(ValueError, match="registered twice"):
        figure(name, data=lambda: None, alt="a", caption="c")(lambda data: None)


def test_scientific_formatting():
    assert scientific(2 ** -20) == "9.54 × 10⁻⁷"
    assert scientific(1234.5, 2) == "1.2 × 10³"
    assert scientific(0.5) == "5.00 × 10⁻¹"


def test_figure_names_are_kebab_case_and_match_sections():
    for module in MODULES:
        importlib.import_module(module)
    for spec in FIGURES.values():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", spec.name)
        assert spec.code[-1].endswith(f":{spec.name}")
