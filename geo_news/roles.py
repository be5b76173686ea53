"""Label each place mention with the role it plays in a movement, from the sentence's dependency parse.

Roles: ``launch`` (where a movement starts), ``transit`` (what it passes over or through), ``target`` (what it
is aimed at or heading for), ``impact`` (where it comes down or hits), ``location`` (any other mention).

The parse is read upward from the mention: through coordination ("Iran and Iraq"), through locative and
partitive prepositional chains ("from warships in the Caspian", "over parts of Iran"), to the governing verb.
The lowest *directional* preposition on that path (from, over, through, to, toward, at after an aiming verb...)
and the verb's class decide the role; a verb of impact with a locative preposition ("crashed in") or a direct
object ("hit Kyiv") makes an impact. A negated verb ("did not land in") gives ``location``. The cue lexicon is
below, in plain sight, and documented in ``docs``-style comments.
"""

from __future__ import annotations

from dataclasses import dataclass

# Verbs by what they say about movement (lemmas; phrasal particles are read from the parse).
LAUNCH_VERBS = {"fire", "launch", "shoot", "lob", "depart", "leave", "sail", "take", "blast", "loose", "release",
                "originate", "emanate", "set", "deploy", "drop"}
TRAVEL_VERBS = {"travel", "fly", "move", "pass", "cross", "overfly", "traverse", "transit", "head", "go", "come",
                "cruise", "drift", "march", "flee", "migrate", "sail", "steam", "drive", "journey", "track",
                "route", "reroute", "divert", "penetrate", "enter", "approach", "advance", "return", "swim",
                "roll", "push", "surge", "make", "continue", "proceed"}
AIM_VERBS = {"aim", "target", "direct", "point", "fire", "launch", "shoot", "lob", "head", "bind", "hurl"}
NEEDS_MOVER = {"go", "come", "move", "return", "make", "send", "continue", "proceed", "push", "advance", "enter"}
"""Verbs that are movements of a projectile or vehicle only when one is named in the clause."""
IMPACT_VERBS = {"crash", "land", "hit", "strike", "explode", "fall", "impact", "down", "splash", "smash",
                "slam", "detonate", "intercept", "destroy", "bomb", "shell", "pound", "struck", "ditch",
                "come", "touch", "wreck", "sink", "blow", "rain", "plunge", "plummet", "collide"}
OBJECT_IMPACT = {"hit", "strike", "bomb", "shell", "pound", "struck", "attack", "smash", "blast", "rock",
                 "pummel", "batter"}
OBJECT_TARGET = {"target", "aim", "threaten"}
OBJECT_TRANSIT = {"cross", "overfly", "traverse", "transit", "pass", "penetrate"}
OBJECT_LAUNCH = {"leave", "depart", "quit"}
REPORT_VERBS = {"say", "report", "claim", "state", "announce", "tell", "confirm", "add", "insist", "deny", "allege",
                "accord", "believe", "suggest", "show", "indicate"}

FROM = {"from", "off"}
TRANSIT_PREPS = {"over", "through", "via", "across", "past", "above", "along", "overhead"}
TARGET_PREPS = {"to", "toward", "towards", "into", "for", "onto"}
LOCATIVE = {"in", "on", "at", "near", "inside", "outside", "within", "of", "around", "by", "off", "behind"}
MOVEMENT_VERBS = LAUNCH_VERBS | TRAVEL_VERBS | AIM_VERBS | IMPACT_VERBS
MOVERS = {"missile", "missiles", "rocket", "rockets", "drone", "drones", "shell", "shells", "projectile",
          "projectiles", "aircraft", "plane", "planes", "jet", "jets", "warplane", "warplanes", "bomber",
          "bombers", "salvo", "barrage", "ship", "ships", "vessel", "vessels", "convoy", "flight", "storm",
          "hurricane", "typhoon", "cyclone", "migrants", "refugees", "helicopter", "helicopters", "munitions",
          "warhead", "ballistic", "cruise", "balloon", "satellite", "debris", "boat", "boats", "tanker", "fleet"}


@dataclass(frozen=True, slots=True)
class RoleCall:
    role: str
    cue: str = ""
    negated: bool = False
    attribution: str = ""


def _is_verb(tok) -> bool:
    return tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB")


def _negated(verb) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in {"never", "not", "n't"} for c in verb.children):
        return True
    head = verb.head  # "did not ... before landing" is still a negated clause when the xcomp is
    return verb.dep_ in {"xcomp", "conj"} and head is not verb and any(c.dep_ == "neg" for c in head.children)


def _particle(verb) -> str:
    return next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")


def attribution_of(verb) -> str:
    """Who said it: the subject of the reporting verb that governs this clause, if any."""
    tok = verb
    for _ in range(6):
        if tok.lemma_.lower() in REPORT_VERBS and tok is not verb or tok.lemma_.lower() == "accord":
            subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if tok.lemma_.lower() == "accord":
                to = next((c for c in tok.children if c.lower_ == "to"), None)
                subj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if subj is not None:
                words = [t for t in subj.subtree if not t.is_punct]
                return " ".join(t.text for t in words)[:80]
        # a reporting clause can also hang below the movement clause: "..., a U.S. official said"
        for c in tok.children:
            if c.lemma_.lower() in REPORT_VERBS and c.dep_ in {"parataxis", "ccomp", "advcl", "conj"}:
                subj = next((s for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    return " ".join(t.text for t in subj.subtree if not t.is_punct)[:80]
        if tok.head is tok:
            break
        tok = tok.head
    return ""


def _clause_has_mover(verb) -> bool:
    words = {t.lower_ for t in verb.subtree} | {t.lower_ for t in verb.head.subtree if t.i < verb.i}
    return bool(words & MOVERS)


def role_of(span) -> RoleCall:
    """The role of the place named by ``span`` (a spaCy ``Span``) in its sentence.

    Examples
    --------
    >>> role_of(doc[5:6])                        # doctest: +SKIP
    RoleCall(role='impact', cue='crash in')
    """
    tok = span.root
    while tok.dep_ in {"conj", "appos"} and tok.head is not tok and tok.head.i < tok.i:
        tok = tok.head  # "Iran and Iraq": the second conjunct plays the first one's part
    directional = ""
    locative = ""
    path = tok
    for _ in range(8):
        head = path.head
        if head is path:
            break
        if path.dep_ in {"pobj", "pcomp"} and head.pos_ == "ADP" or head.dep_ == "prep" and path.dep_ == "pobj":
            prep = head.lower_
            if not directional and prep in FROM | TRANSIT_PREPS | TARGET_PREPS:
                directional = prep
            elif not directional and prep in LOCATIVE | {"at"}:
                locative = prep  # the one nearest the verb: "landed in [a rural area of] Iran"
            path = head.head if head.head is not head else head
            if _is_verb(path):
                return _verb_role(path, directional, locative)
            continue
        if path.dep_ in {"dobj", "obj"} and _is_verb(head):
            return _object_role(head, directional, locative)
        if path.dep_ in {"nsubj", "nsubjpass", "ROOT"}:
            break
        if _is_verb(head) and path.dep_ in {"advmod", "npadvmod"}:
            return _verb_role(head, directional, locative)
        path = head
    return RoleCall("location")


def _verb_role(verb, directional: str, locative: str) -> RoleCall:
    lemma = verb.lemma_.lower()
    particle = _particle(verb)
    neg = _negated(verb)
    cue = " ".join(w for w in (lemma, particle, directional or locative) if w)
    who = attribution_of(verb)
    if neg:
        return RoleCall("location", cue, True, who)
    if lemma == "shoot" and particle == "down" or lemma in IMPACT_VERBS and directional in TRANSIT_PREPS:
        if directional in TRANSIT_PREPS or locative:
            return RoleCall("impact", cue, False, who)
    if directional in FROM:
        if lemma in MOVEMENT_VERBS or lemma == "take" and particle == "off":
            return RoleCall("launch", cue, False, who)
        return RoleCall("location", cue)
    if directional in TRANSIT_PREPS:
        if lemma in MOVEMENT_VERBS:
            return RoleCall("transit", cue, False, who)
        return RoleCall("location", cue)
    if directional in TARGET_PREPS:
        if lemma in IMPACT_VERBS and directional in {"into", "onto"}:
            return RoleCall("impact", cue, False, who)
        if lemma in AIM_VERBS | TRAVEL_VERBS | NEEDS_MOVER and (lemma not in NEEDS_MOVER or _clause_has_mover(verb)):
            return RoleCall("target", cue, False, who)
        return RoleCall("location", cue)
    if locative == "at" and lemma in AIM_VERBS:
        return RoleCall("target", cue, False, who)
    if lemma in LAUNCH_VERBS - {"take", "set", "drop", "release", "deploy"}:
        if locative in {"in", "off", "inside", "near"}:  # "fired [from warships] in the Caspian"
            return RoleCall("launch", cue, False, who)
        if locative == "on":  # "fired on Kyiv"
            return RoleCall("target", cue, False, who)
    if locative and lemma in IMPACT_VERBS and (lemma not in {"come", "fall", "rain", "blow"} or _clause_has_mover(verb)
                                               or particle == "down"):
        return RoleCall("impact", cue, False, who)
    return RoleCall("location", cue)


def _object_role(verb, directional: str, locative: str) -> RoleCall:
    lemma = verb.lemma_.lower()
    if directional or locative:  # the place is inside the object: "hit targets in Syria"
        pass
    cue = f"{lemma} (object)"
    who = attribution_of(verb)
    if _negated(verb):
        return RoleCall("location", cue, True, who)
    if lemma in OBJECT_IMPACT:
        return RoleCall("impact", cue, False, who)
    if lemma in OBJECT_TARGET:
        return RoleCall("target", cue, False, who)
    if lemma in OBJECT_TRANSIT:
        return RoleCall("transit", cue, False, who)
    if lemma in OBJECT_LAUNCH:
        return RoleCall("launch", cue, False, who)
    return RoleCall("location", cue)
