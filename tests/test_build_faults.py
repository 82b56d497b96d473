"""A broken input to the build is reported in one line naming the file and the line, never as
a raw traceback from the parser or the JSON reader."""

import sys
from pathlib import Path

import pytest

from sitebuild import cache, plugin, typeset_math


def test_a_syntax_error_in_a_snippet_names_the_file_and_line(tmp_path):
    broken = tmp_path / "broken_snippet.py"
    broken.write_text("import numpy as np\n\n\ndef f(:\n    return 1\n", encoding="utf-8")
    with pytest.raises(cache.SourceError) as raised:
        cache.source_dependencies(broken)
    message = str(raised.value)
    assert message.startswith(f"{broken}, line 4: ") and "\n" not in message
    # The plugin turns it into a build error of that one line, not a traceback.
    assert issubclass(cache.SourceError, plugin.STEP_ERRORS)


def test_a_snippet_that_is_not_utf8_names_the_file(tmp_path):
    broken = tmp_path / "latin1_snippet.py"
    broken.write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    with pytest.raises(cache.SourceError, match="latin1_snippet.py: not UTF-8 text"):
        cache.source_dependencies(broken)


def test_mathjax_printing_something_else_than_json_is_a_math_error(tmp_path, monkeypatch):
    # A stand-in for Node that ignores the renderer and prints a line of text.
    fake = tmp_path / "fake_node.py"
    fake.write_text("import sys\nsys.stdin.read()\nprint('Warning: something odd')\n")
    monkeypatch.setattr(typeset_math, "node_executable", lambda: sys.executable)
    monkeypatch.setattr(typeset_math, "RENDERER", fake)
    monkeypatch.setattr(typeset_math, "STORE", cache.Store("math", tmp_path / "math"))
    with pytest.raises(typeset_math.MathError, match="printed something other than JSON: "
                                                     "'Warning: something odd"):
        typeset_math.render([("x^2 + 1", False)])


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has stopped; only its exit status is left


STOP_DRIVER = """
import sys, threading, time
from pathlib import Path
import nbformat
from sitebuild import notebooks

folder = Path(sys.argv[1])
started, second = folder / "kernel-pid", folder / "second-cell-ran"
notebook = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_code_cell(f"import os, time\\nopen({str(started)!r}, 'w')"
                              f".write(str(os.getpid()))\\ntime.sleep(600)"),
    nbformat.v4.new_code_cell(f"open({str(second)!r}, 'w').write('ran')")])
outcome = []

def run():
    try:
        notebooks.execute(notebook, "hanging.ipynb", folder=folder)
    except notebooks.NotebookError as error:
        outcome.append(str(error))

runner = threading.Thread(target=run)
runner.start()
while not (started.exists() and started.read_text()):
    time.sleep(0.05)
notebooks.stop()
runner.join()
print(outcome[0] if outcome else "no error")
"""


def test_stopping_the_notebooks_kills_the_running_kernel_and_starts_no_further_cell(tmp_path):
    """The kernel of a notebook hanging in its first cell is killed by ``notebooks.stop``,
    and its second cell never runs (in a process of its own, as in a build)."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", STOP_DRIVER, str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "hanging.ipynb: the build was stopped" in done.stdout
    assert not (tmp_path / "second-cell-ran").exists()
    assert not _alive(int((tmp_path / "kernel-pid").read_text()))


def test_a_build_stopped_during_its_steps_stops_the_notebooks(monkeypatch):
    from mkdocs.structure.files import Files

    from sitebuild import notebooks

    stopped = []
    monkeypatch.setattr(notebooks, "stop", lambda: stopped.append(True))
    site = plugin.SitePlugin()

    def interrupted(files, config):
        raise KeyboardInterrupt

    monkeypatch.setattr(site, "_add_figures", interrupted)
    with pytest.raises(KeyboardInterrupt):
        site.on_files(Files([]), config=None)
    assert stopped == [True]


RENDER_DRIVER = """
import logging, sys
logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
from sitebuild import figure_cache
figure_cache.figure_modules = lambda: ["snippets.figures.why_relu_works.activation_curves"]
figure_cache.ensure_rendered()
"""


def test_two_builds_at_once_render_a_figure_once(tmp_path):
    """Two processes that need the same stale figure at the same moment (two `make build` on a
    fresh clone): one renders it, the other waits on the cache and reads it."""
    import os
    import subprocess

    env = dict(os.environ, VG_CACHE=str(tmp_path / "cache"))
    builds = [subprocess.Popen([sys.executable, "-c", RENDER_DRIVER], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
              for _ in range(2)]
    outputs = [build.communicate(timeout=600)[0] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    renders = sum(output.count("rendering figures of") for output in outputs)
    assert renders == 1, outputs
