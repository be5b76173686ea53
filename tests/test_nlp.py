"""The spaCy pipeline geo_news loads: the fast attribute ruler gives the tokens the stock one gives."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

TEXTS = [
    # the model's multi-token exceptions ("ain't", "gonna", "let's") and DEP-conditioned patterns ("but" as advmod)
    "I ain't gonna wait, let's go. Gotta run! But you said you'd call, and she didn't.",
    "Russian warships fired 26 cruise missiles from the Caspian Sea; four crashed in Iran, a U.S. official said.",
    "Floodwater surrounded Jacobabad and Dadu as the Indus spilled over its embankments across Sindh.\n\n"
    "The   army's   helicopters were    flying     in food.",
    "",
]


def _tokens(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_fast_attribute_ruler_gives_the_stock_rulers_tokens(nlp):
    import spacy

    from geo_news.nlp import FAST_ATTRIBUTES, LINE_BREAKS

    assert FAST_ATTRIBUTES in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    stock = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"], exclude=["senter"])
    stock.add_pipe(LINE_BREAKS, before="parser")
    for text in TEXTS:
        assert _tokens(nlp(text)) == _tokens(stock(text)), text
    assert nlp.get_pipe(FAST_ATTRIBUTES).patterns == stock.get_pipe("attribute_ruler").patterns


def test_a_pattern_the_fast_path_cannot_index_still_applies(nlp):
    """Patterns on other attributes or with quantifiers go through a Matcher of their own, in spaCy's order."""
    import spacy

    from geo_news.nlp import FAST_ATTRIBUTES

    blank = spacy.blank("en")
    ruler = blank.add_pipe(FAST_ATTRIBUTES)
    ruler.add_patterns([
        {"patterns": [[{"LOWER": "new"}, {"LOWER": "york", "OP": "?"}]], "attrs": {"POS": "PROPN"}, "index": 0},
        {"patterns": [[{"IS_TITLE": True}]], "attrs": {"LEMMA": "title"}},
        {"patterns": [[{"LOWER": "new"}]], "attrs": {"POS": "ADJ"}},  # later wins over the first
    ])
    doc = blank("New York is big")
    assert [t.pos_ for t in doc][:1] == ["ADJ"] and [t.lemma_ for t in doc][:2] == ["title", "title"]
    bad = spacy.blank("en").add_pipe(FAST_ATTRIBUTES)
    bad.add_patterns([{"patterns": [[{"LOWER": "a"}]], "attrs": {"POS": "DET"}, "index": 3}])
    with pytest.raises(ValueError, match="index 3 outside"):
        bad(spacy.blank("en")("a b"))


def test_a_saved_pipeline_with_the_fast_ruler_loads_in_a_fresh_process(nlp, tmp_path):
    """spaCy finds the component through the ``spacy_factories`` entry point; the script imports no geo_news."""
    nlp.to_disk(tmp_path / "pipeline")
    code = (f"import spacy; nlp = spacy.load({str(tmp_path / 'pipeline')!r}); "
            "doc = nlp('Let\\'s see: rockets hit Sderot.'); "
            "assert 'geo_news_attribute_ruler' in nlp.pipe_names ; "
            "print([t.pos_ for t in doc])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == str([t.pos_ for t in nlp("Let's see: rockets hit Sderot.")])


def test_fast_lemmatizer_gives_the_stock_lemmatizers_lemmas(nlp):
    """One lemma per (form, part of speech, morphology), as spaCy's own cache: the same lemmas on every sample
    article, token for token."""
    import spacy

    from geo_news.nlp import FastRuleLemmas

    assert isinstance(nlp.get_pipe("lemmatizer"), FastRuleLemmas)
    stock = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"], exclude=["senter"])
    assert not isinstance(stock.get_pipe("lemmatizer"), FastRuleLemmas)
    articles = sorted((Path(__file__).resolve().parents[1] / "data" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in articles] + list(TEXTS)
    for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
