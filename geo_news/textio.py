"""Reading articles: files and strings to clean text, with clear errors for what cannot be an article."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from .exceptions import InputError

MAX_BYTES = 50_000_000
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_HTML_HINT = re.compile(r"<\s*(html|body|p|div|span|br|a|article|h[1-6]|table|script)\b", re.IGNORECASE)


class _TextOnly(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text holds HTML markup anywhere (a scraped page may start with a long plain preamble)."""
    return bool(_HTML_HINT.search(text))


def main_text(page: str) -> str | None:
    """The article of a news page, as readability-lxml finds its main block (headline, body, captions and quotes;
    menus, sidebars, related-story lists, footers and cookie notices dropped), with the page's title before it when
    the block does not hold it; None when no article is found.

    Chosen by measurement (``python benchmarks/html_extraction.py``, ten saved pages written for this project):
    readability kept 99.4% of the articles' places and dropped every place only the page around them named;
    trafilatura kept 98.8% and dropped 81.8%; the visible text kept everything and dropped nothing.
    """
    from lxml.etree import ParserError
    from readability import Document
    from readability.readability import Unparseable

    try:
        doc = Document(page)
        body = _visible_text(doc.summary(html_partial=True))
        title = " ".join(doc.short_title().split())
    except (Unparseable, ParserError, ValueError, TypeError, RecursionError):
        return None  # a page lxml cannot parse: the caller keeps the visible text
    if not body:
        return None
    if title and " ".join(title.split()) not in " ".join(body.split()):
        body = f"{title}\n\n{body}"
    return body


def html_to_text(text: str, *, main: bool = True) -> str:
    """The text of an HTML page: by default its article (:func:`main_text`), else — or when no article is found,
    as for a fragment of a few tags — every visible text node (scripts and styles dropped, blocks on their own
    lines)."""
    if main and (article := main_text(text)) is not None:
        return article
    return _visible_text(text)


def _visible_text(text: str) -> str:
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    out = html.unescape("".join(parser.parts))
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", out)).strip()


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL_MIN = 32
"""Fewer control characters than this never make a text binary ("Rockets hit Aleppo.\\x0b\\x1b" is text)."""


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (which no encoder accepts) replaced by U+FFFD: same length, same offsets."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def decode(data: bytes, *, name: str = "input") -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252.

    A UTF-8 file with a few invalid bytes keeps its UTF-8 text, each bad byte replaced by U+FFFD; only a file
    with no UTF-8 multi-byte sequence at all is read as Windows-1252. Raises :class:`InputError` for empty or
    binary data, and for a UTF-16 file that does not decode, naming the file.
    """
    if not data.strip():
        raise InputError(f"{name} is empty: give a file or string with article text")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"{name} starts like UTF-16 but does not decode as UTF-16 ({err.reason} at byte "
                             f"{err.start}); save it as UTF-8 or UTF-16") from err
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file (it contains NUL bytes), not article text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        looks_utf8 = _UTF8_MULTIBYTE.search(data) is not None
        text = data.decode("utf-8-sig" if looks_utf8 else "cp1252", errors="replace")
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control >= _CONTROL_MIN and control > 0.05 * min(len(text), 8192):
        raise InputError(f"{name} looks like a binary file (too many control characters), not article text")
    return text


def read_article(path: str | Path) -> str:
    """Read an article file (plain text or HTML) into clean text.

    Raises :class:`InputError` (or ``FileNotFoundError``) with a one-line reason for anything unusable.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p} is a directory, not an article file")
    if p.stat().st_size > MAX_BYTES:
        raise InputError(f"{p} is larger than {MAX_BYTES // 1_000_000} MB; split it into articles first")
    return prepare_text(decode(p.read_bytes(), name=str(p)), name=str(p))


def prepare_text(text: str, *, name: str = "text") -> str:
    """Validate article text; an HTML page is reduced to its article's text (:func:`html_to_text`), and every
    offset geo_news reports refers to that text."""
    if not isinstance(text, str):
        raise InputError(f"{name} must be a str, not {type(text).__name__}")
    if "\x00" in text:
        raise InputError(f"{name} contains NUL characters; it looks binary, not article text")
    # a lone surrogate (from a broken decoder or JSON "\\ud83d") cannot be encoded and breaks spaCy; U+FFFD
    # keeps every offset
    text = without_lone_surrogates(text)
    if looks_like_html(text):
        text = html_to_text(text)
    if not text.strip():
        raise InputError(f"{name} is empty: give article text")
    return text
