"""What evaluating each activation costs with numpy (chapter 1): a recorded measurement.

A timing is a fact about one machine at one moment, and the page's ordering statements turn on
it: timed during every build, two builds of one commit published different verdicts. So the
page shows the measurement recorded in ``activation_cost_measured.py`` (the machine, the date,
the command, every round's timings), and the build times nothing. ``make costs`` (this module
run as a program) measures again on the machine at hand and rewrites that file; commit it with
the change it explains. The activations are timed interleaved, ROUNDS rounds of one evaluation
each (snippets/core/activation_timing.py)."""

import datetime
import os
import platform
import sys
from pathlib import Path

import numpy as np

from snippets.core.activation_timing import activation_costs, cost_summary
from snippets.experiments import experiment
from snippets.experiments.why_relu_works import activation_cost_measured as measured

SEED = 0                 # draws the inputs x ~ N(0, 1) and the order within each round
SIZE = 1_000_000         # values per vectorised evaluation
ROUNDS = 41              # interleaved rounds: each activation timed once per round
RECORD = Path(__file__).with_name("activation_cost_measured.py")
COMMAND = "make costs"


@experiment
def costs():
    """{activation: nanoseconds per element in each recorded round}."""
    return {name: np.array(values) for name, values in measured.SAMPLES.items()}


@experiment
def cost_quartiles():
    """{activation: (q25, median, q75) of its nanoseconds per element over the rounds}."""
    return cost_summary(costs())


def machine():
    """The processor, core count, operating system and numpy of this machine, in words."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} logical cores, {platform.system()}, "
            f"Python {platform.python_version()}, numpy {np.__version__}")


def _record_text(samples, machine_text, date, size, rounds, seed):
    """The source of ``activation_cost_measured.py`` for one measurement."""
    lines = ['"""Chapter 1\'s activation timings, as measured by `' + COMMAND + '`',
             "(snippets/experiments/why_relu_works/activation_cost.py). Generated: to change it,",
             'measure again."""', "",
             f"MACHINE = {machine_text!r}", f"DATE = {date!r}", f"SIZE = {size!r}",
             f"ROUNDS = {rounds!r}", f"SEED = {seed!r}", "# activation → nanoseconds per "
             "element in each round", "SAMPLES = {"]
    for name, values in samples.items():
        lines.append(f"    {name!r}: [")
        lines += [f"        {', '.join(f'{value:.4f}' for value in values[i:i + 8])},"
                  for i in range(0, len(values), 8)]
        lines.append("    ],")
    return "\n".join([*lines, "}", ""])


def _measure_and_record(path=RECORD, size=SIZE, rounds=ROUNDS):
    samples = activation_costs(np.random.default_rng(SEED), size, rounds)
    date = datetime.datetime.now(datetime.UTC).date().isoformat()
    Path(path).write_text(_record_text(samples, machine(), date, size, rounds, SEED),
                          encoding="utf-8")
    for name, (low, median, high) in cost_summary(samples).items():
        print(f"{name:32s} median {median:6.2f} ns, IQR {low:.2f} – {high:.2f}")
    print(f"recorded in {path}")


if __name__ == "__main__":
    sys.exit(_measure_and_record())
