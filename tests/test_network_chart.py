"""eic.network_chart on large networks: the labels it places stay few, and placing them
grows with the network, not with its square."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import eic.network_chart as network_module
from eic.network_chart import LABELS_AT_MOST, NAMED_AT_MOST, network_chart


def pairs_on_a_map(partners: int, *, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """``partners`` partners in pairs, each pair one link, at random on 50 x 50 km; partner 0
    is linked to ten more, so it is the best-linked."""
    rng = np.random.default_rng(seed)
    names = [f"Firm {i}" for i in range(partners)]
    suppliers, receivers = names[0::2], names[1::2]
    hub = [("Firm 0", names[k]) for k in range(3, min(partners, 23), 2)]
    links = pd.DataFrame(
        [(s, r, "ash") for s, r in zip(suppliers, receivers, strict=True)]
        + [(s, r, "steam") for s, r in hub],
        columns=["supplier", "receiver", "resource"],
    )
    positions = {name: tuple(rng.uniform(0, 50, 2)) for name in names}
    return links, positions


def comparisons_placing_labels(monkeypatch, partners: int) -> tuple[int, plt.Figure]:
    """How many pairs of boxes the label placement compares for a network of ``partners``,
    and the chart."""
    compared = [0]
    overlap = network_module._overlap

    def counted(boxes, others):
        compared[0] += len(boxes) * len(others)
        return overlap(boxes, others)

    monkeypatch.setattr(network_module, "_overlap", counted)
    links, positions = pairs_on_a_map(partners)
    fig = network_chart(links, title="Many partners", positions=positions)
    return compared[0], fig


def test_placing_labels_grows_with_the_network_not_with_its_square(monkeypatch):
    # each label is weighed against every circle and every label placed before it: labelling
    # every partner and link compared 16 times as many boxes for 4 times the partners
    small, fig = comparisons_placing_labels(monkeypatch, 300)
    plt.close(fig)
    large, fig = comparisons_placing_labels(monkeypatch, 1_200)
    plt.close(fig)
    assert large / small < 5  # about 4: linear in the partners


def test_a_network_of_thousands_names_only_its_best_linked_partners():
    links, positions = pairs_on_a_map(4_000)
    fig = network_chart(links, title="Inventory", positions=positions, highlight="Firm 0")
    ax = fig.axes[0]
    named = [t.get_text() for t in ax.texts if t.get_text()]
    assert len(named) == NAMED_AT_MOST  # no link labelled, 30 names
    assert "Firm 0" in named  # the best-linked partner is among them
    assert set(named) <= set(positions)
    # every partner is still drawn, and the title says that few are named
    assert len(ax.collections[-1].get_offsets()) == 4_000
    assert f"only the {NAMED_AT_MOST} best-linked of 4,000 partners named" in ax.get_title()
    plt.close(fig)


@pytest.mark.parametrize("partners", [10, 60])
def test_a_small_network_names_every_partner_and_labels_every_link(partners):
    links, positions = pairs_on_a_map(partners)
    assert partners + len(links) <= LABELS_AT_MOST
    fig = network_chart(links, title="Small", positions=positions)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert set(positions) <= set(texts)
    assert texts.count("ash") + texts.count("steam") == len(links)
    assert "named" not in ax.get_title()
    plt.close(fig)
