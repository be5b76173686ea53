"""Group role-bearing mentions into events (one launch, its transits, targets and impacts) and build routes.

An article usually tells one movement at a time, but not in order: the impact may come first, the launch site
three sentences later. Mentions with a movement role are read in text order and gathered into the current
event; a launch from a different place, once the current event has its own launch and an end, opens a new
event, and so does a gap of more than ``MAX_SENTENCE_GAP`` sentences without any movement.
"""

from __future__ import annotations

from collections.abc import Sequence

from .geo import route_linestring
from .model import Event, Resolved

MAX_SENTENCE_GAP = 4
MOVEMENT_ROLES = ("launch", "transit", "target", "impact")


def _dedupe(items: list[Resolved]) -> tuple[Resolved, ...]:
    seen, out = set(), []
    for r in items:
        key = r.place.id if r.place else r.mention.text
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)


def group_events(resolved: Sequence[Resolved]) -> list[Event]:
    """Events of one article, in the order their first evidence appears.

    Examples
    --------
    >>> [e.waypoints for e in group_events(records)]        # doctest: +SKIP
    """
    groups: list[dict[str, list[Resolved]]] = []
    current: dict[str, list[Resolved]] | None = None
    last_sentence = -10
    for r in resolved:
        if r.role not in MOVEMENT_ROLES or r.place is None:
            continue
        s = r.mention.sentence_index
        new = current is None or s - last_sentence > MAX_SENTENCE_GAP
        if not new and r.role == "launch" and current["launch"]:
            same = any(x.place.id == r.place.id for x in current["launch"])
            new = not same and bool(current["target"] or current["impact"])
        if new:
            current = {role: [] for role in MOVEMENT_ROLES}
            groups.append(current)
        current[r.role].append(r)
        last_sentence = s
    events = []
    for i, g in enumerate(groups):
        launch, transits, targets, impacts = (_dedupe(g[k]) for k in MOVEMENT_ROLES)
        ends = {r.place.id for r in (*launch[:1], *targets[:1])}
        transits = tuple(r for r in transits if r.place.id not in ends)
        sentences = sorted({r.mention.sentence_index for role in MOVEMENT_ROLES for r in g[role]})
        events.append(Event(i, launch, transits, targets, impacts, tuple(sentences)))
    return events


def event_route(event: Event, *, step_km: float = 50.0):
    """The route of an event as a geodesic (Multi)LineString in EPSG:4326, or None with fewer than two places."""
    pts = [(r.place.lat, r.place.lon) for r in event.waypoints]
    return route_linestring(pts, step_km=step_km) if len(pts) >= 2 else None
