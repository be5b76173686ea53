"""How well each way of reducing a saved news page to text keeps the article and drops the page around it.

The pages (``tests/fixtures/html/*.html``, written for this project in our own words, each with a ``.json`` that
lists the places its article names and the places only its menus, sidebars and footer name) are reduced by:

* ``visible``: every visible text node (what geo_news did before: menus and footers included);
* ``trafilatura``: ``trafilatura.extract`` (favouring recall; ``pip install trafilatura`` to compare, it is not
  a dependency);
* ``readability``: readability-lxml's main block, then its visible text;
* ``geo_news``: what :func:`geo_news.textio.prepare_text` does now (readability's block, with the page title
  before it when the block lacks it).

For each: the share of article places kept (surface found in the text), of boilerplate places dropped, and of the
article's sample sentences kept whole, and the milliseconds per page.

Usage::

    python benchmarks/html_extraction.py [--pages DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo_news.textio import html_to_text, prepare_text  # noqa: E402


def _visible(page: str) -> str:
    return html_to_text(page, main=False)


def _trafilatura(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, favor_recall=True, include_comments=False) or ""


def _readability(page: str) -> str:
    from readability import Document

    return html_to_text(Document(page).summary(), main=False)


METHODS = {"visible": _visible, "trafilatura": _trafilatura, "readability": _readability, "geo_news": prepare_text}


def _has(text: str, surface: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text) is not None


def _flat(text: str) -> str:
    return " ".join(text.split())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=ROOT / "tests" / "fixtures" / "html")
    args = ap.parse_args(argv)
    pages = sorted(args.pages.glob("*.html"))
    if not pages:
        print(f"no pages in {args.pages}")
        return 1
    print(f"{len(pages)} pages\n{'method':<12}{'article kept':>14}{'boilerplate dropped':>21}{'sentences kept':>16}"
          f"{'ms/page':>9}")
    for name, method in METHODS.items():
        try:
            method("<html><body><p>A test page.</p></body></html>")
        except ImportError as err:
            print(f"{name:<12}not installed ({err.name})")
            continue
        kept = total = dropped = bp = sent = sents = 0
        seconds = 0.0
        for path in pages:
            page = path.read_text(encoding="utf-8")
            truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            started = time.perf_counter()
            text = method(page)
            seconds += time.perf_counter() - started
            kept += sum(_has(text, s) for s in truth["article_places"])
            total += len(truth["article_places"])
            dropped += sum(not _has(text, s) for s in truth["boilerplate_places"])
            bp += len(truth["boilerplate_places"])
            sent += sum(_flat(s) in _flat(text) for s in truth["body_sentences"])
            sents += len(truth["body_sentences"])
        print(f"{name:<12}{kept / total:>14.3f}{dropped / max(1, bp):>21.3f}{sent / max(1, sents):>16.3f}"
              f"{1000 * seconds / len(pages):>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
