"""Fit the recogniser (geo_news/recognize.py) on the development corpora, judged leave-one-corpus-out.

Every name the extractor's rules leave out that the gazetteer knows is a candidate; it is a positive when a gold
toponym has the same surface and a midpoint within 10 characters (the scoring rule's match). LGL, GeoVirus and our
place suites (``tests/places``, see ``SUITES``; a candidate is a positive there when it overlaps a listed place)
are fully annotated and give both kinds; WikToR annotates only some toponyms, so it is never fitted on and only its
recall is reported, held out. The folds:

* fit on GeoVirus + Suites, score LGL; on LGL + Suites, score GeoVirus; on all three, score WikToR (recall only);
  on LGL + GeoVirus, score the suites;

each scored end to end with the scoring rule (``geo_news.evaluate.score``), beside the rules alone. The shipped
weights (``data/recognizer/rescue.json``) are the fit on LGL, GeoVirus and the suites together, with the same
settings. ``--no-suites`` fits on the two corpora alone.

Usage::

    python scripts/fit_recognizer.py [--eval-dir ../shared/eval] [--limit N] [--no-write] [--wiktor-limit N]
                                     [--no-suites]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo_news.evaluate import format_scores, load_corpus, match, predict, score  # noqa: E402
from geo_news.recognize import FEATURES, Recognizer, default_path  # noqa: E402

CORPORA = {"LGL": ("LGL.jsonl", True), "GeoVirus": ("GeoVirus.jsonl", False), "WikToR": ("WikToR.jsonl", False)}
NOTHING = Recognizer({}, -30.0, 0.5)  # accepts no name: the rules alone
C = 0.5  # L2 strength of the logistic fit (sklearn's C), chosen once and kept for every fold
SUITES = "Suites"
"""Our place suites (``tests/places/*.yaml``, every place listed, written blind from a brief): conflict and world
news, the text this toolkit exists for, beside US local news (LGL) and epidemic reports (GeoVirus). Scored held out
with the scoring rule like the corpora (a name inside a listed longer name, "Rafah" of "Rafah crossing", counts as
a miss there; ``benchmarks/places.py`` scores by overlap)."""
THRESHOLD = 0.4  # adding a name of probability p raises the expected F1 when p > F1 / 2 (F1 0.77-0.92 here)


def candidates(parser, docs, *, overlap: bool = False) -> tuple[list[list[float]], list[int]]:
    """The recogniser's candidates in ``docs`` with their features, labelled by the gold: the scoring rule's match,
    or with ``overlap`` any gold span it overlaps (the place suites list "Rafah crossing", not "Rafah")."""
    from geo_news.evaluate import Toponym

    by_text = {d.text: d for d in docs}
    parser.extractor.recognizer, parser.extractor.collected = NOTHING, []
    predict(docs, geoparser=parser)
    X, y = [], []
    for doc, span, feats, _ in parser.extractor.collected:
        gold_doc = by_text.get(doc.text)
        if gold_doc is None:
            continue
        pred = Toponym(span.start_char, span.end_char, span.text, 0.0, 0.0, "")
        X.append([feats.get(k, 0.0) for k in FEATURES])
        if overlap:
            y.append(int(any(t.start < pred.end and pred.start < t.end for t in gold_doc.toponyms)))
        else:
            y.append(int(bool(match([t for t in gold_doc.toponyms if t.lat is not None], [pred]))))
    parser.extractor.collected = None
    return X, y


def fit(X, y) -> Recognizer:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(X, y)
    return Recognizer(dict(zip(FEATURES, map(float, model.coef_[0]))), float(model.intercept_[0]), THRESHOLD)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--limit", type=int, help="only the first N documents of LGL and GeoVirus")
    ap.add_argument("--wiktor-limit", type=int, default=1000, help="WikToR documents scored (default 1000)")
    ap.add_argument("--no-write", action="store_true", help="do not write data/recognizer/rescue.json")
    ap.add_argument("--no-suites", action="store_true",
                    help="fit on LGL and GeoVirus only, not on our place suites (tests/places)")
    args = ap.parse_args(argv)
    if not (args.eval_dir / "LGL.jsonl").is_file():
        print(f"no development corpora in {args.eval_dir}; nothing to fit")
        return 0
    from geo_news.pipeline import Geoparser

    docs = {name: load_corpus(args.eval_dir / file, limit=args.wiktor_limit if name == "WikToR" else args.limit)
            for name, (file, _) in CORPORA.items() if (args.eval_dir / file).is_file()}
    parsers = {True: Geoparser(demonyms=True, recognizer=NOTHING)}
    parsers[False] = Geoparser(nlp=parsers[True].nlp, gazetteer=parsers[True].gazetteer, recognizer=NOTHING)
    data = {name: candidates(parsers[CORPORA[name][1]], docs[name]) for name in ("LGL", "GeoVirus")}
    folds = [("GeoVirus", "LGL"), ("LGL", "GeoVirus"), ("LGL+GeoVirus", "WikToR")]
    if not args.no_suites:
        from tests.places.suite import documents

        docs[SUITES] = documents()[0]
        data[SUITES] = candidates(parsers[False], docs[SUITES], overlap=True)
        folds = [(f"{train}+{SUITES}", test) for train, test in folds] + [("LGL+GeoVirus", SUITES)]
    for name, (X, y) in data.items():
        print(f"{name}: {len(y)} candidates the rules leave out, {sum(y)} of them gold toponyms")
    for train, test in folds:
        if test not in docs:
            continue
        X = [x for name in train.split("+") for x in data[name][0]]
        y = [v for name in train.split("+") for v in data[name][1]]
        rec = fit(X, y)
        parser = parsers[test in CORPORA and CORPORA[test][1]]
        recall_only = test == "WikToR"
        rows = []
        for label, r in (("rules alone", NOTHING), (f"+ recogniser fitted on {train}", rec)):
            parser.extractor.recognizer = r
            preds, seconds = predict(docs[test], geoparser=parser)
            rows.append(format_scores(score(docs[test], preds, seconds=seconds, recall_only=recall_only),
                                      label=f"{test} {label}"))
        print("\n".join(rows))
    final = fit([x for X, _ in data.values() for x in X], [v for _, y in data.values() for v in y])
    final = Recognizer(final.weights, final.bias, final.threshold, tuple(data))
    print(f"weights fitted on {' + '.join(data)}:", {k: round(v, 2) for k, v in final.weights.items()},
          "bias", round(final.bias, 2))
    if not args.no_write:
        out = default_path()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(final.to_json(), encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
