"""What a screen reader meets in a module's Voila app: Chromium's accessibility tree.

Every control has a name that says what it is for (the question it answers, the item it
rates, the setting it changes), a slider says its value as its readout shows it, a row of
option buttons says which one is chosen, no name carries an icon font's characters, and a
chart's alternative text says what the chart shows.
"""

from __future__ import annotations

import html
import re

import matplotlib.pyplot as plt
import pytest
from conftest import released_modules
from test_browser import open_app, says_what_it_shows, served  # noqa: F401 - a fixture

from eic.views import describe_figure

# the roles of the controls a participant operates, as Chromium names them
CONTROLS = {
    "button", "toggleButton", "checkbox", "combobox", "radio", "radiogroup", "slider",
    "spinbutton", "textbox", "searchbox", "listbox", "switch",
}  # fmt: skip
# characters of an icon font (Font Awesome draws its icons in Unicode's private use area)
ICON = re.compile("[\ue000-\uf8ff]")
BARE_NUMBER = re.compile(r"[\d\s.,:%+\-\u2212]*")


def modules(*ids: str) -> list[dict]:
    """m01 has ratings sliders; m07 pairwise sliders, a checklist, and an explorer's sliders
    and option buttons; m08 checklists and the country report's text fields."""
    return [m for m in released_modules() if m["id"] in ids]


class AXTree:
    """Chromium's accessibility tree of a page, through the DevTools protocol."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("DOM.enable")
        self.cdp.send("Accessibility.enable")
        self.refresh()

    def refresh(self) -> None:
        nodes = self.cdp.send("Accessibility.getFullAXTree")["nodes"]
        self.nodes = {n["nodeId"]: n for n in nodes}
        self.document = self.cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]

    def shown(self, role: str | set[str]) -> list[dict]:
        roles = {role} if isinstance(role, str) else role
        return [n for n in self.nodes.values() if not n.get("ignored") and _role(n) in roles]

    def ancestors(self, node: dict):
        while "parentId" in node and node["parentId"] in self.nodes:
            node = self.nodes[node["parentId"]]
            yield node

    def dom_nodes(self, selector: str, within: int | None = None) -> list[int]:
        found = self.cdp.send(
            "DOM.querySelectorAll", {"nodeId": within or self.document, "selector": selector}
        )
        return found["nodeIds"]

    def text_of(self, dom_node: int) -> str:
        markup = self.cdp.send("DOM.getOuterHTML", {"nodeId": dom_node})["outerHTML"]
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())

    def attribute(self, dom_node: int, name: str) -> str | None:
        pairs = self.cdp.send("DOM.getAttributes", {"nodeId": dom_node})["attributes"]
        return dict(zip(pairs[::2], pairs[1::2], strict=True)).get(name)

    def within(self, dom_node: int, role: str) -> list[dict]:
        """The unignored accessible nodes of ``role`` in the DOM subtree of ``dom_node``."""
        found = self.cdp.send("Accessibility.queryAXTree", {"nodeId": dom_node, "role": role})
        return [n for n in found["nodes"] if not n.get("ignored")]


def _role(node: dict) -> str:
    return node.get("role", {}).get("value", "")


def name_of(node: dict) -> str:
    return " ".join(str(node.get("name", {}).get("value", "")).split())


def prop(node: dict, name: str):
    return next(
        (p["value"].get("value") for p in node.get("properties", []) if p["name"] == name), None
    )


def naming_problem(name: str) -> str | None:
    """What is wrong with a control's accessible name, or None."""
    if not name:
        return "no name"
    if ICON.search(name):
        return "an icon's character"
    if BARE_NUMBER.fullmatch(name):
        return "only a number"
    if name.casefold().startswith("answer"):
        return "only 'Answer', not the question"
    return None


def open_module(browser, url: str, module: dict):
    name = module["folder"]
    return open_app(browser, f"{url}/voila/render/{name}/{name}.ipynb")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("module", modules("m01", "m07", "m08"), ids=lambda m: m["id"])
def test_every_control_has_a_name_that_says_what_it_is_for(served, browser, module):  # noqa: F811
    url, _folder = served
    page, errors = open_module(browser, url, module)
    tree = AXTree(page)
    controls = tree.shown(CONTROLS)
    assert len(controls) > 20
    unnamed = [
        (_role(n), name_of(n), problem) for n in controls if (problem := naming_problem(name_of(n)))
    ]
    assert unnamed == [], f"{len(unnamed)} controls badly named, e.g. {unnamed[:8]}"
    # a radio button is one of a group named by its question
    for radio in tree.shown("radio"):
        group = next((a for a in tree.ancestors(radio) if _role(a) == "radiogroup"), None)
        assert group is not None, f"radio {name_of(radio)!r} is in no radio group"
        assert naming_problem(name_of(group)) is None, name_of(group)
    # each question is a group named by its question, so its Save and Check buttons and
    # its several controls (ratings, judgements, checklist rows) are known to belong to it
    questions = tree.dom_nodes(".eic-question")
    assert questions
    for question in questions:
        prompt = tree.text_of(tree.dom_nodes(".widget-html-content b", question)[0])
        named = [name_of(n) for n in tree.within(question, "group")]
        assert prompt in named, (prompt, named[:3])
    # a picture says what it shows, not only "Chart"
    pictures = page.locator("img")
    unsaid = [
        alt for img in pictures.all() if not says_what_it_shows(alt := img.get_attribute("alt"))
    ]
    assert unsaid == [], f"pictures whose alternative text says little: {unsaid}"
    # a visible label has no "null" tooltip
    nulls = page.locator("[title='null']:visible")
    assert nulls.count() == 0, nulls.first.evaluate("el => el.outerHTML")
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("module", modules("m01", "m07"), ids=lambda m: m["id"])
def test_a_slider_says_its_value_as_its_readout_shows_it(served, browser, module):  # noqa: F811
    url, _folder = served
    page, errors = open_module(browser, url, module)
    tree = AXTree(page)
    widgets = tree.dom_nodes(".widget-slider")
    assert widgets, "the module has no slider"
    boxed = tree.dom_nodes(".eic-number-slider")
    if module["id"] == "m07":
        assert boxed, "Module 7's explorer has sliders with a box for their value"
    for widget in widgets:
        (slider,) = tree.within(widget, "slider")
        label = tree.text_of(tree.dom_nodes(".widget-label", widget)[0])
        assert naming_problem(name_of(slider)) is None, (label, name_of(slider))
        if not label.casefold().startswith("answer"):
            assert label in name_of(slider)
        # its readout, where a value can be typed too, is a field named as the slider; an
        # explorer's slider has none, but a box beside it (eic.number_slider.NumberSlider)
        rows = [r for r in boxed if widget in tree.dom_nodes(".widget-slider", r)]
        if rows:
            fields = tree.within(rows[0], "textbox")
            readout = str(fields[0].get("value", {}).get("value", "")) if fields else ""
        else:
            readout_node = tree.dom_nodes(".widget-readout", widget)[0]
            readout = tree.text_of(readout_node)
            fields = tree.within(readout_node, "textbox")
        assert [name_of(f) for f in fields] == [name_of(slider)], (label, fields)
        # Chromium passes aria-valuetext to screen readers, but its DevTools tree (156) does
        # not report it: read the attribute of the slider's handle
        value_text = tree.attribute(tree.dom_nodes("[role=slider]", widget)[0], "aria-valuetext")
        assert value_text, (label, readout)
        assert value_text.startswith(readout), (label, readout, value_text)
        # a unit in the label is said with the value: "10 USD million", not "10"
        unit = re.search(r"\(([^()]+)\):?$", label)
        if unit and BARE_NUMBER.fullmatch(readout):
            assert value_text == f"{readout} {unit.group(1)}", (label, value_text)
    if module["id"] == "m07":  # a judgement moved with the keyboard is said as shown
        handle = page.locator(".eic-question .noUi-handle").first
        readout = page.locator(".eic-question .widget-readout").first
        before = readout.inner_text()
        assert before == "equally important"
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "el => el.innerText !== 'equally important'", arg=readout.element_handle()
        )
        shown = readout.inner_text()
        assert shown.endswith("x as important")
        assert handle.get_attribute("aria-valuetext") == shown
    assert errors == []
    page.close()


# the contrast between a row's chosen button's colour and another's (WCAG's formula)
CONTRAST_OF_CHOSEN = """row => {
  const lum = el => {
    const [r, g, b] = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).slice(0, 3)
      .map(v => { v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const chosen = row.querySelector('button.mod-active');
  const other = row.querySelector('button:not(.mod-active)');
  const [a, b] = [lum(chosen), lum(other)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("module", modules("m07", "m08"), ids=lambda m: m["id"])
def test_option_buttons_say_their_item_and_which_is_chosen(served, browser, module):  # noqa: F811
    url, _folder = served
    page, errors = open_module(browser, url, module)
    tree = AXTree(page)
    rows = tree.dom_nodes(".widget-toggle-buttons")
    assert rows, "the module has no row of option buttons"
    for row in rows:
        groups = tree.within(row, "group")
        buttons = tree.within(row, "button")  # Chromium's role of a button with aria-pressed
        assert groups and len(buttons) == len(tree.dom_nodes("button", row))
        group = groups[0]
        # the row is a group named by its item ("Is there a body ...?") or its label
        assert naming_problem(name_of(group)) is None, name_of(group)
        assert name_of(group) not in {name_of(b) for b in buttons}
        pressed = [prop(b, "pressed") for b in buttons]
        assert all(p in ("true", "false") for p in pressed), [name_of(b) for b in buttons]
        assert pressed.count("true") <= 1
    # choosing an option is said: the clicked button is pressed, the one before is not
    row = page.locator(".eic-question .widget-toggle-buttons").first
    row.locator("button").nth(1).click()
    page.wait_for_function(
        "el => el.querySelectorAll('button')[1].getAttribute('aria-pressed') === 'true'",
        arg=row.element_handle(),
        timeout=10_000,
    )
    row.locator("button").nth(2).click()
    page.wait_for_function(
        "el => el.querySelectorAll('button')[2].getAttribute('aria-pressed') === 'true'",
        arg=row.element_handle(),
        timeout=10_000,
    )
    tree.refresh()
    first = tree.dom_nodes(".eic-question .widget-toggle-buttons")[0]
    buttons = tree.within(first, "button")
    assert [prop(b, "pressed") for b in buttons][:3] == ["false", "false", "true"]
    # and seen: the chosen button stands out from the others by at least 3:1 (WCAG 1.4.11)
    assert row.evaluate(CONTRAST_OF_CHOSEN) >= 3
    assert errors == []
    page.close()


def test_a_bar_charts_alternative_text_names_its_bars_and_its_legend():
    fig, ax = plt.subplots()
    ax.barh(["Fishing", "Textiles", "Tourism"], [2.0, 0.6, 1.3], label="Location quotient")
    ax.axvline(1, label="National average")
    ax.legend()
    ax.set_title("Specialisation of Coast")
    # drawn from the bottom up: read from the top down, as a sighted reader does
    assert describe_figure(fig) == (
        "Chart: Specialisation of Coast. 3 bars, top to bottom: Tourism, Textiles, Fishing. "
        "Legend: National average, Location quotient"
    )
    # bars side by side for each category, as one sees them from the left; no numbers read
    fig, ax = plt.subplots()
    ax.bar([0.8, 1.8], [5, 7], 0.4, label="2010")
    ax.bar([1.2, 2.2], [6, 4], 0.4, label="2020")
    ax.set_xticks([1, 2], ["Water", "Salt"])
    ax.legend()
    assert describe_figure(fig) == (
        "Chart: Bars in 2 series for 2 categories, left to right: Water, Salt. Legend: 2010, 2020"
    )
    plt.close("all")


# the ring around the focused control: its width in pixels and its contrast with the page
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const lum = colour => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3)
      .map(v => { v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
  const question = el.closest('.eic-question, .eic-explorer, .eic-own-data');
  return {
    // input:text, button:submit, ...; a slider's handle and readout are div.noUi-handle and
    // div.widget-readout
    tag: el.tagName.toLowerCase() + (el.type ? ":" + el.type : "")
      + (el.tagName === "DIV" ? "." + el.classList[0] : ""),
    inCourse: question !== null,
    width: width,
    contrast: width ? 1.05 / (lum(style.outlineColor) + 0.05) : 0,
  };
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_the_keyboard_focus_is_ringed_clearly_on_every_kind_of_control(served, browser):  # noqa: F811
    # Module 7 holds text boxes, sliders, option buttons, Save and Check and a reflection box
    url, _folder = served
    [module] = modules("m07")
    page, errors = open_module(browser, url, module)
    page.locator(".eic-question").first.wait_for()
    page.locator("body").focus()
    seen: dict[str, list] = {}
    for _ in range(160):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["inCourse"]:
            seen.setdefault(ring["tag"], []).append((ring["width"], round(ring["contrast"], 1)))
    kinds = {"button:button", "input:text", "textarea:textarea"}
    kinds |= {"div.noUi-handle", "div.widget-readout"}
    assert kinds <= set(seen), sorted(seen)
    for tag, rings in seen.items():
        # WCAG 2.2, 2.4.13: at least 2 pixels thick, at least 3:1 against what is around it
        assert all(width >= 2 and contrast >= 3 for width, contrast in rings), (tag, rings)
    assert errors == []
    page.close()
