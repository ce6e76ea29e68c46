"""The analytic hierarchy process (AHP) of T. L. Saaty, for weighing a policy's criteria.

"How many times as important is A as B?", answered on Saaty's 1-9 scale for every pair of
criteria, gives a reciprocal matrix whose principal eigenvector is the criteria's
priorities, and whose consistency ratio (CR) says whether the judgements contradict each
other (above 0.10, revisit them).

>>> matrix = pairwise_matrix(["Environment", "Jobs", "SMEs"], {("Environment", "Jobs"): 3,
...     ("Environment", "SMEs"): 5, ("Jobs", "SMEs"): "2"})
>>> result = ahp(matrix)
>>> result.priorities.round(3).to_dict()
{'Environment': 0.648, 'Jobs': 0.23, 'SMEs': 0.122}
>>> round(result.cr, 3), result.consistent
(0.003, True)
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.tables import TableError

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

SAATY_SCALE = {
    1: "equal importance",
    2: "intermediate (between equal and moderate)",
    3: "moderate importance",
    4: "intermediate (between moderate and strong)",
    5: "strong importance",
    6: "intermediate (between strong and very strong)",
    7: "very strong importance",
    8: "intermediate (between very strong and extreme)",
    9: "extreme importance",
}
# Saaty's random index: the mean consistency index of random reciprocal matrices of size n.
# The classic table, commonly cited as Saaty (1977); Saaty's later values (2005,
# "Theory and Applications of the Analytic Network Process", p. 31) differ slightly:
# 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49 for n = 3..10.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
CONSISTENT_CR = 0.10
_TOLERANCE = 1e-6  # reciprocal and diagonal cells, relative
_SCALE_SLACK = 1e-3  # so that 0.111 is read as 1/9


def _number(value: object) -> float | None:
    """A cell or judgement as a float: 3, 0.5, "3", "1/3"; None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        number = float(value)
    else:
        try:
            number = float(Fraction(str(value).replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            return None
    return number if math.isfinite(number) else None


def _show(value: float) -> str:
    """3 -> '3', 0.3333333 -> '1/3', 0.4 -> '0.4'."""
    if 0 < value < 1 and abs(1 / value - round(1 / value)) < 1e-6:
        return f"1/{round(1 / value)}"
    return f"{value:.4g}"


def _about(ratio: float) -> str:
    """1.53 -> '1.5', 0.25 -> '1/4', 0.66 -> '0.66'."""
    if ratio >= 1 - 1e-9:
        return f"{round(ratio, 1):g}"
    inverse = round(1 / ratio, 1)
    return f"1/{inverse:g}" if inverse == round(inverse) else f"{ratio:.2f}"


# the settings of a judgement on Saaty's scale, as question 1's slider offers them: 1/9 to 9
SCALE_STEPS = tuple([1 / v for v in range(9, 1, -1)] + list(range(1, 10)))


def nearest_setting(value: float) -> float:
    """The setting of Saaty's scale (1/9, 1/8 ... 1/2, 1, 2 ... 9) nearest to a judgement,
    as ratios are compared: 15 is set to 9 (the scale's end), 0.6 to 1/2, 1.4 to 1.

    >>> nearest_setting(15), nearest_setting(0.6), nearest_setting(1.4)
    (9, 0.5, 1)
    """
    return min(SCALE_STEPS, key=lambda step: abs(math.log(value / step)))


def setting_words(a: str, b: str, value: float) -> str:
    """A judgement of ``a`` over ``b`` in the slider's words: "Jobs: 3x as important",
    "equally important", or, below 1, the other way round ("SMEs: 2x as important" for 1/2).
    ``value`` is a setting of the scale (:func:`nearest_setting`).

    >>> setting_words("Jobs", "SMEs", 3), setting_words("Jobs", "SMEs", 0.5)
    ('Jobs: 3x as important', 'SMEs: 2x as important')
    """
    if abs(value - 1) < 1e-9:
        return "equally important"
    return (
        f"{a}: {round(value)}x as important"
        if value > 1
        else f"{b}: {round(1 / value)}x as important"
    )


def _setting_note(a: str, b: str, value: float) -> str:
    """The setting of the slider nearest to a judgement of ``a`` over ``b``, in its words,
    with the exact value in brackets where it is not a setting: "'a: 9x as important', the
    scale's end (exactly 15)"."""
    step = nearest_setting(value)
    words = f"'{setting_words(a, b, step)}'"
    if value > 9 * (1 + 1e-6) or value < 1 / (9 * (1 + 1e-6)):
        words += ", the scale's end"
    if abs(math.log(value / step)) <= 1e-6:
        return words
    if value >= 1:
        return f"{words} (exactly {_about(value)})"
    return f"{words} (exactly {_about(value)}: '{b}' about {_about(1 / value)} times '{a}')"


def _given_words(a: str, b: str, value: float) -> str:
    """A judgement as given: in the slider's words if it is one of its settings."""
    if abs(math.log(value / nearest_setting(value))) <= 1e-6:
        return f"'{setting_words(a, b, nearest_setting(value))}'"
    return _show(value)


def pairwise_matrix(
    criteria: Sequence[str], judgements: Mapping[tuple[str, str], float | str]
) -> pd.DataFrame:
    """The full reciprocal comparison matrix from one judgement per pair of criteria.

    ``judgements[(a, b)] = v`` says that ``a`` is ``v`` times as important as ``b`` on
    Saaty's scale (:data:`SAATY_SCALE`, 1/9 to 9), as a number or as text such as "1/3".
    Give each pair once, either way round; the matrix holds ``v`` in row ``a``, column
    ``b``, ``1/v`` in the mirror cell and 1 on the diagonal.

    >>> pairwise_matrix(["Jobs", "SMEs"], {("SMEs", "Jobs"): "1/2"}).round(2).to_dict()
    {'Jobs': {'Jobs': 1.0, 'SMEs': 0.5}, 'SMEs': {'Jobs': 2.0, 'SMEs': 1.0}}
    """
    names = [str(c) for c in criteria]
    if not names or len(set(names)) != len(names) or not all(n.strip() for n in names):
        raise ValueError(f"the criteria are {names}; give one or more names, each once")
    matrix = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    given, problems = set(), []
    for pair, value in judgements.items():
        if not isinstance(pair, tuple) or len(pair) != 2:
            problems.append(f"{pair!r} is not a pair; write judgements as {{('A', 'B'): 3}}")
            continue
        a, b = map(str, pair)
        unknown = [n for n in (a, b) if n not in names]
        for name in unknown:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"'{name}' in {pair!r} is not a criterion{hint}")
        if unknown:
            continue
        if a == b:
            problems.append(f"{pair!r} compares '{a}' with itself; leave it out (it is 1)")
            continue
        if frozenset(pair) in given:
            problems.append(f"'{a}' and '{b}' are compared twice; keep one judgement")
            continue
        given.add(frozenset(pair))
        number = _number(value)
        where = f"the judgement of '{a}' over '{b}'"
        if number is None:
            problems.append(f"{where} is {value!r}; enter a number such as 3 or '1/3'")
        elif not 1 / 9 - _SCALE_SLACK <= number <= 9 + _SCALE_SLACK:
            problems.append(
                f"{where} is {_show(number)}; Saaty's scale runs from 1/9 to 9 (9: '{a}' is "
                f"of extreme importance compared with '{b}'; 1/9: the reverse)"
            )
        else:
            matrix.loc[a, b], matrix.loc[b, a] = number, 1 / number
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if frozenset((a, b)) not in given:
                problems.append(
                    f"no judgement for ('{a}', '{b}'); say how many times as important '{a}' "
                    f"is as '{b}' (1/9 to 9)"
                )
    if problems:
        raise TableError("set of pairwise judgements", problems)
    return matrix


def check_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """Check a pairwise comparison matrix; return it as floats or raise
    :class:`~eic.tables.TableError` naming each wrong cell.

    It must be square with the same criteria labelling rows and columns, hold positive
    numbers (or text such as "1/3"), 1 on the diagonal, and be reciprocal: the cell in row
    b, column a is 1 divided by the cell in row a, column b (to a millionth).
    """
    what = "comparison matrix"
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise TableError(what, ["expected a table with one row and one column per criterion"])
    rows, columns = [str(r) for r in matrix.index], [str(c) for c in matrix.columns]
    if sorted(rows) != sorted(columns) or len(set(rows)) != len(rows):
        raise TableError(
            what,
            [
                f"the rows are labelled {', '.join(rows)} but the columns {', '.join(columns)}; "
                "label rows and columns with the same criteria, once each (from a file, read "
                "it with index_col=0)"
            ],
        )
    table = matrix.set_axis(rows, axis=0).set_axis(columns, axis=1)[rows]
    values = np.full(table.shape, math.nan)
    problems = []
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            number = _number(table.iloc[i, j])
            if number is None or number <= 0:
                shown = repr(table.iloc[i, j]) if number is None else _show(number)
                problems.append(
                    f"row '{a}', column '{b}' is {shown}; enter a number above 0 such as 3 or '1/3'"
                )
            values[i, j] = math.nan if number is None else number
    for i, a in enumerate(rows):
        if abs(values[i, i] - 1) > _TOLERANCE:
            problems.append(f"row '{a}', column '{a}' is {values[i, i]:g}; the diagonal is 1")
        for j in range(i + 1, len(rows)):
            upper, lower = values[i, j], values[j, i]
            if upper > 0 and lower > 0 and abs(upper * lower - 1) > _TOLERANCE:
                problems.append(
                    f"row '{a}', column '{rows[j]}' is {_show(upper)} but the mirror cell "
                    f"(row '{rows[j]}', column '{a}') is {_show(lower)}; it should be "
                    f"{_show(1 / upper)}"
                )
    if problems:
        raise TableError(what, problems)
    return pd.DataFrame(values, index=rows, columns=rows)


@dataclass(frozen=True)
class AHPResult:
    """What :func:`ahp` finds: the ``priorities`` (shares summing to 1), the principal
    eigenvalue ``lambda_max``, the consistency index ``ci = (lambda_max - n) / (n - 1)``,
    the random index ``ri`` for n criteria and the consistency ratio ``cr = ci / ri``."""

    priorities: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    matrix: pd.DataFrame

    @property
    def consistent(self) -> bool:
        """CR of 0.10 or less: Saaty's rule for judgements consistent enough to use."""
        return self.cr <= CONSISTENT_CR

    def most_inconsistent(self) -> tuple[str, str]:
        """The pair (a, b) whose judgement is furthest from the ratio of the priorities
        (the largest |ln(a_ab * w_b / w_a)|)."""
        a = self.matrix.to_numpy()
        w = self.priorities.to_numpy()
        gap = np.abs(np.log(a * w[None, :] / w[:, None]))
        i, j = np.unravel_index(np.argmax(np.triu(gap, 1)), gap.shape)
        return self.priorities.index[i], self.priorities.index[j]

    def advice(self) -> str:
        n = len(self.priorities)
        if n <= 2:
            return f"With {n} criteria the judgements cannot contradict each other (CR 0)."
        if self.consistent:
            return (
                f"The consistency ratio, {self.cr:.3f}, is at most {CONSISTENT_CR:.2f}: the "
                "judgements are consistent enough to use the priorities."
            )
        if n == 3:
            return self._advice_for_three()
        a, b = self.most_inconsistent()
        implied = self.priorities[a] / self.priorities[b]
        return (
            f"The consistency ratio, {self.cr:.2f}, is above {CONSISTENT_CR:.2f}: the "
            f"judgements contradict each other. The one that fits the others least is "
            f"'{a}' over '{b}': you gave {_show(self.matrix.loc[a, b])} "
            f"({_given_words(a, b, self.matrix.loc[a, b])}); the priorities imply "
            f"{_setting_note(a, b, implied)}. Revisit that judgement first, then compute "
            "again."
        )

    def implied_by_the_others(self) -> dict[tuple[str, str], tuple[float, float]]:
        """For three criteria: each pair (a, b), written so that the judgement given is at
        least 1, with (the judgement given, the judgement the other two imply). With three
        criteria every judgement is equally far from the priorities, so no one of them can
        be blamed; what each would need to be, given the other two, is what helps.

        >>> r = ahp(pairwise_matrix("IER", {("E", "I"): 3, ("I", "R"): 5, ("E", "R"): 3}))
        >>> {f"{a} over {b}": round(v[1], 2) for (a, b), v in r.implied_by_the_others().items()}
        {'E over I': 0.6, 'I over R': 1.0, 'E over R': 15.0}
        """
        names = list(self.matrix.index)
        if len(names) != 3:
            raise ValueError("the judgements implied by the other two need exactly 3 criteria")
        cell = self.matrix.loc
        result = {}
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                (c,) = (name for name in names if name not in (a, b))
                if cell[a, b] < 1:
                    a_, b_ = b, a
                else:
                    a_, b_ = a, b
                # a over b through c: (a over c) x (c over b)
                result[(a_, b_)] = (float(cell[a_, b_]), float(cell[a_, c] * cell[c, b_]))
        return result

    def _advice_for_three(self) -> str:
        pairs = " ".join(
            f"For '{a}' over '{b}' you gave {_given_words(a, b, given)}; your other two "
            f"judgements imply {_setting_note(a, b, implied)}."
            for (a, b), (given, implied) in self.implied_by_the_others().items()
        )
        return (
            f"The consistency ratio, {self.cr:.2f}, is above {CONSISTENT_CR:.2f}: your three "
            "judgements cannot all hold at once. With three criteria no single judgement is "
            "to blame: each fits the other two equally badly. Here is the slider setting "
            f"each would need, given the other two. {pairs} Change the judgement you trust "
            "least, then compute again."
        )


def ahp(matrix: pd.DataFrame) -> AHPResult:
    """Priorities and consistency of a pairwise comparison matrix (Saaty's eigenvector method).

    The priorities are the principal eigenvector of the matrix, scaled to sum to 1; CR
    compares the judgements' inconsistency with that of random matrices: the random index
    (:data:`RANDOM_INDEX`) is the classic table commonly cited as Saaty (1977);
    Saaty's later values (2005, "Theory and Applications of the Analytic Network Process",
    p. 31) differ slightly. With one or two criteria CR is 0. At most 10 criteria: group
    more into a hierarchy.

    >>> result = ahp(pairwise_matrix("ABC", {("A", "B"): 9, ("B", "C"): 9, ("C", "A"): 9}))
    >>> round(result.cr, 2), result.consistent  # each beats the next: a circle
    (6.13, False)
    """
    table = check_matrix(matrix)
    n = len(table)
    if n > max(RANDOM_INDEX):
        raise ValueError(
            f"{n} criteria is too many: the random index is tabled for up to "
            f"{max(RANDOM_INDEX)}; group the criteria into a hierarchy of at most 10 each"
        )
    eigenvalues, eigenvectors = np.linalg.eig(table.to_numpy())
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    lambda_max = float(eigenvalues[k].real)
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    priorities = pd.Series(vector / vector.sum(), index=table.index, name="priority")
    return AHPResult(priorities, lambda_max, ci, ri, ci / ri if n > 2 else 0.0, table)


@remembered
def priorities_chart(result: AHPResult, *, title: str = "Priorities of the criteria") -> Figure:
    """The AHP priorities as bars (% of the total weight), highest first, with the CR."""
    import matplotlib.pyplot as plt

    priorities = result.priorities.sort_values()
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(priorities) + 1.8), layout="constrained")
    bars = ax.barh(priorities.index, 100 * priorities.to_numpy(), color=PALETTE[0])
    ax.bar_label(bars, [f"{100 * p:.1f} %" for p in priorities], padding=3)
    ax.set_xlim(0, 100 * priorities.max() * 1.2)
    ax.set_xlabel("Priority (% of the total weight)")
    ax.set_ylabel("Criterion")
    if result.consistent:
        verdict = f"{result.cr:.3f}, at most 0.10: consistent enough"
    else:
        verdict = f"{result.cr:.2f}, above 0.10: revisit the judgements"
    ax.set_title(f"{title}\nConsistency ratio {verdict}")
    return fig
