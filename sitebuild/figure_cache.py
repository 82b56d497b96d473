"""The figure cache: every figure module rendered (light and dark SVG, quoted values) into a
git-ignored folder keyed by a hash of the code and packages it depends on.

    python -m sitebuild.figure_cache          # render whatever is stale, print what it did

``.cache/artifacts/<figure module>-<key>/`` holds a module's SVGs and ``manifest.json`` (alt
texts, captions, code sections, quoted values, and the SHA-256 of every file). The key covers
the figure module, every ``snippets`` module it imports (followed transitively), the renderer,
and the versions of Python and of every third-party package that can change the output, so an
edited snippet re-renders only the figure modules that depend on it. Renders run in fresh
interpreters: two workers, each rendering a balanced share of the stale modules in turn, with a
timeout per module; the first failure stops the build. (No figure module times anything:
chapter 1's activation timings are a recorded measurement, ``make costs``.) A folder
whose manifest or files do not match their recorded hashes is rendered again, never served.
"""

import atexit
import concurrent.futures
import contextlib
import hashlib
import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

from sitebuild import cache

ROOT = cache.ROOT
FIGURE_PACKAGE = ROOT / "snippets" / "figures"
CACHE = cache.root() / "artifacts"  # VG_CACHE moves every cache (the benchmark uses empty ones)
ALWAYS_DEPENDS = ("snippets/figures/render.py", "snippets/figures/registry.py",
                  "snippets/figures/style.py")
RENDER_TIMEOUT = float(os.environ.get("VG_RENDER_TIMEOUT", 600))  # seconds per module
WORKERS = 2

log = logging.getLogger("mkdocs.plugins.executed.figures")


class RenderError(RuntimeError):
    """A figure module failed, timed out, or left no valid output; the message names it."""


# ---------------------------------------------------------------------------- dependencies

def figure_modules():
    """Dotted names of the figure modules: snippets/figures/<chapter>/<module>.py."""
    return [".".join(path.relative_to(ROOT).with_suffix("").parts)
            for path in sorted(FIGURE_PACKAGE.glob("*/*.py")) if not path.stem.startswith("_")]


def module_dependencies(module):
    """Source files that ``module`` depends on: itself and every snippets module it imports,
    transitively, plus the rendering machinery. Paths relative to the repository root."""
    relative = {path.relative_to(ROOT).as_posix()
                for path in cache.source_dependencies(cache.module_file(module))}
    return sorted(relative | set(ALWAYS_DEPENDS))


def artifact_key(module):
    """Content hash of everything the artifacts of ``module`` depend on."""
    return cache.content_key(module_dependencies(module))


# ------------------------------------------------------------------------------- rendering

def render_environment():
    """Environment of a render process: no .pyc writes (under `mkdocs serve` they would land
    in the watched snippets/ folder) and one BLAS thread, since two renders share two cores."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(variable, "1")
    return env


# The render processes of this interpreter, for _stop_all. A process is started and added
# under the lock, and _stop_all takes the lock and sets _stopped first: a stop that arrives
# while a render is being started either kills it or prevents it (a render that became visible
# before it was registered used to escape the stop and keep the build waiting for it).
_running = set()
_running_lock = threading.Lock()
_stopped = threading.Event()


@atexit.register  # Ctrl-C on `mkdocs serve` or `build`: renders run in their own sessions
def _stop_all():
    """Kill every render process still running (each leads its own process group) and start
    no new one until the next ensure_rendered."""
    with _running_lock:
        _stopped.set()
        for process in _running:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _timings_file():
    return CACHE / "render-seconds.json"


def _read_timings():
    try:
        timings = json.loads(_timings_file().read_text(encoding="utf-8"))
        return timings if isinstance(timings, dict) else {}
    except (OSError, ValueError):
        return {}


def _record_timing(module, seconds):
    # Only a scheduling hint (longest renders start first), so a lost update costs nothing.
    with _running_lock:
        timings = _read_timings()
        timings[module] = round(seconds, 2)
        scratch = _timings_file().with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(timings, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(scratch, _timings_file())


def render_group(modules, targets):
    """Render ``modules`` one after another in one fresh interpreter, each into its target
    folder (atomically, on success). Raises RenderError naming the module that fails or takes
    longer than RENDER_TIMEOUT seconds."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        with _running_lock:
            if _stopped.is_set():
                raise RenderError(f"{modules[0]}: the build was stopped")
            scratch = store().scratch()
            stack.callback(shutil.rmtree, scratch, ignore_errors=True)
            # stdin is a pipe the render watches: should this interpreter die without
            # stopping it (SIGKILL), the render sees the pipe close and exits too.
            process = subprocess.Popen(
                [sys.executable, "-m", "snippets.figures.render", "--into", str(scratch),
                 *modules], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, env=render_environment(),
                start_new_session=True)
            _running.add(process)
        stack.callback(process.stdin.close)
        stack.callback(process.stdout.close)
        stack.callback(process.stderr.close)
        errors = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read()),
                                  daemon=True)
        reader.start()
        progress = queue.Queue()

        def forward_progress():
            for line in process.stdout:
                progress.put(line)
            progress.put(None)

        forwarder = threading.Thread(target=forward_progress, daemon=True)
        forwarder.start()
        current, started = None, time.perf_counter()
        try:
            heard = time.monotonic()
            while True:
                try:  # short waits: on the main thread, a signal is handled between them
                    line = progress.get(timeout=0.5)
                except queue.Empty:
                    if time.monotonic() - heard > RENDER_TIMEOUT:
                        raise RenderError(f"{current or modules[0]}: rendering took longer "
                                          f"than {RENDER_TIMEOUT:g} s (set VG_RENDER_TIMEOUT "
                                          f"to allow more)") from None
                    continue
                heard = time.monotonic()
                if line is None:
                    break
                kind, _, module = line.strip().partition(" ")
                if kind == "started":
                    current, started = module, time.perf_counter()
                elif kind == "finished":
                    _publish(module, scratch / module, targets[module])
                    _record_timing(module, time.perf_counter() - started)
        finally:
            if process.poll() is None:  # a timeout or a failed check: leave nothing running
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            reader.join()
            forwarder.join()
            with _running_lock:
                _running.discard(process)
        if process.returncode != 0:
            lines = "".join(errors).strip().splitlines()
            reason = lines[-1] if lines else f"exit status {process.returncode}"
            raise RenderError(f"{current or modules[0]}: {reason}\n" + "\n".join(lines))


def render(module, target):
    """Render one module into ``target`` through a fresh interpreter."""
    render_group([module], {module: target})


def store():
    """The figure cache's entries (CACHE, which the tests may move)."""
    return cache.Store("artifacts", folder=CACHE)


def _publish(module, rendered, target):
    if not _manifest_matches(rendered):
        raise RenderError(f"{module}: the render left no valid manifest")
    store().publish(rendered, target)


def balanced_groups(modules, timings, count):
    """Split ``modules`` into ``count`` groups of similar total time (longest first, each to
    the group with least work so far); modules never timed count as long."""
    groups = [[] for _ in range(count)]
    loads = [0.0] * count
    for module in sorted(modules, key=lambda name: -timings.get(name, 60.0)):
        least = loads.index(min(loads))
        groups[least].append(module)
        loads[least] += timings.get(module, 60.0)
    return [group for group in groups if group]


def read_manifest(folder):
    """The manifest of a rendered folder, or None if it is missing or unreadable."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def verified(folder):
    """True if the cache layer verifies the folder (every file has the digest recorded when
    it was published; the manifest is one of them) and its manifest lists the files."""
    return store().verified(folder) and _lists_files(folder)


def _lists_files(folder):
    manifest = read_manifest(folder)
    return isinstance(manifest, dict) and isinstance(manifest.get("files"), dict)


def _manifest_matches(folder):
    """A fresh render's own check, before it is published: its manifest parses and every file
    it lists has the hash the render recorded."""
    if not _lists_files(folder):
        return False
    for name, digest in read_manifest(folder)["files"].items():
        try:
            if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


def wait_interruptibly(futures, return_when=concurrent.futures.ALL_COMPLETED):
    """concurrent.futures.wait, waking twice a second. A signal that the kernel delivers to
    another thread only sets a flag for the main thread, which a wait without a timeout never
    looks at: a Ctrl-C or SIGTERM would wait for the renders to end. Returns the done set."""
    while True:
        done, pending = concurrent.futures.wait(futures, timeout=0.5, return_when=return_when)
        if not pending or (return_when == concurrent.futures.FIRST_EXCEPTION and any(
                future.exception() is not None for future in done)):
            return done


def _exit_on_sigterm():
    """While rendering, turn SIGTERM into SystemExit, so the cleanup below runs (its default
    action would kill the build and leave the renders running). Returns the previous handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise SystemExit(128 + signum)
    return signal.signal(signal.SIGTERM, stop)


def ensure_rendered():
    """Render what is stale or corrupt and return {module: (folder, manifest)} for every
    figure module. Raises RenderError naming the first module that fails."""
    _stopped.clear()  # a stop ends one build; `mkdocs serve` goes on to the next
    entries = store()
    folders = {module: entries.entry(module, artifact_key(module))
               for module in figure_modules()}
    # Two builds at once (two `make build`, or a build beside the tests): the second waits
    # for the first's renders and then finds them in the cache, instead of rendering
    # everything a second time and pruning the first's scratch from under it.
    with entries.lock("renders"):
        return _ensure_rendered(entries, folders)


def _ensure_rendered(entries, folders):
    # Renders of old code or of modules that no longer exist, and killed builds' scratch.
    entries.prune(wanted={folder.name for folder in folders.values()})
    stale = []
    for module, folder in folders.items():
        if not (entries.usable(folder, log) and _lists_files(folder)):
            shutil.rmtree(folder, ignore_errors=True)
            stale.append(module)
    if stale:
        log.info("rendering figures of %s", ", ".join(stale))
        groups = balanced_groups(stale, _read_timings(), WORKERS)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(groups)))
        previous = _exit_on_sigterm()
        try:
            futures = [pool.submit(render_group, group, folders) for group in groups]
            done = wait_interruptibly(futures, return_when=concurrent.futures.FIRST_EXCEPTION)
            failed = [future for future in done if future.exception() is not None]
            if failed:  # the first failure stops the build: stop the other worker too
                raise failed[0].exception()
        except BaseException:  # a failure, or Ctrl-C: no render may outlive the build
            _stop_all()
            raise
        finally:
            pool.shutdown(wait=True)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    return {module: (folder, read_manifest(folder)) for module, folder in folders.items()}


def main():
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        rendered = ensure_rendered()
    except RenderError as error:
        print(error, file=sys.stderr)
        return 1
    for module, (folder, manifest) in rendered.items():
        print(f"{module:60s} {len(manifest['figures']):2d} figures "
              f"{len(manifest['values']):2d} values  {folder.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
