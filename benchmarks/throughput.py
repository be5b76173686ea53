"""Throughput of geoparse_many on the development corpora, beside a bare spaCy run, in the same process.

Usage::

    python benchmarks/throughput.py [--eval-dir ../shared/eval] [--limit N] [--repeat 2]

Prints documents/s and words/s of ``geo_news.geoparse_many``, of ``nlp.pipe`` with the same model and the same
components (the baseline: what parsing alone costs) and of ``nlp.pipe`` with NER alone (the floor of any
spaCy-based geoparser), the ratios (target against the full pipe: at least 0.8), and the peak RSS of the process
(target: under 1 GB). The corpora are read from ``../shared/eval`` at run time; without them the script
falls back to the project's sample articles, repeated, and says so.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_texts(eval_dir: Path, limit: int | None) -> tuple[list[str], str]:
    texts = []
    for name in ("LGL.jsonl", "GeoVirus.jsonl"):
        path = eval_dir / name
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    if texts:
        return texts[:limit] if limit else texts, f"LGL + GeoVirus from {eval_dir}"
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    print(f"no corpora at {eval_dir}: timing the sample articles instead")
    return (samples * 100)[:limit or 300], "sample articles x100"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--repeat", type=int, default=2, help="timed runs of each side; the best is kept")
    args = ap.parse_args(argv)

    from geo_news.pipeline import default_geoparser

    texts, label = load_texts(args.eval_dir, args.limit)
    words = sum(len(t.split()) for t in texts)
    parser = default_geoparser()  # model and gazetteer loaded once, outside the timed runs
    nlp = parser.nlp
    list(parser.parse_many(texts[:5]))  # warm caches and lazy imports once

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    # NER alone: the floor of any spaCy-based geoparser (ner and whatever it listens to; in the small English
    # models it has its own embedding layer)
    ner_needs = ["ner"] + [n for n in nlp.pipe_names
                           if "ner" in getattr(nlp.get_pipe(n), "listening_components", ())]
    bare = best(lambda: [d for d in nlp.pipe(texts, batch_size=16)])
    with nlp.select_pipes(enable=ner_needs):
        ner_only = best(lambda: [d for d in nlp.pipe(texts, batch_size=16)])
    ours = best(lambda: [f for f in parser.parse_many(texts, batch_size=16)])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {label}: {len(texts)} documents, {words:,} words; spaCy pipeline "
          f"{nlp.meta.get('name')} {nlp.meta.get('version')} with {', '.join(nlp.pipe_names)}")
    print(f"bare nlp.pipe, all components : {len(texts) / bare:6.1f} docs/s  {words / bare:9.0f} words/s  "
          f"({bare:.1f} s)")
    print(f"bare nlp.pipe, {' + '.join(ner_needs):15}: {len(texts) / ner_only:6.1f} docs/s  "
          f"{words / ner_only:9.0f} words/s  ({ner_only:.1f} s)")
    print(f"geo_news.geoparse_many        : {len(texts) / ours:6.1f} docs/s  {words / ours:9.0f} words/s  "
          f"({ours:.1f} s)")
    ratio = bare / ours
    print(f"ratio (geo_news / bare spaCy words/s): {ratio:.2f}  (target >= 0.80: {'met' if ratio >= 0.8 else 'NOT met'})")
    print(f"ratio (geo_news / NER alone words/s): {ner_only / ours:.2f}")
    print(f"peak RSS: {rss_mb:.0f} MB  (target < 1024 MB: {'met' if rss_mb < 1024 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
