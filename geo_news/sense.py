"""Is a place name the place itself, or does it stand for a government, army, team or people?

``literal``: something is, happens or moves there ("fighting in Kharkiv", "missiles hit Kyiv", "Tehran's streets").
``associative``: the name acts as an agent ("Moscow insisted", "Washington warned Tehran", "Kyiv's allies",
"Brazil won 2-1"). Analysts map events; a capital that speaks for its government is an actor, not a place where
anything happened, so maps draw associative mentions only when asked.

How a sense is read
-------------------
No list of "political" verbs decides. The slot a name fills in the parse — subject of *insist*, object of *warn*,
possessor of *ally*, object of *in* under *fighting*, object of *between* under *talks* — is looked up in a table of
**who fills that slot in ordinary text**: counted over a large unlabelled corpus parsed by the same spaCy model, how
often the filler is a person, an organisation or a personal pronoun ("he insisted", "the ministry warned",
"his allies", "talks with her") and how often a place-like entity or a thing. A name in a slot where people and
organisations usually stand is acting as one; a name where places and things stand is a place. The table backs off
from the full slot (relation, preposition, head word) to the head word and relation, then to the relation alone,
so a verb the fitting never saw as a name's head is still judged by how people use it.

A small logistic model (:data:`FEATURES`) weighs those shares with the name's position (subject, object,
possessor, object of a preposition, compound), whether its head is a verb of movement, and what the gazetteer
says the place is (countries and capitals stand for governments far more often than villages). Its numbers are
fitted by ``python scripts/fit_sense.py`` on our own sense suite (``tests/sense``) and stored, numbers only, in
``data/sense/sense.json`` with the slot table; the figures it reports are on batches held out of the fit.

A mention the role labeller puts in a movement keeps its role whatever its sense: in "North Korea fired a missile
over Japan" North Korea names the actor and, for want of a better point, the launch area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .attributes import entity_at
from .exceptions import GeoNewsError
from .lexicon import LOCATIVE_PREPOSITIONS
from .resources import package_data, read_model
from .roles import MOVEMENT_VERBS, OBJECT_IMPACT

SENSES = ("literal", "associative")
SENSE_VERSION = 2
REFIT = "python scripts/fit_sense.py"

AGENT_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
"""Entity labels of fillers that act: people, organisations, nationalities ("the Russians said")."""
PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
AGENT_WORDS = frozenset({"he", "she", "him", "her", "his", "hers", "i", "me", "my", "we", "us", "our", "who",
                         "whom", "whose", "you", "your", "himself", "herself", "ourselves"})
"""Personal pronouns: fillers that are people whatever the model's entities say."""
THING_WORDS = frozenset({"it", "its", "itself", "there", "here", "where"})

_SUBJECT = {"nsubj": "subj", "nsubjpass": "subjpass", "csubj": "subj", "agent": "agent"}
_OBJECT = {"dobj": "obj", "obj": "obj", "dative": "dat", "attr": "attr", "oprd": "attr"}
_POSITIONS = ("subj", "subjpass", "obj", "poss", "pobj", "compound", "other")

_SHARED = ("subj", "obj", "poss", "pobj")
FEATURES = (
    *(f"agent_share_{p}" for p in _SHARED), *(f"place_share_{p}" for p in _SHARED),
    "agent_share_head", "place_share_head",
    *(f"pos_{p}" for p in _POSITIONS),
    "co_actor", "co_thing", "noun_agency", "noun_place", "copula", "clause_complement", "verb_object",
    "movement_head", "sentence_start", "country", "capital", "division", "small_place", "unresolved",
)
"""The sense model's inputs: the slot's shares of agent and place fillers (log-odds, by position, and for the
position and preposition without the head word), the name's position, the kind of the verb's other argument
(an actor — "Islamabad accused Kabul" — or a thing — "heavy snow blanketed Moscow"), how often the noun the
name hangs on is itself a subject ("Germany's finance *ministry*" acts; "Egypt's *pyramids*" do not), a
movement verb as its head, sentence-initial, and the kind of place it resolved to."""


class SenseModelError(GeoNewsError):
    """The sense model file is missing, unreadable or of another version."""


def _head_token(span):
    """The token that carries the name's relation to the rest of the sentence: its syntactic root, climbed
    through coordination ("London and Brussels" — Brussels is a conjunct of London) and appositions."""
    tok = span.root
    for _ in range(6):
        if tok.dep_ in {"conj", "appos"} and tok.head.i != tok.i:
            tok = tok.head
            continue
        if tok.dep_ == "compound" and tok.head.ent_type_ and tok.head.ent_type_ == tok.ent_type_:
            tok = tok.head  # inside a longer name
            continue
        break
    return tok


def slot_of(span) -> tuple[str, str, str]:
    """(position, head lemma, preposition) of the slot a name (or any noun phrase) fills.

    >>> # "Moscow insisted ..." -> ("subj", "insist", ""); "fighting in Kharkiv" -> ("pobj", "fighting", "in")
    """
    tok = _head_token(span)
    dep, head = tok.dep_, tok.head
    if dep in _SUBJECT:
        if dep == "agent":
            return "pobj", head.lemma_.lower(), "by"
        return _SUBJECT[dep], head.lemma_.lower(), ""
    if dep in _OBJECT:
        return _OBJECT[dep], head.lemma_.lower(), ""
    if dep == "poss":
        return "poss", head.lemma_.lower(), ""
    if dep == "pobj":
        prep = head.lower_
        if head.dep_ == "agent":
            prep = "by"
        governor = head.head
        return "pobj", governor.lemma_.lower(), prep
    if dep in {"compound", "nmod", "amod"}:
        return "compound", head.lemma_.lower(), ""
    return "other", head.lemma_.lower() if head.i != tok.i else "", ""


def slot_keys(slot: tuple[str, str, str]) -> tuple[str, str, str]:
    """The table keys of a slot, most specific first: full, head word and position (prepositions kept for
    prepositional objects: "pobj|in"), position alone."""
    pos, head, prep = slot
    return f"{pos}|{prep}|{head}", f"{pos}|{prep}|", f"{pos}||"


COPULAS = frozenset({"be", "become", "remain", "seem", "appear", "look", "stay", "feel"})
"""Linking verbs: their subject is described, not acting ("Gaza was without power", "Kabul remained calm")."""
WHO = frozenset({"who", "whom", "whose"})
WHICH = frozenset({"which"})


def filler_kind(span) -> str | None:
    """``agent``, ``place`` or ``thing`` for a slot filler in unlabelled text, or ``n:<lemma>`` for a common
    noun, whose kind :func:`collapse` decides from how the text uses it (None: not counted)."""
    root = span.root
    low = root.lower_
    if low in AGENT_WORDS:
        return "agent"
    if low in THING_WORDS:
        return "thing"
    label = root.ent_type_
    if label in AGENT_ENTITIES:
        return "agent"
    if label in PLACE_ENTITIES:
        return "place"
    if label:
        return "thing" if label not in {"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"} else None
    if root.pos_ == "NOUN":
        return "n:" + root.lemma_.lower()
    if root.pos_ == "PROPN":
        return "thing"
    return None


def count_slots(docs) -> tuple[dict[str, dict[str, int]], dict[str, list[int]]]:
    """Count, over parsed docs, the fillers of every slot: ``key -> {kind or n:<noun>: count}``, and for every
    common noun how often a relative clause on it starts with *who* and with *which* (``noun -> [who, which]``):
    "officials who said" is a person, "a depot which burned" a thing. Every noun, pronoun and entity is a
    filler; a multi-word entity counts once (at its root)."""
    raw: dict[str, dict[str, int]] = {}
    relatives: dict[str, list[int]] = {}
    for doc in docs:
        ents = {ent.root.i: ent for ent in doc.ents}
        for tok in doc:
            if tok.dep_ == "relcl" and tok.head.pos_ == "NOUN":
                subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None and (subj.lower_ in WHO or subj.lower_ in WHICH):
                    pair = relatives.setdefault(tok.head.lemma_.lower(), [0, 0])
                    pair[0 if subj.lower_ in WHO else 1] += 1
            if tok.i in ents:
                span = ents[tok.i]
            elif tok.ent_type_ or tok.pos_ not in {"NOUN", "PROPN", "PRON"}:
                continue
            else:
                span = doc[tok.i:tok.i + 1]
            kind = filler_kind(span)
            if kind is None:
                continue
            for key in slot_keys(slot_of(span)):
                slot = raw.setdefault(key, {})
                slot[kind] = slot.get(kind, 0) + 1
    return raw, relatives


def animate_nouns(relatives: dict[str, list[int]], raw: dict[str, dict[str, int]] | None = None, *,
                  min_who: int = 2, min_say: int = 2) -> frozenset[str]:
    """Common nouns the text treats as people: relative clauses on them start with *who* more often than with
    *which* (at least ``min_who`` times), or they are the subject of *say* at least ``min_say`` times
    ("diplomats said") and not more often followed by *which* than by *who*."""
    people = {n for n, (who, which) in relatives.items() if who >= min_who and who > which}
    if raw:
        for kind, n in raw.get("subj||say", {}).items():
            noun = kind[2:]
            who, which = relatives.get(noun, (0, 0))
            if kind.startswith("n:") and n >= min_say and which <= who and noun.isalpha():
                people.add(noun)
    return frozenset(people)


def collapse(raw: dict[str, dict[str, int]], animate: frozenset[str]) -> dict[str, list[int]]:
    """The slot table: ``key -> [agent, place, thing]``, common nouns counted as agents where animate."""
    table = {}
    for key, kinds in raw.items():
        row = [0, 0, 0]
        for kind, n in kinds.items():
            if kind.startswith("n:"):
                row[0 if kind[2:] in animate else 2] += n
            else:
                row[{"agent": 0, "place": 1, "thing": 2}[kind]] += n
        table[key] = row
    return table


def _shares(counts: dict, key: str, prior: tuple[float, float], strength: float = 4.0) -> tuple[float, float]:
    """Smoothed (agent, place) shares of one slot, shrunk toward ``prior`` (its parent slot's shares)."""
    a, p, t = counts.get(key, (0, 0, 0))
    n = a + p + t
    return (a + strength * prior[0]) / (n + strength), (p + strength * prior[1]) / (n + strength)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class SenseReading:
    """What the parse says of one mention's sense, taken while the doc is alive: the slot, and the features that
    do not depend on the place it resolves to or on the fitted tables."""

    slot: tuple[str, str, str]
    movement_head: bool
    sentence_start: bool
    co_argument: str = ""
    """The kind of the verb's other argument: its subject when the name is an object, its object when the name
    is the subject (``filler_kind``: agent, place, thing, n:<noun>), "" when there is none."""
    noun: str = ""
    """The lemma of the noun the name hangs on (possessed noun, or the noun a preposition phrase modifies)."""
    frame: tuple[str, ...] = ()
    """For a subject: what its verb takes — ``copula`` ("Gaza was without power"), ``complement`` (a clause:
    "Moscow insisted it was..."), ``object`` ("Brasília announced new limits")."""


def _co_argument(tok) -> str:
    dep, head = tok.dep_, tok.head
    if dep == "pobj":
        head = head.head  # the preposition's governor
    if head.pos_ not in {"VERB", "AUX"}:
        return ""
    want = {"nsubj", "nsubjpass"} if dep not in _SUBJECT else {"dobj", "obj"}
    other = next((c for c in head.children if c.dep_ in want and c.i != tok.i), None)
    if other is None:
        return ""
    ent = entity_at(other)
    return filler_kind(ent if ent is not None else tok.doc[other.i:other.i + 1]) or ""


def read_sense(span) -> SenseReading:
    """The parse's evidence for a mention's sense (see :meth:`SenseModel.features`)."""
    slot = slot_of(span)
    pos, head, _ = slot
    tok = _head_token(span)
    start = tok.sent.start if tok.doc.has_annotation("SENT_START") else 0
    first = span.start == start or all(t.is_punct or t.lower_ in {"the"} for t in tok.doc[start:span.start])
    noun = ""
    if pos == "poss" and tok.head.pos_ in {"NOUN", "PROPN"}:
        noun = tok.head.lemma_.lower()
    elif pos == "pobj" and tok.head.head.pos_ == "NOUN":
        noun = tok.head.head.lemma_.lower()
    elif pos == "compound" and tok.head.pos_ == "NOUN":
        noun = tok.head.lemma_.lower()  # "Aleppo city", "the Kenya-Uganda border", "a senior Iran commander"
    frame = ()
    if pos in {"subj", "subjpass"}:
        verb = tok.head
        frame = tuple(sorted(
            ({"copula"} if verb.lemma_.lower() in COPULAS or any(c.dep_ == "acomp" for c in verb.children) else set())
            | ({"complement"} if any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children) else set())
            | ({"object"} if any(c.dep_ in {"dobj", "obj", "dative"} for c in verb.children) else set())))
    return SenseReading(slot=slot, movement_head=head in MOVEMENT_VERBS or head in OBJECT_IMPACT,
                        sentence_start=first, co_argument=_co_argument(tok), noun=noun, frame=frame)




def noun_profiles(raw: dict[str, dict[str, int]], *, min_count: int = 3) -> dict[str, list[int]]:
    """For every common noun: ``[as subject, as any filler, as object of a locative preposition]`` (position
    keys without the head word, so each occurrence counts once). The first share says whether the noun acts
    ("the *ministry* said"), the second whether it is somewhere ("on the *coast*")."""
    out: dict[str, list[int]] = {}
    for key, kinds in raw.items():
        pos, prep, head = key.split("|", 2)
        if head:
            continue
        for kind, n in kinds.items():
            if kind.startswith("n:"):
                row = out.setdefault(kind[2:], [0, 0, 0])
                row[1] += n
                if pos == "subj":
                    row[0] += n
                elif pos == "pobj" and prep in LOCATIVE_PREPOSITIONS:
                    row[2] += n
    return {k: v for k, v in out.items() if v[1] >= min_count}


class SenseModel:
    """The fitted sense model: the slot table, noun profiles, people-nouns and the logistic weights (see the
    module docstring)."""

    def __init__(self, counts: dict[str, list[int]], weights: dict[str, float], bias: float,
                 threshold: float = 0.5, path: Path | None = None, *, nouns: dict[str, list[int]] | None = None,
                 animate: frozenset[str] | set[str] = frozenset()) -> None:
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise SenseModelError(f"sense model {path or ''}: unknown features {sorted(unknown)}; "
                                  f"refit it with `{REFIT}`")
        self.counts = counts
        self.nouns = nouns or {}
        self.animate = frozenset(animate)
        self.weights = {f: float(weights.get(f, 0.0)) for f in FEATURES}
        self.bias = float(bias)
        self.threshold = float(threshold)
        total = [sum(v[i] for k, v in counts.items() if k.endswith("||")) for i in range(3)]
        n = sum(total) or 1
        self._global = (total[0] / n, total[1] / n) if sum(total) else (1 / 3, 1 / 3)
        fillers = max(1, sum(v[1] for v in self.nouns.values()))
        self._noun_prior = sum(v[0] for v in self.nouns.values()) / fillers if self.nouns else 0.3
        self._noun_place_prior = sum(v[2] for v in self.nouns.values()) / fillers if self.nouns else 0.2

    def shares(self, slot: tuple[str, str, str]) -> tuple[float, float, float, float]:
        """(agent, place) shares of the full slot and of the head-less slot, each backed off to its parent."""
        full, head_less, pos = slot_keys(slot)
        top = _shares(self.counts, pos, self._global)
        mid = _shares(self.counts, head_less, top)
        low = _shares(self.counts, full, mid)
        return low[0], low[1], mid[0], mid[1]

    def _kind(self, kind: str) -> str:
        if kind.startswith("n:"):
            return "agent" if kind[2:] in self.animate else "thing"
        return kind

    def features(self, reading: SenseReading, place=None) -> dict[str, float]:
        a, p, a_mid, p_mid = self.shares(reading.slot)
        pos = reading.slot[0]
        shared = {"subjpass": "subj", "agent": "pobj"}.get(pos, pos)
        out = {"agent_share_head": _logit(a_mid), "place_share_head": _logit(p_mid),
               f"pos_{pos if pos in _POSITIONS else 'other'}": 1.0,
               "movement_head": float(reading.movement_head), "sentence_start": float(reading.sentence_start)}
        if shared in _SHARED:
            out[f"agent_share_{shared}"] = _logit(a)
            out[f"place_share_{shared}"] = _logit(p)
        co = self._kind(reading.co_argument) if reading.co_argument else ""
        if co in {"agent", "place"}:
            out["co_actor"] = 1.0  # a person, organisation or state on the other side of the verb
        elif co == "thing":
            out["co_thing"] = 1.0
        for item in reading.frame:
            out[{"copula": "copula", "complement": "clause_complement", "object": "verb_object"}[item]] = 1.0
        if reading.noun:
            subj, total, where = self.nouns.get(reading.noun) or (0, 0, 0)
            out["noun_agency"] = _logit((subj + 4 * self._noun_prior) / (total + 4))
            out["noun_place"] = _logit((where + 4 * self._noun_place_prior) / (total + 4))
        if place is None:
            out["unresolved"] = 1.0
        else:
            code = place.feature_code or ""
            if code.startswith("PCL") or code in {"TERR"}:
                out["country"] = 1.0
            elif code in {"PPLC", "PPLG"}:
                out["capital"] = 1.0
            elif code in {"ADM1", "ADM1H"}:
                out["division"] = 1.0
            elif place.feature_class == "P" and place.population < 100_000:
                out["small_place"] = 1.0
        return out

    def probability(self, reading: SenseReading, place=None) -> float:
        """P(associative) of one mention."""
        z = self.bias + sum(self.weights[f] * v for f, v in self.features(reading, place).items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def sense(self, reading: SenseReading, place=None) -> str:
        return "associative" if self.probability(reading, place) >= self.threshold else "literal"

    def to_json(self) -> dict:
        return {"version": SENSE_VERSION, "weights": self.weights, "bias": self.bias, "threshold": self.threshold,
                "counts": self.counts, "nouns": self.nouns, "animate": sorted(self.animate)}

    @classmethod
    def load(cls, path: str | Path | None = None) -> SenseModel:
        path = Path(path) if path is not None else default_path()
        data = read_model(path, what="sense model", version=SENSE_VERSION, error=SenseModelError, refit=REFIT)
        try:
            counts = {str(k): [int(x) for x in v] for k, v in data["counts"].items()}
            nouns = {str(k): [int(x) for x in v] for k, v in data["nouns"].items()}
            return cls(counts, dict(data["weights"]), float(data["bias"]), float(data.get("threshold", 0.5)),
                       path=path, nouns=nouns, animate=frozenset(map(str, data["animate"])))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise SenseModelError(f"sense model {path} is malformed ({err}); refit it with `{REFIT}`") from err


def default_path() -> Path:
    return package_data() / "sense" / "sense.json"


@lru_cache(maxsize=1)
def default_model() -> SenseModel:
    """The shipped sense model, loaded once per process."""
    return SenseModel.load()
