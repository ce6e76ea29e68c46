"""The "use your own data" panels on tables as an official of a real cluster fills them in:
a plant's own figures, units of another scale, GPS positions, leftover example rows and
several missing flows. Each result is what the official means, or refused with the fix."""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import shown_html, widgets_in

from eic import data
from eic.firm_inventory import check_inventory
from eic.flows import check_flows
from eic.missing_flows import solve_unknowns
from eic.own_data import SPECS, OwnDataPanel
from eic.panels import cost_sharing_explorer, lq_explorer, portfolio_explorer
from eic.symbiosis import match_by_products, network_summary
from eic.table_templates import template_csv
from eic.tables import TableError


def text_of(value: str) -> str:
    """HTML as the participant reads it."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()


def rendered(widget) -> str:
    """All the text a widget and its children show."""
    return text_of(shown_html(widget))


def field(panel: OwnDataPanel, label: str):
    """The input of the panel's analysis whose description starts with ``label``."""

    found = [
        item
        for item in widgets_in(panel.analysis)
        if str(getattr(item, "description", "")).startswith(label)
    ]
    assert len(found) == 1, (label, [getattr(f, "description", "") for f in found])
    return found[0]


# Six firms of a leather and textile cluster: three tanneries with strong effluent.
# COD load (kg/day) = m3/day x mg/l / 1,000: 9,000 + 7,500 + 6,500 + 2,000 + 1,800 + 1,200
FIRMS = pd.DataFrame(
    {
        "firm": ["Tannery A", "Tannery B", "Tannery C", "Dye works", "Weaving mill", "Dairy"],
        "effluent_m3_per_day": [1_000, 1_000, 1_000, 2_000, 1_500, 1_500],
        "cod_mg_per_l": [9_000, 7_500, 6_500, 1_000, 1_200, 800],
    }
)
COD_KG_PER_DAY = 28_000
FLOW_M3_PER_DAY = 8_000


def firms_panel(folder) -> OwnDataPanel:
    panel = OwnDataPanel(SPECS["m06"], folder)
    assert panel.receive(template_csv(FIRMS), "our firms.csv")
    return panel


def enter_plant(panel: OwnDataPanel, *, cod: float) -> None:
    """The plant of the review: USD 150,000 a year fixed, USD 0.45 per m3 at its design flow
    of 8,000 m3/day, scale exponent 0.7."""
    field(panel, "Fixed cost").value = 150_000
    field(panel, "Design flow").value = 8_000
    field(panel, "Treatment cost at the design flow").value = 0.45
    field(panel, "Scale exponent").value = 0.7
    field(panel, "COD treatment cost").value = cod


# -- 1. the COD cost is a field the official sees and changes -----------------------------
def test_the_cod_treatment_cost_is_shown_in_the_formula_and_can_be_changed(folder):
    panel = firms_panel(folder)
    cod = field(panel, "COD treatment cost (USD per kg COD)")
    assert "COD" in text_of(panel.analysis.children[0].children[0].value)  # the formula
    enter_plant(panel, cod=0)
    # 150,000 + 365 x 0.45 x 8,000 = 1,464,000; no COD term
    assert "The shared plant costs USD 1,464,000 a year in all" in rendered(panel.analysis)
    cod.value = 0.10
    # + 365 x 0.10 x 28,000 kg/day = 1,022,000, so 2,486,000; COD 1,022,000 / 2,486,000 = 41 %
    shown = rendered(panel.analysis)
    assert "The shared plant costs USD 2,486,000 a year in all" in shown
    assert "of which USD 1,022,000 (41 %) is for treating COD at USD 0.1 per kg" in shown


def test_figures_still_at_the_course_values_are_named_as_the_course_example(folder):
    panel = firms_panel(folder)
    shown = rendered(panel.analysis)
    assert "Still the course's illustrative figures" in shown
    assert "the COD treatment cost" in shown and "the fixed cost" in shown
    # 365 x 0.25 x 28,000 = 2,555,000 USD a year for COD, said where the official sees it
    assert "USD 2,555,000 for treating 28,000 kg of COD a day at USD 0.25 per kg" in shown
    enter_plant(panel, cod=0.10)
    assert "Still the course's illustrative figures" not in rendered(panel.analysis)


def test_the_worksheet_explorer_keeps_its_results_and_names_the_cod_part():
    firms = data.load("cetp_firms")
    panel = cost_sharing_explorer(firms)
    # 150 + 250 + 400 + 600 + 900 = 2,300 m3/day; COD 90 + 175 + 1,200 + 540 + 2,700 kg/day
    plant = 40_000 + 365 * 0.60 * 1_000 * (2_300 / 1_000) ** 0.65
    cod = 365 * 0.25 * 4_705
    shown = text_of(panel.text.value)
    assert f"The shared plant costs USD {plant + cod:,.0f} a year in all" in shown
    assert f"of which USD {cod:,.0f} ({100 * cod / (plant + cod):.0f} %) is for treating COD" in (
        shown
    )


# -- 2. the plant's figures say what they mean, and are kept -------------------------------
def test_the_plant_cost_is_given_at_its_design_flow(folder):
    panel = firms_panel(folder)
    assert "(m3 per day)" in field(panel, "Design flow").description
    assert "(USD per m3)" in field(panel, "Treatment cost at the design flow").description
    enter_plant(panel, cod=0)
    # at its design flow: 150,000 + 365 x 0.45 x 8,000 = 1,464,000 USD a year, and
    # 1,464,000 / (8,000 x 365) = USD 0.50 per m3 all in
    shown = rendered(panel.analysis)
    assert "design flow of 8,000 m3/day costs USD 1,464,000 a year before COD" in shown
    assert "(USD 0.50 per m3, all in)" in shown


def test_the_plant_figures_are_kept_with_the_table_after_a_restart(folder):
    enter_plant(firms_panel(folder), cod=0.10)
    again = OwnDataPanel(SPECS["m06"], folder)  # a new kernel, the same folder
    assert field(again, "Design flow").value == 8_000
    assert field(again, "Treatment cost at the design flow").value == 0.45
    assert field(again, "COD treatment cost").value == 0.10
    assert "The shared plant costs USD 2,486,000 a year in all" in rendered(again.analysis)
    assert "kept with your table" in rendered(again.analysis)
    meta = json.loads(again.file.meta_path.read_text(encoding="utf-8"))
    assert meta["file"] == "our firms.csv"  # where the table came from is still said


def test_a_corrected_table_keeps_the_plant_figures(folder):
    enter_plant(firms_panel(folder), cod=0.10)
    panel = OwnDataPanel(SPECS["m06"], folder)
    assert panel.receive(template_csv(FIRMS.assign(firm=FIRMS["firm"] + " Ltd")), "fixed.csv")
    assert field(panel, "Fixed cost").value == 150_000
    assert "The shared plant costs USD 2,486,000 a year in all" in rendered(panel.analysis)


# -- 3. units of another scale or quantity are never suggested as look-alikes --------------
def flows_in(unit: str, substance: str = "energy") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "flow": ["Bought", "Used"],
            "source": ["", "Boiler"],
            "target": ["Boiler", ""],
            "substance": [substance] * 2,
            "quantity": [100.0, 100.0],
            "unit": [unit] * 2,
        }
    )


@pytest.mark.parametrize(
    ("unit", "fix"),
    [
        # 1 MWh = 1,000 kWh; 1 t = 1,000 kg; a day has 24 hours; 1 m3 = 1,000 L;
        # a year has 365 days; and 12 months
        ("kWh/yr", "divide the quantity by 1,000 and write MWh/yr"),
        ("kg/yr", "divide the quantity by 1,000 and write t/yr"),
        ("m3/h", "multiply the quantity by 24 and write m3/day"),
        ("L/day", "divide the quantity by 1,000 and write m3/day"),
        ("GJ/day", "multiply the quantity by 365 and write GJ/yr"),
        ("m3/month", "multiply the quantity by 12 and write m3/yr"),
    ],
)
def test_a_unit_of_another_scale_is_refused_with_its_conversion(unit, fix):
    with pytest.raises(TableError) as refused:
        check_flows(flows_in(unit))
    message = str(refused.value)
    assert f"'{unit}', which is not used here: {fix}" in message
    assert "did you mean" not in message


def test_ml_is_refused_as_it_could_be_millilitres_or_megalitres():
    for unit in ("ml/day", "Ml/day"):
        with pytest.raises(TableError, match="millilitres or megalitres"):
            check_flows(flows_in(unit, "water"))
    assert check_flows(flows_in("ML/day", "water"))["unit"].tolist() == ["ML/day"] * 2
    assert check_flows(flows_in("M3/Day", "water"))["unit"].tolist() == ["m3/day"] * 2


@pytest.mark.parametrize(
    ("unit", "read_as"),
    [
        # India's consents write water in KLD (kilolitres a day: 1 kL = 1 m3) and plants in
        # MLD (million litres a day: 1 ML = 1,000 m3), as Module 3's own reading does
        ("KLD", "m3/day"),
        ("MLD", "ML/day"),
        ("m3/d", "m3/day"),
        ("kL/day", "m3/day"),
        ("tonnes/year", "t/yr"),
        ("MWh/a", "MWh/yr"),
    ],
)
def test_a_unit_written_another_way_is_read_as_the_tables_own_and_said(unit, read_as):
    clean = check_flows(flows_in(unit, "water"))
    assert clean["unit"].tolist() == [read_as] * 2
    assert clean.attrs["notes"] == [
        f"units written another way were read as the table's own: '{unit}' as {read_as}"
    ]
    assert "notes" not in check_flows(flows_in(read_as, "water")).attrs


# -- 4. GPS degrees pasted into x_km and y_km ----------------------------------------------
KM_PER_DEGREE = 6371.0 * math.pi / 180  # a degree of latitude on the Earth's mean sphere


def spread_inventory() -> pd.DataFrame:
    """40 firms on a 55 x 55 km grid (8 columns 7.857 km apart, 5 rows 13.75 km apart), each
    supplying or needing fly ash."""
    grid = [(x * 55 / 7, y * 55 / 4) for y in range(5) for x in range(8)]
    return pd.DataFrame(
        {
            "firm": [f"Firm {n}" for n in range(40)],
            "x_km": [x for x, _ in grid],
            "y_km": [y for _, y in grid],
            "flow": ["supplies", "needs"] * 20,
            "material": ["fly ash"] * 40,
            "tonnes_per_year": [100.0] * 40,
            "grade": [1] * 40,
        }
    )


def test_degrees_pasted_into_km_columns_are_refused_with_the_fix():
    km = spread_inventory()
    # in km: in a row of 8 firms 7.857 km apart, suppliers (even) and needers (odd)
    # alternate: 7 neighbouring pairs a row within 10 km, 5 rows; rows 13.75 km apart
    found = match_by_products(km, max_distance_km=10)
    assert len(found) == 35 and np.isclose(found["distance_km"], 55 / 7, atol=0.001).all()
    latitude = 11.1 + km["y_km"] / KM_PER_DEGREE
    longitude = 77.3 + km["x_km"] / (KM_PER_DEGREE * math.cos(math.radians(11.1)))
    pasted = km.assign(x_km=longitude, y_km=latitude)
    with pytest.raises(TableError) as refused:
        check_inventory(pasted)
    message = str(refused.value)
    assert "look like latitude and longitude in degrees" in message
    assert "'latitude'" in message and "'longitude'" in message and "111 km" in message


def test_latitude_and_longitude_columns_are_turned_into_km():
    # A and B 0.1 degree of latitude apart: 0.1 x 111.19 = 11.12 km; A and C 0.1 degree of
    # longitude apart at latitude 11: shorter by cos(11 degrees), checked against haversine
    table = pd.DataFrame(
        {
            "firm": ["A", "B", "C"],
            "Latitude": [11.0, 11.1, 11.0],
            "Longitude": [77.0, 77.0, 77.1],
            "flow": ["supplies", "needs", "needs"],
            "material": ["fly ash"] * 3,
            "tonnes_per_year": [100, 60, 60],
            "grade": [1, 1, 1],
        }
    )
    found = match_by_products(table, max_distance_km=20).set_index("receiver")["distance_km"]
    assert found["B"] == pytest.approx(0.1 * KM_PER_DEGREE, abs=0.001)
    half = math.radians(0.05)
    haversine = 2 * 6371.0 * math.asin(math.cos(math.radians(11.0)) * math.sin(half))
    assert found["C"] == pytest.approx(haversine, rel=0.005)
    # within 11 km: C (10.9 km) but not B (11.12 km)
    assert match_by_products(table, max_distance_km=11)["receiver"].tolist() == ["C"]


def nepal_inventory(latitude: list[float], longitude: list[float]) -> pd.DataFrame:
    """Two firms near Kathmandu (27.7 N, 85.3 E), 0.2 degree of latitude (22.2 km) apart."""
    return pd.DataFrame({"firm": ["A", "B"], "latitude": latitude, "longitude": longitude,
                         "flow": ["supplies", "needs"], "material": ["fly ash"] * 2,
                         "tonnes_per_year": [100, 60], "grade": [1, 1]})  # fmt: skip


def test_latitude_and_longitude_swapped_in_south_asia_are_refused_not_measured():
    # swapped, the two firms were 1.8 km apart and their exchange feasible within 15 km
    swapped = nepal_inventory(latitude=[85.3, 85.3], longitude=[27.7, 27.9])
    with pytest.raises(TableError) as refused:
        check_inventory(swapped)
    message = str(refused.value)
    assert "every firm's latitude is beyond 66.5 degrees" in message
    assert "swap their headings" in message
    right = nepal_inventory(latitude=[27.7, 27.9], longitude=[85.3, 85.3])
    assert match_by_products(right, max_distance_km=15).empty  # 22.2 km apart
    (note,) = check_inventory(right).attrs["notes"]
    assert "within about 0.0 km from west to east and 22.2 km from south to north" in note


def test_a_small_park_mapped_in_km_is_not_taken_for_degrees():
    park = spread_inventory().head(6).assign(x_km=[0, 0.4, 0.8, 1.2, 1.5, 0.2],
                                             y_km=[0, 0.3, 0.6, 0.9, 1.1, 1.4])  # fmt: skip
    assert len(check_inventory(park)) == 6
    far = park.assign(x_km=park["x_km"] + 50, y_km=park["y_km"] + 20)
    with pytest.raises(TableError, match="subtract the smallest x_km"):
        check_inventory(far)


def test_degrees_in_the_own_data_panel_give_no_exchanges_of_a_few_hundred_metres(folder):
    km = spread_inventory()
    pasted = km.assign(x_km=77.3 + km["x_km"] / 109, y_km=11.1 + km["y_km"] / 111)
    panel = OwnDataPanel(SPECS["m04"], folder)
    assert not panel.receive(template_csv(pasted), "gps.csv")
    assert "look like latitude and longitude" in text_of(panel.message.value)


# -- 5. the course's example rows left in the table ----------------------------------------
def test_example_rows_left_above_the_officials_rows_are_named(folder):
    spec = SPECS["m06"]
    mixed = pd.concat([spec.example_table(), FIRMS], ignore_index=True)
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(mixed), "ours.csv")
    message = text_of(panel.message.value)
    assert "5 of the 11 rows are the course's invented example" in message
    assert "row 2 ('Dye house A')" in message and "row 6 ('Dye house E')" in message
    assert "delete them" in message
    assert "Tannery A" not in message


def test_the_unchanged_template_is_called_the_course_example_even_after_a_restart(folder):
    spec = SPECS["m02"]
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(spec.example_table()), "template.csv")
    assert "This is the course's example employment table, not your own" in text_of(
        panel.message.value
    )
    again = OwnDataPanel(spec, folder)
    assert "This is the course's example" in text_of(again.message.value)


def test_a_table_of_the_officials_own_rows_has_no_example_warning(folder):
    panel = firms_panel(folder)
    assert "course's example" not in text_of(panel.message.value)
    assert "invented example" not in text_of(panel.message.value)


# -- 6. missing flows in different processes -----------------------------------------------
TWO_PROCESSES = pd.DataFrame(
    {
        "flow": ["Well water", "Effluent", "Vapour", "Treated water", "Water in sludge"],
        "source": ["", "Dye house", "Dye house", "Plant", "Plant"],
        "target": ["Dye house", "Plant", "", "", ""],
        "substance": ["water"] * 5,
        "quantity": [100.0, 90.0, None, 85.0, None],
        "unit": ["m3/day"] * 5,
    }
)


def test_one_missing_flow_in_each_of_two_processes_is_found_in_each(folder):
    solved, result = solve_unknowns(TWO_PROCESSES)
    # Dye house: 100 in = 90 + vapour out; Plant: 90 in = 85 + sludge water out
    assert [(f.name, f.quantity, f.process) for f in result.solved] == [
        ("Vapour", 10.0, "Dye house"),
        ("Water in sludge", 5.0, "Plant"),
    ]
    assert result.unsolved == ()
    assert solved["quantity"].isna().sum() == 0
    panel = OwnDataPanel(SPECS["m03"], folder)
    assert panel.receive(template_csv(TWO_PROCESSES), "ours.csv")
    shown = rendered(panel.analysis)
    assert "'Vapour' is 10 m3/day" in shown and "'Water in sludge' is 5 m3/day" in shown
    assert "cannot be found" not in shown


def test_a_flow_found_from_one_balance_lets_the_next_balance_find_another():
    chain = TWO_PROCESSES.assign(quantity=[100.0, None, 10.0, None, 5.0])
    _, result = solve_unknowns(chain)
    # Effluent = 100 - 10 = 90 from the dye house; then treated water = 90 - 5 = 85
    assert [(f.name, f.quantity) for f in result.solved] == [
        ("Effluent", 90.0),
        ("Treated water", 85.0),
    ]


def test_flows_that_cannot_be_found_are_named_and_the_others_found(folder):
    three = TWO_PROCESSES.assign(quantity=[None, 90.0, None, 85.0, None])
    panel = OwnDataPanel(SPECS["m03"], folder)
    assert panel.receive(template_csv(three), "ours.csv")
    shown = rendered(panel.analysis)
    assert "'Water in sludge' is 5 m3/day" in shown  # 90 - 85, from the plant
    assert "3 flows have no quantity; 1 of them was found above" in shown
    assert "'Well water': 'Dye house' has 2 unknown water flows (also 'Vapour')" in shown


# -- 7. smaller wording ---------------------------------------------------------------------
def test_the_location_quotient_table_names_its_year():
    panel = lq_explorer(data.load("regional_employment"), "Riverside", start=2010)
    assert "Sectors of Riverside in 2020" in text_of(panel.text.value)


def test_the_shift_share_table_has_readable_headings(folder):
    spec = SPECS["m02"]
    table = spec.example_table().assign(region=lambda t: "Our " + t["region"])
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(table), "ours.csv")
    region = panel.analysis.children[0].children[0].children[0]
    region.value = "Our Riverside"
    shown = rendered(panel.analysis)
    assert "Employment 2010 (persons)" in shown and "Employment 2020 (persons)" in shown
    assert "employment_start" not in shown and "national_share" not in shown


def test_an_option_that_saves_nothing_never_pays_back():
    options = data.load("cluster_options").head(3).copy()
    options.loc[0, "annual_saving_usd"] = 0
    shown = text_of(portfolio_explorer(options, budget=100_000, display=False).text.value)
    assert "never, at these savings" in shown and "inf" not in shown.split()


def test_one_partner_is_one_partner():
    links = pd.DataFrame({"supplier": ["A"], "receiver": ["B"], "resource": ["steam"]})
    said = network_summary(links).explain()
    assert said.startswith("2 partners joined by 1 link (1 resource); density 1.00")
    # both partners have the one link: tied as anchors, each "with 1 partner", not "1 partners"
    assert said.endswith("Anchors, tied with 1 partner each: A and B.")


# -- 7. Module 7: an official's own instruments --------------------------------------------
def test_instrument_costs_saved_from_a_decimal_comma_spreadsheet_are_read_as_meant(folder):
    # Excel in a decimal-comma locale saves semicolons, "0,45" for USD 450,000 and capitals
    text = (
        "instrument;stream;cost_usd_million;environmental_benefit;jobs_and_growth;reach_to_smes\n"
        "Provincial SME green loans;Industrial;12,5;6;8;7\n"
        "Shared wastewater plant;Environmental;7,25;9;4;8\n"
        "Industrial land plan;Regional development;0,45;5;5;4\n"
    )
    panel = OwnDataPanel(SPECS["m07"], folder)
    assert panel.receive(text.encode("cp1252"), "instruments.csv"), panel.message.value
    assert panel.table["cost_usd_million"].tolist() == [12.5, 7.25, 0.45]
    assert panel.table["stream"].tolist() == ["industrial", "environmental",
                                              "regional development"]  # fmt: skip
    # costs with two decimals are shown with two, not rounded to 7.2 and 0.5
    shown = rendered(panel.analysis)
    assert "7.25" in shown and "0.45" in shown


def test_course_instruments_left_among_the_officials_are_named(folder):
    spec = SPECS["m07"]
    ours = pd.DataFrame(
        {
            "instrument": ["Provincial SME green loans"],
            "stream": ["industrial"],
            "cost_usd_million": [12.5],
            "environmental_benefit": [6],
            "jobs_and_growth": [8],
            "reach_to_smes": [7],
        }
    )
    mixed = pd.concat([spec.example_table().head(2), ours], ignore_index=True)
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(mixed), "ours.csv")
    message = text_of(panel.message.value)
    assert "2 of the 3 rows are the course's invented example" in message
    assert "row 2 ('Green credit line for SMEs')" in message and "delete them" in message
