"""The dependency map of a portfolio as an SVG drawing: one box per project, one arrow per pair of
projects (provider -> consumer) with how many deliverables flow along it; red when one of them is late.

Projects are placed in columns by how deep they sit in the chain of dependencies (a project that waits
for nobody in the map is in the first column), so arrows mostly run left to right."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

BOX_W, BOX_H = 210, 46
COL_GAP, ROW_GAP = 110, 26
PAD = 16


@dataclass(frozen=True)
class Node:
    id: int
    label: str  # "CODE name"
    url: str
    state: str  # the project's lifecycle state (box colour)
    outside: bool = False  # a project of another portfolio linked to this one


@dataclass(frozen=True)
class Edge:
    provider: int
    consumer: int
    deliverables: Sequence[str]  # "provider task -> consumer task (needed date, status)"
    late_days: int  # the worst of them, 0 when all are on time


def _columns(nodes: Sequence[Node], edges: Sequence[Edge]) -> dict[int, int]:
    """Longest chain of providers before each project; a loop between projects (possible through different
    tasks) is cut where the walk meets it again."""
    providers: dict[int, set[int]] = defaultdict(set)
    for e in edges:
        providers[e.consumer].add(e.provider)
    depth: dict[int, int] = {}
    visiting: set[int] = set()

    def walk(n: int) -> int:
        if n in depth:
            return depth[n]
        visiting.add(n)
        d = 0
        for p in providers.get(n, ()):
            if p not in visiting:
                d = max(d, walk(p) + 1)
        visiting.discard(n)
        depth[n] = d
        return d

    for node in nodes:
        walk(node.id)
    return depth


def _box_text(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def render_dependency_map(nodes: Sequence[Node], edges: Iterable[Edge]) -> str:
    """The SVG of the map ("" without nodes)."""
    edges = list(edges)
    if not nodes:
        return ""
    column = _columns(nodes, edges)
    by_column: dict[int, list[Node]] = defaultdict(list)
    for node in sorted(nodes, key=lambda n: (column[n.id], n.label)):
        by_column[column[node.id]].append(node)
    place: dict[int, tuple[float, float]] = {}
    for c, members in by_column.items():
        for r, node in enumerate(members):
            place[node.id] = (PAD + c * (BOX_W + COL_GAP), PAD + r * (BOX_H + ROW_GAP))
    width = PAD * 2 + (max(by_column) + 1) * (BOX_W + COL_GAP) - COL_GAP
    height = PAD * 2 + max(len(m) for m in by_column.values()) * (BOX_H + ROW_GAP) - ROW_GAP
    parts = [
        f'<svg class="dependency-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Dependency map">',
        "<defs>"
        '<marker id="dm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="dm-head"/></marker>'
        '<marker id="dm-arrow-late" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="dm-head-late"/></marker>'
        "</defs>",
    ]
    for e in edges:
        if e.provider not in place or e.consumer not in place:
            continue
        (x1, y1), (x2, y2) = place[e.provider], place[e.consumer]
        sx, sy = x1 + BOX_W, y1 + BOX_H / 2
        tx, ty = x2, y2 + BOX_H / 2
        if tx <= sx:  # backwards or same column: leave from the bottom, arrive from below
            sx, sy = x1 + BOX_W / 2, y1 + BOX_H
            tx, ty = x2 + BOX_W / 2, y2 + BOX_H
            bend = 40
            d = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{sy + bend:.0f} {tx:.0f},{ty + bend:.0f} {tx:.0f},{ty:.0f}"
        else:
            mid = (sx + tx) / 2
            d = f"M{sx:.0f},{sy:.0f} C{mid:.0f},{sy:.0f} {mid:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
        late = e.late_days > 0
        title = escape("\n".join(e.deliverables))
        css = "dm-link late" if late else "dm-link"
        marker = "dm-arrow-late" if late else "dm-arrow"
        parts.append(f'<path class="{css}" d="{d}" marker-end="url(#{marker})"><title>{title}</title></path>')
        lx, ly = (sx + tx) / 2, (sy + ty) / 2 - 6
        text = f"{len(e.deliverables)}" + (f" · {e.late_days} d late" if late else "")
        parts.append(
            f'<text class="dm-label{" late" if late else ""}" x="{lx:.0f}" y="{ly:.0f}" '
            f'text-anchor="middle">{escape(text)}<title>{title}</title></text>'
        )
    for node in nodes:
        x, y = place[node.id]
        code, _, name = node.label.partition(" ")
        css = f"dm-node state-{escape(node.state)}" + (" outside" if node.outside else "")
        parts.append(
            f'<a href="{escape(node.url)}"><g class="{css}">'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text x="{x + 10:.0f}" y="{y + 19:.0f}" class="dm-code">{escape(code)}</text>'
            f'<text x="{x + 10:.0f}" y="{y + 36:.0f}" class="dm-name">{escape(_box_text(name))}</text>'
            f"<title>{escape(node.label)}</title></g></a>"
        )
    parts.append("</svg>")
    return "".join(parts)
