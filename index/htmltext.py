"""HTML to clean text with paragraphs, plus the metadata publishers put in <head>. Stdlib only."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "section", "article",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "figure", "figcaption", "dd", "dt", "hr",
}
_SKIP = {"script", "style", "noscript", "nav", "aside", "form", "template", "svg", "iframe", "button"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}


class _Extractor(HTMLParser):
    """Collects paragraph text (inside <article> when the page has one) and head metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.h1 = ""
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self._skip = 0
        self._in_title = False
        self._in_h1 = False
        self._article = 0

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        elif tag == "article":
            self._article += 1
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"].strip())
        if tag in _BLOCK:
            self._emit("\n")
        if tag in _VOID and tag in _SKIP:
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        elif tag == "article":
            self._article = max(0, self._article - 1)
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        if self._in_h1:
            self.h1 += data
        self._emit(data)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self._article:
            self.article_parts.append(text)

    def take(self, article: bool, final: bool = False) -> list[str]:
        """The paragraphs finished so far (all of them when ``final``), taken out of the parser:
        what streaming a page needs (its text is never all in memory)."""
        parts = self.article_parts if article else self.parts
        text = "".join(parts)
        cut = len(text) if final else text.rfind("\n") + 1
        parts.clear()
        (self.parts if article else self.article_parts).clear()
        if cut < len(text):
            parts.append(text[cut:])
        return _paragraph_list(text[:cut])

    def info(self) -> dict:
        """Title and metadata of the page (as ``parse_html`` gives them, without the body)."""
        m = self.meta
        title = re.sub(r"\s+", " ", (m.get("og:title") or self.title or self.h1).strip())
        authors = m.get("author") or m.get("article:author") or ""
        return {
            "title": title,
            "publisher": m.get("og:site_name", ""),
            "date": m.get("article:published_time") or m.get("date") or m.get("datepublished") or "",
            "authors": [a.strip() for a in re.split(r",|\band\b", authors) if a.strip()],
            "url": m.get("og:url") or m.get("canonical") or "",
        }


def _paragraph_list(text: str) -> list[str]:
    paras = []
    for block in text.split("\n"):
        block = re.sub(r"[ \t\r\f\v\u00a0]+", " ", block).strip()
        if block:
            paras.append(block)
    return paras


def _paragraphs(parts: list[str]) -> str:
    return "\n\n".join(_paragraph_list("".join(parts)))


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment or page, one paragraph per block element."""
    ex = _Extractor()
    ex.feed(html)
    ex.close()
    return _paragraphs(ex.article_parts if "".join(ex.article_parts).strip() else ex.parts)


def parse_html(html: str) -> dict:
    """Title, metadata and body of an HTML page, as keyword arguments for a Document."""
    ex = _Extractor()
    ex.feed(html)
    ex.close()
    body = _paragraphs(ex.article_parts if "".join(ex.article_parts).strip() else ex.parts)
    return {**ex.info(), "body": body}


class HtmlStream:
    """A page read piece by piece: ``paragraphs`` yields its text as it is parsed (inside
    <article> only, when ``article``), ``info`` gives its metadata so far."""

    def __init__(self, article: bool) -> None:
        self.article = article
        self._ex = _Extractor()

    def paragraphs(self, chunks: Iterable[str]) -> Iterator[str]:
        ex = self._ex
        for chunk in chunks:
            ex.feed(chunk)
            yield from ex.take(self.article)
        ex.close()
        yield from ex.take(self.article, final=True)

    def info(self) -> dict:
        return self._ex.info()
