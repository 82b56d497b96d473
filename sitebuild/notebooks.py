"""The companion notebooks: jupytext percent-format sources in notebooks/<chapter>.py, executed
into .ipynb files (outputs included) cached beside the figure cache.

    python -m sitebuild.notebooks            # execute whatever is stale, print what it did

``<cache>/notebooks/<chapter>-<key>/notebooks/<chapter>.ipynb`` is the executed notebook (the
inner folder is its path on the site). The key is the
content hash (sitebuild/cache.py: content_key) of the notebook source, of
every ``snippets`` module it imports (followed transitively), of this executor, and of the
versions of Python and of the packages that can change an output, so an edited snippet
re-executes exactly the notebooks that import it and nothing stale is ever published.
Execution goes through nbclient, cell by cell, with a timeout per cell; a cell that raises
stops the build with a message naming the notebook and the cell. Cell ids are numbered from
the cell index and no timing is recorded, so two executions of the same sources are
byte-identical.
"""

import concurrent.futures
import logging
import os
import signal
import sys
import tempfile
import threading

from sitebuild import cache, figure_cache

# jupytext, nbformat, nbclient and jupyter_client are imported where a notebook is read or
# executed: a build that finds every notebook cached does not pay for them.

ROOT = cache.ROOT
SOURCES = ROOT / "notebooks"
EXECUTOR = "sitebuild/notebooks.py"
# Packages whose versions can change an executed notebook's bytes, besides the figure cache's.
VERSIONED = (*cache.VERSIONED, "ipykernel", "ipython", "nbclient", "nbformat",
             "jupytext")
CELL_TIMEOUT = float(os.environ.get("VG_NOTEBOOK_TIMEOUT", 300))  # seconds per cell
KERNEL = "python3"
WORKERS = figure_cache.WORKERS

# A stopped build (Ctrl-C, SIGTERM, a failed step) starts no further notebook or cell, and
# the kernels running are killed: the build's process would otherwise wait for them at exit.
_stopped = threading.Event()
_kernels = set()            # kernel managers whose kernel is running
_kernels_lock = threading.Lock()


def stop():
    """Stop executing notebooks: nothing new starts, and every running kernel is killed."""
    _stopped.set()
    with _kernels_lock:
        running = list(_kernels)
    for kernel in running:
        process = getattr(getattr(kernel, "provisioner", None), "process", None)
        if process is not None:  # the kernel leads its own session (jupyter_client)
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

log = logging.getLogger("mkdocs.plugins.executed.notebooks")


class NotebookError(RuntimeError):
    """A notebook failed to execute; the message names the notebook and the cell."""


def notebook_sources():
    """The notebook sources, notebooks/<chapter>.py, by name."""
    return sorted(SOURCES.glob("*.py"))


def notebook_key(source):
    """Content hash of everything the executed notebook ``source`` depends on."""
    return cache.content_key(cache.relative_dependencies(source) | {EXECUTOR}, VERSIONED)


def read_notebook(source):
    """The notebook of a percent-format source, with cell ids numbered from the cell index
    (jupytext draws random ones) and without jupytext's own metadata."""
    import jupytext

    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
    return notebook


def _cell_title(cell):
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else "(empty)"
    return first if len(first) <= 70 else first[:67] + "…"


def merge_streams(cell):
    """Join adjacent outputs of the same stream (stdout, stderr) into one. How many pieces a
    kernel sends depends on timing (a print during a slow loop is flushed on its own), so
    without this two executions of the same cell can differ in bytes but not in text."""
    merged = []
    for output in cell.get("outputs", []):
        if (merged and output.get("output_type") == "stream"
                and merged[-1].get("output_type") == "stream"
                and merged[-1]["name"] == output["name"]):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    if "outputs" in cell:
        cell.outputs = merged


def execute(notebook, name, after_cells=None, folder=SOURCES):
    """Run every code cell of ``notebook`` in a fresh kernel started in ``folder`` (outputs
    stored in place) and return it. ``after_cells(client)`` (tests) runs once the cells have
    run, with the kernel still alive. Raises NotebookError naming ``name`` and the cell."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    index = 0
    with tempfile.TemporaryDirectory(prefix="vg-kernel-") as runtime:
        # IPC sockets in a private folder: over TCP, ipykernel warns on every run that its
        # traffic is unencrypted (it is local and short-lived, but the warning is right).
        kernel = AsyncKernelManager(kernel_name=KERNEL, transport="ipc",
                               connection_file=os.path.join(runtime, "kernel.json"))
        # shutdown_kernel="immediate": a kernel stopped mid-cell (timeout) is killed, not
        # asked to stop while its sockets' folder is being removed.
        client = NotebookClient(notebook, km=kernel, timeout=CELL_TIMEOUT, allow_errors=False,
                                record_timing=False, shutdown_kernel="immediate",
                                resources={"metadata": {"path": str(folder)}})
        try:
            # cleanup_kc: a kernel manager passed in is otherwise left running
            with client.setup_kernel(cleanup_kc=True, env=figure_cache.render_environment()):
                with _kernels_lock:
                    _kernels.add(kernel)
                try:
                    for index, cell in enumerate(notebook.cells):
                        if _stopped.is_set():
                            raise NotebookError(f"{name}: the build was stopped")
                        client.execute_cell(cell, index)
                        merge_streams(cell)
                finally:
                    with _kernels_lock:
                        _kernels.discard(kernel)
                if after_cells is not None:
                    after_cells(client)
        except CellTimeoutError:
            raise NotebookError(f"{name}: cell {index} ({_cell_title(notebook.cells[index])}) "
                                f"took longer than {CELL_TIMEOUT:g} s (set VG_NOTEBOOK_TIMEOUT "
                                f"to allow more)") from None
        except CellExecutionError as error:
            raise NotebookError(f"{name}: cell {index} ({_cell_title(notebook.cells[index])}) "
                                f"raised {error.ename}: {error.evalue}\n{error}") from None
        except DeadKernelError as error:
            if _stopped.is_set():
                raise NotebookError(f"{name}: the build was stopped") from None
            raise NotebookError(f"{name}: the kernel died in cell {index}: {error}") from None
    return notebook


def executed_path(source):
    """Where the executed notebook of ``source`` is, in its cache folder and on the site."""
    return f"notebooks/{source.stem}.ipynb"


STORE = cache.Store("notebooks")


def _execute_into(source, folder):
    import nbformat

    if _stopped.is_set():
        raise NotebookError(f"{source.name}: the build was stopped")
    notebook = execute(read_notebook(source), source.relative_to(ROOT).as_posix())
    scratch = STORE.scratch()
    executed = scratch / executed_path(source)
    executed.parent.mkdir()
    nbformat.write(notebook, executed)
    STORE.publish(scratch, folder)


def ensure_executed():
    """Execute what is stale or fails verification and return {source: (cache folder,
    executed_path)} for every notebook.
    Raises NotebookError naming the first notebook and cell that fail."""
    folders = {source: STORE.entry(source.stem, notebook_key(source))
               for source in notebook_sources()}
    with STORE.lock("executions"):  # a second build at once waits, then reads the cache
        return _ensure_executed(folders)


def _ensure_executed(folders):
    # Executions of sources that changed or no longer exist, and killed builds' scratch.
    STORE.prune(wanted={folder.name for folder in folders.values()})
    stale = [source for source, folder in folders.items()
             if not STORE.usable(folder, log)
             or not (folder / executed_path(source)).is_file()]
    if stale:
        log.info("executing notebooks %s", ", ".join(source.name for source in stale))
        with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [pool.submit(_execute_into, source, folders[source]) for source in stale]
            for future in futures:
                future.result()  # the first failure (in source order) stops the build
    return {source: (folder, executed_path(source)) for source, folder in folders.items()}


def in_background(function):
    """Start ``function()`` in a background thread and return its Future: the build executes
    the notebooks (and renders their pages) while the figures render, filling the cores that
    the renders' start-up and tail leave idle."""
    _stopped.clear()  # here, on the build's thread: a stop that comes next is not undone
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                 thread_name_prefix="notebooks")
    try:
        return pool.submit(function)
    finally:
        pool.shutdown(wait=False)  # the submitted work still runs to its end


def main():
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        executed = ensure_executed()
    except NotebookError as error:
        print(error, file=sys.stderr)
        return 1
    for source, (folder, _) in executed.items():
        print(f"{source.relative_to(ROOT).as_posix():40s} {folder.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
