"""Build-time benchmark: cold build (empty figure and math caches), warm build (full caches) and
the floor (the same pages with the figure step replaced by reading the newest cached manifests:
no hashing, no verifying, no figure files), the companion notebooks executed alone, plus the
render time of each figure module and chapter.
Prints; asserts nothing.

    .venv/bin/python scripts/benchmark.py [--repeats 3]
"""

import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitebuild import figure_cache, notebooks  # noqa: E402
from sitebuild.markers import FIGURE_LINE, VALUE  # noqa: E402

# The floor's stand-in for scripts/hooks/figures.py: the markers hook gets the newest cached
# manifests, and no figure is hashed, checked or added. It lives here, not in production code.
FLOOR_HOOK = '''
import json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from sitebuild import figure_cache

def on_files(files, config):
    figure_cache.current_build.clear()
    for module in figure_cache.figure_modules():
        newest = sorted(figure_cache.CACHE.glob(module + "-*/manifest.json"),
                        key=lambda path: path.stat().st_mtime)[-1]
        figure_cache.current_build[module] = (newest.parent, json.loads(newest.read_text()))
    return files
'''


def floor_config(scratch):
    """A copy of mkdocs.yml that uses FLOOR_HOOK instead of the figures hook."""
    hook = scratch / "floor_hook.py"
    hook.write_text(FLOOR_HOOK.format(root=str(ROOT)))
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.replace("scripts/hooks/figures.py", str(hook))
    config = config.replace("scripts/hooks/", str(ROOT / "scripts/hooks") + "/")
    config = re.sub(r"\nwatch:\n(  .*\n?)*", "\n", config)
    path = scratch / "mkdocs-floor.yml"
    path.write_text(config + f"\ndocs_dir: {ROOT / 'docs'}\n")
    return path


def without_notebooks_config(scratch):
    """A copy of mkdocs.yml without the notebooks: no notebooks hook, no mkdocs-jupyter, no
    notebooks in the nav (the chapters' links to them then only warn; not strict)."""
    config = (ROOT / "mkdocs.yml").read_text()
    config = re.sub(r"\n  - scripts/hooks/notebooks.py[^\n]*", "", config)
    config = re.sub(r"\n  - mkdocs-jupyter:\n(      .*\n)*", "\n", config)
    config = re.sub(r"\n  - Notebooks:\n(      .*\n)*", "\n", config)
    config = config.replace("scripts/hooks/", str(ROOT / "scripts/hooks") + "/")
    config = re.sub(r"\nwatch:\n(  .*\n?)*", "\n", config)
    path = scratch / "mkdocs-without-notebooks.yml"
    path.write_text(config + f"\ndocs_dir: {ROOT / 'docs'}\n")
    return path


def timed_build(cache, destination, config=ROOT / "mkdocs.yml"):
    # The typeset math is cached beside the figures: cold means both caches empty.
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                    "-d", str(destination)], cwd=ROOT, check=True,
                   env=dict(os.environ, VG_CACHE=str(cache), NO_MKDOCS_2_WARNING="1",
                            VG_MATH_CACHE=str(cache.parent / "math-cache")))
    return time.perf_counter() - start


def timed_render(module, destination):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snippets.figures.render", module, str(destination)],
                   cwd=ROOT, check=True, env=figure_cache.render_environment())
    return time.perf_counter() - start


def chapter_modules(page, manifests):
    """Figure modules whose figures or values ``page`` uses."""
    text = page.read_text(encoding="utf-8")
    names = set(FIGURE_LINE.findall(text)) | set(VALUE.findall(text))
    return sorted(module for module, manifest in manifests.items()
                  if names & (set(manifest["figures"]) | set(manifest["values"])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        # With and without the notebooks, back to back, so both see the same machine load.
        plain = without_notebooks_config(scratch)
        cold_plain = timed_build(scratch / "plain" / "cache", scratch / "site", plain)
        cold = timed_build(scratch / "cache", scratch / "site")
        warm_plain = statistics.median(timed_build(scratch / "plain" / "cache",
                                                   scratch / "site", plain)
                                       for _ in range(args.repeats))
        warm = statistics.median(timed_build(scratch / "cache", scratch / "site")
                                 for _ in range(args.repeats))
        config = floor_config(scratch)
        floor = statistics.median(timed_build(scratch / "cache", scratch / "site", config)
                                  for _ in range(args.repeats))
        print(f"cold build (empty cache)    {cold:6.2f} s   {cold / floor:5.2f} × floor"
              f"   (goal ≤ 30 s on 2 cores)")
        print(f"warm build (full cache)     {warm:6.2f} s   {warm / floor:5.2f} × floor"
              f"   (goal ≤ 1.30 ×)")
        print(f"floor (no figure step)      {floor:6.2f} s")
        print(f"without the notebooks: cold {cold_plain:6.2f} s, warm {warm_plain:6.2f} s;"
              f" the notebooks add {cold / cold_plain - 1:+.0%} cold "
              f"(goal ≤ +25 %), {warm - warm_plain:+.2f} s warm")

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sitebuild.notebooks"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL,
                       env=dict(os.environ, VG_CACHE=str(scratch / "notebooks-only" / "cache")))
        print(f"\nnotebooks executed alone, cold ({notebooks.WORKERS} kernels at a time)"
              f"   {time.perf_counter() - start:6.2f} s")

        print("\nrender time per figure module (fresh interpreter, both palettes + values):")
        seconds, manifests = {}, {}
        for module in figure_cache.figure_modules():
            target = scratch / module
            target.mkdir()
            seconds[module] = timed_render(module, target)
            manifests[module] = json.loads((target / "manifest.json").read_text())
            print(f"  {module:60s} {seconds[module]:6.2f} s")
        print(f"  {'sum':60s} {sum(seconds.values()):6.2f} s")

        print("\ncold figure generation per chapter: sequential sum of its modules, and wall "
              "clock with the build's two renderers in parallel:")
        for page in sorted((ROOT / "docs" / "chapters").glob("*.md")):
            modules = chapter_modules(page, manifests)
            total = sum(seconds[module] for module in modules)
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(max_workers=figure_cache.WORKERS) as pool:
                futures = []
                for module in modules:
                    target = scratch / f"{page.stem}-{module}"
                    target.mkdir()
                    futures.append(pool.submit(timed_render, module, target))
                for future in futures:
                    future.result()
            wall = time.perf_counter() - start
            print(f"  {page.name:36s} {total:6.2f} s sequential   {wall:6.2f} s wall "
                  f"({len(modules)} modules)")


if __name__ == "__main__":
    main()
