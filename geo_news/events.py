"""Group role-bearing mentions into events (one launch area, its transits, targets and impacts) and build routes.

An article usually tells one movement at a time, but not in order: the impact may come first, the launch site
three sentences later, and two accounts may disagree about where the same missiles came down. Mentions with a
movement role are read in text order and gathered into the current event. A new event starts when

* a launch from a *different* area (see :func:`same_area`) arrives once the current event already has a launch
  and an end (a target or an impact): that is a second salvo, not a second account of the first one;
* more than ``MAX_SENTENCE_GAP`` sentences pass without any movement.

Contradicting accounts ("the ministry said the missiles hit Syria; a US official said four crashed in Iran")
therefore stay in one event: both impacts are kept, each record with its own ``attribution``. The sentences
that gave an event's places are its evidence (``Event.sentences``, indices into the article's sentences).

Routes run geodesically through the waypoints in order: launch, transits, then the first target (or the first
impact when nothing was aimed at), and are split at the antimeridian.
"""

from __future__ import annotations

from collections.abc import Sequence

from .geo import haversine_km, route_linestring
from .model import Event, Resolved

MAX_SENTENCE_GAP = 4
"""Sentences without any movement after which the next movement is a new event."""
MOVEMENT_ROLES = ("launch", "transit", "target", "impact")
SAME_AREA_KM = 25.0
"""Two launch points closer than this are one launch area (a town and its district, two names of one port)."""


def _dedupe(items: list[Resolved]) -> tuple[Resolved, ...]:
    # The same place twice in one role is one waypoint; the first mention is its evidence.
    seen, out = set(), []
    for r in items:
        key = r.place.id if r.place else r.mention.text
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)


def _within(point, area) -> bool:
    if area.bbox is None:
        return False
    west, south, east, north = area.bbox
    inside_lon = west <= point.lon <= east if west <= east else point.lon >= west or point.lon <= east
    return south <= point.lat <= north and inside_lon


def same_area(a, b) -> bool:
    """Do two places name the same launch area? The same entry, one inside the other's extent ("Gaza" and
    "the Gaza Strip"), or points closer than ``SAME_AREA_KM``.

    Examples
    --------
    >>> from geo_news.model import Place
    >>> strip = Place("1", "Gaza Strip", 31.4, 34.38, "L", "RGN", bbox=(34.2, 31.2, 34.6, 31.6))
    >>> same_area(Place("2", "Gaza", 31.5, 34.47, "P", "PPL"), strip)
    True
    >>> same_area(Place("3", "Beirut", 33.89, 35.5, "P", "PPLC"), strip)
    False
    """
    if a.id == b.id or _within(a, b) or _within(b, a):
        return True
    return not (a.is_area or b.is_area) and haversine_km(a.lat, a.lon, b.lat, b.lon) < SAME_AREA_KM


def _opens_new_event(current: dict[str, list[Resolved]] | None, r: Resolved, last_sentence: int) -> bool:
    if current is None or r.mention.sentence_index - last_sentence > MAX_SENTENCE_GAP:
        return True
    if r.role != "launch" or not current["launch"]:
        return False
    same = any(same_area(x.place, r.place) for x in current["launch"])
    return not same and bool(current["target"] or current["impact"])


def group_events(resolved: Sequence[Resolved]) -> list[Event]:
    """Events of one article, in the order their first evidence appears.

    Parameters
    ----------
    resolved : sequence of Resolved
        The article's mentions in text order, with roles. Mentions without a place, and ``location`` mentions,
        are not part of any event.

    Returns
    -------
    list of Event
        Empty when the text tells no movement. An event may lack any role: a launch with nothing known about
        where it came down is an event without impacts.

    Examples
    --------
    >>> from geo_news.model import Mention, Place, Resolved
    >>> gaza = Place("1", "Gaza", 31.5, 34.47)
    >>> ashkelon = Place("2", "Ashkelon", 31.67, 34.57)
    >>> recs = [Resolved(Mention("Gaza", 20, 24), gaza, role="launch"),
    ...         Resolved(Mention("Ashkelon", 29, 37), ashkelon, role="impact")]
    >>> [(e.launch[0].place.name, e.impacts[0].place.name) for e in group_events(recs)]
    [('Gaza', 'Ashkelon')]
    >>> group_events([Resolved(Mention("Gaza", 0, 4), gaza, role="location")])
    []
    """
    groups: list[dict[str, list[Resolved]]] = []
    movers: list[set[str]] = []  # the kinds of mover each group is about
    latest: dict[str, int] = {}  # the last group about each kind of mover
    k: int | None = None  # the group being filled (by position: groups with equal contents are still two)
    last_sentence = -10
    previous: Resolved | None = None
    for r in resolved:
        if r.role not in MOVEMENT_ROLES or r.place is None:
            continue
        # "a second drone hit a fuel tanker near Gondar": a new mover opens its own event (once: the other places
        # of the same clause belong to it)
        fresh = r.another and not (previous is not None and previous.another
                                   and previous.mention.sentence_index == r.mention.sentence_index)
        if fresh:
            k = None
        elif r.mover and k is not None and movers[k] and r.mover not in movers[k]:
            # another kind of mover: back to the movement of that kind, or a new one when it starts here
            k = latest[r.mover] if r.mover in latest and r.role != "launch" else None
        previous = r
        if _opens_new_event(groups[k] if k is not None else None, r, last_sentence):
            groups.append({role: [] for role in MOVEMENT_ROLES})
            movers.append(set())
            k = len(groups) - 1
        if r.mover:
            movers[k].add(r.mover)
            latest[r.mover] = max(latest.get(r.mover, k), k)
        groups[k][r.role].append(r)
        last_sentence = r.mention.sentence_index
    events = []
    for i, g in enumerate(groups):
        launch, transits, targets, impacts = (_dedupe(g[k]) for k in MOVEMENT_ROLES)
        # A place that starts or ends the route is not also a waypoint in the middle of it.
        ends = {r.place.id for r in (*launch[:1], *targets[:1])}
        transits = tuple(r for r in transits if r.place.id not in ends)
        sentences = sorted({r.mention.sentence_index for role in MOVEMENT_ROLES for r in g[role]})
        events.append(Event(i, launch, transits, targets, impacts, tuple(sentences)))
    return events


def evidence(event: Event) -> list[tuple[str, str, str, str]]:
    """What the text says for an event: ``(role, place name, sentence, attribution)`` per record, in route order.

    Examples
    --------
    >>> from geo_news.model import Mention, Place, Resolved
    >>> iran = Place("1", "Iran", 32.0, 53.0)
    >>> r = Resolved(Mention("Iran", 0, 4), iran, role="impact", sentence="Four crashed in Iran.",
    ...              attribution="a US official")
    >>> evidence(Event(0, impacts=(r,)))
    [('impact', 'Iran', 'Four crashed in Iran.', 'a US official')]
    """
    out = []
    for role, records in zip(MOVEMENT_ROLES, (event.launch, event.transits, event.targets, event.impacts)):
        out.extend((role, r.place.name if r.place else r.mention.text, r.sentence, r.attribution) for r in records)
    return out


def event_route(event: Event, *, step_km: float = 50.0):
    """The route of an event as a geodesic (Multi)LineString in EPSG:4326, or None with fewer than two places.

    The route runs launch → transits → first target (or first impact), geodesically between waypoints, and is
    a MultiLineString when it crosses the antimeridian.

    Examples
    --------
    >>> from geo_news.model import Mention, Place, Resolved
    >>> guam = Resolved(Mention("Guam", 0, 4), Place("1", "Guam", 13.44, 144.79), role="launch")
    >>> hawaii = Resolved(Mention("Hawaii", 9, 15), Place("2", "Honolulu", 21.31, -157.86), role="target")
    >>> event_route(Event(0, launch=(guam,), targets=(hawaii,))).geom_type
    'MultiLineString'
    >>> event_route(Event(0, launch=(guam,))) is None
    True
    """
    pts = [(r.place.lat, r.place.lon) for r in event.waypoints]
    return route_linestring(pts, step_km=step_km) if len(pts) >= 2 else None
