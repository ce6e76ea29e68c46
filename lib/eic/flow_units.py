"""The units of a flow table (Module 3), and how to convert a unit it does not use.

A flow table accepts a short list of units (:data:`UNITS`). A unit of another scale or
time ("kWh/yr", "m3/h", "t/month") is refused with the arithmetic that turns it into one
of them (:func:`unit_advice`), never with a unit that merely looks alike: "kWh/yr" is a
thousand times smaller than "MWh/yr", and relabelling it would silently spoil a balance.
A unit that is one of them written another way ("m3/d", India's "KLD") is read as it
(:func:`same_unit`), and the note says so.
"""

from __future__ import annotations

import math

UNITS = (
    "m3/day",
    "m3/yr",
    "ML/day",
    "t/day",
    "t/yr",
    "kg/day",
    "kWh/day",
    "MWh/yr",
    "GJ/yr",
)
# The amount and the time of a unit, for saying how to convert one the table does not use:
# (quantity, size in m3, t or MWh) and days. Capitals matter in the first table: ML is
# megalitres and mL millilitres; 'ml' and 'Ml' are refused as either could be meant.
_AMOUNTS = {"ML": ("volume", 1e3), "mL": ("volume", 1e-6), "GL": ("volume", 1e6),
            "kL": ("volume", 1.0), "L": ("volume", 1e-3), "l": ("volume", 1e-3),
            "Mt": ("mass", 1e6), "MJ": ("energy", 1 / 3600),
            "kJ": ("energy", 1 / 3.6e6)}  # fmt: skip
_ANY_CASE = {"m3": ("volume", 1.0), "m³": ("volume", 1.0), "m^3": ("volume", 1.0),
             "litre": ("volume", 1e-3), "litres": ("volume", 1e-3), "liter": ("volume", 1e-3),
             "liters": ("volume", 1e-3), "t": ("mass", 1.0), "tonne": ("mass", 1.0),
             "tonnes": ("mass", 1.0), "kg": ("mass", 1e-3), "g": ("mass", 1e-6),
             "kt": ("mass", 1e3), "wh": ("energy", 1e-6), "kwh": ("energy", 1e-3),
             "mwh": ("energy", 1.0), "gwh": ("energy", 1e3), "gj": ("energy", 1 / 3.6),
             "tj": ("energy", 1e3 / 3.6)}  # fmt: skip
_DAYS = {"day": 1.0, "days": 1.0, "d": 1.0, "yr": 365.0, "year": 365.0, "years": 365.0,
         "y": 365.0, "a": 365.0, "annum": 365.0, "month": 365 / 12, "months": 365 / 12,
         "mo": 365 / 12, "mon": 365 / 12, "week": 7.0, "wk": 7.0, "h": 1 / 24, "hr": 1 / 24,
         "hour": 1 / 24, "min": 1 / 1440, "s": 1 / 86400, "sec": 1 / 86400}  # fmt: skip


def _unit_parts(unit: str) -> tuple[str, float, float] | str | None:
    """(quantity, size, days) of a unit such as 'kWh/yr'; 'ambiguous' for 'ml'; 'no time'
    for an amount with no time ('m3'); None when it is not recognised."""
    amount, _, period = unit.replace(" per ", "/").partition("/")
    amount, period = amount.strip().replace(" ", ""), period.strip().lower().rstrip(".")
    if amount in ("ml", "Ml"):
        return "ambiguous"
    found = _AMOUNTS.get(amount) or _ANY_CASE.get(amount.lower())
    if found is None:
        return None
    if not period:
        return "no time"
    days = _DAYS.get(period)
    return None if days is None else (found[0], found[1], days)


def _plain(number: float) -> str:
    """A number as an official writes it: 1,000,000, 30.42 or 0.000001, never 1e-06."""
    whole = round(number)
    if number >= 1:
        return f"{whole:,}" if abs(number - whole) < 1e-9 * number else f"{number:,.2f}"
    digits = max(0, -math.floor(math.log10(number))) + 3  # 4 significant figures
    return f"{number:.{digits}f}".rstrip("0").rstrip(".")


def _times(factor: float) -> str:
    """'multiply the quantity by 24': how to turn one unit's figure into another's."""
    verb, number = ("multiply", factor) if factor >= 1 else ("divide", 1 / factor)
    return f"{verb} the quantity by {_plain(number)}"


# units written as one abbreviation, as in India's pollution-control consents and in
# reports on Tirupur's plants: kilolitres a day, and million litres (megalitres) a day
_ABBREVIATED = {"kld": ("kL/day", "kilolitres a day"), "mld": ("ML/day", "million litres a day")}


def unit_advice(unit: str) -> str | None:
    """How to write a quantity given in ``unit`` in a unit the flow table uses, or None.

    A unit of the same quantity (volume, mass, energy) is chosen, by a factor of 10 if one
    will do, else by a whole number (12 months, 24 hours, 365 days); never a unit that
    merely looks alike, which could be another scale or quantity.

    >>> unit_advice("kWh/yr")
    'divide the quantity by 1,000 and write MWh/yr (1 kWh/yr = 0.001 MWh/yr)'
    >>> unit_advice("m3/h")
    'multiply the quantity by 24 and write m3/day (1 m3/h = 24 m3/day)'
    >>> unit_advice("KLD")
    "KLD (kilolitres a day) is the same unit as 'm3/day': write m3/day"
    """
    if unit.strip().lower() in _ABBREVIATED:
        written, meaning = _ABBREVIATED[unit.strip().lower()]
        advice = unit_advice(written) or ""
        return f"{unit.strip()} ({meaning}) " + advice.removeprefix("it ").replace(
            f"1 {written} =", f"1 {unit.strip()} ="
        )
    parts = _unit_parts(unit)
    if parts == "ambiguous":
        period = unit.partition("/")[2].strip() or "day"
        mega, milli = unit_advice(f"ML/{period}"), unit_advice(f"mL/{period}")
        if mega is None or mega.startswith("it is the same unit"):
            mega = "write ML/day, with a capital M and L"
        return (
            "it could mean millilitres or megalitres (a million litres); for "
            f"megalitres, {mega}; for millilitres, {milli or 'convert them to m3'}"
        )
    if parts == "no time":
        quantity = _unit_parts(unit + "/day")[0]  # type: ignore[index]
        same = [u for u in UNITS if _unit_parts(u)[0] == quantity]  # type: ignore[index]
        return (
            "a flow is an amount per time: give the amount per day or per year, in "
            + " or ".join([", ".join(same[:-1]), same[-1]] if len(same) > 1 else same)
        )
    if parts is None:
        return None
    quantity, size, days = parts
    choices = []
    for target in UNITS:
        t_quantity, t_size, t_days = _unit_parts(target)  # type: ignore[misc]
        if t_quantity != quantity:
            continue
        factor = (size / days) / (t_size / t_days)
        power = math.log10(factor)
        whole = max(factor, 1 / factor)
        simple = (
            0 if abs(power - round(power)) < 1e-9 else 1 if abs(whole - round(whole)) < 1e-6 else 2
        )
        rank = (simple, not math.isclose(size, t_size), abs(power))
        choices.append((rank, target, factor))
    _, target, factor = min(choices)
    if math.isclose(factor, 1):
        return f"it is the same unit as '{target}': write {target}"
    return f"{_times(factor)} and write {target} (1 {unit} = {_plain(factor)} {target})"


def same_unit(unit: object) -> str | None:
    """The table's unit that ``unit`` is another way of writing, or None: "m3/d", "kL/day"
    and India's "KLD" are "m3/day", "tonnes/year" is "t/yr", "MLD" is "ML/day". A unit of
    another scale or time, or one that could be read two ways ("ml/day"), is not.

    >>> [same_unit(u) for u in ("m3/d", "KLD", "MLD", "m3/h", "ml/day", "M3/Day")]
    ['m3/day', 'm3/day', 'ML/day', None, None, None]
    """
    text = str(unit).strip()
    if not text or any(text.casefold() == u.casefold() for u in UNITS):
        return None  # the unit itself, in any capitals (the check reads it, or refuses "ml")
    written = _ABBREVIATED.get(text.lower(), (text, ""))[0]
    parts = _unit_parts(written)
    if not isinstance(parts, tuple):
        return None
    same = [target for target in UNITS if _unit_parts(target) == parts]
    return same[0] if same else None
