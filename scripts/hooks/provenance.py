"""MkDocs hook: record the commit a build comes from (shown in every page's footer) and date
the build by it, so that two builds of one commit are byte-identical."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import provenance  # noqa: E402

# Set once per process: `mkdocs serve` keeps the date of the commit it started from, and a
# SOURCE_DATE_EPOCH given by the caller always wins.
_COMMIT = provenance.build_commit()
provenance.fix_build_date(_COMMIT)


def on_config(config):
    config.extra["build_commit"] = _COMMIT
    return config
