"""The normalised form place names are matched on.

Case-folded, accents stripped, apostrophes dropped, hyphens and punctuation turned into spaces, the Arabic article
variants (al-, el-, ad-, ash-...) unified to ``al``, a leading "the" dropped, "St."/"Ste." to "saint", "Mt." to
"mount", "Ft." to "fort", a closed compound written open ("airbase" to "air base"). The same function is used when
building the gazetteer and when looking a name up, so both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_NAME_CHARS = 200
"""Names longer than this are not place names; lookups return nothing for them."""

_APOSTROPHES = "'’‘`´ʼʻʹ′"
_ARABIC_ARTICLE = re.compile(r"\b(?:al|el|ad|adh|ar|as|ash|at|ath|az|an|ed|es|et|en|er|ul)-(?=\w)")
_SPACE_ARTICLE = re.compile(r"\b(?:el)\s(?=\w)")
_ABBREVIATIONS = (
    (re.compile(r"\bst\.?\s"), "saint "),
    (re.compile(r"\bste\.?\s"), "sainte "),
    (re.compile(r"\bmt\.?\s"), "mount "),
    (re.compile(r"\bft\.?\s"), "fort "),
)
_NON_WORD = re.compile(r"[^\w]+")
_COMPOUNDS = ((re.compile(r"\bair(base|field|strip)(s?)\b"), r"air \1\2"),)
"""Words written closed and open alike, matched in their open form: "Tiyas airbase" is "Tiyas air base"."""
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
"""Zero-width characters and soft hyphens, dropped: "Cas\u200bpian" is the Caspian."""
_LEADING_THE = re.compile(r"^the\s+")


def strip_accents(text: str) -> str:
    """Remove combining marks (é → e) but keep letters of other scripts (Arabic, Cyrillic, CJK) intact."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # running text repeats its names; the same few thousand keys are asked again and again
def normalize(name: str) -> str:
    """Return the matching key of a place name ("" for anything that cannot be a name).

    Examples
    --------
    >>> normalize("The Ghab Plain")
    'ghab plain'
    >>> normalize("Al-Raqqah") == normalize("ar-Raqqah")
    True
    >>> normalize("St. Petersburg")
    'saint petersburg'
    """
    if not name or len(name) > MAX_NAME_CHARS:
        return ""
    text = strip_accents(name.translate(_INVISIBLE)).casefold()
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    text = _ARABIC_ARTICLE.sub("al ", text)
    text = _SPACE_ARTICLE.sub("al ", text)
    text = text.replace(".", ". ")
    for pattern, repl in _ABBREVIATIONS:
        text = pattern.sub(repl, text)
    text = _NON_WORD.sub(" ", text).replace("_", " ").strip()
    for pattern, repl in _COMPOUNDS:
        text = pattern.sub(repl, text)
    text = _LEADING_THE.sub("", text)
    return " ".join(text.split())


DIVISION_WORDS = (" county", " parish")
"""Words that make a normalised name a second-level division's full name ("dekalb county")."""


def division_stem(key: str) -> str:
    """A normalised name without its county word: "dekalb county" and "dekalb" are one name's two forms."""
    for word in DIVISION_WORDS:
        if key.endswith(word) and len(key) > len(word):
            return key[: -len(word)]
    return key


_SKELETON_ARTICLES = frozenset({"al", "el", "an", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "ed", "en",
                                "es", "et", "er", "ul", "and", "of", "the"})
_SKELETON_VOWELS = frozenset("aeiouyı")
_SKELETON_CLASSES = str.maketrans({"d": "t", "b": "p", "g": "k", "q": "k", "c": "k", "z": "s", "x": "k"})


@lru_cache(maxsize=1 << 14)
def consonant_skeleton(key: str) -> str:
    """What two romanisations of one name share: the consonants of a normalised name, in order, once each, with
    articles and connectors ("al", "an", "and"), vowels (y among them), an ``h`` after the first letter of a
    word (kh, ph, sh, a final -ah), doubled letters and the difference between voiced and voiceless pairs (d/t,
    b/p, g/k/q/c, z/s) left out. "Maarat al-Numan" and "Ma'arrat an Nu'man", "Kyaukphyu" and "Kyaukpyu", "Bulo
    Burte" and "Buulobarde" have one skeleton; "Harwinton" and "Harrington", "Southridge" and "Southbridge", "Pibor"
    and "Pribor" do not: their consonants differ, so they are other names, not other spellings.

    Examples
    --------
    >>> consonant_skeleton(normalize("Maarat al-Numan")) == consonant_skeleton(normalize("Ma'arrat an Nu'man"))
    True
    >>> consonant_skeleton("harwinton") == consonant_skeleton("harrington")
    False
    """
    words = [w for w in key.split() if w.isalpha()]
    if len(words) > 1:
        words = [w for w in words if w not in _SKELETON_ARTICLES] or words
    out: list[str] = []
    for word in words:
        for i, ch in enumerate(word.translate(_SKELETON_CLASSES)):
            if ch in _SKELETON_VOWELS or ch == "h" and i > 0:
                continue
            if not out or out[-1] != ch:
                out.append(ch)
    return "".join(out)
