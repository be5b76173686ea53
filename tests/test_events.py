"""Events and routes: grouping role-bearing mentions, geodesic routes through waypoints, the antimeridian."""

import pytest

from geo_news.events import MAX_SENTENCE_GAP, event_route, evidence, group_events, same_area
from geo_news.geo import geodesic_path, haversine_km
from geo_news.model import Event, Mention, Place, Resolved

PLACES = {
    "caspian": Place("p:caspian", "Caspian Sea", 41.8, 50.5, "H", "SEA"),
    "iran": Place("p:iran", "Iran", 32.0, 53.0, "A", "PCLI", "IR"),
    "iraq": Place("p:iraq", "Iraq", 33.0, 44.0, "A", "PCLI", "IQ"),
    "syria": Place("p:syria", "Syria", 35.0, 38.0, "A", "PCLI", "SY"),
    "gaza": Place("p:gaza", "Gaza", 31.50, 34.47, "P", "PPL", "PS"),
    "ashkelon": Place("p:ashkelon", "Ashkelon", 31.67, 34.57, "P", "PPL", "IL"),
    "sderot": Place("p:sderot", "Sderot", 31.52, 34.60, "P", "PPL", "IL"),
    "beersheba": Place("p:beersheba", "Beersheba", 31.25, 34.79, "P", "PPL", "IL"),
    "tokyo": Place("p:tokyo", "Tokyo", 35.68, 139.69, "P", "PPLC", "JP"),
    "sf": Place("p:sf", "San Francisco", 37.77, -122.42, "P", "PPL", "US"),
    "newyork": Place("p:ny", "New York", 40.71, -74.0, "P", "PPL", "US"),
    "london": Place("p:london", "London", 51.51, -0.13, "P", "PPLC", "GB"),
    "lebanon": Place("p:lebanon", "Lebanon", 33.9, 35.9, "A", "PCLI", "LB"),
    "strip": Place("p:strip", "Gaza Strip", 31.42, 34.38, "L", "RGN", "PS", bbox=(34.2, 31.2, 34.6, 31.6)),
    "fiji": Place("p:fiji", "Fiji", -17.8, 178.0, "A", "PCLI", "FJ", bbox=(177.0, -21.0, -178.0, -12.0)),
    "lau": Place("p:lau", "Lau Islands", -18.2, -178.8, "T", "ISLS", "FJ"),
    "suva": Place("p:suva", "Suva", -18.14, 178.44, "P", "PPLC", "FJ"),
}


def rec(key, role, sentence=0, *, attribution="", pos=0):
    place = PLACES[key]
    return Resolved(Mention(place.name, pos, pos + len(place.name), sentence), place, 0.9, role=role,
                    sentence=f"sentence {sentence}", attribution=attribution)


def test_no_movement_no_events():
    assert group_events([rec("iran", "location"), rec("syria", "location", 1)]) == []
    assert group_events([]) == []


def test_unresolved_mentions_are_not_waypoints():
    lost = Resolved(Mention("Nowhere", 0, 7), None, role="impact")
    assert group_events([lost]) == []


def test_a_launch_without_impact_is_an_event_without_impacts():
    (ev,) = group_events([rec("iran", "launch")])
    assert ev.launch[0].place.name == "Iran" and ev.impacts == () and ev.targets == ()
    assert event_route(ev) is None


def test_one_flight_in_route_order():
    records = [rec("syria", "target", 0), rec("caspian", "launch", 1), rec("iran", "transit", 1),
               rec("iraq", "transit", 1), rec("iran", "impact", 2, attribution="a US official")]
    (ev,) = group_events(records)
    assert [r.place.name for r in ev.waypoints] == ["Caspian Sea", "Iran", "Iraq", "Syria"]
    assert [r.place.name for r in ev.impacts] == ["Iran"]
    assert ev.sentences == (0, 1, 2)
    line = event_route(ev)
    assert line.geom_type == "LineString"
    coords = list(line.coords)
    # the route visits each waypoint, in order
    idx = [min(range(len(coords)), key=lambda i: haversine_km(coords[i][1], coords[i][0], r.place.lat, r.place.lon))
           for r in ev.waypoints]
    assert idx == sorted(idx) and idx[0] == 0 and idx[-1] == len(coords) - 1
    for r, i in zip(ev.waypoints, idx):
        assert haversine_km(coords[i][1], coords[i][0], r.place.lat, r.place.lon) < 1


def test_contradicting_accounts_stay_in_one_event_with_who_said_it():
    records = [rec("caspian", "launch", 0), rec("syria", "impact", 1, attribution="the Russian defence ministry"),
               rec("iran", "impact", 2, attribution="a US official")]
    (ev,) = group_events(records)
    said = {(role, name): who for role, name, _, who in evidence(ev)}
    assert said[("impact", "Syria")] == "the Russian defence ministry"
    assert said[("impact", "Iran")] == "a US official"
    assert [r.place.name for r in ev.waypoints] == ["Caspian Sea", "Syria"]  # no target: the first impact


def test_a_second_salvo_from_elsewhere_is_a_new_event():
    records = [rec("gaza", "launch", 0), rec("ashkelon", "impact", 0),
               rec("lebanon", "launch", 1), rec("iraq", "target", 1)]
    first, second = group_events(records)
    assert first.launch[0].place.name == "Gaza" and second.launch[0].place.name == "Lebanon"
    assert [r.place.name for r in second.targets] == ["Iraq"]


def test_another_mover_opens_an_event_of_its_own_once():
    """"..., and a second drone struck Sderot and Beersheba": the new mover's clause is one new event, whatever
    roles it holds; its other places in the same sentence stay with it."""
    from dataclasses import replace

    records = [rec("gaza", "launch", 0), rec("ashkelon", "impact", 0),
               replace(rec("sderot", "impact", 0), another=True), replace(rec("beersheba", "impact", 0), another=True)]
    first, second = group_events(records)
    assert [r.place.name for r in first.impacts] == ["Ashkelon"]
    assert [r.place.name for r in second.impacts] == ["Sderot", "Beersheba"]
    assert len(group_events([replace(r, another=False) for r in records])) == 1


def test_the_same_launch_area_again_is_the_same_event():
    records = [rec("gaza", "launch", 0), rec("ashkelon", "impact", 0), rec("gaza", "launch", 1),
               rec("sderot", "impact", 1)]
    (ev,) = group_events(records)
    assert [r.place.name for r in ev.impacts] == ["Ashkelon", "Sderot"] and len(ev.launch) == 1


def test_a_place_inside_the_launch_area_is_the_same_launch():
    records = [rec("gaza", "launch", 0), rec("ashkelon", "impact", 0), rec("strip", "launch", 1),
               rec("sderot", "impact", 1)]
    (ev,) = group_events(records)
    assert [r.place.name for r in ev.launch] == ["Gaza", "Gaza Strip"]
    assert same_area(PLACES["lau"], PLACES["fiji"])  # an extent across the antimeridian
    assert not same_area(PLACES["ashkelon"], PLACES["strip"])
    assert same_area(PLACES["suva"], PLACES["suva"]) and not same_area(PLACES["suva"], PLACES["gaza"])


def test_a_long_gap_starts_a_new_event():
    records = [rec("gaza", "launch", 0), rec("sderot", "impact", MAX_SENTENCE_GAP + 1)]
    assert len(group_events(records)) == 2
    assert len(group_events([rec("gaza", "launch", 0), rec("sderot", "impact", MAX_SENTENCE_GAP)])) == 1


def test_a_launch_place_is_not_also_a_transit():
    (ev,) = group_events([rec("iran", "launch", 0), rec("iran", "transit", 0), rec("iraq", "transit", 0),
                          rec("syria", "target", 0)])
    assert [r.place.name for r in ev.transits] == ["Iraq"]


def test_routes_are_geodesic():
    ev = Event(0, launch=(rec("newyork", "launch"),), targets=(rec("london", "target"),))
    line = event_route(ev)
    # the great circle from New York to London bulges north of both ends
    assert max(lat for _, lat in line.coords) > 51.6
    assert line.geom_type == "LineString" and len(line.coords) > 20


def test_routes_cross_the_antimeridian_the_short_way():
    ev = Event(0, launch=(rec("tokyo", "launch"),), targets=(rec("sf", "target"),))
    line = event_route(ev)
    assert line.geom_type == "MultiLineString"
    west, east = line.geoms
    assert all(-180 <= lon <= 180 for part in line.geoms for lon, _ in part.coords)
    assert west.coords[-1][0] == pytest.approx(180) and east.coords[0][0] == pytest.approx(-180)
    assert west.coords[-1][1] == pytest.approx(east.coords[0][1])
    path = geodesic_path([(35.68, 139.69), (37.77, -122.42)], step_km=50.0)
    assert all(abs(b[1] - a[1]) < 10 for a, b in zip(path, path[1:]))  # no jump back across Eurasia


@pytest.mark.parametrize("far", ["ashkelon", "sderot", "beersheba"])
def test_short_legs_of_any_length(far):
    # legs between one and two steps long, and shorter ones, must densify without error
    ev = Event(0, launch=(rec("gaza", "launch"),), impacts=(rec(far, "impact"),))
    line = event_route(ev, step_km=20.0)
    assert line.geom_type == "LineString"
    assert line.coords[0] == pytest.approx((34.47, 31.50)) and line.coords[-1][1] == pytest.approx(PLACES[far].lat)


def test_events_from_text_across_sentences(tiny_geoparser):
    df = tiny_geoparser.parse("Missiles were fired from the Caspian Sea toward Syria on Wednesday. "
                              "Four of them crashed in Iran, a US official said.")
    assert dict(zip(df["name"], df["role"])) == {"Caspian Sea": "launch", "Syria": "target", "Iran": "impact"}
    (row,) = df.events.itertuples()
    assert row.launch == ["Caspian Sea"] and row.targets == ["Syria"] and row.impacts == ["Iran"]
    assert row.sentences == [0, 1]
    assert row.geometry.geom_type == "LineString"
    iran = df[df["name"] == "Iran"].iloc[0]
    assert iran["attribution"] == "a US official"


def test_no_events_without_movement_from_text(tiny_geoparser):
    df = tiny_geoparser.parse("Ministers from Iran and Iraq met in Aleppo. Prices in Syria rose again.")
    assert set(df["role"]) == {"location"} and len(df.events) == 0


def test_two_kinds_of_mover_make_two_events(full_gazetteer):
    import geo_news

    text = ("A cargo ship that left Jeddah on Monday sailed through the Bab-el-Mandeb Strait. "
            "A drone launched from Hodeidah struck its deck. The ship, bound for Singapore, kept its course.")
    ev = geo_news.geoparse(text).events
    assert len(ev) == 2
    ship = ev[ev["launch"].map(lambda names: "Jeddah" in names)].iloc[0]
    assert "Singapore" in ship["targets"] and [t[:13] for t in ship["transits"]] == ["Bab-el-Mandeb"]
    drone = ev[ev["launch"].map(lambda names: any("udaydah" in n or "Hodeidah" in n for n in names))].iloc[0]
    assert drone["targets"] == []


def test_the_route_rule_is_one_for_mentions_and_table_rows():
    from geo_news.model import route_order

    assert route_order(["L1", "L2"], ["T1", "T2"], [], ["I1", "I2"]) == ["L1", "T1", "T2", "I1"]
    assert route_order([], ["T1"], ["G1", "G2"], ["I1"]) == ["T1", "G1"]
    assert route_order([], [], [], []) == []


@pytest.mark.parametrize(("text", "events"), [
    ("A drone fired from Kursk hit Sumy on Monday, and a second drone struck Kharkiv.", 2),
    ("A drone fired from Kursk hit Sumy, and another one struck Kharkiv an hour later.", 2),
    ("A missile fired from Belgorod hit Kharkiv. Separately, rockets struck Kherson.", 2),
    ("Two missiles fired from Belgorod hit Kharkiv and Chuhuiv.", 1),
])
def test_a_new_mover_in_the_text_is_a_new_event(full_gazetteer, text, events):
    import geo_news

    assert len(geo_news.geoparse(text).events) == events
