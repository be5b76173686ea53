"""Write data/gazetteer/admin1_names.csv: the English name of every ISO 3166-2 subdivision whose English name is
not a name countrystatecity gives it (its name, that name without its
division word, its native name) ("East Java" for Jawa Timur, "South Kivu" for Sud-Kivu,
"Metro Manila" for the National Capital Region, "Lower Silesia" for Dolnośląskie).

The names are the English display names of subdivisions in the Unicode CLDR, as shipped in the npm package
``cldr-subdivisions-full`` (``subdivisions/en/en.json``, Unicode License v3), keyed by the ISO 3166-2 code written
in lower case without its hyphen ("idji" for ID-JI). We keep only the fact — a code and its English name — as our
own data; the gazetteer build adds each as an English alternate name of the division with that code.

Left out: a name the two sources give different codes (CLDR's AR-C, the city, is "Buenos Aires", which
countrystatecity gives the province), every name of a country whose codes the two sources give to different
divisions (Iran's were revised: CLDR's IR-07 is Tehran, countrystatecity's is Fars), names holding a digit ("Province 3"), names that are one common English word ("Central", "Western",
"Capital": a frequency of at least ``COMMON_ZIPF`` on wordfreq's Zipf scale), which would make every such word in
a text a candidate place, and names the division already has.

Usage::

    npm pack cldr-subdivisions-full && tar xzf cldr-subdivisions-full-*.tgz   # gives ./package
    python scripts/make_admin1_names.py package
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "gazetteer" / "admin1_names.csv"
REVISED_CLASHES = 3
"""This many clashing names (a name one source gives one code, the other another) mark a country whose codes
differ between the sources (Iran 29, Albania 12, Kazakhstan 12, North Macedonia 12, Norway 7; Argentina's one clash
is Buenos Aires, city and province)."""
COMMON_ZIPF = 4.5
"""A one-word name at least this frequent in English (wordfreq's Zipf scale: "central" 5.3, "capital" 5.0; "mayo"
3.6, "amhara" 2.3) is a common word first and is not added."""


def iso_code(key: str) -> str:
    """CLDR's subdivision key as an ISO 3166-2 code: "idji" -> "ID-JI", "gbman" -> "GB-MAN"."""
    return f"{key[:2].upper()}-{key[2:].upper()}"


def keep(name: str, known: set[str], normalize) -> bool:
    from wordfreq import zipf_frequency

    if any(ch.isdigit() for ch in name) or normalize(name) in known:
        return False
    words = name.split()
    return not (len(words) == 1 and zipf_frequency(name.lower(), "en") >= COMMON_ZIPF)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    sys.path.insert(0, str(ROOT))
    from geo_news.gazetteer import normalize
    from geo_news.gazetteer.build import admin1_base
    from geo_news.gazetteer.sources import countrystatecity

    package = Path(argv[0])
    version = json.loads((package / "package.json").read_text())["version"]
    data = json.loads((package / "subdivisions" / "en" / "en.json").read_text(encoding="utf-8"))
    english = data["subdivisions"]["localeDisplayNames"]["subdivisions"]
    known: dict[str, set[str]] = {}  # ISO code -> the division's names in countrystatecity
    owner: dict[tuple[str, str], set[str]] = {}  # (country, name) -> the ISO codes countrystatecity gives it
    for s in countrystatecity.iter_states():
        code = s.get("iso3166_2") or f"{s['country_code']}-{s.get('state_code')}"
        names = {normalize(n) for n in (s["name"], admin1_base(s["name"]), s.get("native")) if n}
        known.setdefault(code, set()).update(names)
        for name in names:
            owner.setdefault((s["country_code"], name), set()).add(code)
    # A name CLDR gives one code that countrystatecity gives another is a clash: it is left out. Where a country has
    # REVISED_CLASHES or more, its codes were revised and the two sources give one code to different divisions
    # (CLDR's IR-07 is Tehran, countrystatecity's is Fars): none of that country's names is taken.
    clashes: dict[str, set[str]] = {}
    for key, name in english.items():
        code = iso_code(key)
        if any(code not in owner.get((code[:2], normalize(form)), {code}) for form in (name, admin1_base(name))):
            clashes.setdefault(code[:2], set()).add(code)
    revised = {country for country, codes in clashes.items() if len(codes) >= REVISED_CLASHES}
    rows = []
    for key, name in sorted(english.items()):
        code = iso_code(key)
        name = " ".join(name.replace("\u2019", "'").split())
        if code[:2] in revised or code in clashes.get(code[:2], ()):
            continue
        if code in known and keep(name, known[code], normalize):
            rows.append({"iso3166_2": code, "name": name, "lang": "en",
                         "source": f"CLDR English subdivision name (cldr-subdivisions-full {version})"})
    print(f"left out, codes revised: {', '.join(sorted(revised))}; names that clash: "
          f"{sum(len(c) for k, c in clashes.items() if k not in revised)}")
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["iso3166_2", "name", "lang", "source"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} English names of {len({r['iso3166_2'] for r in rows})} divisions written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
