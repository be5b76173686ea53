"""Label each place mention with the role it plays in a movement, from the sentence's dependency parse.

Roles: ``launch`` (where a movement starts), ``transit`` (what it passes over or through), ``target`` (what it
is aimed at or heading for), ``impact`` (where it comes down or hits), ``location`` (any other mention).

How a role is read
------------------
The parse is climbed from the mention to the verb that governs it, through coordination ("Iran and Iraq"),
through the prepositions met on the way ("from warships in the Caspian", "in a rural area of Iran") and through
the nouns they hang on. Then the *position* of the place under that verb decides:

* **inside a prepositional phrase of the verb**: the lowest *directional* preposition on the path (``from``,
  ``over``/``through``/``via``..., ``to``/``toward``/``into``..., ``at`` after an aiming verb) together with the
  verb's class gives the role; with only locative prepositions (``in``, ``near``, ``outside``...), a verb of
  impact ("crashed in", "landed near") gives ``impact`` and a verb of origin ("formed in") gives ``launch``;
* **object of the verb**: transitive cues ("hit Kyiv" impact, "crossed Iraq" transit, "left Baghdad" launch,
  "reached Erbil" target). A directional phrase hung on the projectile itself ("fired a missile over Japan",
  "sent drones toward Moscow") is read as the verb's own;
* **subject of the verb, or inside its subject**: a launch only when the verb launches a projectile named as its
  object ("North Korea fired a missile", "warships in the Black Sea fired missiles"), or the subject is a
  projectile from somewhere ("rockets from Gaza hit..."); speakers ("Kyiv said") stay ``location``.

A few verbs tell a tracked movement whatever their subject (``SELF_EVIDENT``: fire, launch, strike, shell,
flee...). Every other movement verb ("fell", "came down", "landed", "travelled", "hit", "formed") counts only
when a mover is in its clause: a projectile, vehicle, storm or group of people on the move (``MOVERS``), or a
pronoun subject ("they", "it", "four of them") whose antecedent moves — the subject of the clause it hangs on
("the rocket flew ... before it exploded"), else the previous sentence's movement. That is the cross-sentence
reference: "Rockets were fired from Lebanon. They fell near Haifa." continues the first sentence's movement,
while "The prime minister landed in Kabul" and "the crisis hit Lebanon" stay ``location``.

A negated or counterfactual clause ("did not land in", "never entered", "none of the drones reached",
"instead of heading through") gives ``location``. Hedges ("reportedly", "allegedly", "believed to") keep the
role and are noted in the cue. Attribution — who said it ("a US official said", "according to the defence
ministry", "It said" after a sentence naming the ministry) — is read from the reporting verb that governs the
clause or hangs below it and kept on the record, so contradicting accounts each keep their speaker.

The cue lexicon is the sets below, in plain sight; extend them rather than adding special cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from .attributes import AMOUNT_WORDS, NUMBER_WORDS, count_of, normalise_date, when_of
from .exceptions import InputError
from .lexicon import (
    ANOTHER_WORDS, DIRECTIONAL, DIVISION_NOUNS, FROM, LOCATIVE, NEW_MOVEMENT_ADVERBS, QUALIFYING_PREPS, TARGET_PREPS,
    TRANSIT_PREPS,
)
from .model import Place, in_administrative_area

# -- the cue lexicon (verb lemmas; phrasal particles are read from the parse) ---------------------------------
LAUNCH_VERBS = {"fire", "launch", "shoot", "lob", "depart", "leave", "sail", "take", "blast", "loose", "release",
                "originate", "emanate", "set", "deploy", "drop", "send", "flee", "escape", "lift", "fly"}
"""Verbs whose ``from`` phrase is where the movement starts."""
TRAVEL_VERBS = {"travel", "fly", "move", "pass", "cross", "overfly", "traverse", "transit", "head", "go", "come",
                "cruise", "drift", "march", "flee", "migrate", "sail", "steam", "drive", "journey", "track",
                "route", "reroute", "divert", "penetrate", "enter", "approach", "advance", "return", "swim",
                "roll", "push", "surge", "make", "continue", "proceed", "walk", "trek", "hike", "wade", "row",
                "ride", "stream", "pour", "spread", "sweep", "barrel", "churn", "veer", "turn", "race", "speed",
                "reach", "arrive", "leave", "depart", "set", "send", "smuggle", "ship", "transport", "escort",
                "evacuate", "carry", "deliver", "bring", "circle", "loiter", "patrol", "hover", "orbit", "zigzag",
                "meander", "weave", "skirt", "hug", "brush", "graze", "thread", "slip"}
"""Verbs of travel: their ``over``/``through``/``via`` phrase is a transit, their ``to``/``toward`` a target."""
AIM_VERBS = {"aim", "target", "direct", "point", "fire", "launch", "shoot", "lob", "head", "bind", "hurl"}
"""Verbs of aiming: ``at``/``toward``/``to`` is the target."""
SELF_EVIDENT = {"fire", "launch", "shoot", "lob", "hurl", "aim", "target", "bind", "flee", "migrate", "escape",
                "evacuate", "overfly", "sail", "steam", "bomb", "shell", "strike", "attack", "pound", "intercept",
                "splash", "ditch", "raid"}
"""Verbs that tell a tracked movement whoever their subject is ("Hezbollah fired from Lebanon", "families fled
Sudan"). Every other movement verb needs a mover named or referred to in its clause: "the minister landed in
Kabul", "diplomats travelled to Cairo" and "the crisis hit Lebanon" are not tracked movements."""
MIGRATION_VERBS = {"flee", "migrate", "escape", "evacuate", "displace"}
"""A subject described by one of these ("families fleeing the fighting") is a group of people on the move."""
IMPACT_VERBS = {"crash", "land", "hit", "strike", "explode", "fall", "impact", "down", "splash", "smash",
                "slam", "detonate", "intercept", "destroy", "bomb", "shell", "pound", "struck", "ditch",
                "come", "touch", "wreck", "sink", "blow", "rain", "plunge", "plummet", "collide", "capsize",
                "shoot"}
"""Verbs of coming down or hitting: with a locative phrase ("crashed in", "intercepted near") an impact.
``come`` and ``touch`` only with ``down``; ``shoot`` only with ``down``."""
PARTICLE_IMPACT = {"come": "down", "touch": "down", "shoot": "down", "go": "down", "bring": "down",
                   "blow": "up"}
ARRIVING_KINDS = frozenset({"aircraft", "vessel", "people"})
"""Movers that land where they are going: a plane that "landed in Guatemala City" or "touched down in Ulaanbaatar",
a boat or migrants that "landed at Lampedusa" arrived there (``target``); a shell or a drone that landed came down
(``impact``), and so did a plane that crash-landed."""
ORIGIN_VERBS = {"form", "develop", "originate", "emerge", "emanate", "spawn", "intensify"}
"""Verbs of a storm or movement coming into being: "formed in" is where it starts."""
OBJECT_IMPACT = {"hit", "strike", "bomb", "shell", "pound", "struck", "attack", "smash", "blast", "rock",
                 "pummel", "batter", "slam", "raid", "devastate", "flatten", "lash", "ravage", "flood",
                 "inundate", "drench", "hammer", "swamp"}
"""Transitive verbs whose object is an impact ("hit Kyiv, Lviv and Dnipro")."""
OBJECT_IMPACT_NEEDS_MOVER = {"hit", "rock", "smash", "slam", "batter", "lash", "ravage", "devastate", "flatten",
                             "flood", "inundate", "drench", "hammer", "swamp", "lash"}
"""Of those, the ones that also say non-physical things ("the crisis hit Lebanon") need a mover in the clause."""
OBJECT_TARGET = {"target", "aim", "threaten", "reach", "approach", "enter"}
OBJECT_TRANSIT = {"cross", "overfly", "traverse", "transit", "pass", "penetrate", "skirt", "circle"}
OBJECT_LAUNCH = {"leave", "depart", "quit", "flee", "escape", "evacuate"}
FIRE_ON_VERBS = {"fire", "shoot", "open"}
"""Verbs whose ``on`` phrase is what they were aimed at ("fired on Kyiv", "opened fire on the convoy")."""
PROJECTILES = {"missile", "missiles", "rocket", "rockets", "drone", "drones", "shell", "shells", "projectile",
               "projectiles", "mortar", "mortars", "rounds", "salvo", "barrage", "bomb", "bombs", "uav", "uavs",
               "torpedo", "torpedoes", "munitions", "warhead", "warheads", "debris", "migrants", "refugees",
               "evacuees", "seekers"}
"""Movers whose ``from`` phrase is where they were launched or set out ("rockets from Gaza hit..."); for
vehicles it is usually a nationality ("naval ships from France are escorting...")."""
SUBJECT_LAUNCH = {"fire", "launch", "shoot", "lob", "send", "hurl", "deploy", "release", "unleash"}
"""Verbs whose subject is where the projectile came from, when the projectile is their object."""
LIGHT_VERB_NOUNS = {"landfall": "crash", "landing": "land", "crash": "crash", "impact": "crash"}
"""Nominal cues after a light verb ("made landfall in") and the verb they stand for."""
LIGHT_VERBS = {"make", "have", "carry", "conduct", "suffer"}
REPORT_VERBS = {"say", "report", "claim", "state", "announce", "tell", "confirm", "add", "insist", "deny", "allege",
                "accord", "believe", "suggest", "show", "indicate", "write", "tweet", "post", "conclude", "find",
                "assess", "estimate", "warn", "accuse", "acknowledge", "admit", "note", "explain"}
HEDGES = {"reportedly", "allegedly", "apparently", "purportedly", "possibly", "probably", "likely", "believe",
          "suspect", "appear", "seem"}
"""Words that hedge a claim; they keep the role and are noted in the cue."""
NEGATIONS = {"not", "n't", "never"}
"""Negating adverbs on the verb; a subject with "no", "none", "neither" negates the clause too."""
HYPOTHETICAL_MODALS = {"could", "might", "may", "can"}
"""Modals that make a movement a capability or a possibility ("could strike Riyadh"): no tracked movement."""
NEGATED_SUBJECTS = {"none", "neither", "nothing", "nobody"}
CONTRASTS = {"instead", "rather"}
"""Words that make a clause counterfactual: "instead of heading through...", "rather than crossing..."."""

MOVEMENT_VERBS = LAUNCH_VERBS | TRAVEL_VERBS | AIM_VERBS | IMPACT_VERBS
MOVERS = {"missile", "missiles", "rocket", "rockets", "drone", "drones", "shell", "shells", "projectile",
          "projectiles", "aircraft", "plane", "planes", "jet", "jets", "warplane", "warplanes", "bomber",
          "bombers", "salvo", "barrage", "ship", "ships", "vessel", "vessels", "convoy", "convoys", "flight",
          "storm", "storms", "hurricane", "typhoon", "cyclone", "migrants", "refugees", "helicopter",
          "helicopters", "munitions", "warhead", "warheads", "ballistic", "cruise", "balloon", "satellite",
          "debris", "boat", "boats", "tanker", "tankers", "fleet", "artillery", "rounds", "round", "mortar",
          "mortars", "torpedo", "torpedoes", "frigate", "frigates", "warship", "warships", "submarine",
          "destroyer", "freighter", "ferry", "airliner", "fighter", "fighters", "caravan", "column", "asylum",
          "seekers", "evacuees", "tornado", "depression", "airliners", "cargo", "shahed", "interceptor",
          "interceptors", "bomb", "bombs", "shrapnel", "fragments", "uav", "uavs", "glider", "wave", "swarm",
          "swarms", "truck", "trucks", "lorry", "lorries", "vehicle", "vehicles", "bus", "buses", "train",
          "trains", "carrier", "rain", "winds", "flood", "floodwaters", "remnants", "wildfire", "ash", "plume"}
"""Words naming something that moves: projectiles, vehicles, storms, people on the move."""
ANAPHORS = {"it", "they", "them", "these", "those", "some", "most", "many", "several", "one", "two", "three",
            "four", "five", "all", "others", "rest"}
LEMMA_FIXES = {"overflew": "overfly", "overflown": "overfly", "struck": "strike", "bound": "bind"}
"""Forms the small English models lemmatise wrongly."""

_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
_OBJECTS = {"dobj", "obj", "npadvmod", "advmod", "oprd", "dative"}
"""Relations that put a place in object position; the small models often tag an object place name as an
adverbial modifier ("pounded Bakhmut", "hit Haifa"), and a known place name is not an adverb."""


@dataclass(frozen=True, slots=True)
class RoleCall:
    """The role of one mention, the cue that gave it, and who said so.

    ``cue`` is the verb lemma with its particle and preposition ("fire from", "hit (object)"), with a hedge
    noted in brackets ("strike (object) [reportedly]"); ``attribution`` is the speaker when the text names one.
    """

    role: str
    cue: str = ""
    negated: bool = False
    attribution: str = ""
    mover: str = ""
    count: int | None = None
    """How many movers the clause states ("four cruise missiles"); see :mod:`geo_news.attributes`."""
    quantity: str = ""
    """The words of that amount as written ("at least four", "dozens")."""
    when: str = ""
    """The date and time expressions of the movement's clause ("Tuesday", "overnight")."""
    would: str = ""
    """For a ``location`` call: the movement role the construction would have given had the clause named a mover
    ("smoke drifted from Quebec": *launch*, but smoke is not a listed mover)."""
    another: bool = False
    """The clause tells of another mover than the story's earlier ones ("a second drone hit Gondar", "Separately,
    a missile struck Lozova"): it opens a movement of its own (:func:`geo_news.events.group_events`)."""


def movement_fields(call: RoleCall | None, article_date=None) -> dict:
    """What a mention's call says of its movement, as the columns of :func:`geo_news.geoparse` and the spaCy
    component's ``span._.place`` give it (no call: a ``location`` with nothing stated); ``event_date`` is
    ``when`` reckoned from the article's date."""
    call = call or RoleCall("location")
    return {"role": call.role, "cue": call.cue, "attribution": call.attribution, "mover": call.mover,
            "count": call.count, "quantity": call.quantity, "when": call.when,
            "event_date": normalise_date(call.when, article_date) if call.when else ""}


def phrase_of(span) -> frozenset[int]:
    """Where a mention sits in its noun phrase: the character offsets of its root and of the heads above it, up to
    (not including) the verb or the sentence's root, and not across coordination ("Montana and the central United
    States" are two items). Two mentions whose phrases meet belong to one noun phrase ("a village near Panjgur in
    Pakistan's Balochistan province")."""
    tok, out = span.root, {span.root.idx}
    while tok.head.i != tok.i and not _is_verb(tok.head) and tok.dep_ != "conj":
        tok = tok.head
        out.add(tok.idx)
    # "crashed outside Dusti in Tajikistan", "in Kanbalu township, in Myanmar's Sagaing region": the parser hangs
    # the second phrase on the verb, but a locative phrase right after a name says where that name is
    if tok.lower_ in QUALIFYING_PREPS:
        k = tok.i - 1
        while k >= 0 and tok.doc[k].is_punct:
            k -= 1
        if k >= 0 and tok.doc[k].pos_ in {"PROPN", "NOUN"}:
            out.add(tok.doc[k].idx)
    return frozenset(out)


def named_as_division(span) -> bool:
    """The text calls the name a first-level division: "the Donetsk region", "Hodeidah province"."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].lower_ in DIVISION_NOUNS


def apposition_hosts(span) -> frozenset[int]:
    """The character offsets of the words the appositions holding the mention describe: in "Zuwara, a port town
    west of Tripoli" Tripoli is inside the apposition of Zuwara (and of "town") and only says where Zuwara is.
    Climbs the heads above the mention up to the verb, not across coordination."""
    tok, out = span.root, set()
    while tok.head.i != tok.i and not _is_verb(tok.head) and tok.dep_ != "conj":
        if tok.dep_ == "appos" and tok.i != span.root.i:
            out.add(tok.head.idx)
        tok = tok.head
    return frozenset(out)


def placement(span, offset: int = 0) -> tuple[frozenset[int], bool, int, frozenset[int]]:
    """What :func:`qualifiers` needs of a mention, its character offsets moved by ``offset``: its noun phrase
    (:func:`phrase_of`), whether the text calls it a division (:func:`named_as_division`), its root's offset, and
    the offsets of the words the appositions holding it describe (:func:`apposition_hosts`)."""
    return (frozenset(offset + c for c in phrase_of(span)), named_as_division(span), offset + span.root.idx,
            frozenset(offset + c for c in apposition_hosts(span)))


NOWHERE = (frozenset(), False, -1, frozenset())
"""The placement of a mention without a span."""


def qualifiers(mentions: list[tuple[str, Place | None, frozenset[int], bool, int, frozenset[int]]]) -> set[int]:
    """The mentions that only say where another mention lies, made ``location``; the movement's role stays on the
    most precise place:

    * an area holding another place given the *same* movement role, named in the same noun phrase
      (:func:`phrase_of`): "crashed outside Dusti in Tajikistan's Khatlon region", "hit Jermuk, a spa town deep
      inside Armenia" — as "Kharkiv, Ukraine" makes Ukraine one; a route through an area to a place inside it
      ("through Turkey to the port of Ceyhan") keeps both waypoints;
    * any place inside an apposition that describes another place mention (:func:`apposition_hosts`): "set off from
      Zuwara, a port town west of Tripoli", "reached Linosa, a tiny island south of Sicily".

    ``mentions``: each mention's role, place and :func:`placement`, in text order; returns the positions to make
    ``location``."""
    sharing: dict[int, list[int]] = {}  # token offset -> the mentions whose phrase holds it
    for i, (_, _, phrase, _, _, _) in enumerate(mentions):
        for offset in phrase:
            sharing.setdefault(offset, []).append(i)
    roots = {root for _, place, _, _, root, _ in mentions if place is not None and root >= 0}
    out = set()
    for j, (role, area, phrase, division, root, hosts) in enumerate(mentions):
        if role == "location" or area is None:
            continue
        if hosts & (roots - {root}):
            out.add(j)
            continue
        if not (area.is_area or division):
            continue
        near = {i for offset in phrase for i in sharing[offset] if i != j}
        if any(mentions[i][0] == role and (place := mentions[i][1]) is not None and place.id != area.id
               and in_administrative_area(place, area, division=division) for i in sorted(near)):
            out.add(j)
    return out


def _is_verb(tok) -> bool:
    return tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB")


def _lemma(tok) -> str:
    low = tok.lower_
    return LEMMA_FIXES.get(low, tok.lemma_.lower())


def _negated(verb) -> bool:
    prep = verb.head
    if verb.dep_ == "pcomp" and prep.lower_ in {"of", "than"} and (
            prep.head.lower_ in CONTRASTS or any(c.lower_ in CONTRASTS for c in prep.children)):
        return True  # "instead of heading through the Gulf of Aden", "rather than crossing"
    if any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in verb.children):
        return True
    subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subj is not None and (subj.lower_ in NEGATED_SUBJECTS
                             or any(c.lower_ == "no" and c.dep_ == "det" for c in subj.children)):
        return True  # "no drones crossed into Poland", "none of the drones reached Moscow"
    # "did not manage to land", "did not land and explode": an xcomp, or a conjoined verb in the base form
    # that shares the negated auxiliary, is negated too; a finite conjoined verb is a clause of its own
    # ("never reached them and instead crashed in Iran").
    head = verb.head
    if head.i == verb.i or not any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in head.children):
        return False
    return verb.dep_ == "xcomp" or verb.dep_ == "conj" and verb.tag_ in {"VB", "VBG"}


def _particle(verb) -> str:
    return next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")


def _subject_text(tok) -> str:
    span = tok.doc[tok.left_edge.i:tok.right_edge.i + 1]
    return span.text.strip(" ,;:\"'“”‘’")[:80]


def _according_to(tok) -> str:
    for c in tok.children:
        if c.lower_ == "according":
            to = next((t for t in c.children if t.lower_ == "to"), None)
            obj = next((t for t in to.children if t.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return _subject_text(obj)
    return ""


def _speaker(subj) -> str:
    """The speaker named by a reporting verb's subject; a pronoun ("It said...") is the previous sentence's
    subject when that one names somebody ("Russia's defence ministry gave a different account. It said...")."""
    if subj.lower_ not in {"it", "they", "he", "she"}:
        return _subject_text(subj)
    sent = subj.sent
    if sent.start == 0:
        return ""
    prev = subj.doc[sent.start - 1].sent.root
    before = next((c for c in prev.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if before is None or before.pos_ == "PRON" or before.lower_ in MOVERS:
        return ""
    return _subject_text(before)


def attribution_of(verb) -> str:
    """Who said it: the subject of the reporting verb that governs this clause (or hangs below it), if any.

    Examples
    --------
    >>> from geo_news.nlp import load_model
    >>> doc = load_model()("Four missiles crashed in Iran, a US official said.")
    >>> attribution_of(doc[2])
    'a US official'
    """
    tok = verb
    for _ in range(6):
        found = _according_to(tok)
        if found:
            return found
        if tok.i != verb.i and _lemma(tok) in REPORT_VERBS:
            subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None:
                return _speaker(subj)
        # a reporting clause can also hang below the movement clause: "..., a U.S. official said"
        for c in tok.children:
            if _lemma(c) in REPORT_VERBS and c.dep_ in {"parataxis", "ccomp", "advcl", "conj"}:
                subj = next((s for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    return _speaker(subj)
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return ""


def _hedge(verb) -> str:
    tok = verb
    for _ in range(4):
        for c in (tok, *tok.children):
            if c.lower_ in HEDGES or _lemma(c) in HEDGES and c.i != verb.i:
                return c.lower_
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return ""


def _previous_sentence_moves(sent) -> bool:
    """Does the sentence before ``sent`` tell a movement of a mover (for "They fell near Haifa")?"""
    doc = sent.doc
    if sent.start == 0:
        return False
    prev = doc[sent.start - 1].sent
    words = {t.lower_ for t in prev}
    verbs = {_lemma(t) for t in prev if _is_verb(t)}
    return bool(words & MOVERS) and bool(verbs & MOVEMENT_VERBS)


def _governing_subject(verb):
    """The subject of ``verb``, or of the verb (or noun, for a relative clause) it hangs on."""
    node = verb
    for _ in range(6):
        subj = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
        if subj is not None and not (subj.tag_ in {"WDT", "WP"} and node.dep_ == "relcl"):
            return subj
        if node.dep_ in {"relcl", "acl"}:
            return node.head  # "the missiles, which were launched...", "migrants set off from..."
        if node.head.i == node.i or _lemma(node.head) in REPORT_VERBS:
            return None  # the speaker of "officials said the minister landed" is not what moved
        node = node.head
    return None


def _clause_has_mover(verb) -> bool:
    """A mover is named in the clause, or the subject refers back to one (same or previous sentence)."""
    clause = list(verb.subtree)
    # Objects of governing verbs count too: "fired a missile ... and it headed for", "sent drones ... toward".
    # and so do the words on the path up to the main clause, which a mis-attached clause hangs below:
    # "Families fleeing the fighting crossed from Sudan" parses "crossed" under "fighting".
    node = verb
    for _ in range(6):
        if node.head.i == node.i or _lemma(node.head) in REPORT_VERBS:
            break
        node = node.head
        clause.append(node)
        clause.extend(t for c in node.children if c.dep_ in {"dobj", "obj"} for t in c.subtree)
    subj = _governing_subject(verb)
    if subj is not None:
        clause.extend(subj.subtree)
    if {t.lower_ for t in clause} & MOVERS or {_lemma(t) for t in clause if t.i != verb.i} & MIGRATION_VERBS:
        return True
    if subj is not None and subj.lower_ in ANAPHORS:
        # "The rocket flew across the Red Sea before it exploded over Eilat": the pronoun is the subject of the
        # clause this one hangs on; "the alliance said it would send troops" is not about earlier warplanes.
        node = subj.head
        for _ in range(6):
            if node.head.i == node.i or _lemma(node.head) in REPORT_VERBS:
                break
            node = node.head
            above = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
            if above is not None and above.lower_ not in ANAPHORS:
                return bool({t.lower_ for t in above.subtree} & MOVERS)
        return _previous_sentence_moves(verb.sent)
    return False


def _climb(tok):
    """Walk up from a place token to its governing verb.

    Returns ``(verb, relation, preps)``: the verb (or None), the dependency relation of the last token before
    it, and the prepositions met on the way (lowest first, each with the token it hangs on).
    """
    preps: list[tuple[str, object]] = []
    path = tok
    for _ in range(12):
        head = path.head
        if head.i == path.i:
            return None, path.dep_, preps
        if _is_verb(head) and (head.pos_ != "AUX" or path.dep_ in _SUBJECTS):
            return head, path.dep_, preps
        if head.pos_ == "ADP" or head.dep_ in {"prep", "agent"}:
            # coordinated prepositions ("across Cuba and into the Gulf") are each their own: count only the
            # first one met
            if not (path.pos_ == "ADP" and path.dep_ == "conj"):
                preps.append((head.lower_, head.head))
        elif head.lower_ == "according":
            return None, "according", preps  # the place is in the source: "according to Kyiv"
        path = head
    return None, path.dep_, preps


def role_of(span) -> RoleCall:
    """The role of the place named by ``span`` (a spaCy ``Span``) in its sentence.

    Parameters
    ----------
    span : spacy.tokens.Span
        The place mention inside a parsed ``Doc`` (the whole document, so that a sentence can refer back to
        the movement of the previous one).

    Returns
    -------
    RoleCall
        ``role`` (launch / transit / target / impact / location), ``cue``, ``negated`` and ``attribution``.

    Raises
    ------
    InputError
        When the document has no dependency parse.

    Examples
    --------
    >>> from geo_news.nlp import load_model
    >>> doc = load_model()("Missiles fired from Crimea hit Odesa.")
    >>> role_of(doc[3:4]).role, role_of(doc[5:6]).role
    ('launch', 'impact')
    >>> role_of(load_model()("The rockets did not land in Syria.")[6:7]).role
    'location'
    """
    if not span.doc.has_annotation("DEP"):
        raise InputError("role_of needs a dependency parse: parse the text with a spaCy pipeline that has a "
                         "'parser' component, e.g. geo_news.nlp.load_model()")
    tok = span.root
    while tok.dep_ in {"conj", "appos"} and tok.head.i < tok.i:
        tok = tok.head  # "Iran and Iraq": the second conjunct plays the first one's part
    verb, rel, preps = _climb(tok)
    if verb is None:
        return RoleCall("location")
    directional = next(((p, h) for p, h in preps if p in DIRECTIONAL), None)
    locative = next((p for p, _ in reversed(preps) if p in LOCATIVE), "")  # the one nearest the verb
    if rel in _SUBJECTS:
        return _subject_role(verb, directional)
    if rel in _OBJECTS | {"attr", "appos", "conj"} and preps and directional is None:
        return _object_role(verb)  # "hit targets in Syria": the place is inside the object
    if rel in _OBJECTS and not preps:
        return _object_role(verb)
    if rel in _OBJECTS and directional is not None:
        # a directional phrase on the object: "fired a missile over Japan", "sent drones toward Moscow"
        holder = directional[1]
        if holder.lower_ in MOVERS or _lemma(holder) in MOVERS or _clause_has_mover(verb):
            return _verb_role(verb, directional[0], locative)
        return _object_role(verb)
    direct = len(preps) == 1 and tok.dep_ == "pobj"  # the place itself is the preposition's object
    return _verb_role(verb, directional[0] if directional else "", locative, direct=direct)


def _effective_lemma(verb) -> str:
    lemma = _lemma(verb)
    if lemma in LIGHT_VERBS:
        obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
        if obj is not None and obj.lower_ in LIGHT_VERB_NOUNS:
            return LIGHT_VERB_NOUNS[obj.lower_]
    return lemma


MOVER_KINDS = {
    "projectile": {"missile", "rocket", "projectile", "salvo", "barrage", "shell", "munition", "warhead", "ballistic",
                   "cruise", "round", "mortar", "torpedo", "interceptor", "artillery"},
    "drone": {"drone", "shahed", "uav"},
    "aircraft": {"aircraft", "plane", "jet", "warplane", "bomber", "helicopter", "flight", "airliner", "fighter"},
    "vessel": {"ship", "vessel", "boat", "tanker", "fleet", "frigate", "warship", "submarine", "destroyer",
               "freighter", "ferry", "cargo"},
    "storm": {"storm", "hurricane", "typhoon", "cyclone", "tornado", "depression"},
    "people": {"migrant", "refugee", "convoy", "caravan", "column", "asylum", "seeker", "evacuee"},
}
"""What moves, by kind: an article often tells two movements at once (a tanker's voyage and the drone that hit
it), and the kind of mover keeps them apart (see :func:`geo_news.events.group_events`)."""
_KIND_OF = {word: kind for kind, words in MOVER_KINDS.items() for word in words}


def _kind(tok) -> str:
    return _KIND_OF.get(_lemma(tok)) or _KIND_OF.get(tok.lower_.rstrip("s")) or ""


def mover_token(verb):
    """The noun naming what moves in the clause of ``verb`` (its subject's words first, then its objects'), or
    None. A modifier naming the kind ("cruise" of "cruise missiles") gives its noun."""
    subj = _governing_subject(verb)
    ordered = list(subj.subtree) if subj is not None else []
    ordered += [t for c in verb.children if c.dep_ in {"dobj", "obj", "agent"} for t in c.subtree]
    if verb.dep_ == "xcomp":  # "forced the airliner to land": the object of the verb above is what moves
        ordered += [t for c in verb.head.children if c.dep_ in {"dobj", "obj"} for t in c.subtree]
    for tok in ordered:
        if _kind(tok):
            while tok.dep_ in {"compound", "amod"} and tok.head.i != tok.i and tok.head.pos_ in {"NOUN", "PROPN"}:
                tok = tok.head
            return tok
    return None


def mover_of(verb) -> str:
    """The kind of thing that moves in the clause of ``verb`` ("projectile", "vessel"...), or "" when the clause
    names none (a pronoun, or no mover at all)."""
    tok = mover_token(verb)
    if tok is None:
        return ""
    return _kind(tok) or next((_kind(t) for t in tok.subtree if _kind(t)), "")


def _counted(verb):
    """The token whose number the clause states: the mover's noun, or a numeral or amount word standing for it
    as the subject ("Four of them came down in Iran", "Dozens fell near Kharkiv")."""
    tok = mover_token(verb)
    if tok is not None:
        return tok
    subj = _governing_subject(verb)
    if subj is not None and (subj.like_num or subj.lower_ in NUMBER_WORDS or subj.lower_ in AMOUNT_WORDS):
        return subj
    return None


def _call(role: str, verb, cue: str, *, moved: bool = True) -> RoleCall:
    """The call for ``role`` when something is seen to move (``moved``); else ``location``, with the role the
    construction would have given kept as ``would`` (the learned labeller weighs it)."""
    who = attribution_of(verb)
    if role == "location" or not moved or _hypothetical(verb):
        return RoleCall("location", cue, False, who, would="" if role == "location" else role)
    hedge = _hedge(verb)
    count, quantity = count_of(_counted(verb))
    return RoleCall(role, f"{cue} [{hedge}]" if hedge else cue, False, who, mover_of(verb), count, quantity,
                    when_of(verb), another=another_mover(verb))


def another_mover(verb) -> bool:
    """Whether the clause of ``verb`` tells of a new mover: its mover's noun says so ("a second drone", "another
    missile", "a separate strike", "another one"), or an adverb opens another movement ("Separately, ...",
    "Meanwhile, ...")."""
    subj = _governing_subject(verb)
    movers = [mover_token(verb), subj if subj is not None and subj.lower_ in {"one", "ones"} else None]
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":  # "a second freighter headed out of Reni"
        movers.append(verb.head)
    if any(c.lower_ in ANOTHER_WORDS for tok in movers if tok is not None for c in tok.children if c.i < tok.i):
        return True
    clause = [verb, *([verb.head] if verb.dep_ in {"conj", "xcomp"} else [])]
    return any(c.dep_ == "advmod" and c.lower_ in NEW_MOVEMENT_ADVERBS for v in clause for c in v.children)


def _lands_on_purpose(verb, lemma: str, particle: str) -> bool:
    """A landing that is an arrival: "land" or "touch down" said of an aircraft, a vessel or people on the move
    (:data:`ARRIVING_KINDS`), not a crash landing ("crash-landed")."""
    if not (lemma == "land" or lemma == "touch" and particle == "down") or mover_of(verb) not in ARRIVING_KINDS:
        return False
    before = verb.doc[max(0, verb.i - 2):verb.i]
    return not any(_lemma(t) == "crash" for t in before)


def _hypothetical(verb) -> bool:
    """A capability or a possibility, not a movement: "boasted that they could strike Riyadh", "missiles that can
    reach Tokyo". A possibility about something that happened ("may have hit", "could have been fired from") is
    still that movement."""
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    return bool(aux & HYPOTHETICAL_MODALS) and "have" not in aux


def _verb_role(verb, directional: str, locative: str, *, direct: bool = True) -> RoleCall:
    lemma = _effective_lemma(verb)
    particle = _particle(verb)
    cue = " ".join(w for w in (lemma, particle, directional or locative) if w)
    if _negated(verb):
        return RoleCall("location", cue, True, attribution_of(verb))
    mover = lemma in SELF_EVIDENT or _clause_has_mover(verb)
    downed = PARTICLE_IMPACT.get(lemma) == particle and particle != ""
    impact_verb = (lemma in IMPACT_VERBS and lemma not in PARTICLE_IMPACT) or downed
    if _lands_on_purpose(verb, lemma, particle) and (directional in TARGET_PREPS | {"at"} or locative):
        return _call("target", verb, cue, moved=mover)  # "the plane landed in Guatemala City"
    if impact_verb and directional in TRANSIT_PREPS | {"at"}:
        # "shot down over the Red Sea", "exploded above Kyiv", "intercepted over Jordan"
        return _call("impact", verb, cue, moved=mover)
    if directional in FROM:
        if lemma in MOVEMENT_VERBS or particle == "off":
            return _call("launch", verb, cue, moved=mover)
        return _call("location", verb, cue)
    if directional in TRANSIT_PREPS:
        return _call("transit" if lemma in MOVEMENT_VERBS else "location", verb, cue, moved=mover)
    if directional in TARGET_PREPS:
        if impact_verb and directional in {"into", "onto"}:
            return _call("impact", verb, cue, moved=mover)  # "slammed into the Philippines"
        if lemma in AIM_VERBS | TRAVEL_VERBS:
            return _call("target", verb, cue, moved=mover)
        return _call("location", verb, cue)
    if directional == "at":
        return _call("target" if lemma in AIM_VERBS else "location", verb, cue, moved=mover)
    if not locative:
        return _call("location", verb, cue)
    if impact_verb:
        return _call("impact", verb, cue, moved=mover)
    if lemma in ORIGIN_VERBS | (LAUNCH_VERBS - {"take", "set", "drop", "release", "deploy", "send", "leave",
                                                 "depart", "flee", "escape", "sail", "fly", "lift"}):
        if locative in {"in", "off", "inside", "near", "within"} and _clause_has_mover(verb):
            return _call("launch", verb, cue)  # "fired [from warships] in the Caspian", "formed in the Bay"
        if locative == "on" and lemma in FIRE_ON_VERBS and direct:
            return _call("target", verb, cue)  # "fired on Kyiv" (not "launched from a port on Yemen's coast")
    if lemma == "arrive":
        return _call("target", verb, cue, moved=mover)
    return _call("location", verb, cue)


def _object_role(verb) -> RoleCall:
    lemma = _effective_lemma(verb)
    cue = f"{lemma} (object)"
    if _negated(verb):
        return RoleCall("location", cue, True, attribution_of(verb))
    if lemma in OBJECT_IMPACT:
        return _call("impact", verb, cue,
                     moved=lemma not in OBJECT_IMPACT_NEEDS_MOVER or _clause_has_mover(verb))
    role = ("target" if lemma in OBJECT_TARGET else "transit" if lemma in OBJECT_TRANSIT
            else "launch" if lemma in OBJECT_LAUNCH else "location")
    # "the minister left Paris", "the bill passed Congress": no mover, no movement
    return _call(role, verb, cue, moved=role == "location" or lemma in SELF_EVIDENT or _clause_has_mover(verb))


def _subject_role(verb, directional) -> RoleCall:
    lemma = _lemma(verb)
    cue = f"{lemma} (subject)"
    if _negated(verb):
        return RoleCall("location", cue, True, attribution_of(verb))
    if directional is not None:
        # "Rockets from Gaza hit Ashkelon", "a flight from Helsinki to Tartu landed", "trucks via Torkham reached":
        # the subject is something that moves, and its own phrases say where from, through and to. A vehicle's
        # "from" alone is where it belongs ("naval ships from France are escorting..."); beside a phrase of its
        # way or goal it is where it set out
        prep, holder = directional
        role = "launch" if prep in FROM else "transit" if prep in TRANSIT_PREPS else \
            "target" if prep in TARGET_PREPS else ""
        mover = holder.lower_ in MOVERS or _lemma(holder) in MOVERS
        route = any(c.dep_ == "prep" and c.lower_ in TRANSIT_PREPS | TARGET_PREPS for c in holder.children)
        if role == "launch" and holder.lower_ not in PROJECTILES and not route:
            mover = False
        if role and mover:
            return _call(role, verb, f"{prep} (subject)", moved=lemma in MOVEMENT_VERBS | OBJECT_IMPACT)
        return RoleCall("location", cue)
    if lemma in SUBJECT_LAUNCH and directional is None:
        obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
        if obj is not None and {t.lower_ for t in obj.subtree} & MOVERS:
            return _call("launch", verb, cue)  # "North Korea fired a missile", "warships in the Sea fired..."
    return RoleCall("location", cue)
