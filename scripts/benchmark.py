"""Build-time benchmark: cold build (empty figure cache), warm build (full cache) and the floor
(the same pages with figure rendering off), plus the render time of each figure module and of
each chapter's figures. Prints; asserts nothing.

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

from scripts import figures_hook as hook  # noqa: E402


def timed_build(cache, destination, **env):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(destination)],
                   cwd=ROOT, check=True,
                   env=dict(os.environ, VG_CACHE=str(cache), NO_MKDOCS_2_WARNING="1", **env))
    return time.perf_counter() - start


def timed_render(module, destination):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snippets.figures.render", module, str(destination)],
                   cwd=ROOT, check=True, env=hook.render_environment())
    return time.perf_counter() - start


def chapter_modules(page, manifests):
    """Figure modules whose figures or values ``page`` uses."""
    text = page.read_text(encoding="utf-8")
    names = set(re.findall(r"\[\[(?:figure|value):\s*([a-z0-9-]+)\s*\]\]", text))
    return sorted(module for module, manifest in manifests.items()
                  if names & (set(manifest["figures"]) | set(manifest["values"])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        cold = timed_build(scratch / "cache", scratch / "site")
        warm = statistics.median(timed_build(scratch / "cache", scratch / "site")
                                 for _ in range(args.repeats))
        floor = statistics.median(timed_build(scratch / "cache", scratch / "site", VG_RENDER="off")
                                  for _ in range(args.repeats))
        print(f"cold build (empty cache)    {cold:6.2f} s   {cold / floor:5.2f} × floor")
        print(f"warm build (full cache)     {warm:6.2f} s   {warm / floor:5.2f} × floor"
              f"   (goal ≤ 1.30 ×)")
        print(f"floor (rendering off)       {floor:6.2f} s")

        print("\nrender time per figure module (fresh interpreter, both palettes + values):")
        seconds, manifests = {}, {}
        for module in hook.figure_modules():
            target = scratch / module
            target.mkdir()
            seconds[module] = timed_render(module, target)
            manifests[module] = json.loads((target / "manifest.json").read_text())
            print(f"  {module:48s} {seconds[module]:6.2f} s")

        print("\ncold figure generation per chapter: sequential sum of its modules, and wall "
              "clock with the build's two renderers in parallel:")
        for page in sorted((ROOT / "docs" / "chapters").glob("*.md")):
            modules = chapter_modules(page, manifests)
            total = sum(seconds[module] for module in modules)
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                targets = []
                for module in modules:
                    target = scratch / f"{page.stem}-{module}"
                    target.mkdir()
                    targets.append(pool.submit(timed_render, module, target))
                for future in targets:
                    future.result()
            wall = time.perf_counter() - start
            print(f"  {page.name:36s} {total:6.2f} s sequential   {wall:6.2f} s wall "
                  f"({len(modules)} modules)")


if __name__ == "__main__":
    main()
