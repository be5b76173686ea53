"""What the text states about a movement besides its places: how many movers, and when.

* **Count**: the number the clause gives its mover — "four cruise missiles", "26 drones", "two of them",
  "a dozen rockets", "at least 30 shells" — as ``count`` (the numeral, an int) and ``quantity`` (the words as
  written: "at least 30"). Words of amount that are not numbers ("dozens of rockets", "several drones") give a
  ``quantity`` and no ``count``. A single mover named with "a"/"an"/"one" counts 1; a plural without a number
  ("missiles hit Kyiv") states no count.
* **When**: the date and time expressions (spaCy ``DATE``/``TIME`` entities) inside the clause of the movement's
  verb ("on Tuesday", "overnight", "early on 7 October") as ``when``; with the article's date
  (``geoparse(text, date="2015-10-08")``) they are normalised to an ISO date (:func:`normalise_date`):
  "on Tuesday" is the last Tuesday on or before the article's date, "yesterday" the day before it. An expression
  that names no day ("last week", "in recent months") keeps its words and no date.

Unstated means empty: nothing is guessed from the article's date alone or from another clause.
"""

from __future__ import annotations

import datetime as dt
import re

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "single": 1, "pair": 2, "couple": 2,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
AMOUNT_WORDS = frozenset({"dozens", "hundreds", "thousands", "scores", "several", "many", "numerous", "few",
                          "multiple", "tens"})
"""Words of amount that are not a number ("dozens of rockets"): a quantity without a count."""
COLLECTIVE = frozenset({"salvo", "barrage", "convoy", "caravan", "column", "fleet", "flight", "wave", "swarm",
                        "group", "squadron", "flotilla", "volley"})
"""Singular nouns that name many movers: "a barrage of rockets" is not one mover."""
SINGLE = frozenset({"a", "an", "one", "single", "lone"})
_DAY_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|overnight|"
    r"this (morning|afternoon|evening)|last night|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|\d{1,2}(st|nd|rd|th)?)\b",
    re.IGNORECASE)
"""An expression names a day when it has one of these; "last week" or "in recent months" do not."""


def parse_number(words: list[str]) -> int | None:
    """The integer a run of number words or digits states ("26", "1,200", "twenty-six", "two hundred"), or None.

    >>> parse_number(["twenty-six"]), parse_number(["1,200"]), parse_number(["two", "hundred"])
    (26, 1200, 200)
    """
    total, current, seen = 0, 0, False
    for raw in words:
        for word in raw.lower().replace(",", "").split("-"):
            if not word or word in {"and", "a"}:
                continue
            if word.isdigit():
                current += int(word)
            elif word in NUMBER_WORDS:
                current += NUMBER_WORDS[word]
            elif word in SCALES:
                current = max(current, 1) * SCALES[word]
                if SCALES[word] >= 1000:
                    total, current = total + current, 0
            else:
                return None
            seen = True
    return total + current if seen else None


def _numeral(tok):
    """The number phrase modifying a noun (its ``nummod`` child), as (tokens of the numeral, tokens of its
    modifiers: "at least", "more than", "about")."""
    num = next((c for c in tok.children if c.dep_ == "nummod" or c.like_num and c.dep_ in {"amod", "quantmod"}),
               None)
    if num is None:
        return None
    words = sorted(num.subtree, key=lambda t: t.i)
    numeral = [t for t in words if t.like_num or t.lower_ in NUMBER_WORDS or t.lower_ in SCALES or t.text == "-"]
    return numeral, words


def count_of(mover) -> tuple[int | None, str]:
    """(count, quantity) stated for a mover token ("four cruise missiles" -> (4, "four")); (None, "") when the
    text states none. ``mover`` is the noun of the mover, or a numeral or amount word standing for it ("Two of
    them", "dozens of rockets")."""
    if mover is None:
        return None, ""
    # "four of the missiles", "dozens of rockets", "two of them": the amount is the head of an "of" phrase
    holder = mover
    if mover.dep_ == "pobj" and mover.head.lower_ == "of" and mover.head.head.i != mover.head.i:
        holder = mover.head.head
    if holder.i != mover.i or mover.like_num or mover.lower_ in NUMBER_WORDS or mover.lower_ in AMOUNT_WORDS:
        low = holder.lower_
        if holder.like_num or low in NUMBER_WORDS:
            words = [t for t in holder.subtree if t.i <= holder.i]
            number = parse_number([t.text for t in words if t.like_num or t.lower_ in NUMBER_WORDS
                                   or t.lower_ in SCALES])
            return number, " ".join(t.text for t in words)
        if low in AMOUNT_WORDS:
            return None, holder.text
        if low == "dozen":
            return 12, "a dozen"
    found = _numeral(mover)
    if found is not None:
        numeral, words = found
        number = parse_number([t.text for t in numeral])
        return number, " ".join(t.text for t in words)
    amount = next((c for c in mover.children if c.dep_ == "amod" and c.lower_ in AMOUNT_WORDS), None)
    if amount is not None:
        return None, amount.text
    det = next((c for c in mover.children if c.dep_ == "det"), None)
    if (det is not None and det.lower_ in SINGLE and mover.tag_ in {"NN", "NNP"}
            and mover.lemma_.lower() not in COLLECTIVE):
        return 1, det.text
    return None, ""


def entity_at(tok):
    """The named entity ``tok`` is part of, as a labelled span, or None. Read from the tokens' entity tags, so it
    costs the entity's length, not a walk over every entity of the document (``doc.ents`` builds them all)."""
    if tok.ent_iob_ not in {"B", "I"}:
        return None
    from spacy.tokens import Span

    doc = tok.doc
    start, end = tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_)


def entities_in(sent, labels: set[str] | frozenset[str]):
    """The named entities with one of ``labels`` that start in ``sent`` (a span), in order; linear in its length."""
    doc, i = sent.doc, sent.start
    while i < sent.end:
        tok = doc[i]
        if tok.ent_iob_ == "B" and tok.ent_type_ in labels:
            ent = entity_at(tok)
            yield ent
            i = ent.end
        else:
            i += 1


def when_of(verb) -> str:
    """The date and time expressions in the clause of ``verb`` ("Tuesday", "overnight"), joined; "" if none.

    A clause of its own below the verb (a relative clause, a reported clause) keeps its own dates."""
    parts = []
    for ent in entities_in(verb.sent, _WHEN_LABELS):
        node = ent.root
        for _ in range(12):
            if node.i == verb.i or node.head.i == node.i:
                break
            if node.i != ent.root.i and node.pos_ in {"VERB", "AUX"} and node.dep_ in {"relcl", "ccomp", "advcl",
                                                                                       "xcomp", "conj"}:
                break
            node = node.head
        if node.i == verb.i:
            parts.append(ent.text)
    return ", ".join(parts)


_WHEN_LABELS = frozenset({"DATE", "TIME"})

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"(%s)(?: (?:morning|afternoon|evening|night))?" % "|".join(_WEEKDAYS))


def normalise_date(when: str, article_date: dt.date | None) -> str:
    """An ISO date for a date expression, reckoned from the article's date; "" when it names no day or cannot
    be read. Without an article date only absolute dates ("7 October 2023") are read.

    >>> normalise_date("Tuesday", dt.date(2015, 10, 8))          # a Thursday
    '2015-10-06'
    >>> normalise_date("last week", dt.date(2015, 10, 8))
    ''
    """
    if not when or not _DAY_WORDS.search(when):
        return ""
    text = re.sub(r"\b(early|late|on|in|the|of|at|around|about)\b", " ", when, flags=re.IGNORECASE)
    text = re.sub(r"\b(overnight|tonight|last night)\b", "today" if article_date else "", text, flags=re.IGNORECASE)
    text = re.sub(r"\bthis (morning|afternoon|evening)\b", "today", text, flags=re.IGNORECASE)
    text = " ".join(text.replace(",", " ").split())
    if not text:
        return ""
    weekday = _WEEKDAY.fullmatch(text.lower())
    if weekday and article_date is not None:  # "on Thursday" in Thursday's paper is that day
        back = (article_date.weekday() - _WEEKDAYS.index(weekday.group(1))) % 7
        return (article_date - dt.timedelta(days=back)).isoformat()
    has_year = bool(re.search(r"\b\d{4}\b", text))
    relative = not has_year and not re.search(r"\b(january|february|march|april|may|june|july|august|september|"
                                               r"october|november|december)\b", text, re.IGNORECASE)
    if article_date is None and not has_year:
        return ""
    import dateparser

    base = dt.datetime.combine(article_date, dt.time(12)) if article_date else None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; an unreadable date is no date
        return ""
    if parsed is None:
        return ""
    day = parsed.date()
    if article_date is not None and relative and day > article_date:
        day -= dt.timedelta(days=7)  # a weekday named in a report is the last one, not the next
    return day.isoformat()


def article_date(value) -> dt.date | None:
    """An article's date from a ``date``/``datetime``, an ISO string ("2015-10-08"), or None.

    Raises ``ValueError`` naming the value when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValueError(f"article date {value!r} is not a date: give a datetime.date or an ISO string like "
                     "'2015-10-08'")


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")


def date_from_name(name: str) -> dt.date | None:
    """The date a file name starts with or contains ("2024-03-02-kharkiv-shelling.txt", "20240302_x.html")."""
    match = _NAME_DATE.search(name)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
