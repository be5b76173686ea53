"""A learned role labeller on top of the rules: what the parse, the rules and ordinary usage say, weighed.

The rules of :mod:`geo_news.roles` are precise on the phrasing they were written for and silent on the rest: a
mover they do not list ("the lorry", "ash from Etna"), a verb they do not know ("pummelled", "berthed"), a noun
that carries the movement ("the flight from Chicago to Frankfurt"). This model reads every mention with
features that carry over to unseen words:

* the **rule labeller's own call** (so what the rules know is kept);
* the **preposition** between the place and the word it hangs on, by class (source: *from*, *out of*; path:
  *over*, *through*, *via*; goal: *to*, *toward*, *into*; *at*; locative: *in*, *near*, *off*) and the place's
  position (subject, object, object of a preposition);
* **how the governing word is used in ordinary text** — counted over the same unlabelled corpus as the sense
  model's slot table (:mod:`geo_news.sense`): how often its preposition phrases of each class hold a place
  ("fire *from* X", "flow *into* X": a verb or noun of motion), how often its object is a place ("struck X",
  "reached X") — so a verb that never occurs in the labelled cases is still judged by its usage;
* the role the rules' construction *would* have given had the clause named a mover they know
  (:attr:`geo_news.roles.RoleCall.would`: "smoke drifted from Quebec" is launch-shaped);
* whether the clause or the sentence names a mover (the rules' lists, as one signal among others) and of which
  kind, whether the previous sentence told a movement, how much movement the rules find in the whole document (a
  summit story tells none), people travelling ("diplomats flew to Cairo" is no tracked movement), negation,
  modals, passive voice, a place that only qualifies another ("Mbour in Senegal");
* a few conjunctions of these (a source preposition in a sentence that names a mover) so that a linear model
  can weigh them together.

A multinomial logistic regression over these (``data/roles/roles.json``, numbers only) is fitted by
``python scripts/fit_roles.py`` on the role suite's batches, each batch scored by a model fitted without it. It
only adds what the rules miss: where they give a movement role it stands; where they say ``location``, the
model's movement role is taken at the probability stored with the weights (chosen held out), for a place in object
or preposition position (:data:`PROMOTABLE`) that is literal, not a name standing for a government
(:func:`final_call`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from .exceptions import GeoNewsError
from .lexicon import PREP_CLASSES
from .model import ROLES
from .resources import package_data, read_model
from .roles import (
    AIM_VERBS, HYPOTHETICAL_MODALS, IMPACT_VERBS, LAUNCH_VERBS, MOVERS, OBJECT_IMPACT, OBJECT_LAUNCH, OBJECT_TARGET,
    OBJECT_TRANSIT,
    ORIGIN_VERBS, REPORT_VERBS, TRAVEL_VERBS, RoleCall, _climb, _clause_has_mover, _lemma, _negated,
    _previous_sentence_moves, another_mover, attribution_of, mover_of,
)

ROLE_MODEL_VERSION = 2
REFIT = "python scripts/fit_roles.py"

_PREP_CLASS = {}
for _cls, _words in PREP_CLASSES.items():
    for _w in _words:
        _PREP_CLASS.setdefault(_w, _cls)
PROFILE_CLASSES = ("source", "path", "goal", "at", "locative")
MODALS = HYPOTHETICAL_MODALS | {"would"}
"""The modals the model weighs: the rules' hypotheticals, and "would"."""
_VERB_LISTS = {
    "launch": LAUNCH_VERBS, "travel": TRAVEL_VERBS, "aim": AIM_VERBS, "impact": IMPACT_VERBS,
    "object_impact": OBJECT_IMPACT, "object_target": OBJECT_TARGET, "object_transit": OBJECT_TRANSIT,
    "object_launch": OBJECT_LAUNCH, "origin": ORIGIN_VERBS, "report": REPORT_VERBS,
}


THRESHOLD = 0.75
"""The probability a movement role needs before the model gives it where the rules said ``location``, for a
weights file that does not carry its own. The shipped file carries the threshold ``python scripts/fit_roles.py``
chooses on every batch held out in turn (the best F1 of the movement roles, pooled): 0.50 today (with 13 batches
and with 15) — on the four batches of whole articles, held out, accuracy 0.881 / 0.859 / 0.826 / 0.962 at 0.50
against 0.890 / 0.835 / 0.835 / 0.965 at 0.75 (15 batches), while the sentence batches gain recall. (With two article batches,
0.5 had promoted governments' speeches and martyrdoms; people travelling to talks are now never promoted, by
definition: :meth:`RoleModel.decide`.)"""
PROMOTABLE = ("obj", "pobj", "inside")
"""Positions in which the model may give a movement role the rules did not."""


class RoleModelError(GeoNewsError):
    """The role model file is missing, unreadable or of another version."""


def prep_class(word: str) -> str:
    return _PREP_CLASS.get(word, "other")


def usage_profiles(raw: dict[str, dict[str, int]], *, min_count: int = 3) -> dict[str, list[int]]:
    """For every head word of the unlabelled corpus: ``[fillers, place objects, then per preposition class the
    place-fillers of its preposition phrases]`` (see :data:`PROFILE_CLASSES`), from the sense model's raw slot
    counts (``key -> {filler kind: count}``)."""
    out: dict[str, list[int]] = {}
    for key, kinds in raw.items():
        pos, prep, head = key.split("|", 2)
        if not head:
            continue
        row = out.setdefault(head, [0] * (2 + len(PROFILE_CLASSES)))
        n = sum(kinds.values())
        places = kinds.get("place", 0)
        row[0] += n
        if pos == "obj":
            row[1] += places
        elif pos == "pobj":
            cls = prep_class(prep)
            if cls in PROFILE_CLASSES:
                row[2 + PROFILE_CLASSES.index(cls)] += places
    return {k: v for k, v in out.items() if v[0] >= min_count}


def _usage(profiles: dict[str, list[int]], word: str, prefix: str) -> dict[str, float]:
    row = profiles.get(word)
    if row is None:
        return {f"{prefix}_unknown": 1.0}
    total = row[0]
    out = {f"{prefix}_object_place": math.log((row[1] + 0.5) / (total + 5))}
    for i, cls in enumerate(PROFILE_CLASSES):
        out[f"{prefix}_{cls}_place"] = math.log((row[2 + i] + 0.5) / (total + 5))
    return out


def _sentence_movers(tok) -> tuple[str, bool]:
    """(the first kind of mover the sentence names, whether it names a mover at all), read once per sentence
    and kept in the doc's ``user_data``."""
    from .roles import _kind

    sent = tok.sent
    key = ("geo_news.role_model.movers", sent.start)
    found = tok.doc.user_data.get(key)
    if found is None:
        kind = next((k for k in map(_kind, sent) if k), "")
        found = (kind, any(t.lower_ in MOVERS or _lemma(t) in MOVERS for t in sent))
        tok.doc.user_data[key] = found
    return found


def _doc_moves(doc) -> float:
    """How much movement the rules find in the whole document: the share of its sentences in which some place
    entity gets a movement role from them (read once per doc, kept in ``user_data``). A wire story about a summit
    tells none; a strike report tells several."""
    key = "geo_news.role_model.doc_moves"
    found = doc.user_data.get(key)
    if found is None:
        from .roles import role_of

        sentences = list(doc.sents)
        moving = {ent.sent.start for ent in doc.ents if ent.label_ in {"GPE", "LOC", "FAC"}
                  and role_of(ent).role != "location"}
        found = len(moving) / max(1, len(sentences))
        doc.user_data[key] = found
    return found


def _person_moves(verb, animate: frozenset[str]) -> bool:
    """The clause's subject is a person ("diplomats", "the minister", a named person) and names no mover:
    people travelling to talks are not a tracked movement, refugees fleeing are."""
    from .roles import _governing_subject

    subj = _governing_subject(verb)
    if subj is None:
        return False
    words = {t.lower_ for t in subj.subtree} | {_lemma(t) for t in subj.subtree}
    if words & MOVERS:
        return False
    return subj.ent_type_ == "PERSON" or subj.lemma_.lower() in animate


def features(span, call: RoleCall, profiles: dict[str, list[int]],
             animate: frozenset[str] = frozenset()) -> tuple[dict[str, float], object]:
    """The features of one mention (and the governing verb, or None) — see the module docstring."""
    tok = span.root
    while tok.dep_ in {"conj", "appos"} and tok.head.i != tok.i and tok.head.i < tok.i:
        tok = tok.head
    verb, rel, preps = _climb(tok)
    f: dict[str, float] = {f"rule_{call.role}": 1.0}
    if call.would:
        f[f"would_{call.would}"] = 1.0  # the construction fits a movement; only the mover was not recognised
    prep, holder = preps[0] if preps else ("", None)
    cls = prep_class(prep) if prep else "none"
    f[f"prep_{cls}"] = 1.0
    directional = next((prep_class(p) for p, _ in preps if prep_class(p) in {"source", "path", "goal", "at"}),
                       "none")
    f[f"dir_{directional}"] = 1.0
    position = ("subj" if rel in {"nsubj", "nsubjpass", "csubj"} else "obj" if rel in {"dobj", "obj", "dative"}
                else "pobj" if tok.dep_ == "pobj" else "inside" if preps else "other")
    f[f"rel_{position}"] = 1.0
    moving = False
    if verb is None:
        f["no_verb"] = 1.0
    else:
        lemma = _lemma(verb)
        for name, words in _VERB_LISTS.items():
            if lemma in words:
                f[f"verb_{name}"] = 1.0
        f.update(_usage(profiles, lemma, "verb"))
        moving = _clause_has_mover(verb)
        f["clause_mover"] = float(moving)
        f["person_travels"] = float(not moving and _person_moves(verb, animate))
        f["negated"] = float(_negated(verb))
        f["modal"] = float(any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children))
        f["passive"] = float(any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children))
    if holder is not None and holder.pos_ in {"NOUN", "PROPN"} and holder.i != tok.i:
        f["holder_noun"] = 1.0
        f["holder_mover"] = float(holder.lower_ in MOVERS or _lemma(holder) in MOVERS)
        f.update(_usage(profiles, holder.lemma_.lower(), "noun"))
    # a place that only says where another place is: "Mbour in Senegal", "Madison, Illinois", "Bokeo in Laos"
    place_holder = holder is not None and holder.ent_type_ in {"GPE", "LOC", "FAC"}
    f["qualifies_place"] = float(place_holder and cls == "locative"
                                 or span.root.dep_ in {"appos", "npadvmod"} and span.root.head.ent_type_ in
                                 {"GPE", "LOC", "FAC"})
    kind = mover_of(verb) if verb is not None else ""
    if not kind:
        kind = _sentence_movers(tok)[0] or "none"
    f[f"kind_{kind}"] = 1.0  # a missile that lands hits; an airliner that lands arrives
    f[f"kind_{kind}_x_{cls}"] = 1.0
    f[f"kind_{kind}_x_{position}"] = 1.0
    f["doc_moves"] = _doc_moves(tok.doc)
    f["doc_still"] = float(f["doc_moves"] == 0.0)
    sentence_mover = _sentence_movers(tok)[1]
    f["sentence_mover"] = float(sentence_mover)
    f["previous_moves"] = float(_previous_sentence_moves(tok.sent))
    context = moving or sentence_mover
    f[f"dir_{directional}_x_mover"] = float(context)
    f[f"rel_{position}_x_mover"] = float(context)
    return f, verb


class RoleModel:
    """The fitted role model: per-role weights over :func:`features`, and the usage profiles."""

    def __init__(self, weights: dict[str, dict[str, float]], bias: dict[str, float],
                 profiles: dict[str, list[int]], path: Path | None = None, threshold: float = THRESHOLD,
                 animate: frozenset[str] | set[str] = frozenset()) -> None:
        if set(weights) != set(ROLES) or set(bias) != set(ROLES):
            raise RoleModelError(f"role model {path or ''} does not give weights for every role {ROLES}; "
                                 f"refit it with `{REFIT}`")
        self.weights = weights
        self.bias = bias
        self.profiles = profiles
        self.threshold = float(threshold)
        self.animate = frozenset(animate)

    def scores(self, feats: dict[str, float]) -> dict[str, float]:
        z = {r: self.bias[r] + sum(self.weights[r].get(k, 0.0) * v for k, v in feats.items()) for r in ROLES}
        top = max(z.values())
        e = {r: math.exp(v - top) for r, v in z.items()}
        total = sum(e.values())
        return {r: v / total for r, v in e.items()}

    def decide(self, feats: dict[str, float], rule_role: str) -> str:
        """Where the rules give a movement role, it stands (they are precise where they speak); where they say
        ``location``, the model's most likely movement role when its probability reaches ``threshold`` and the
        place is the object of the verb or of a preposition (a subject is a launch site only on the rules'
        evidence: a firing verb with a projectile object — "Turkey has been angered by ... warplanes" is not), and
        the clause is not people travelling ("diplomats travelled to Cairo")."""
        if rule_role != "location":
            return rule_role
        if not any(feats.get(f"rel_{p}") for p in PROMOTABLE):
            return "location"
        if feats.get("person_travels"):
            return "location"  # people travelling to talks are no tracked movement, by definition, not by weight
        probs = self.scores(feats)
        role = max(probs, key=probs.get)
        return role if role != "location" and probs[role] >= self.threshold else "location"

    def call(self, span, rule: RoleCall) -> RoleCall:
        """The role of one mention (:meth:`decide`), with the cue, speaker, mover, count and date read from the
        governing verb where the model goes beyond the rules."""
        if rule.role != "location" or rule.negated:
            return rule
        feats, verb = features(span, rule, self.profiles, self.animate)
        role = self.decide(feats, rule.role)
        if role == "location" or verb is None:
            return rule
        from .attributes import count_of, when_of
        from .roles import _counted

        count, quantity = count_of(_counted(verb))
        return RoleCall(role, f"{_lemma(verb)} (learned)", False, rule.attribution or attribution_of(verb),
                        mover_of(verb), count, quantity, when_of(verb), another=another_mover(verb))

    def to_json(self) -> dict:
        return {"version": ROLE_MODEL_VERSION, "weights": self.weights, "bias": self.bias,
                "threshold": self.threshold, "profiles": self.profiles, "animate": sorted(self.animate)}

    @classmethod
    def load(cls, path: str | Path | None = None) -> RoleModel:
        path = Path(path) if path is not None else default_path()
        data = read_model(path, what="role model", version=ROLE_MODEL_VERSION, error=RoleModelError, refit=REFIT)
        try:
            weights = {str(r): {str(k): float(v) for k, v in w.items()} for r, w in data["weights"].items()}
            bias = {str(r): float(v) for r, v in data["bias"].items()}
            profiles = {str(k): [int(x) for x in v] for k, v in data["profiles"].items()}
            animate = frozenset(map(str, data["animate"]))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise RoleModelError(f"role model {path} is malformed ({err}); refit it with `{REFIT}`") from err
        return cls(weights, bias, profiles, path=path, threshold=float(data.get("threshold", THRESHOLD)),
                   animate=animate)


def final_call(rule: RoleCall | None, learned: RoleCall | None, sense: str) -> RoleCall | None:
    """The role call a mention keeps: the learned labeller's where it has one and the name is a place
    (``literal``) — it never makes a government move — else the rules'."""
    return learned if learned is not None and sense == "literal" else rule


def default_path() -> Path:
    return package_data() / "roles" / "roles.json"


@lru_cache(maxsize=1)
def default_model() -> RoleModel:
    """The shipped role model, loaded once per process."""
    return RoleModel.load()
