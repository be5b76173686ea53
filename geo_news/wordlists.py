"""English word frequencies and US census name lists, read once per process from their packages.

Used where a name must be told from a word or a person's name: the recogniser (is "Jones" a place?) and the
airports' short names at gazetteer build time (is "Ford" of Ford Airport a name that can stand alone?).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_CENSUS_FILES = {"given": ("dist.male.first", "dist.female.first"), "surname": ("dist.all.last",)}


@lru_cache(maxsize=4)
def census_names(kind: str, min_share: float = 0.0) -> frozenset[str]:
    """Lower-cased US given names (``kind="given"``) or surnames (``"surname"``) of the 1990 census lists shipped
    by the ``names`` package, held by at least ``min_share`` percent of people."""
    import names

    out = set()
    for file in _CENSUS_FILES[kind]:
        with open(Path(names.__file__).with_name(file), encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and float(parts[1]) >= min_share:
                    out.add(parts[0].lower())
    return frozenset(out)


@lru_cache(maxsize=65536)
def zipf(text: str) -> float:
    """How common a word or phrase is in English, on wordfreq's Zipf scale (0: unseen; 7: "the")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(text.lower(), "en")


STEM_MIN_LETTERS = 4
"""A stem shorter than this is not tried (ADEN is no inflection of "ad", HOMS none of "hom")."""
_ENDINGS = (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ied", ("y",)), ("ed", ("", "e")),
            ("ing", ("", "e")), ("en", ("e", "")), ("n", ("",)))


@lru_cache(maxsize=65536)
def stem_zipf(word: str) -> float:
    """How common the word's commonest plain form is, where it ends as an English inflection does: "repels" is
    rare (2.4) but "repel" is not (3.2), nor "mourn" of "mourns", "retake" of "retaken" or "reopen" of "reopens".
    0 for a word with no such ending or no stem of ``STEM_MIN_LETTERS`` letters. A doubled consonant before
    "-ed" / "-ing" is undone ("shelled", "shelling")."""
    low = word.lower()
    best = 0.0
    for ending, replacements in _ENDINGS:
        if not low.endswith(ending) or ending == "n" and not low.endswith(("wn", "en")):
            continue
        base = low[: -len(ending)]
        forms = [base + r for r in replacements]
        if ending in ("ed", "ing") and len(base) >= 2 and base[-1] == base[-2]:
            forms.append(base[:-1])
        for form in forms:
            if len(form) >= STEM_MIN_LETTERS:
                best = max(best, zipf(form))
    return best
