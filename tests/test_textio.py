"""Reading articles: damaged bytes, odd encodings, invisible characters, HTML anywhere."""

from pathlib import Path

import pytest

from geo_news.exceptions import InputError
from geo_news.textio import decode, looks_like_html, prepare_text


def test_one_bad_byte_in_a_utf8_file_keeps_the_rest_of_the_text():
    data = "Shells hit Aleppo, Homs and Hama \u2014 and Raqqa. ".encode() + b"\xff" + "Tartus, Idlib.".encode()
    text = decode(data)
    assert "\u2014" in text and "\ufffd" in text and "Tartus" in text
    assert text.count("\ufffd") == 1


def test_a_windows_1252_file_is_still_read_as_one():
    assert decode("caf\xe9 in Aleppo, \u201cquoted\u201d".encode("cp1252")) == "caf\xe9 in Aleppo, \u201cquoted\u201d"


def test_a_few_control_characters_do_not_make_text_binary():
    assert decode(b"Rockets hit Aleppo.\x0b\x0c\x1b").startswith("Rockets hit Aleppo.")
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(1, 32)) * 40)


def test_a_broken_utf16_file_names_the_file():
    with pytest.raises(InputError, match="report.txt.*UTF-16"):
        decode(b"\xff\xfeA\x00\x00\xd8", name="report.txt")


def test_lone_surrogates_become_replacement_characters_and_keep_offsets():
    text = "Hit Aleppo \ud83d today"
    out = prepare_text(text)
    assert len(out) == len(text) and out.index("Aleppo") == text.index("Aleppo") and "\ufffd" in out
    out.encode("utf-8")


def test_html_is_found_past_the_first_characters():
    page = "x " * 6000 + "<p>Shells hit <b>Aleppo</b>.</p>"
    assert looks_like_html(page) and "<p>" not in prepare_text(page)


def test_zero_width_characters_inside_a_name_keep_the_place(tiny_geoparser):
    text = "Missiles were fired from the Cas\u200bpian Sea on Monday."
    df = tiny_geoparser.parse(text)
    row = df[df["name"] == "Caspian Sea"].iloc[0]
    assert text[row["start"]:row["end"]] == row["text"] == "Cas\u200bpian Sea"


def test_api_text_with_a_lone_surrogate_is_geoparsed(tiny_geoparser):
    df = tiny_geoparser.parse("Shells hit Aleppo \udc80 on Monday.")
    assert list(df["name"]) == ["Aleppo"]


HTML_PAGES = sorted((Path(__file__).parent / "fixtures" / "html").glob("*.html"))


def _has(text, surface):
    import re

    return re.search(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text) is not None


def test_a_news_page_is_reduced_to_its_article():
    """Ten saved pages written for this project, each with the places its article names and those only its menus,
    sidebars and footer name (benchmarks/html_extraction.py measures the same)."""
    import json

    kept = total = leaked = 0
    for path in HTML_PAGES:
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        text = prepare_text(path.read_text(encoding="utf-8"))
        kept += sum(_has(text, s) for s in truth["article_places"])
        total += len(truth["article_places"])
        leaked += sum(_has(text, s) for s in truth["boilerplate_places"])
        assert all(" ".join(s.split()) in " ".join(text.split()) for s in truth["body_sentences"]), path.name
    assert len(HTML_PAGES) == 10 and kept / total >= 0.99 and leaked == 0


@pytest.mark.integration
def test_offsets_of_an_html_page_refer_to_its_article_text(nlp, full_gazetteer):
    from geo_news.pipeline import Geoparser

    page = HTML_PAGES[0].read_text(encoding="utf-8")
    text = prepare_text(page)
    df = Geoparser(nlp=nlp, gazetteer=full_gazetteer).parse(page)
    assert len(df) >= 5 and all(text[r.start:r.end] == r.text for r in df.itertuples())
