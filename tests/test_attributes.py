"""Event attributes the text states: how many movers, and when (geo_news.attributes)."""

import datetime as dt

import pytest

from geo_news.attributes import article_date, date_from_name, normalise_date, parse_number
from geo_news.exceptions import InputError

THURSDAY = dt.date(2015, 10, 8)


@pytest.mark.parametrize("words, number", [
    (["4"], 4), (["26"], 26), (["1,200"], 1200), (["four"], 4), (["Twenty-six"], 26), (["two", "hundred"], 200),
    (["three", "thousand", "five", "hundred"], 3500), (["a", "dozen"], 12), (["dozens"], None), (["several"], None),
])
def test_parse_number(words, number):
    assert parse_number(words) == number


@pytest.mark.parametrize("when, iso", [
    ("Tuesday", "2015-10-06"),          # the last Tuesday before a Thursday
    ("Thursday", "2015-10-08"),         # the article's own day
    ("Friday", "2015-10-02"),           # never a day after the article
    ("yesterday", "2015-10-07"),
    ("overnight", "2015-10-08"),
    ("early on Monday", "2015-10-05"),
    ("7 October", "2015-10-07"),
    ("October 7, 2023", "2023-10-07"),
    ("last week", ""),                  # names no day
    ("in recent months", ""),
    ("", ""),
])
def test_dates_are_reckoned_from_the_article_date(when, iso):
    assert normalise_date(when, THURSDAY) == iso


def test_without_an_article_date_only_absolute_dates_are_read():
    assert normalise_date("Tuesday", None) == ""
    assert normalise_date("7 October 2023", None) == "2023-10-07"


def test_article_dates_and_file_name_dates():
    assert article_date("2015-10-08") == THURSDAY
    assert article_date(dt.datetime(2015, 10, 8, 14, 30)) == THURSDAY
    assert article_date(None) is None
    with pytest.raises(ValueError, match="not a date"):
        article_date("last Thursday")
    assert date_from_name("2024-03-02-kharkiv-shelling.txt") == dt.date(2024, 3, 2)
    assert date_from_name("wire_20240302_0915.html") == dt.date(2024, 3, 2)
    assert date_from_name("report-2024-13-45.txt") is None
    assert date_from_name("kharkiv.txt") is None


@pytest.mark.integration
@pytest.mark.parametrize("text, place, count, quantity, when", [
    ("Four cruise missiles fired from the Caspian Sea crashed in Iran on Wednesday.", "Iran", 4, "Four",
     "Wednesday"),
    ("At least 30 shells hit Kherson early on Monday.", "Kherson", 30, "At least 30", "Monday"),
    ("Dozens of rockets were fired from Gaza at Ashkelon overnight.", "Gaza", None, "Dozens", "overnight"),
    ("Russia launched 26 missiles at Kyiv.", "Kyiv", 26, "26", ""),
    ("A drone struck a fuel depot in Odesa.", "Odesa", 1, "A", ""),
    ("Missiles hit Kyiv.", "Kyiv", None, "", ""),
])
def test_counts_and_dates_of_a_movement(text, place, count, quantity, when):
    import geo_news

    df = geo_news.geoparse(text)
    row = df[df["text"] == place].iloc[0]
    assert row["role"] != "location"
    assert (None if row["count"] is geo_news.frames.pd.NA else row["count"]) == count
    assert (row["quantity"] or "") == quantity
    assert (row["when"] or "") == when


@pytest.mark.integration
def test_event_records_carry_count_and_date():
    import geo_news

    df = geo_news.geoparse("Four cruise missiles fired from the Caspian Sea on Wednesday crashed in Iran.",
                           date="2015-10-08")
    ev = df.events.iloc[0]
    assert ev["count"] == 4
    assert ev["impact_counts"] == [4]
    assert ev["event_date"] == "2015-10-07"
    assert set(df.loc[df["role"] != "location", "event_date"].dropna()) == {"2015-10-07"}
    # unstated means empty
    plain = geo_news.geoparse("Missiles hit Kyiv.", date="2015-10-08")
    assert plain["event_date"].isna().all() and plain["count"].isna().all()
    with pytest.raises(InputError, match="not a date"):
        geo_news.geoparse("Missiles hit Kyiv.", date="soon")


@pytest.mark.integration
def test_a_corpus_reads_each_article_against_its_own_date():
    import geo_news

    texts = ["Rockets fired from Gaza hit Ashkelon on Tuesday.", "Drones launched from Yemen hit Eilat on Tuesday."]
    frames = list(geo_news.geoparse_many(texts, dates=["2023-10-12", "2023-11-02"]))
    days = [set(f.loc[f["role"] != "location", "event_date"].dropna()) for f in frames]
    assert days == [{"2023-10-10"}, {"2023-10-31"}]
