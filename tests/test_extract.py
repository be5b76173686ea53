"""Recognition on the full gazetteer and the real model: what is a place mention and what is not."""

import pytest

from geo_news.exceptions import InputError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def texts_of(full_gazetteer):
    import geo_news

    return lambda text, **kw: geo_news.geoparse(text, **kw)["text"].tolist()


@pytest.mark.parametrize(("text", "expected"), [
    ("Cases came from Belgium, Democratic Republic of the Congo and Denmark.",
     ["Belgium", "Democratic Republic of the Congo", "Denmark"]),
    ("Figures from the Ministry of Foreign Affairs of the People's Republic of China came late.",
     ["People's Republic of China"]),
    ("Aid finally reached Guinea-Bissau.", ["Guinea-Bissau"]),
    ("Spain says it has confirmed two more cases.", ["Spain"]),
    ("The U.S. said it was ready to talk.", ["U.S."]),
    ("Doctors at the Benghazi hospital were detained.", ["Benghazi"]),
    ("A spokesman for the U.S. Centers for Disease Control said the risk is low.", ["U.S."]),
    ("The Texas Department of State Health Services counted 40 cases.", ["Texas"]),
    ("The Texas Water Development Board published new estimates.", ["Texas"]),
    ("The plant in Charleston, W.Va. closed.", ["Charleston", "W.Va."]),
    # a facility named for its site keeps the place; one named after a person holds none
    ("He died in the arrivals area of Vancouver International Airport.", ["Vancouver"]),
    ("She spoke to students at George Washington High School in Charleston.", ["Charleston"]),
    ("The choir sang at St. Paul's Lutheran Church in Elizabethtown.", ["Elizabethtown"]),
    ("Services were held at St. Paul’s United Brethren Church in Elizabethtown.", ["Elizabethtown"]),
    # "Village Malakal" mislabelled as a person does not make "Malakal" a person's name
    ("The SOS Children's Village Malakal is safe. Cholera cases in Malakal fell, and Malakal hospital reopened.",
     ["Malakal", "Malakal"]),
    ("Passengers changed planes at Kansas City International before flying on to Denver.",
     ["Kansas City", "Denver"]),
    # a headline clause the model takes for one title (WORK_OF_ART) is read name by name
    ("ROCKETS FIRED FROM RAFAH HIT KEREM SHALOM CROSSING", ["RAFAH", "KEREM SHALOM CROSSING"]),
    # the possessor inside a mislabelled entity is a name of its own
    ("Insurgents overran the district headquarters of Macomia in Mozambique's Cabo Delgado province.",
     ["Macomia", "Mozambique", "Cabo Delgado"]),
    # a salient name no common word is a name even where the tagger reads it as an adjective
    ("Lagos floods: hours of torrential rain left roads in Lekki under water.", ["Lagos", "Lekki"]),
    # in Title Case, a town's name no commoner than a town's name keeps its capital, and so does a division's
    ("Flash Flooding Hits Ithaca Overnight", ["Ithaca"]),
    ("Canton Gears Up for Hall of Fame Weekend as Stark County Expects Record Crowds", ["Canton", "Stark County"]),
])
def test_places_are_found_whole(texts_of, text, expected):
    assert texts_of(text) == expected


@pytest.mark.parametrize("text", [
    "Samples of Marburg virus were stored in the lab.",
    "Crews repaved Washington Avenue on Monday.",
    "Georgia Tech beat Duke on Saturday.",
    "Paris Hilton arrived late.",
    "The Washington Post published the letter.",
    "UN figures suggest that aid is short.",
    "Kristina and Tim Jones lost their baby. Kristina said the doctors were kind.",
    "Eggers struck Bell twice. He felt Bell's hand go limp.",
    "Crews worked through the West Side overnight.",
    # a smaller place named after a bigger one is not the bigger one
    "The developer plans to demolish the dilapidated Madison Creek apartment complexes.",
    # places inside organisations' names are context for the resolver, not mentions
    "A spill was reported by the Gainesville Public Utilities department.",
    # a salient name that is a common word stays a word where the tagger reads it as one
    "Reading is fun, and it is expected to stay that way.",
    pytest.param("Reading is fun, and Nice weather is expected.", marks=pytest.mark.xfail(
        strict=True, reason="the recogniser refitted for described places gives 'Nice' (ORG, an adjective before "
                            "a noun) 0.404 against its threshold of 0.4; no cue of its tells an adjective's use")),
])
def test_names_that_are_not_places(texts_of, text):
    assert texts_of(text) == []


@pytest.mark.parametrize("text, places", [
    # the model tags the name as a date or a time: the name is still a place, the date words are not
    ("Turkish drones struck near Manbij.", ["Manbij"]),
    ("Rescuers pulled a survivor from the rubble in Antakya 200 hours after the quake.", ["Antakya"]),
    ("The talks resumed in March and again at Christmas.", []),
    ("Voting ends on Tuesday, Aug. 4.", []),
    # one organisation-tagged entity that is two places joined by a preposition
    ("Shops burned in Honiara on Guadalcanal overnight.", ["Honiara", "Guadalcanal"]),
])
def test_names_inside_mislabelled_entities(texts_of, text, places):
    assert texts_of(text) == places


def test_demonyms_only_when_asked(texts_of):
    text = "Russian jets and Israeli troops were seen."
    assert texts_of(text) == []
    assert texts_of(text, demonyms=True) == ["Russian", "Israeli"]


def test_spacy_component_writes_place_spans(full_gazetteer, nlp):
    import spacy

    import geo_news.component  # noqa: F401 - registers the "geo_news_places" factory

    own = spacy.load(f"{nlp.meta['lang']}_{nlp.meta['name']}")  # a fresh copy of the same installed pipeline
    own.add_pipe("geo_news_places", config={"gazetteer_path": str(full_gazetteer.path)})
    doc = own("Rockets fired from Gaza hit Ashkelon and Sderot.")
    assert [s.text for s in doc.spans["places"]] == ["Gaza", "Ashkelon", "Sderot"]
    gaza = doc.spans["places"][0]._.place
    assert gaza["role"] == "launch" and abs(gaza["lat"] - 31.5) < 0.3 and abs(gaza["lon"] - 34.47) < 0.3
    assert set(gaza) == {"id", "name", "lat", "lon", "feature_code", "country_code", "role", "sense", "confidence",
                         "cue", "mover", "attribution", "count", "quantity", "when", "event_date"}
    assert gaza["mover"] == "projectile" and gaza["count"] is None and gaza["when"] == ""
    # what the clause states of the movement, as geoparse() gives it; dates against doc.user_data["date"]
    doc = own.make_doc("Four cruise missiles launched from the Caspian Sea on Tuesday crashed in Iran.")
    doc.user_data["date"] = "2015-10-08"
    for _, proc in own.pipeline:
        doc = proc(doc)
    places = {s.text: s._.place for s in doc.spans["places"]}
    assert places["Caspian Sea"]["role"] == "launch" and places["Caspian Sea"]["count"] == 4
    assert places["Caspian Sea"]["quantity"] == "Four" or places["Caspian Sea"]["quantity"].lower() == "four"
    assert places["Iran"]["role"] == "impact" and places["Iran"]["when"] == "Tuesday"
    assert places["Iran"]["event_date"] == "2015-10-06"
    doc = own.make_doc("Shells hit Kharkiv.")
    doc.user_data["date"] = "not a date"
    with pytest.raises(InputError, match="user_data"):
        for _, proc in own.pipeline:
            doc = proc(doc)


def test_spacy_component_config_and_a_saved_pipeline_in_a_fresh_process(full_gazetteer, nlp, tmp_path):
    import subprocess
    import sys

    import spacy

    import geo_news.component  # noqa: F401

    own = spacy.load(f"{nlp.meta['lang']}_{nlp.meta['name']}")
    own.add_pipe("geo_news_places", config={"gazetteer_path": str(full_gazetteer.path), "spans_key": "geo",
                                            "overwrite": False, "resolve": False})
    doc = own.make_doc("Shells hit Kherson and Mykolaiv.")
    doc.spans["geo"] = [doc[0:1]]
    for _, pipe in own.pipeline:
        doc = pipe(doc)
    assert [s.text for s in doc.spans["geo"]] == ["Shells", "Kherson", "Mykolaiv"]  # added to, not replaced
    assert doc.spans["geo"][1]._.place is None  # resolve=False: spans only
    own.to_disk(tmp_path / "saved")
    script = ("import spacy\n"
              f"nlp = spacy.load({str(tmp_path / 'saved')!r})\n"
              "cfg = nlp.get_pipe('geo_news_places').cfg\n"
              "doc = nlp('Shells hit Kherson and Mykolaiv.')\n"
              "print(cfg['spans_key'], cfg['overwrite'], [s.text for s in doc.spans['geo']])\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "geo False ['Kherson', 'Mykolaiv']"


def test_spacy_finds_the_component_without_importing_geo_news(full_gazetteer, nlp, tmp_path):
    """The factory is registered through the ``spacy_factories`` entry point, so a fresh process that never
    imports geo_news itself can add the component by name (without the entry point spaCy raises E002)."""
    import subprocess
    import sys

    script = (
        "import spacy\n"
        f"nlp = spacy.load({nlp.meta['lang'] + '_' + nlp.meta['name']!r})\n"
        f"nlp.add_pipe('geo_news_places', config={{'gazetteer_path': {str(full_gazetteer.path)!r}}})\n"
        "doc = nlp('Shells hit Kherson and Mykolaiv.')\n"
        "print([s.text for s in doc.spans['places']])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['Kherson', 'Mykolaiv']"


def test_headline_mentions_keep_no_trailing_space(texts_of):
    assert texts_of("Storm heads across the Pacific\n\nThe storm grew overnight.") == ["Pacific"]


@pytest.mark.parametrize(("text", "expected"), [
    # CamelCase hashtags name the place in their words; the span is the tag's text, without '#'
    ("Floods again. #SouthSudan #NewYork", [("SouthSudan", "South Sudan"), ("NewYork", "New York")]),
    # a one-word hashtag is a name like any other, judged by the recogniser; "#Breaking" is no place
    ("Sirens again over #Kharkiv tonight. #Breaking", [("Kharkiv", "Kharkiv")]),
    # a hashtag the model runs into a handle ("Manbij @watch" PERSON) is neither a person nor part of one
    ("Shelling east of Manbij all night. #Syria #Manbij @rojava_watch",
     [("Manbij", "Manbij"), ("Syria", "Syria"), ("Manbij", "Manbij")]),
    # handles and links never give places
    ("Follow @Kyiv_Post and https://odesa.example/kharkiv for updates.", []),
    # datelines and headlines write names in capitals: a word of four or more letters is not an acronym
    ("KYIV, Ukraine (AP) — Drones hit ODESA overnight.", [("KYIV", "Kyiv"), ("Ukraine", "Ukraine"),
                                                            ("ODESA", "Odesa")]),
])
def test_social_and_wire_text(full_gazetteer, text, expected):
    import geo_news

    df = geo_news.geoparse(text)
    assert [(t, n) for t, n in zip(df["text"], df["name"])] == expected
    for t, s, e in zip(df["text"], df["start"], df["end"]):
        assert text[s:e] == t


def test_a_name_that_is_a_person_entity_itself_is_not_a_person_named_elsewhere(full_gazetteer):
    from geo_news.extract import _people
    from geo_news.pipeline import default_geoparser

    parser = default_geoparser()
    doc = parser.nlp("The army said it had retaken Wad Madani, a year after the RSF overran it.")
    ents = [e for e in doc.ents if e.text == "Wad Madani"]
    people = _people(doc, parser.extractor._salient)
    if ents and ents[0].label_ == "PERSON":  # what the small model says today
        span = ents[0]
        assert "madani" in people
        features = parser.extractor._rescue_features(span, "PERSON", [False] * len(doc), people)
        assert features["person_elsewhere"] == 0.0
    doc = parser.nlp("Omar Hama arrived on Monday. Shells later hit Hama.")
    people = _people(doc, parser.extractor._salient)
    last = doc[len(doc) - 2:len(doc) - 1]
    assert parser.extractor._rescue_features(last, "PERSON", [False] * len(doc), people)["person_elsewhere"] == 1.0
    # the same name again is no person elsewhere: a "KHAN YOUNIS" dateline and "west of Khan Younis", both PERSON
    doc = parser.nlp("KHAN YOUNIS, Gaza Strip (Reuters) — Strikes on tents west of Khan Younis killed 19 people.")
    people = _people(doc, parser.extractor._salient)
    both = [e for e in doc.ents if e.text.lower() == "khan younis"]
    if len(both) == 2 and all(e.label_ == "PERSON" for e in both):  # what the small model says today
        assert "younis" in people
        for span in both:
            assert parser.extractor._rescue_features(span, "PERSON", [False] * len(doc), people)[
                "person_elsewhere"] == 0.0
    assert "Khan Younis" in parser.parse(doc.text)["text"].tolist()  # was not found: itself its own evidence


@pytest.mark.parametrize(("text", "expected"), [
    ("Five migrants died on a beach between Calais and Boulogne-sur-Mer.", ["Calais", "Boulogne-sur-Mer"]),
    ("Stratford-upon-Avon and Southend-on-Sea flooded overnight.", ["Stratford-upon-Avon", "Southend-on-Sea"]),
    ("Fires reached the hills above Viña del Mar on Tuesday.", ["Viña del Mar"]),
    ("Families displaced from Croix-des-Bouquets slept in schools.", ["Croix-des-Bouquets"]),
    ("The Israel-Gaza war entered its second year as Kherson-based volunteers left.", ["Israel", "Gaza", "Kherson"]),
])
def test_a_name_is_taken_whole_where_the_model_stopped_short(texts_of, text, expected):
    """The rest of a name a span begins (a connector and a capitalised word, or hyphen-joined words that are no place
    of their own) belongs to it: "Croix" alone was Croix, France, 7,400 km from Croix-des-Bouquets."""
    assert texts_of(text) == expected


def test_a_piece_of_a_longer_unknown_name_is_not_placed_as_a_namesake(texts_of):
    assert "Ain" not in texts_of("Fighting broke out inside the Ain al-Hilweh camp near Sidon.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Water had still not been restored in Suzu and Anamizu a month after the quake.", ["Suzu", "Anamizu"]),
    ("The river burst its banks in Kłodzko and Nysa overnight.", ["Kłodzko", "Nysa"]),
    ("The typhoon tore roofs off in Virac on Catanduanes.", ["Virac", "Catanduanes"]),
])
def test_each_name_an_entity_coordinates_is_judged_on_its_own(full_gazetteer, texts_of, text, expected):
    """The model tags "Suzu and Anamizu" as one organisation; each name in it goes to the recogniser, not only
    when every one is a famous name."""
    from geo_news.pipeline import default_geoparser

    doc = default_geoparser().nlp(text)
    assert texts_of(text) == expected, [(e.text, e.label_) for e in doc.ents]


@pytest.mark.integration
@pytest.mark.parametrize(("text", "expected"), [
    # every item of a list before a plural feature noun is one of that kind, looked up in the form the gazetteer
    # knows: the county, not a town of the same name
    ("Officials in Butler and Warren counties said the roads were closed.",
     [("Butler", "Butler County", "ADM2"), ("Warren", "Warren County", "ADM2")]),
    ("Girls from Cooke, Grayson and Love counties will compete.",
     [("Cooke", "Cooke County", "ADM2"), ("Grayson", "Grayson County", "ADM2"), ("Love", "Love County", "ADM2")]),
    # a state's or a country's own name is that state, not a county named after it: the counties of two states
    ("Texas and Oklahoma counties reported flooding.", [("Texas", "Texas", "ADM1"), ("Oklahoma", "Oklahoma", "ADM1")]),
    # ... but a list holding another name is a list of counties named after whatever they are named after
    ("Washington and Jefferson counties closed schools.",
     [("Washington", "Washington County", "ADM2"), ("Jefferson", "Jefferson County", "ADM2")]),
    # names the model leaves untagged are found through the list
    ("Floodwater covered Dadu and Jacobabad districts.", [("Dadu", "Dadu", "PPL"), ("Jacobabad", "Jacobabad", "PPL")]),
    # no plural noun after the list: nothing changes ("Bakhmut, Avdiivka and Vuhledar" stay towns)
    ("Fighting in Bakhmut, Avdiivka and Vuhledar continued.",
     [("Bakhmut", "Bakhmut", "PPL"), ("Avdiivka", "Avdiyivka", "PPL"), ("Vuhledar", "Vuhledar", "PPL")]),
])
def test_a_list_before_a_plural_feature_noun_names_places_of_that_kind(full_gazetteer, text, expected):
    import geo_news

    df = geo_news.geoparse(text)
    assert list(zip(df["text"], df["name"], df["feature_code"])) == expected


@pytest.mark.integration
@pytest.mark.parametrize(("text", "expected"), [
    # a dateline's word is where the story was filed, never a speaker: the parser makes "LASHIO" the subject of
    # "said", which had made the town a person's name and dropped it everywhere in the story
    ("LASHIO, Myanmar — The army said it had captured Lashio.",
     [("LASHIO", "Lashio"), ("Myanmar", "Myanmar"), ("Lashio", "Lashio")]),
    # a dateline's short word is a town, not an acronym
    ("JOS, Nigeria — Gunmen killed 17 villagers near Bokkos, police said.",
     [("JOS", "Jos"), ("Nigeria", "Nigeria"), ("Bokkos", "Bokkos")]),
    # an acronym inside a sentence is still no town ("UN" is not Un)
    ("The UN said aid reached Goma.", [("Goma", "Goma")]),
    # one entity naming two places joined by "at" or "to" (tagged WORK_OF_ART and ORG) is both places
    ("Thousands crossed from Sudan into Chad at Adre last week.",
     [("Sudan", "Sudan"), ("Chad", "Chad"), ("Adre", "Adré")]),
    ("Gunmen blocked the road from Apatzingán to Aguililla.",
     [("Apatzingán", "Apatzingán"), ("Aguililla", "Aguililla")]),
    # a direction ending an entity before "of" is no part of the name ("the Taiwan Strait east" tagged LOC)
    ("Drills went on in the Taiwan Strait east of Pingtan.", [("Taiwan Strait", "Taiwan Strait"), ("Pingtan", "Pingtan")]),
    # a name the model split, whole where the gazetteer knows the whole ("Ismail Khan" tagged PERSON; "Hawke's"
    # WORK_OF_ART + "Bay region" LOC)
    ("A bomb hit a police post in Dera Ismail Khan in Khyber Pakhtunkhwa province.",
     [("Dera Ismail Khan", "Dera Ismail Khan"), ("Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa")]),
    ("The storm cut off Napier from the rest of the Hawke's Bay region.",
     [("Napier", "Napier"), ("Hawke's Bay region", "Hawke's Bay")]),
    # a dateline of two words the model split into two ORG entities is one town
    ("MAE SOT, Thailand (Reuters) — Thousands crossed the Moei River from Myawaddy.",
     [("MAE SOT", "Mae Sot"), ("Thailand", "Thailand"), ("Moei River", "Moei River"), ("Myawaddy", "Myawaddy")]),
    # a dateline may end at a colon; its word is where the story was filed, not the subject that speaks
    ("KHARTOUM: Fighting resumed near the airport, residents said.", [("KHARTOUM", "Khartoum")]),
    # a dateline's possessive and abbreviation in capitals are part of its name
    ("COX'S BAZAR, Bangladesh (AFP) — A fire tore through a camp at Kutupalong.",
     [("COX'S BAZAR", "Cox's Bazar"), ("Bangladesh", "Bangladesh"), ("Kutupalong", "Kutupalong")]),
    # (the province, Newfoundland and Labrador, or the island: both right; the ranker prefers the division)
    ("ST. JOHN'S, Newfoundland — Snow closed the port.", [("ST. JOHN'S", "St. John's"),
                                                        ("Newfoundland", "Newfoundland and Labrador")]),
    # a dateline the model ran on over a spaced dash into the story ("New Hampshire - Presidential" GPE)
    ("Exeter, New Hampshire - Presidential hopefuls packed the town hall here on Saturday.",
     [("Exeter", "Exeter"), ("New Hampshire", "New Hampshire")]),
])
def test_datelines_and_places_joined_inside_one_entity(full_gazetteer, text, expected):
    import geo_news

    df = geo_news.geoparse(text)
    assert list(zip(df["text"], df["name"])) == expected


@pytest.mark.integration
@pytest.mark.parametrize("text", ["The US Navy said it had seized a dhow in the Arabian Sea.",
                                  "The Gulf Clan imposed an armed strike across Córdoba department."])
def test_a_split_name_is_never_grown_over_a_sentences_the(full_gazetteer, text):
    import geo_news

    df = geo_news.geoparse(text)
    assert not any(t.startswith("The ") for t in df["text"]), list(df["text"])
    assert "Us" not in set(df["name"])  # "The US" is not the town of Us


def test_an_all_capitals_line_is_read_in_running_case_with_the_same_offsets():
    """A headline in capitals is given to the model as running text would have it, one character for one; a line
    in mixed case (a dateline and its story) is left alone."""
    from geo_news.extract import recase_capitals

    names = {("new york", 2), ("red sea", 2), ("chad", 1), ("mopti", 1)}

    def is_name(norm, words, title):
        return (norm, words) in names

    text = "REBELS SEIZE TOWN NEAR MOPTI AS CHAD SENDS TROOPS; US SHIPS IN RED SEA\nKYIV, Ukraine (AP) — Drones hit."
    out = recase_capitals(text, is_name)
    assert len(out) == len(text)
    assert out.splitlines()[0] == "Rebels seize town near Mopti as Chad sends troops; US ships in Red Sea"
    assert out.splitlines()[1] == text.splitlines()[1]
    assert recase_capitals("NEW YORK'S MAYOR SPEAKS ABOUT THE FLOODS", is_name) == \
        "New York's mayor speaks about the floods"
    assert recase_capitals("Shells hit Kharkiv again overnight.", is_name) == "Shells hit Kharkiv again overnight."


def test_a_title_case_headline_is_read_in_running_case_and_running_text_is_not():
    """A headline in Title Case gets the same reading as one in capitals: common words lower-cased, names and rare
    words kept, acronyms and lower-case words as written; a sentence of running text with many names is no
    headline."""
    from geo_news.extract import recase_capitals

    names = {("chad", 1), ("mopti", 1), ("red sea", 2)}

    def is_name(norm, words, title):
        return (norm, words) in names

    title = "Rebels Seize Town Near Mopti as Chad Sends Troops; US Ships Stay in Red Sea"
    assert recase_capitals(title, is_name) == "Rebels seize town near Mopti as Chad sends troops; US ships stay in Red Sea"
    assert recase_capitals("Militias Overrun Kidal", is_name) == "Militias Overrun Kidal"  # too short to tell
    running = "Chad sent troops to Mopti on Monday, the Red Sea Fleet said, and Sudan Tribune reported it."
    assert recase_capitals(running, is_name) == running
    two = title + "\n" + running
    assert recase_capitals(two, is_name).splitlines() == [recase_capitals(title, is_name), running]


def test_a_headline_verb_rare_only_as_inflected_is_read_as_a_word():
    """"REPELS" and "RETAKEN" are rare words, "repel" and "retake" are not: read as words, lower-cased, they no
    longer run into the name before them as one title ("Kherson Repels": a person); a rare word with no common stem
    stays a name, and a stem too short to be one is not tried ("ADEN")."""
    from geo_news.extract import recase_capitals
    from geo_news.wordlists import stem_zipf

    names = {("kherson", 1), ("chad", 1)}

    def is_name(norm, words, title):
        return (norm, words) in names

    assert recase_capitals("KHERSON REPELS RAID AS ARMY HAS RETAKEN KOZACHI LAHERI", is_name) == \
        "Kherson repels raid as army has retaken Kozachi Laheri"
    assert recase_capitals("Chad Mourns Soldiers Killed Near Lake Shore Post", is_name).startswith("Chad mourns")
    assert stem_zipf("shelling") > 4 and stem_zipf("aden") == 0 and stem_zipf("kherson") == 0


@pytest.mark.parametrize(("text", "expected"), [
    # the model runs the capital into the verb after it ("Lisbon Swelters", "Madrid Sizzles": people)
    ("LISBON SWELTERS AS PORTUGAL CLOSES SCHOOLS IN RECORD HEAT", ["LISBON", "PORTUGAL"]),
    ("MADRID SIZZLES WHILE SPAIN RATIONS WATER IN CATALONIA", ["MADRID", "SPAIN", "CATALONIA"]),
    # a place's name beside a person's name is the person's ("Mir Ali", a town the gazetteer lacks, is no Mir)
    ("Mir Ali Bazaar Closed After Shelling Near Miranshah", ["Miranshah"]),
])
def test_a_name_a_headline_was_read_to_hold_is_found_inside_the_title_the_model_made_of_it(full_gazetteer, text,
                                                                                             expected):
    import geo_news

    df = geo_news.geoparse(text)
    assert list(df["text"]) == expected


def test_a_name_the_model_cut_at_an_elided_particle_is_taken_whole(full_gazetteer):
    """"Cortina" (GPE) + "d'Ampezzo" (PERSON): the model cuts the name at the particle; the whole is a town the
    gazetteer knows, so it is one mention, placed in Italy, not a Cortina elsewhere."""
    import geo_news

    df = geo_news.geoparse("Snow closed the passes above Cortina d'Ampezzo and Belluno overnight.")
    assert list(zip(df["text"], df["country_code"])) == [("Cortina d'Ampezzo", "IT"), ("Belluno", "IT")]


def test_headline_names_are_the_runs_the_recasing_reads_as_names():
    from geo_news.extract import headline_names

    def is_name(norm, words, title):
        return (norm, words) in {("lisbon", 1), ("portugal", 1)}

    text = "Calm day.\nLISBON SWELTERS AS PORTUGAL CLOSES SCHOOLS"
    assert [text[a:b] for a, b in headline_names(text, is_name)] == ["LISBON", "PORTUGAL"]
    assert headline_names("Lisbon swelters as Portugal closes schools.", is_name) == []  # running text


def test_a_common_word_in_capitals_is_a_name_only_where_it_is_a_salient_places_own(full_gazetteer):
    """"PORT" is the short form of a division's name (Malta's Port Region): as a word it is lower-cased and does
    not join the city before it ("Odesa Port", a person to the model); a common word that is a big city's own
    name stays one ("GAZA")."""
    import geo_news

    df = geo_news.geoparse("BLASTS SHAKE ODESA PORT AS DRONES HIT GAZA AND KHERSON OVERNIGHT")
    assert list(df["text"]) == ["ODESA", "GAZA", "KHERSON"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Cyclone Batters Beira, Cuts Road Links to Chimoio and Harare", ["Beira", "Chimoio", "Harare"]),
    ("Rebels Shell Kidal Again; Convoy Turns Back Toward Gao", ["Kidal", "Gao"]),
    ("Migrants Rescued Off Lampedusa After Boat Capsizes Near Zuwara", ["Lampedusa", "Zuwara"]),
])
def test_places_in_a_title_case_headline_are_found(full_gazetteer, text, expected):
    """The small model misses these in Title Case (Beira; all of the others); in running case it finds them."""
    import geo_news

    df = geo_news.geoparse(text)
    assert list(df["text"]) == expected
    assert all(text[s:e] == t for s, e, t in zip(df["start"], df["end"], df["text"]))


def test_a_country_named_as_a_pair_is_one_place_and_two_towns_stay_two(full_gazetteer):
    """The model splits "Trinidad and Tobago" (Trinidad then read as the Bolivian city) and tags "Antigua" and
    "Barbuda" as people; the whole, a salient name, is one place. Two towns joined by "and" stay two."""
    import geo_news

    df = geo_news.geoparse("A hurricane struck Antigua and Barbuda, then Trinidad and Tobago; ships sailed on to "
                           "St Vincent and the Grenadines while storms hit Dallas and Fort Worth.")
    assert list(zip(df["text"], df["country_code"])) == [
        ("Antigua and Barbuda", "AG"), ("Trinidad and Tobago", "TT"), ("St Vincent and the Grenadines", "VC"),
        ("Dallas", "US"), ("Fort Worth", "US")]


@pytest.mark.integration
@pytest.mark.parametrize(("text", "expected"), [
    # a site named by its town and what it is, in lower case: the site, not the town beside it
    ("Drones struck the Engels air base and the Kursk nuclear power plant.",
     [("Engels air base", "cur:engels-air-base"), ("Kursk nuclear power plant", "cur:kursk-nuclear-power-plant")]),
    ("Aid trucks waited at the Kerem Shalom crossing as troops took the Philadelphi corridor.",
     [("Kerem Shalom crossing", "cur:kerem-shalom-crossing"), ("Philadelphi corridor", "cur:philadelphi-corridor")]),
    # the model cut the name at a particle ("Deir" GPE) or took its first word for a language ("English")
    ("Strikes hit Deir ez-Zor while migrants crossed the English Channel.",
     [("Deir ez-Zor", None), ("English Channel", "cur:english-channel")]),
    # a place word alone is a cue to the name's kind, never part of the name
    ("Floods hit Washington state and Anhui province.", [("Washington", None), ("Anhui", None)]),
])
def test_a_name_is_carried_over_the_words_that_make_it_a_salient_name(full_gazetteer, text, expected):
    import geo_news

    df = geo_news.geoparse(text)
    assert list(df["text"]) == [t for t, _ in expected]
    for (_, pid), got in zip(expected, df["place_id"]):
        assert pid is None or got == pid


def test_a_direction_in_lower_case_is_no_part_of_the_name(full_gazetteer):
    """"west London" is London (the model's entity takes the word in); "West Bank" keeps its own."""
    import geo_news

    df = geo_news.geoparse("A fire at a substation in west London cut power, and settlers attacked villages in the "
                           "West Bank and northern Gaza.")
    assert list(zip(df["text"], df["country_code"])) == [("London", "GB"), ("West Bank", "PS"), ("Gaza", "PS")]


@pytest.mark.parametrize(("text", "expected"), [
    ("INDIA, PAKISTAN TRADE FIRE IN KASHMIR AFTER PAHALGAM ATTACK",
     [("INDIA", "India"), ("PAKISTAN", "Pakistan"), ("KASHMIR", "Kashmir"), ("PAHALGAM", "Pahalgam")]),
    ("FLOODS CUT OFF VILLAGES AROUND SYLHET; BANGLADESH ASKS INDIA FOR HELP\nRivers rose after a week of rain.",
     [("SYLHET", "Sylhet"), ("BANGLADESH", "Bangladesh"), ("INDIA", "India")]),
    ("WASHINGTON WARNS TEHRAN OVER STRAIT OF HORMUZ SEIZURE",
     [("WASHINGTON", "Washington"), ("TEHRAN", "Tehran"), ("STRAIT OF HORMUZ", "Strait of Hormuz")]),
])
def test_places_in_an_all_capitals_headline_are_found_with_the_headlines_own_text(full_gazetteer, text, expected):
    """The small model finds almost nothing in a headline set in capitals (only INDIA in the first, nothing in the
    others); read in running case, every place is found, reported with the text and offsets of the article as
    given, and the sentence shown is the article's own."""
    import geo_news

    df = geo_news.geoparse(text)
    assert list(zip(df["text"], df["name"])) == expected
    assert all(text[s:e] == t for s, e, t in zip(df["start"], df["end"], df["text"]))
    assert all(s in text for s in df["sentence"])


@pytest.mark.parametrize(("text", "name", "described"), [
    ("Hamilton is a small city on the river, and Ravalli County's seat.", "Hamilton", True),
    ("Jackson is the capital and the biggest city of Mississippi.", "Jackson", True),
    ("Milton is an unincorporated community of farms north of the lake.", "Milton", True),
    ("Clifton is a census-designated place of some 20,000 people.", "Clifton", True),
    ("Wilson is located in Niagara County.", "Wilson", True),
    ("Russian shells hit Bilopillia, a town in Sumy region, on Tuesday.", "Bilopillia", True),
    ("Golden, the foothills city west of Denver, is weighing limits on traffic.", "Golden", True),
    # what a person is, or a place said nothing of, is no description of a place
    ("Hamilton is a lawyer in Ravalli County.", "Hamilton", False),
    ("Smith, a farmer near the town, said the river rose overnight.", "Smith", False),
    ("Jackson said the city would recover.", "Jackson", False),
])
def test_a_sentence_that_says_what_a_name_is(nlp, text, name, described):
    """The recogniser's ``described_as_place`` cue: the name is the subject of "is a city", "is located in", or
    has a place noun in apposition."""
    from geo_news.extract import PlaceExtractor

    doc = nlp(text)
    span = next(doc[t.i:t.i + 1] for t in doc if t.text == name)
    assert PlaceExtractor._described_as_place(span) is described


@pytest.mark.integration
def test_a_town_that_speaks_is_kept_where_the_sentence_says_it_is_a_town(texts_of):
    """A name that speaks is a person's in the story ("Bell said"), unless the sentence says it is a place."""
    assert texts_of("Livingstone, the tourist town on Zambia's side of the falls, says hotel bookings have "
                    "recovered.") == ["Livingstone", "Zambia"]
    assert texts_of("Bell said the plan would fail. Bell added that it was over.") == []
    # a story that says what a name is keeps it a place elsewhere too, beside the person it is named after
    assert texts_of("Hamilton is a small city in Montana. It takes its name from J.W. Hamilton, a railway man. "
                    "Last summer Hamilton drew crowds to its fair.") == ["Hamilton", "Montana", "Hamilton"]
