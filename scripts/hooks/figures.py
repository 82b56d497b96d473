"""MkDocs hook: render the figures (scripts/figure_cache.py) and add them to the site as
generated files. Nothing is written into docs/."""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import figure_cache  # noqa: E402


def on_files(files, config):
    try:
        result = figure_cache.ensure_rendered()
    except figure_cache.RenderError as error:
        raise PluginError(str(error)) from None
    figure_cache.current_build.clear()  # read by the markers hook
    figure_cache.current_build.update(result)
    for folder, manifest in result.values():
        for filename in manifest["files"]:
            files.append(File.generated(config, f"figures/{filename}",
                                        abs_src_path=str(folder / filename)))
    return files
