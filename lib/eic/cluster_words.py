"""How Module 2's analyses say what they found: the names of the shift-share parts, a
location quotient and its threshold as the page shows them, and the reason given for each
sector being or not being a candidate cluster. :mod:`eic.clusters` and
:mod:`eic.cluster_charts` both say things this way, so the page, the charts and the
report agree.

>>> average_of(NATION), threshold_text(1.25)
('national average', '1.25')
"""

from __future__ import annotations

import math

# what all the regions of a table make up, as the course's table is a country's provinces
NATION = "the nation"
SHIFT_SHARE_COMPONENTS = ("national_share", "industry_mix", "regional_shift")


def component_labels(whole: str = NATION) -> dict[str, str]:
    """The shift-share parts' names, read against ``whole`` (see :func:`candidate_clusters`).

    >>> component_labels("the province")["national_share"]
    "Share of the province's growth (all sectors)"
    """
    if whole == NATION:
        return {
            "national_share": "National share (national growth)",
            "industry_mix": "Industry mix (sector's national trend)",
            "regional_shift": "Regional shift (competitive effect)",
        }
    return {
        "national_share": f"Share of {whole}'s growth (all sectors)",
        "industry_mix": f"Industry mix (sector's trend in {whole})",
        "regional_shift": "Regional shift (competitive effect)",
    }


COMPONENT_LABELS = component_labels()


def at_least(lq: float, threshold: float) -> bool:
    """``lq >= threshold``, counting an LQ equal but for rounding error as equal."""
    return lq >= threshold or math.isclose(lq, threshold, rel_tol=1e-9)


def lq_text(lq: float, threshold: float) -> str:
    """The LQ with 2 decimals, or 4 when 2 would make it look equal to the threshold."""
    text = f"{lq:.2f}"
    same = text == f"{threshold:.2f}" and not math.isclose(lq, threshold, rel_tol=1e-9)
    return f"{lq:.4f}" if same else text


def threshold_text(threshold: float) -> str:
    """The threshold as the explorer's slider and its sentence show it, with 2 decimals, or
    with all its digits when 2 would round it.

    >>> threshold_text(1.2), threshold_text(1.25), threshold_text(1.801)
    ('1.20', '1.25', '1.801')
    """
    text = f"{threshold:.2f}"
    return text if float(text) == threshold else f"{threshold:g}"


def average_of(whole: str) -> str:
    """LQ 1 in words: the average of what the table's regions make up.

    >>> average_of("the nation"), average_of("the province")
    ('national average', 'average of the province')
    """
    return "national average" if whole == NATION else f"average of {whole}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def against_whole(lq_text: str, whole: str) -> str:
    """What an LQ below the threshold says, read against the whole (LQ 1) as the reading
    does: above 1 is still more specialised than the whole, only not a candidate."""
    shown = float(lq_text)
    if shown > 1:
        return f"more specialised than {whole}, but not a candidate cluster"
    if shown < 1:
        return f"less specialised than {whole}, not a candidate cluster"
    return f"at the {average_of(whole)}, not a candidate cluster"


def candidate_reason(
    row, threshold: float, min_employment: float, start: int | None, whole: str = NATION
) -> str:
    lq, persons = lq_text(row.lq, threshold), f"{row.employment:,.0f} persons employed"
    cut = threshold_text(threshold)
    if not at_least(row.lq, threshold):
        reason = f"LQ {lq} is below the {cut} threshold: {against_whole(lq, whole)}"
    elif row.employment < min_employment:
        reason = (
            f"LQ {lq} is at least {cut} but {persons} is below {min_employment:,.0f}: too small"
        )
    elif min_employment > 0:
        reason = (
            f"LQ {lq} is at least {cut} and {persons} is at least "
            f"{min_employment:,.0f}: a candidate cluster"
        )
    else:
        reason = f"LQ {lq} is at least {cut}: a candidate cluster"
    if start is not None and not math.isnan(row.regional_shift):
        shift = int(round(row.regional_shift))  # as the reason shows it, in whole persons
        trend = "ahead of" if shift > 0 else "behind" if shift < 0 else "in line with"
        reason += (
            f"; regional shift since {start}: {shift:+,d} persons "
            f"({trend} the sector's {'national trend' if whole == NATION else f'trend in {whole}'})"
        )
    return reason
