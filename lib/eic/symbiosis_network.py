"""Module 4's symbiosis network: who is linked to whom, by what, and who holds it together.

A links table has one row per exchange: its ``supplier``, its ``receiver`` and the
``resource`` it carries (steam, fly ash, ...). A link joins a pair of partners, whichever
way its resources go and however many they are. :func:`network_summary` counts partners,
links and resources and names the anchor (the best-linked partner), :func:`degree_table`
lists what each partner gives and takes, :func:`without_partner` says what the network
loses if one partner leaves, and :func:`chertow_3_2` checks Chertow's "3-2 heuristic" for
calling it industrial symbiosis.

All of this is counted without networkx, whose loading would add a third of a second to
module 4's opening; :func:`link_graph` builds the networkx graph only for the network
chart (:mod:`eic.network_chart`). Finding the exchanges of a firm inventory, and what they
save, is :mod:`eic.symbiosis`.

>>> import pandas as pd
>>> links = pd.DataFrame({"supplier": ["Power plant", "Power plant", "Refinery"],
...                       "receiver": ["Refinery", "Fish farm", "Power plant"],
...                       "resource": ["steam", "warm water", "cooling water"]})
>>> summary = network_summary(links)
>>> summary.links, summary.anchors, summary.degree
(2, ('Power plant',), {'Power plant': 2, 'Fish farm': 1, 'Refinery': 1})
>>> chertow_3_2(links)[0]
True
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from eic.table_cells import Column, row_label
from eic.tables import TableError, check_table

if TYPE_CHECKING:  # networkx is loaded only to draw the network (see link_graph)
    import networkx as nx

LINK_COLUMNS = (
    Column("supplier", "text"),
    Column("receiver", "text"),
    Column("resource", "text"),
)


def check_links(table: pd.DataFrame) -> pd.DataFrame:
    """Check a table of exchange links (supplier, receiver, resource)."""
    clean = check_table(table, LINK_COLUMNS, what="exchange table")
    problems = [
        f"{row_label(p)} links '{s}' to itself; an exchange needs two different partners"
        for p, (s, r) in enumerate(zip(clean["supplier"], clean["receiver"], strict=True))
        if s == r
    ]
    if problems:
        raise TableError("exchange table", problems)
    return clean


@dataclass(frozen=True)
class NetworkSummary:
    """Counts and degrees of a symbiosis network (links counted once per pair of firms)."""

    firms: int
    links: int
    density: float
    degree: dict[str, int]
    anchors: tuple[str, ...]
    resources: int

    def explain(self) -> str:
        """The counts in a sentence. Partners tied for the most links are named together:
        "Anchors, tied with 2 partners each: A, B and C.", not "Anchor: A and B and C"."""
        linked = _count(self.degree[self.anchors[0]], "partner")
        if len(self.anchors) == 1:
            anchor = f"Anchor: {self.anchors[0]}, with {linked}."
        else:
            names = ", ".join(self.anchors[:-1]) + f" and {self.anchors[-1]}"
            anchor = f"Anchors, tied with {linked} each: {names}."
        return (
            f"{_count(self.firms, 'partner')} joined by {_count(self.links, 'link')} "
            f"({_count(self.resources, 'resource')}); density {self.density:.2f} (share of all "
            f"possible pairs that are linked). {anchor}"
        )


def _count(number: int, noun: str) -> str:
    """'1 partner', '3 partners'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _partners(links: pd.DataFrame) -> dict[str, dict[str, set[str]]]:
    """Each partner's linked partners, with the resources each link carries (a link is one
    per pair of partners, whichever way its resources go), partners in the order of the
    table. Computed here rather than with networkx, whose loading took a third of a second
    of module 4's opening; tests check both agree."""
    partners: dict[str, dict[str, set[str]]] = {}
    for row in check_links(links).itertuples(index=False):
        a, b = row.supplier, row.receiver
        carried = partners.setdefault(a, {}).get(b) or set()
        carried.add(row.resource)
        partners[a][b] = partners.setdefault(b, {})[a] = carried
    return partners


def link_graph(links: pd.DataFrame) -> nx.Graph:
    import networkx as nx

    graph = nx.Graph()
    for partner, linked in _partners(links).items():
        graph.add_node(partner)  # in the order of the table, as the layout expects
        for other, carried in linked.items():
            graph.add_edge(partner, other, resources=carried)
    return graph


def _link_count(partners: Mapping[str, Mapping[str, object]]) -> int:
    return sum(len(linked) for linked in partners.values()) // 2


def _resources(partners: Mapping[str, Mapping[str, set[str]]]) -> set[str]:
    return {r for linked in partners.values() for carried in linked.values() for r in carried}


def network_summary(links: pd.DataFrame) -> NetworkSummary:
    """Firms, links, density, each firm's degree and the anchor(s): the best-linked firms."""
    partners = _partners(links)
    firms, count = len(partners), _link_count(partners)
    degree = dict(sorted(((f, len(n)) for f, n in partners.items()), key=lambda i: (-i[1], i[0])))
    top = max(degree.values())
    return NetworkSummary(
        firms=firms,
        links=count,
        density=2 * count / (firms * (firms - 1)) if firms > 1 else 0.0,
        degree=degree,
        anchors=tuple(f for f, d in degree.items() if d == top),
        resources=len(_resources(partners)),
    )


def without_partner(links: pd.DataFrame, partner: str) -> dict[str, object]:
    """What the network loses if ``partner`` leaves: its links, and partners left isolated."""
    partners = _partners(links)
    if partner not in partners:
        raise ValueError(f"no partner named '{partner}'; partners: {', '.join(sorted(partners))}")
    lost = len(partners[partner])
    isolated = sorted(
        f for f, linked in partners.items() if f != partner and set(linked) == {partner}
    )
    return {"links_lost": lost, "isolated": isolated, "links_left": _link_count(partners) - lost}


def _groups(partners: Mapping[str, Mapping[str, object]]) -> list[list[str]]:
    """The connected groups of partners, each in the order it is reached from its first."""
    seen: set[str] = set()
    groups = []
    for first in partners:
        if first in seen:
            continue
        group, queue = [], deque([first])
        seen.add(first)
        while queue:
            here = queue.popleft()
            group.append(here)
            for there in partners[here]:
                if there not in seen:
                    seen.add(there)
                    queue.append(there)
        groups.append(group)
    return groups


def chertow_3_2(links: pd.DataFrame) -> tuple[bool, str]:
    """Chertow's (2007) "3-2 heuristic": at least three different entities exchanging at
    least two different resources, checked on each connected group of partners.

    The reason always speaks of the largest linked group (most partners, then most
    resources), the group the network's partner count can be compared with; when it fails
    and a smaller group passes, it names that group too.

    >>> import pandas as pd
    >>> links = pd.DataFrame({"supplier": ["A", "B", "D"], "receiver": ["B", "C", "E"],
    ...                       "resource": ["steam", "ash", "water"]})
    >>> chertow_3_2(links)[1]
    'Yes: the largest linked group has 3 of the 5 partners, exchanging 2 different \
resources (at least 3 partners exchanging at least 2 resources are needed).'
    """
    partners = _partners(links)
    needed = "(at least 3 partners exchanging at least 2 resources are needed)."
    sizes = sorted(
        ((len(group), len(_resources({f: partners[f] for f in group})))
         for group in _groups(partners)),
        reverse=True,
    )  # fmt: skip
    meets = [(n, r) for n, r in sizes if n >= 3 and r >= 2]
    (largest, carried), total = sizes[0], len(partners)
    share = f"all {total}" if largest == total else f"{largest} of the {total}"
    if meets and meets[0] == sizes[0]:
        return True, (
            f"Yes: the largest linked group has {share} partners, exchanging {carried} "
            f"different resources {needed}"
        )
    group = (
        f"the largest linked group has {share} partners, exchanging {_count(carried, 'resource')}"
    )
    if meets:
        return True, (
            f"Yes, though {group}: a smaller linked group of {meets[0][0]} partners exchanges "
            f"{meets[0][1]} different resources {needed}"
        )
    return False, f"No: {group} {needed}"


def degree_table(links: pd.DataFrame) -> pd.DataFrame:
    """Each partner's number of links and the resources it gives or takes."""
    clean = check_links(links)
    summary = network_summary(clean)
    rows = []
    for firm, degree in summary.degree.items():
        gives = sorted(set(clean.loc[clean["supplier"] == firm, "resource"]))
        takes = sorted(set(clean.loc[clean["receiver"] == firm, "resource"]))
        rows.append({"partner": firm, "partners_linked": degree, "gives": ", ".join(gives),
                     "takes": ", ".join(takes)})  # fmt: skip
    return pd.DataFrame(rows)
