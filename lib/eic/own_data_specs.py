"""What each module's "use your own data" panel accepts, and the analysis it runs.

One :class:`DataSpec` per module (2 to 7): the table's name, its columns with what to put
in each (the template's guide, with units), the course dataset that fills the template,
the module's own check, and the analysis (:mod:`eic.own_analyses`). The panel itself is
:class:`eic.own_data.OwnDataPanel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from eic import data
from eic import widgets as w
from eic.answers import AnswerStore
from eic.own_analyses import (
    employment_analysis,
    firms_analysis,
    flows_analysis,
    instruments_analysis,
    inventory_analysis,
    options_analysis,
)
from eic.own_tables import OWN_TABLES
from eic.table_templates import rows_from_example


@dataclass(frozen=True)
class DataSpec:
    """What one module's panel accepts and what it does with it."""

    module: str
    name: str  # the saved file's name: <module>-own-<name>.csv
    what: str  # "employment table"
    example: str  # the course dataset the template is filled with
    columns: tuple[str, ...]  # the template's columns, in order
    guide: tuple[tuple[str, str], ...]  # (column, what to put in it, with its unit)
    check: Callable[[pd.DataFrame], pd.DataFrame]
    analyse: Callable[..., w.Widget]
    # the analysis has choices or figures of its own (Module 2's region and start year,
    # Module 3's substance, Module 4's distance limit, Module 6's plant costs and sharing
    # rule, Module 7's budget and weights), kept with the table: it is called as
    # analyse(table, settings=..., remember=...)
    keeps_settings: bool = False
    # the analysis uses the module's recorded answers too (Module 7's priorities from
    # question 1): it is called with answers=<the module's AnswerStore> as well
    reads_answers: bool = False

    def run(
        self,
        table: pd.DataFrame,
        *,
        settings: dict | None = None,
        remember: Callable[[dict], None] | None = None,
        answers: AnswerStore | None = None,
    ) -> w.Widget:
        """The analysis of a checked ``table``, given what it asks for besides the table:
        the settings kept with it and how to keep them, and the module's answers."""
        kept = {"settings": settings, "remember": remember} if self.keeps_settings else {}
        if self.reads_answers:
            kept["answers"] = answers
        return self.analyse(table, **kept)

    def example_table(self) -> pd.DataFrame:
        return data.load(self.example)[list(self.columns)]

    def example_rows(self, clean: pd.DataFrame) -> list[int]:
        """The positions of the rows of ``clean`` (a checked table) that are rows of the
        course's example, every cell the same."""
        return rows_from_example(clean, self.check(self.example_table()))


def _checks() -> dict[str, Callable[[pd.DataFrame], pd.DataFrame]]:
    from eic.appraisal import check_options
    from eic.clusters import check_employment
    from eic.cost_sharing import check_firms
    from eic.firm_inventory import check_inventory
    from eic.flows import check_flows
    from eic.policy import check_instruments

    return {
        "m02": check_employment,
        "m03": check_flows,
        "m04": check_inventory,
        "m05": check_options,
        "m06": check_firms,
        "m07": check_instruments,
    }


def _check(module: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def check(table: pd.DataFrame) -> pd.DataFrame:
        return _checks()[module](table)

    check.__name__ = f"check_{module}"
    return check


SPECS: dict[str, DataSpec] = {
    spec.module: spec
    for spec in (
        DataSpec(
            "m02",
            OWN_TABLES["m02"],
            "employment table",
            "regional_employment",
            ("region", "sector", "year", "employment"),
            (
                ("region", "the region's name; include every region of the country (or the "
                 "rest of the country as one region), since the nation is their sum; "
                 "no row for the whole country, and regions of one level only (provinces, "
                 "or the larger regions they make up, not both)"),
                ("sector", "the sector's name, spelt the same in every region and year; no "
                 "row for all sectors together, nor for a group beside its branches"),
                ("year", "the year, e.g. 2020; two years give the shift-share too"),
                ("employment", "persons employed in that region, sector and year (0 or more). "
                 "A table as yearbooks print it, with columns region and year and a column "
                 "of persons employed for each sector, is read too"),
            ),
            _check("m02"),
            employment_analysis,
            keeps_settings=True,
        ),
        DataSpec(
            "m03",
            OWN_TABLES["m03"],
            "flow table",
            "dyeing_cluster_flows",
            ("flow", "source", "target", "substance", "quantity", "unit"),
            (
                ("flow", "a name for the flow, different on every row"),
                ("source", "the process it leaves (blank if it comes from outside)"),
                ("target", "the process it enters (blank if it leaves the cluster; 'stock' "
                 "if it stays in its process, such as a tank filling up)"),
                ("substance", "what flows, e.g. water or salt"),
                ("quantity", "how much (0 or more); leave a flow blank to have it found "
                 "from its process's balance (one blank flow per process and substance)"),
                ("unit", "the unit, one of m3/day, m3/yr, ML/day, t/day, t/yr, kg/day, "
                 "kWh/day, MWh/yr or GJ/yr; the same unit for one substance (another unit is "
                 "refused with how to convert it; write ML/day, megalitres, with capitals)"),
            ),
            _check("m03"),
            flows_analysis,
            keeps_settings=True,
        ),
        DataSpec(
            "m04",
            OWN_TABLES["m04"],
            "firm inventory",
            "sme_inventory",
            ("firm", "x_km", "y_km", "flow", "material", "tonnes_per_year", "grade"),
            (
                ("firm", "the firm's name"),
                ("x_km", "its position east of any fixed point, in km (or, in place of "
                 "x_km and y_km, give columns 'latitude' and 'longitude' in degrees: they are "
                 "turned into km; degrees pasted into x_km and y_km are refused)"),
                ("y_km", "its position north of the same point, in km"),
                ("flow", "'supplies' for a by-product it has, 'needs' for an input it buys"),
                ("material", "the material, spelt the same for supplier and receiver"),
                ("tonnes_per_year", "tonnes per year (0 or more)"),
                ("grade", "quality, 1 = cleanest; for 'needs', the worst grade accepted"),
            ),
            _check("m04"),
            inventory_analysis,
            keeps_settings=True,
        ),
        DataSpec(
            "m05",
            OWN_TABLES["m05"],
            "table of investment options",
            "cluster_options",
            (
                "option",
                "investment_usd",
                "annual_saving_usd",
                "life_years",
                "abatement_tco2e_per_yr",
            ),
            (
                ("option", "the option's name, one row each (no row for their total)"),
                ("investment_usd", "the investment, in USD, paid in year 0; convert amounts "
                 "in your own currency at one exchange rate, and say which in your report"),
                ("annual_saving_usd", "the money it saves each year, in USD/yr, at the same "
                 "exchange rate"),
                ("life_years", "its life, in years"),
                ("abatement_tco2e_per_yr", "the emissions it avoids, in tCO2e per year; the "
                 "best set adds them up, so no two options may save the same fuel or "
                 "electricity"),
            ),
            _check("m05"),
            options_analysis,
        ),
        DataSpec(
            "m06",
            OWN_TABLES["m06"],
            "firms table",
            "cetp_firms",
            ("firm", "effluent_m3_per_day", "cod_mg_per_l"),
            (
                ("firm", "the firm's name, one row each (no row for their total)"),
                ("effluent_m3_per_day", "the effluent it sends to the shared plant, in m3 per "
                 "day (above 0)"),
                ("cod_mg_per_l", "its effluent's strength as COD, in mg/l: one for every firm, or "
                 "leave the whole column out if you do not know them all"),
            ),
            _check("m06"),
            firms_analysis,
            keeps_settings=True,
        ),
        DataSpec(
            "m07",
            OWN_TABLES["m07"],
            "table of policy instruments",
            "policy_instruments",
            (
                "instrument",
                "stream",
                "cost_usd_million",
                "environmental_benefit",
                "jobs_and_growth",
                "reach_to_smes",
            ),
            (
                ("instrument", "the candidate instrument's name, one row each (no row for "
                 "their total); at most 30"),
                ("stream", "the policy stream it belongs to: industrial, environmental or "
                 "regional development"),
                ("cost_usd_million", "its cost to the public budget over the period you plan "
                 "for, in USD million (0 or more; 0.4 is USD 400,000); convert amounts in your "
                 "own currency at one exchange rate, and say which in your report"),
                ("environmental_benefit", "its score for environmental benefit, in points from "
                 "0 (none) to 10 (the most); score every instrument on the same scale, "
                 "ideally agreed by the same team"),
                ("jobs_and_growth", "its score for jobs and growth, in points from 0 to 10, on "
                 "the same scale"),
                ("reach_to_smes", "its score for how well it reaches small and medium-sized "
                 "firms, in points from 0 to 10, on the same scale"),
            ),
            _check("m07"),
            instruments_analysis,
            keeps_settings=True,
            reads_answers=True,
        ),
    )
}  # fmt: skip

__all__ = ["SPECS", "DataSpec"]
