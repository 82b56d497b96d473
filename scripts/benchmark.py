"""Build-time benchmark. Prints; asserts nothing.

    .venv/bin/python scripts/benchmark.py [--repeats 3]    (or `make bench`)
    .venv/bin/python scripts/benchmark.py --smoke          (every step once, warm caches only)

- cold build: every cache empty (experiments, figures, notebooks, notebook pages, math);
- warm build: every cache full (the median of ``--repeats``);
- floor: the same pages with the figure step replaced by reading the newest cached manifests
  (no hashing, no verifying, no figure files), the floor a warm build can approach;
- the companion notebooks executed alone, with cold caches;
- the time of each figure module rendered alone in a fresh interpreter, with its experiments
  cold and then cached, and the CPU time of the cold build.

The builds run in a scratch folder with their own cache root (VG_CACHE); the configuration is
mkdocs.yml with absolute paths, so MkDocs finds the pages and the theme overrides from there.
``--smoke`` runs each kind of measurement once on the checkout's own (warm) cache: the test
suite runs it so that the benchmark cannot stop working unnoticed.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitebuild import cache, figure_cache

ROOT = cache.ROOT
GOALS = {"cold": 60.0, "warm over floor": 1.3}  # issue 19, on a quiet 2-core machine

# The floor's stand-in for the plugin: a hook module whose events are those of a SitePlugin
# whose figure step reads the newest cached manifests instead of rendering and verifying. It
# lives here, not in the production code.
FLOOR_HOOK = '''
import json
from sitebuild import figure_cache
from sitebuild.plugin import SitePlugin


class FloorPlugin(SitePlugin):
    def _add_figures(self, files, config):
        self.figures = {}
        for module in figure_cache.figure_modules():
            newest = sorted(figure_cache.CACHE.glob(module + "-*/manifest.json"),
                            key=lambda path: path.stat().st_mtime)[-1]
            self.figures[module] = (newest.parent, json.loads(newest.read_text()))


_plugin = FloorPlugin()
on_startup, on_config, on_pre_build = _plugin.on_startup, _plugin.on_config, _plugin.on_pre_build
on_files, on_page_markdown = _plugin.on_files, _plugin.on_page_markdown
on_page_content, on_post_build = _plugin.on_page_content, _plugin.on_post_build
'''


def config_file(scratch, floor=False):
    """mkdocs.yml with absolute paths (docs, theme overrides), without `watch`; for the floor,
    with the plugin replaced by FLOOR_HOOK."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = re.sub(r"\nwatch:\n(  .*\n?)*", "\n", config)
    config += f"\ndocs_dir: {ROOT / 'docs'}\n"
    name = "mkdocs-bench.yml"
    if floor:
        hook = scratch / "floor_hook.py"
        hook.write_text(FLOOR_HOOK, encoding="utf-8")
        config = re.sub(r"\n  - executed\n", "\n", config)
        config += f"hooks:\n  - {hook}\n"
        name = "mkdocs-floor.yml"
    path = scratch / name
    path.write_text(config, encoding="utf-8")
    return path


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, cache_root):
    """(wall seconds, CPU seconds of the command and its children) of one run."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, VG_CACHE=str(cache_root), NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - start, _children_cpu() - cpu


def build_command(config, destination):
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
            "-d", str(destination)]


def render_command(module, destination):
    return [sys.executable, "-m", "snippets.figures.render", module, str(destination)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true",
                        help="each measurement once, on the checkout's own warm cache")
    args = parser.parse_args()
    if not 1 <= args.repeats <= 20:
        parser.error("--repeats must be from 1 to 20")
    repeats = 1 if args.smoke else args.repeats
    with tempfile.TemporaryDirectory(prefix="vg-bench-") as scratch:
        scratch = Path(scratch)
        caches = cache.root() if args.smoke else scratch / "cache"
        site = scratch / "site"
        config, floor_config = config_file(scratch), config_file(scratch, floor=True)
        if not args.smoke:
            cold, cold_cpu = timed(build_command(config, site), caches)
            print(f"cold build (every cache empty) {cold:7.2f} s   CPU {cold_cpu:6.1f} s"
                  f"   (goal ≤ {GOALS['cold']:g} s)")
        warm = statistics.median(timed(build_command(config, site), caches)[0]
                                 for _ in range(repeats))
        floor = statistics.median(timed(build_command(floor_config, site), caches)[0]
                                  for _ in range(repeats))
        print(f"warm build (every cache full)  {warm:7.2f} s   {warm / floor:5.2f} × floor"
              f"   (goal ≤ {GOALS['warm over floor']:.2f} ×)")
        print(f"floor (no figure step)         {floor:7.2f} s")

        notebook_caches = caches if args.smoke else scratch / "notebooks-only"
        wall, cpu = timed([sys.executable, "-m", "sitebuild.notebooks"], notebook_caches)
        print(f"\nnotebooks executed alone{'' if args.smoke else ', cold'}"
              f"     {wall:7.2f} s   CPU {cpu:6.1f} s")

        modules = figure_cache.figure_modules()[:1] if args.smoke else \
            figure_cache.figure_modules()
        print("\nrender time per figure module (fresh interpreter, four SVGs per figure and "
              "the values): experiments computed, then read from the cache")
        module_caches = caches if args.smoke else scratch / "modules"
        totals = [0.0, 0.0]
        for module in modules:
            times = []
            for attempt in ("computed", "cached"):
                target = scratch / "renders" / f"{module}-{attempt}"
                target.mkdir(parents=True)
                times.append(timed(render_command(module, target), module_caches)[0])
                json.loads((target / "manifest.json").read_text(encoding="utf-8"))
            totals = [total + seconds for total, seconds in zip(totals, times)]
            print(f"  {module:60s} {times[0]:6.2f} s  {times[1]:6.2f} s")
        print(f"  {'sum':60s} {totals[0]:6.2f} s  {totals[1]:6.2f} s")


if __name__ == "__main__":
    main()
