"""``role_of`` on sentences parsed by the real spaCy model: the hard constructions one by one."""

import pytest

from geo_news.roles import RoleCall, attribution_of, role_of


@pytest.fixture(scope="module")
def call(nlp):
    def _call(text: str, surface: str, nth: int = 0) -> RoleCall:
        doc = nlp(text)
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), alignment_mode="expand")
        return role_of(span)

    return _call


def roles(call, text, *surfaces):
    return [call(text, s).role for s in surfaces]


def test_passive_launch_and_target(call):
    text = "Missiles were fired from Crimea toward Kherson overnight."
    assert roles(call, text, "Crimea", "Kherson") == ["launch", "target"]


def test_coordinated_objects_are_all_impacts(call):
    assert roles(call, "On Tuesday the missiles hit Kyiv, Lviv and Dnipro.", "Kyiv", "Lviv", "Dnipro") == \
        ["impact"] * 3


def test_coordinated_transits(call):
    text = "The cruise missiles flew from the Caspian Sea across remote parts of Iran and Iraq."
    assert roles(call, text, "Caspian Sea", "Iran", "Iraq") == ["launch", "transit", "transit"]


@pytest.mark.parametrize(("text", "surface", "role"), [
    ("Missiles were launched from warships in the Caspian Sea.", "Caspian Sea", "launch"),
    ("The missiles were launched from a submarine in the Sea of Japan.", "Sea of Japan", "launch"),
    ("Our correspondent says the rockets came down in a farming district of Iran.", "Iran", "impact"),
    ("Shells landed in the outskirts of Kharkiv.", "Kharkiv", "impact"),
    ("Missiles struck a hospital in Kharkiv.", "Kharkiv", "impact"),
    ("Warships fired missiles at targets in Syria.", "Syria", "target"),
    ("Troops fired artillery across the Dnipro River at Kherson.", "Kherson", "target"),
])
def test_prepositional_chains(call, text, surface, role):
    assert call(text, surface).role == role


def test_relative_clauses(call):
    text = "The missiles, which were launched from Belarus, exploded in Kyiv."
    assert roles(call, text, "Belarus", "Kyiv") == ["launch", "impact"]
    assert call("Investigators examined debris from a rocket that crashed in Moldova.", "Moldova").role == "impact"
    assert call("The passenger jet, which had departed from Dubai, diverted to Mumbai.", "Dubai").role == "launch"


def test_a_pronoun_continues_the_previous_sentences_movement(call):
    assert call("Rockets were fired from Lebanon on Friday. They fell near Haifa.", "Haifa").role == "impact"
    assert call("The cyclone crossed Madagascar. It then hit Mozambique.", "Mozambique").role == "impact"
    # ... but only when the previous sentence tells a movement of something that moves
    assert call("The ministers met on Friday. They landed in Haifa at night.", "Haifa").role == "location"


def test_a_vehicle_that_lands_arrives_and_a_projectile_that_lands_comes_down(call):
    """Issue 14's target is also the destination reached: a plane or a boat that lands or touches down somewhere
    arrived there; a shell, a rocket or a drone that landed came down, and so did a plane that crash-landed."""
    assert call("A plane carrying deportees landed in Guatemala City on Thursday.", "Guatemala City").role == "target"
    assert call("The Antonov freighter touched down in Ulaanbaatar at dawn.", "Ulaanbaatar").role == "target"
    assert call("The migrants' boat landed at Lampedusa overnight.", "Lampedusa").role == "target"
    assert call("A rocket landed in an open field near Netivot.", "Netivot").role == "impact"
    assert call("The drone landed in a field near Bila Tserkva.", "Bila Tserkva").role == "impact"
    assert call("The helicopter crash-landed in a field near Herat.", "Herat").role == "impact"


def test_verbs_that_need_a_mover(call):
    assert call("The airliner landed in Tashkent.", "Tashkent").role == "target"
    assert call("The prime minister landed in Tashkent.", "Tashkent").role == "location"
    assert call("Diplomats travelled to Cairo for the talks.", "Cairo").role == "location"
    assert call("The economic crisis hit Lebanon hard.", "Lebanon").role == "location"
    assert call("The film was shot in Morocco.", "Morocco").role == "location"


def test_hedges_keep_the_role_and_say_so(call):
    got = call("Missiles reportedly struck Erbil overnight.", "Erbil")
    assert got.role == "impact" and "reportedly" in got.cue
    assert call("The drones were allegedly launched from Belarus.", "Belarus").role == "launch"


@pytest.mark.parametrize(("text", "surface"), [
    ("The rockets did not land in Syria, officials said.", "Syria"),
    ("The frigate never entered the Black Sea.", "Black Sea"),
    ("None of the drones reached Moscow, the mayor said.", "Moscow"),
    ("The storm did not make landfall in Louisiana.", "Louisiana"),
    ("The rockets were not fired from Syria.", "Syria"),
])
def test_negation_is_not_a_movement(call, text, surface):
    got = call(text, surface)
    assert got.role == "location" and got.negated


def test_attribution_from_the_reporting_clause(call, nlp):
    got = call("Four missiles crashed in Iran, a US official said.", "Iran")
    assert (got.role, got.attribution) == ("impact", "a US official")
    got = call("Two drones came down in Romania, according to the defence ministry.", "Romania")
    assert (got.role, got.attribution) == ("impact", "the defence ministry")
    got = call("According to the Ukrainian air force, the missiles were fired from the Black Sea.", "Black Sea")
    assert got.attribution == "the Ukrainian air force"
    doc = nlp("The rocket that hit the station was fired from Donetsk, investigators concluded.")
    assert attribution_of(next(t for t in doc if t.lower_ == "fired")) == "investigators"


def test_contradicting_accounts_keep_both_roles(call):
    text = "The army said the rockets were aimed at Haifa. Police said the rockets hit Haifa."
    first, second = call(text, "Haifa", 0), call(text, "Haifa", 1)
    assert (first.role, first.attribution) == ("target", "The army")
    assert (second.role, second.attribution) == ("impact", "Police")


def test_subjects_launch_only_when_they_fire_something(call):
    assert call("North Korea fired a ballistic missile over Japan.", "North Korea").role == "launch"
    assert call("North Korea fired a ballistic missile over Japan.", "Japan").role == "transit"
    assert call("Russian warships in the Black Sea fired cruise missiles at Odesa.", "Black Sea").role == "launch"
    assert call("Kyiv said the missile was fired from Russia.", "Kyiv").role == "location"
    assert call("Officials in Tehran launched an investigation.", "Tehran").role == "location"


def test_nominal_and_particle_cues(call):
    assert call("The hurricane made landfall in Florida on Wednesday.", "Florida").role == "impact"
    assert call("The helicopter was shot down over Donetsk.", "Donetsk").role == "impact"
    assert call("A freighter bound for Odesa sank off Crete.", "Crete").role == "impact"
    assert call("A freighter bound for Odesa sank off Crete.", "Odesa").role == "target"
    assert call("The cyclone formed in the Bay of Bengal.", "Bay of Bengal").role == "launch"


def test_other_mentions_are_locations(call):
    text = "Leaders of Egypt, Jordan and Saudi Arabia met in Cairo to discuss trade."
    assert set(roles(call, text, "Egypt", "Jordan", "Saudi Arabia", "Cairo")) == {"location"}
    assert call("The minister, speaking from Nairobi, said talks would resume.", "Nairobi").role == "location"


def test_negation_scope_and_counterfactuals(call):
    text = "Four missiles aimed at Syria never reached it and instead crashed in Iran."
    assert call(text, "Iran").role == "impact"  # a finite conjoined verb is not under the first one's "never"
    text = "Instead of heading through the Gulf of Aden, the tanker turned north toward the Suez Canal."
    assert call(text, "Gulf of Aden").role == "location"
    assert call(text, "Suez Canal").role == "target"


def test_a_pronoun_speaker_is_the_previous_sentences_subject(call):
    text = "Russia's defence ministry gave a different account. It said the missiles struck targets in Syria."
    got = call(text, "Syria")
    assert (got.role, got.attribution) == ("impact", "Russia's defence ministry")


def test_a_pronoun_is_not_tied_to_an_unrelated_earlier_mover(call):
    text = ("Russian jets upset Turkey this week, and NATO announced that it stands ready to dispatch soldiers "
            "to Turkey.")
    assert call(text, "Turkey", 1).role == "location"


def test_origins_of_vehicles_are_not_launches(call):
    assert call("Naval ships from France are escorting merchant vessels.", "France").role == "location"
    assert call("Rockets from Gaza hit Ashkelon.", "Gaza").role == "launch"
    text = "The drone was launched from Hodeidah, on Yemen's Red Sea coast."
    assert [call(text, s).role for s in ("Hodeidah", "Yemen")] == ["launch", "location"]


def test_a_movers_own_route_phrases_in_the_subject_give_its_roles(call):
    # the noun carries the movement: where the flight or convoy set out, went through and was going
    text = "A flight from Helsinki to Tartu landed safely."
    assert [call(text, s).role for s in ("Helsinki", "Tartu")] == ["launch", "target"]
    text = "A convoy from Semera via Abala to Mekelle reached the city on Friday."
    assert [call(text, s).role for s in ("Semera", "Abala", "Mekelle")] == ["launch", "transit", "target"]
    # a vehicle's "from" with no way or goal is where it belongs; a negated movement is none
    assert call("Naval ships from France are escorting merchant vessels.", "France").role == "location"
    assert call("No flight from Helsinki to Tartu landed.", "Tartu").role == "location"


def test_a_capability_or_a_possibility_is_no_movement(call):
    text = "Houthi commanders boasted that they could strike Riyadh and Abu Dhabi."
    assert [call(text, s).role for s in ("Riyadh", "Abu Dhabi")] == ["location", "location"]
    assert call("North Korea's missiles can reach Tokyo.", "Tokyo").role == "location"
    # an uncertain account of something that happened is still that movement
    assert call("The missile may have hit a hospital in Kharkiv.", "Kharkiv").role == "impact"
    assert call("The rocket could have been fired from Gaza.", "Gaza").role == "launch"


def test_a_document_without_a_parse_is_a_clear_error():
    import spacy

    from geo_news.exceptions import InputError

    doc = spacy.blank("en")("Missiles hit Kyiv.")
    with pytest.raises(InputError, match="parser"):
        role_of(doc[2:3])
