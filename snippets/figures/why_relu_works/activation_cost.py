"""The activation-cost table of chapter 1 (why-relu-works.md) and every ordering statement the
page makes about it, each generated from the measured quartiles, so the prose cannot
contradict the table."""

from snippets.core.activation_timing import (
    cheapest_statement,
    compare_costs,
    measurably_cheaper,
)
from snippets.experiments.why_relu_works import activation_cost_measured as measured
from snippets.experiments.why_relu_works.activation_cost import cost_quartiles
from snippets.figures.formatting import markdown_table, scientific
from snippets.figures.registry import quoted

RELU = "ReLU, max(0, z)"
TEXTBOOK_SIGMOID = "sigmoid, 1/(1+exp(−z))"
SAFE_SIGMOID = "sigmoid, overflow-safe form"
TANH = "tanh (numpy)"
# How the statements name the activations in running prose.
IN_PROSE = {RELU: "ReLU", TEXTBOOK_SIGMOID: "the textbook sigmoid 1/(1+exp(−z))",
            SAFE_SIGMOID: "our overflow-safe sigmoid", TANH: "numpy's tanh"}


def _in_prose():
    return {IN_PROSE[name]: quartiles for name, quartiles in cost_quartiles().items()}


@quoted("activation-cost-table")
def _cost_table():
    quartiles = cost_quartiles()
    baseline = quartiles[RELU][1]

    def relative(name, median):
        # A ratio is printed only where the spread supports an order (the prose's rule).
        if name == RELU:
            return "1×"
        if measurably_cheaper(quartiles, RELU, name) or measurably_cheaper(quartiles, name, RELU):
            return f"{median / baseline:.1f}×"
        return "not distinguishable"
    return markdown_table(
        ["activation", "median ns per element", "interquartile range (ns)",
         "cost relative to ReLU"],
        [[name, f"{median:.2f}", f"{low:.2f} – {high:.2f}", relative(name, median)]
         for name, (low, median, high) in quartiles.items()])


@quoted("activation-cost-size")
def _size():
    return scientific(measured.SIZE, digits=1).removeprefix("1 × ")  # "10⁶", as prose writes it


@quoted("activation-cost-rounds")
def _rounds():
    return str(measured.ROUNDS)


@quoted("activation-cost-machine")
def _machine():
    return measured.MACHINE


@quoted("activation-cost-date")
def _date():
    return measured.DATE


@quoted("activation-cost-cheapest")
def _cheapest():
    return cheapest_statement(_in_prose()) + "."


@quoted("activation-cost-tanh-vs-sigmoid")
def _tanh_vs_sigmoid():
    return compare_costs(_in_prose(), IN_PROSE[TANH], IN_PROSE[TEXTBOOK_SIGMOID])


@quoted("activation-cost-safe-vs-textbook-sigmoid")
def _safe_vs_textbook():
    return compare_costs(_in_prose(), IN_PROSE[SAFE_SIGMOID], IN_PROSE[TEXTBOOK_SIGMOID])
