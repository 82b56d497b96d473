"""Render the figures and quoted values of one figure module into a folder.

    python -m snippets.figures.render snippets.figures.why_relu_works.activation_curves OUTDIR
    python -m snippets.figures.render --into OUTDIR MODULE [MODULE …]   (OUTDIR/MODULE/ each)

writes OUTDIR/<name>-light.svg and OUTDIR/<name>-dark.svg for every figure of the module
(and <name>-narrow-light.svg, <name>-narrow-dark.svg: the phone layout),
OUTDIR/<name>.json for every data file (an explorable page's data), and OUTDIR/manifest.json
(alt texts, captions, code sections, quoted values, and the SHA-256 of each file, which the
cache checks before serving it). The figure cache runs
it in a fresh interpreter, so edited snippets are always the ones rendered. On failure it
names the figure or value and exits with status 1; a figure with a label over its data or over
another label (snippets/figures/overlap.py) is such a failure.
"""

import hashlib
import importlib
import io
import json
import re
import sys
import traceback

import matplotlib

matplotlib.use("Agg")  # files only, no display (set here, so notebooks can import the style)

import matplotlib.pyplot as plt  # noqa: E402

from snippets.figures import overlap, style  # noqa: E402
from snippets.figures.registry import DATA, FIGURES, VALUES  # noqa: E402


class ArtifactError(RuntimeError):
    """A figure builder or quoted value failed; the message names it."""


def figure_filename(name, theme, layout):
    """The file of one rendering: name-light.svg (wide), name-narrow-dark.svg, …"""
    return f"{name}-{theme}.svg" if layout == "wide" else f"{name}-{layout}-{theme}.svg"


SVG_SIZE = re.compile(rb'<svg [^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"')


def svg_size(svg):
    """(width, height) of an SVG written by matplotlib, in its user units (points)."""
    width, height = SVG_SIZE.search(svg).groups()
    return [round(float(width), 1), round(float(height), 1)]


def render_svg(spec, data, theme, layout="wide"):
    """Draw ``spec`` from ``data`` in ``theme`` and ``layout``; return the SVG bytes. A text
    over data or over another text (snippets/figures/overlap.py) fails the render."""
    return render_figure(spec, data, theme, layout)[0]


def render_figure(spec, data, theme, layout="wide"):
    """(SVG bytes, links): the figure as render_svg draws it, and where each region the
    builder linked (style.link_region) lies on it once laid out."""
    with style.theme(theme), style.layout(layout):
        figure = spec.build(data)
        buffer = io.BytesIO()
        try:
            overlap.check(figure, f"figure '{spec.name}', {layout} layout, {theme} palette")
            figure.savefig(buffer, format="svg", metadata={"Date": None})
            links = figure_links(figure)
        finally:
            plt.close(figure)
    return buffer.getvalue(), links


def figure_links(figure):
    """Each linked region of a drawn ``figure`` as a box in percent of the figure's width and
    height from its top left corner ([left, top, width, height], to a thousandth of a
    percent), with its target, label, row and column."""
    to_figure = figure.transFigure.inverted()
    boxes = []
    for link in figure.__dict__.get("vg_links", ()):
        corners = link["axes"].transData.transform(
            [(link["x"][0], link["y"][0]), (link["x"][1], link["y"][1])])
        (x0, y0), (x1, y1) = to_figure.transform(corners)
        left, right = sorted((x0, x1))
        bottom, top = sorted((y0, y1))
        boxes.append({"box": [round(100 * value, 3) for value in
                              (left, 1 - top, right - left, top - bottom)],
                      **{key: link[key] for key in ("target", "label", "row", "column")}})
    return boxes


def _text(spec, field, data):
    """The figure's alt text or caption, computed from the experiment's result if need be."""
    value = getattr(spec, field)
    text = (value(data) if callable(value) else value).strip()
    if not text:
        raise ArtifactError(f"figure '{spec.name}' ({spec.module}) has an empty {field}")
    return text


def render_module(module, outdir):
    """Render every figure and value registered by ``module`` into ``outdir`` (a Path)."""
    importlib.import_module(module)
    manifest = {"figures": {}, "values": {}, "files": {}}
    for spec in (s for s in FIGURES.values() if s.module == module):
        try:
            data = spec.experiment()
            sizes, links = {}, {}
            for theme in style.THEMES:
                for layout in style.LAYOUTS:
                    svg, links[layout] = render_figure(spec, data, theme, layout)
                    filename = figure_filename(spec.name, theme, layout)
                    (outdir / filename).write_bytes(svg)
                    manifest["files"][filename] = hashlib.sha256(svg).hexdigest()
                    sizes[layout] = svg_size(svg)  # the same in both palettes (and links)
        except Exception as error:
            raise ArtifactError(f"figure '{spec.name}' ({module}) failed: "
                                f"{type(error).__name__}: {error}") from error
        manifest["figures"][spec.name] = {"alt": _text(spec, "alt", data),
                                          "caption": _text(spec, "caption", data),
                                          "code": list(spec.code), "sizes": sizes}
        if any(links.values()):
            manifest["figures"][spec.name]["links"] = links
    for value in (v for v in VALUES.values() if v.module == module):
        try:
            manifest["values"][value.name] = str(value.compute())
        except Exception as error:
            raise ArtifactError(f"quoted value '{value.name}' ({module}) failed: "
                                f"{type(error).__name__}: {error}") from error
    for item in (d for d in DATA.values() if d.module == module):
        try:
            payload = json.dumps(item.compute(), ensure_ascii=False, allow_nan=False,
                                 separators=(",", ":")).encode()
        except Exception as error:
            raise ArtifactError(f"data file '{item.name}' ({module}) failed: "
                                f"{type(error).__name__}: {error}") from error
        (outdir / f"{item.name}.json").write_bytes(payload)
        manifest["files"][f"{item.name}.json"] = hashlib.sha256(payload).hexdigest()
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def _exit_with_parent():
    """Under the figure cache, stdin is a pipe from the build that is never written to: it
    closes when the build ends, however it ends, and the render then ends too."""
    import os
    import threading

    def watch():
        sys.stdin.read()
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def main(argv):
    from pathlib import Path

    if len(argv) >= 2 and argv[0] == "--into":
        # Several modules in one interpreter (the figure cache's workers): imports are paid
        # once, and progress lines let the caller time out the module that hangs.
        outdir, modules = Path(argv[1]), argv[2:]
        jobs = [(module, outdir / module) for module in modules]
    elif len(argv) == 2:
        jobs = [(argv[0], Path(argv[1]))]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    progress = argv[0] == "--into"
    if progress:
        _exit_with_parent()
    for module, target in jobs:
        if progress:
            print(f"started {module}", flush=True)
        target.mkdir(parents=True, exist_ok=True)
        try:
            render_module(module, target)
        except ArtifactError as error:
            traceback.print_exception(error.__cause__, file=sys.stderr)
            print(str(error), file=sys.stderr)
            return 1
        if progress:
            print(f"finished {module}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
