"""Where a build comes from: the git commit it was built from, and a build date fixed by that
commit so that two builds of one commit are byte-identical (sitemap dates, gzip headers).

Outside a git checkout (an unpacked archive) there is no commit: pages say so, and the build
date is the time of the build, as MkDocs does by default."""

import datetime
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*arguments):
    try:
        done = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True,
                              timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def build_commit():
    """The commit the working tree was checked out from, as a dict (``full``, ``short``,
    ``epoch``: its commit time in seconds, ``date``: that day as YYYY-MM-DD, ``modified``:
    whether tracked files differ from it), or None outside a git checkout."""
    described = _git("log", "-1", "--format=%H %ct")
    if described is None:
        return None
    full, epoch = described.split()
    modified = _git("status", "--porcelain", "--untracked-files=no") is not None
    date = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return {"full": full, "short": full[:7], "epoch": int(epoch), "date": date.isoformat(),
            "modified": modified}


def fix_build_date(commit, environment=os.environ):
    """Make MkDocs date the build by the commit (it reads SOURCE_DATE_EPOCH), unless the
    caller set SOURCE_DATE_EPOCH itself. Returns the epoch in force, or None."""
    if "SOURCE_DATE_EPOCH" not in environment and commit is not None:
        environment["SOURCE_DATE_EPOCH"] = str(commit["epoch"])
    return environment.get("SOURCE_DATE_EPOCH")
