"""MkDocs hook: check the claims ledger (docs/claims.yml) and add the generated "Checked
claims" page."""

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import claims as ledger  # noqa: E402


def _page_title(file):
    text = Path(file.abs_src_path).read_text(encoding="utf-8") if file.abs_src_path else ""
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else file.src_uri


def on_files(files, config):
    try:
        loaded = ledger.load_ledger()
    except ledger.LedgerError as error:
        raise PluginError(str(error)) from None
    ledger.current_build.clear()  # read by the markers hook
    ledger.current_build.update((claim["id"], claim) for claim in loaded)
    titles = {file.src_uri: _page_title(file) for file in files.documentation_pages()}
    def test_url(test):
        return ledger.test_source_url(config.get("repo_url"), test)

    files.append(File.generated(config, "claims.md",
                                content=ledger.claims_page(loaded, titles, test_url)))
    return files
