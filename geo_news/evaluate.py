"""Scoring geoparsers on annotated corpora with the EUPEG rule (Gritta et al.), and running ours on them.

The rule, exactly:

* a predicted toponym **matches** a gold one when their surface strings are equal after lower-casing and the
  midpoints of their character spans differ by less than 10; each gold toponym matches at most one prediction,
  the first that fits;
* precision = matched / predicted (predictions with coordinates), recall = matched / gold, F1 their harmonic mean;
* distances (haversine, R = 6371 km) over matched pairs only: Acc@161 (share under 161 km), mean and median km,
  and AUC = trapezoid area under the sorted errors scaled as ln(1 + km) / ln(20039), divided by n - 1
  (lower is better).

Corpora are JSONL, one document per line: ``{"doc_id", "text", "toponyms": [{"start", "end", "surface", "lat",
"lon", ...}]}``; prediction files have the same ``doc_id``/``toponyms`` shape.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .exceptions import InputError
from .geo import haversine_km

MIDPOINT_WINDOW = 10
ACC_KM = 161.0
MAX_KM = 20039.0


@dataclass(frozen=True, slots=True)
class Toponym:
    start: int
    end: int
    surface: str
    lat: float | None
    lon: float | None
    name: str = ""
    confidence: float | None = None

    @property
    def mid(self) -> float:
        return (self.start + self.end) / 2.0


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    toponyms: tuple[Toponym, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """The figures of one evaluation run."""

    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    acc161: float
    auc: float
    mean_km: float
    median_km: float
    docs: int = 0
    seconds: float = 0.0
    errors_km: tuple[float, ...] = field(default=(), repr=False)
    recall_only: bool = False
    """Scored as a partly annotated corpus (WikToR): unmatched predictions are not false positives, so precision
    and F1 are NaN."""

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else float("nan")

    def as_dict(self) -> dict:
        partial = self.recall_only  # precision and F1 mean nothing on a partly annotated corpus: null in JSON
        return {"P": None if partial else self.precision, "R": self.recall, "F1": None if partial else self.f1,
                "Acc@161": self.acc161, "AUC": self.auc, "recall_only": partial, "mean_km": self.mean_km,
                "median_km": self.median_km, "gold": self.gold, "predicted": self.predicted,
                "matched": self.matched, "docs": self.docs, "docs_per_s": self.docs_per_second}


def _toponym(d: dict) -> Toponym:
    lat, lon = d.get("lat"), d.get("lon")
    conf = d.get("confidence")
    return Toponym(int(d["start"]), int(d["end"]), str(d.get("surface", d.get("text", ""))),
                   None if lat is None else float(lat), None if lon is None else float(lon), str(d.get("name") or ""),
                   None if conf is None else float(conf))


def load_corpus(path: str | Path, *, limit: int | None = None) -> list[Document]:
    """Read a gold corpus (JSONL). Raises :class:`InputError` with the line number on a malformed line."""
    docs = []
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such corpus file")
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                docs.append(Document(str(d["doc_id"]), d.get("text", ""),
                                     tuple(_toponym(t) for t in d.get("toponyms", []))))
            except (ValueError, KeyError, TypeError) as err:
                raise InputError(f"{p}:{n}: not a corpus line ({err})") from err
            if limit and len(docs) >= limit:
                break
    return docs


def load_predictions(path: str | Path) -> dict[str, list[Toponym]]:
    """Read a prediction file (JSONL of ``{"doc_id", "toponyms": [...]}``)."""
    return {d.doc_id: list(d.toponyms) for d in load_corpus(path)}


def match(gold: Sequence[Toponym], predicted: Sequence[Toponym]) -> list[tuple[Toponym, Toponym]]:
    """Pairs (gold, prediction) under the EUPEG rule; predictions without coordinates never match."""
    used = [False] * len(predicted)
    pairs = []
    for g in gold:
        surface = g.surface.lower()
        for i, p in enumerate(predicted):
            if used[i] or p.lat is None or p.lon is None:
                continue
            if p.surface.lower() == surface and abs(p.mid - g.mid) < MIDPOINT_WINDOW:
                used[i] = True
                pairs.append((g, p))
                break
    return pairs


def auc(errors_km: Sequence[float]) -> float:
    """Area under the sorted, log-scaled error curve (trapezoid rule, divided by n - 1); lower is better."""
    n = len(errors_km)
    if n == 0:
        return float("nan")
    if n == 1:
        return math.log(1 + errors_km[0]) / math.log(MAX_KM)
    ys = [math.log(1 + e) / math.log(MAX_KM) for e in sorted(errors_km)]
    area = sum((a + b) / 2.0 for a, b in zip(ys, ys[1:]))
    return area / (n - 1)


def score(gold_docs: Iterable[Document], predictions: dict[str, Sequence[Toponym]], *, seconds: float = 0.0,
          recall_only: bool = False) -> Scores:
    """Score predictions against gold documents (documents missing from ``predictions`` predicted nothing).

    With ``recall_only`` (corpora where only some toponyms are annotated, such as WikToR), a prediction that
    matches no gold toponym may be a right but unannotated one: precision and F1 are NaN, and recall and the
    distance figures are as usual.
    """
    n_gold = n_pred = 0
    errors: list[float] = []
    docs = 0
    for doc in gold_docs:
        docs += 1
        gold = [t for t in doc.toponyms if t.lat is not None and t.lon is not None]
        pred = [t for t in predictions.get(doc.doc_id, ()) if t.lat is not None and t.lon is not None]
        n_gold += len(gold)
        n_pred += len(pred)
        errors.extend(haversine_km(g.lat, g.lon, p.lat, p.lon) for g, p in match(gold, pred))
    m = len(errors)
    precision = m / n_pred if n_pred else 0.0
    recall = m / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if recall_only:
        precision = f1 = float("nan")
    return Scores(
        gold=n_gold, predicted=n_pred, matched=m, precision=precision, recall=recall, f1=f1,
        acc161=sum(1 for e in errors if e < ACC_KM) / m if m else 0.0, auc=auc(errors),
        mean_km=statistics.fmean(errors) if m else float("nan"),
        median_km=statistics.median(errors) if m else float("nan"), docs=docs, seconds=seconds,
        errors_km=tuple(errors), recall_only=recall_only,
    )


AREA_POINT_KM = 1.0
"""A predicted point this close to an area's own point is that area's point."""


def same_area(gold: Toponym, predicted: Toponym, gazetteer) -> bool:
    """Whether a distance error is only a convention of where an area's point lies: the predicted point is the
    point of an area (a country, a division, a sea, a region) that the gazetteer says holds the gold point — inside
    its polygon, else inside its extent. China at 35 N 105 E (GeoNames') against a corpus' 35 N 103 E is 182 km
    off and the same country; Georgia the country against a point in Georgia, U.S., is a wrong reading.

    Such pairs count against Acc@161 like any other (the scoring rule has no exceptions); the error analysis of
    ``benchmarks/accuracy.py`` reports them apart, because no resolver can learn a corpus' private convention.
    """
    if None in (gold.lat, gold.lon, predicted.lat, predicted.lon):
        return False

    def ours(place) -> bool:
        return haversine_km(place.lat, place.lon, predicted.lat, predicted.lon) <= AREA_POINT_KM

    if any(ours(area) for area in gazetteer.containing(gold.lat, gold.lon)):
        return True
    for place in gazetteer.lookup(predicted.name or predicted.surface, limit=40):
        if place.is_area and place.bbox is not None and ours(place):
            west, south, east, north = place.bbox
            across = gold.lon >= west or gold.lon <= east  # an extent over the antimeridian
            if south <= gold.lat <= north and (west <= gold.lon <= east if west <= east else across):
                return True
    return False


def lost_hemisphere(gold: Toponym, predicted: Toponym) -> bool:
    """Whether a distance error is the corpus' point with a hemisphere lost: the prediction lies within
    ``ACC_KM`` of the gold point once its longitude's or latitude's sign is flipped, and not of the point as
    written (WikToR puts Richmond, Missouri at 39.28 N 93.98 E, in China: its source dropped the W). A wrong
    reading lands within 161 km of such a mirror image only by rare chance.

    Such pairs count against Acc@161 like any other; the error analysis reports them apart."""
    if None in (gold.lat, gold.lon, predicted.lat, predicted.lon):
        return False
    if haversine_km(gold.lat, gold.lon, predicted.lat, predicted.lon) < ACC_KM:
        return False
    return any(haversine_km(lat, lon, predicted.lat, predicted.lon) < ACC_KM
               for lat, lon in ((gold.lat, -gold.lon), (-gold.lat, gold.lon), (-gold.lat, -gold.lon)))


def placed_pairs(gold_docs: Iterable[Document], predictions: dict[str, Sequence[Toponym]]):
    """Every matched (km, gold, predicted) pair of placed toponyms."""
    for doc in gold_docs:
        gold = [t for t in doc.toponyms if t.lat is not None and t.lon is not None]
        pred = [t for t in predictions.get(doc.doc_id, ()) if t.lat is not None and t.lon is not None]
        for g, p in match(gold, pred):
            yield haversine_km(g.lat, g.lon, p.lat, p.lon), g, p


def mirrored_errors(gold_docs: Iterable[Document], predictions: dict[str, Sequence[Toponym]]
                    ) -> list[tuple[float, Toponym, Toponym]]:
    """The matched pairs that :func:`lost_hemisphere` calls a gold point with a sign lost, as ``(km, gold,
    predicted)``, largest first."""
    return sorted((t for t in placed_pairs(gold_docs, predictions) if lost_hemisphere(t[1], t[2])),
                  key=lambda t: -t[0])


def convention_errors(gold_docs: Iterable[Document], predictions: dict[str, Sequence[Toponym]], gazetteer
                      ) -> list[tuple[float, Toponym, Toponym]]:
    """The matched pairs beyond ``ACC_KM`` that :func:`same_area` calls one area's two reference points, as
    ``(km, gold, predicted)``, largest first."""
    return sorted((t for t in placed_pairs(gold_docs, predictions)
                   if t[0] >= ACC_KM and same_area(t[1], t[2], gazetteer)), key=lambda t: -t[0])


def predict(docs: Sequence[Document], *, demonyms: bool = False, geoparser=None, batch_size: int = 16,
            progress: bool = False) -> tuple[dict[str, list[Toponym]], float]:
    """Run geo_news over the documents; returns predictions by doc id and the seconds it took."""
    from .pipeline import default_geoparser

    parser = geoparser or default_geoparser(demonyms=demonyms)
    texts = [d.text for d in docs]
    started = time.perf_counter()
    frames = parser.parse_many(texts, batch_size=batch_size)
    if progress:
        from tqdm.auto import tqdm

        frames = tqdm(frames, total=len(docs), desc="geoparsing", unit=" docs")
    out: dict[str, list[Toponym]] = {}
    for doc, frame in zip(docs, frames):
        out[doc.doc_id] = [
            Toponym(int(r.start), int(r.end), r.text, None if math.isnan(r.lat) else float(r.lat),
                    None if math.isnan(r.lon) else float(r.lon), r.name if isinstance(r.name, str) else "",
                    float(r.confidence))
            for r in frame.itertuples()
        ]
    return out, time.perf_counter() - started


def write_predictions(predictions: dict[str, Sequence[Toponym]], path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for doc_id, tops in predictions.items():
            fh.write(json.dumps({"doc_id": doc_id, "toponyms": [
                {"start": t.start, "end": t.end, "surface": t.surface, "lat": t.lat, "lon": t.lon, "name": t.name,
                 "confidence": t.confidence}
                for t in tops]}, ensure_ascii=False) + "\n")


def reliability(gold_docs: Iterable[Document], predictions: dict[str, Sequence[Toponym]], *,
                edges: Sequence[float] = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)) -> list[dict]:
    """How well ``confidence`` predicts a correct placement: per confidence bin, the matched predictions, their
    mean confidence and the share placed within 161 km of the gold point (a calibrated score has the two equal)."""
    pairs = []
    for doc in gold_docs:
        gold = [t for t in doc.toponyms if t.lat is not None]
        pred = [t for t in predictions.get(doc.doc_id, ()) if t.lat is not None and t.confidence is not None]
        pairs.extend((p.confidence, haversine_km(g.lat, g.lon, p.lat, p.lon) < ACC_KM) for g, p in match(gold, pred))
    return reliability_of_pairs(pairs, edges=edges)


def reliability_of_pairs(pairs: Iterable[tuple[float, bool]], *,
                         edges: Sequence[float] = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)) -> list[dict]:
    """The bins of :func:`reliability` from ``(confidence, placed within 161 km)`` pairs."""
    pairs = list(pairs)
    rows = []
    for lo, hi in zip(edges, edges[1:]):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi or hi == edges[-1] and c == hi]
        if inside:
            rows.append({"bin": f"{lo:.2f}-{hi:.2f}", "n": len(inside),
                         "mean_confidence": statistics.fmean(c for c, _ in inside),
                         "acc161": sum(ok for _, ok in inside) / len(inside)})
    return rows


def expected_calibration_error(rows: Sequence[dict]) -> float:
    """Weighted mean gap between confidence and Acc@161 over the bins of :func:`reliability`."""
    n = sum(r["n"] for r in rows)
    return sum(r["n"] * abs(r["mean_confidence"] - r["acc161"]) for r in rows) / n if n else float("nan")


def fit_calibration(rows: Sequence[dict]) -> list[tuple[float, float]]:
    """Knots ``(raw confidence, calibrated)`` from reliability rows: the bins' mean confidence against their
    Acc@161, made non-decreasing by pooling adjacent violators (isotonic regression on the bins)."""
    blocks = [[r["mean_confidence"], r["acc161"], r["n"]] for r in rows]
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(b)
        while len(merged) > 1 and merged[-2][1] > merged[-1][1]:
            (c1, a1, n1), (c2, a2, n2) = merged[-2], merged[-1]
            merged[-2:] = [[(c1 * n1 + c2 * n2) / (n1 + n2), (a1 * n1 + a2 * n2) / (n1 + n2), n1 + n2]]
    return [(round(c, 4), round(a, 4)) for c, a, _ in merged]


def evaluate(gold_path: str | Path, *, predictions_path: str | Path | None = None, demonyms: bool = False,
             limit: int | None = None, write_to: str | Path | None = None, progress: bool = False,
             recall_only: bool = False) -> tuple[Scores, dict[str, list[Toponym]]]:
    """Score a prediction file, or geo_news itself, on a gold corpus.

    ``recall_only`` scores a corpus where only some toponyms are annotated (WikToR): see :func:`score`.

    Examples
    --------
    >>> scores, _ = evaluate("../shared/eval/GeoVirus.jsonl", limit=20)        # doctest: +SKIP
    >>> round(scores.f1, 3)                                                     # doctest: +SKIP
    """
    docs = load_corpus(gold_path, limit=limit)
    if predictions_path:
        preds, seconds = load_predictions(predictions_path), 0.0
    else:
        preds, seconds = predict(docs, demonyms=demonyms, progress=progress)
    if write_to:
        write_predictions(preds, write_to)
    return score(docs, preds, seconds=seconds, recall_only=recall_only), preds


def format_scores(s: Scores, *, label: str = "geo_news") -> str:
    speed = f"{s.docs_per_second:.1f}" if s.seconds else "-"
    head = (f"{label} (recall-only): R {s.recall:.3f}" if s.recall_only
            else f"{label}: P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")
    return (f"{head}  Acc@161 {s.acc161:.3f}  "
            f"AUC {s.auc:.3f}  mean {s.mean_km:.0f} km  median {s.median_km:.0f} km  "
            f"({s.matched}/{s.gold} gold matched, {s.predicted} predicted, {s.docs} docs, {speed} docs/s)")
