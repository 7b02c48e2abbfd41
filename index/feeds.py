"""Feeds: RSS/Atom XML, and RSS feeds flattened to text (tags stripped, CDATA ends left behind).

A flattened WordPress feed reads as: a channel preamble (site name, URL, description, build date,
generator, image), then for each item a header line ``TITLE LINK LINK#comments DATE [GUID] SUMMARY``,
the summary's "The post … first appeared on SITE." footer and ``]]>``, the full content with the same
footer and ``]]>``, and the comments feed line ``LINK/feed/ COUNT ID``. The rules below key on those
shapes, never on a particular site.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from html import escape

from .htmltext import html_to_text
from .plaintext import fold

_RFC822 = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:[+-]\d{4}|GMT|UTC|[A-Z]{3})"
ITEM_HEADER = re.compile(rf"(?P<link>https?://\S+)(?: (?P=link)#[\w-]+)? (?P<date>{_RFC822})")
_URL = re.compile(r"https?://\S+")
_FOOTER = re.compile(r"^The post .+ (?:first )?appeared (?:first )?on .+\.?\s*$")
_COMMENTS_FEED = re.compile(r"^https?://\S+/feed/?(?: \d+)+\s*$")
_ONLY_URLS = re.compile(r"^(?:https?://\S+\s*)+$")
_CDATA_END = "]]>"


def looks_like_flat_feed(text: str) -> bool:
    """Two or more item header lines, or one with CDATA leftovers: a flattened feed."""
    headers = 0
    for line in text.split("\n"):
        m = ITEM_HEADER.search(line)
        if m and line[: m.start()].strip():
            headers += 1
            if headers >= 2:
                return True
    return headers == 1 and "\n]]>" in text


def split_flat_feed(text: str) -> list[dict]:
    """One dict per item (title, url, date, publisher, body), in feed order."""
    return list(iter_flat_feed(text.split("\n")))


def iter_flat_feed(lines: Iterable[str]) -> Iterator[dict]:
    """``split_flat_feed`` over lines as they come (a huge feed is never all in memory)."""
    site = None
    head: tuple[str, re.Match] | None = None
    block: list[str] = []
    for line in lines:
        m = ITEM_HEADER.search(line)
        if m and line[: m.start()].strip():
            if head is not None:
                yield _flat_item(head, block, site)
            if site is None:
                site = _site_name(line[: m.start()])
            head, block = (line, m), []
        elif head is not None:
            block.append(line)
    if head is not None:
        yield _flat_item(head, block, site or "")


def _flat_item(head: tuple[str, re.Match], block: list[str], site: str) -> dict:
    line, m = head
    title = _title_from_prefix(line[: m.start()])
    rest = line[m.end():]
    if _CDATA_END in rest:  # categories, e.g. "Keywords: Artificial Intelligence]]>"
        rest = rest.rsplit(_CDATA_END, 1)[1]
    rest = re.sub(r"^\s*https?://\S+", "", rest).strip()  # the guid
    publisher = site
    for raw in block:
        fm = re.match(r"^The post .+ first appeared on (.+?)\.?\s*$", raw.strip())
        if fm:
            publisher = fm.group(1).strip()
            break
    return {
        "title": title,
        "url": m.group("link"),
        "date": m.group("date"),
        "publisher": publisher,
        "body": _item_body(rest, block),
    }


def _site_name(preamble: str) -> str:
    """The channel title: the words before the first URL of the feed's first line."""
    m = _URL.search(preamble)
    if not m:
        return ""
    name = preamble[: m.start()].strip()
    return name if 0 < len(name) <= 80 else ""


_CHANNEL_DATE = re.compile(_RFC822)
_SYNDICATION = re.compile(r"^\s*[a-z]{2,3}(?:-[A-Za-z]{2,4})?\s+(?:hourly|daily|weekly|monthly|yearly)\s+\d+")


def _title_from_prefix(prefix: str) -> str:
    """The item title: what follows the channel preamble (build date, language and update period,
    generator and image URLs, image size and site id) on the first item's line."""
    dates = list(_CHANNEL_DATE.finditer(prefix))
    tail = prefix[dates[-1].end():] if dates else prefix
    tail = _SYNDICATION.sub("", tail)
    tail = _URL.split(tail)[-1]
    tail = re.sub(r"^\s*(?:\d+\s+)*", "", tail)
    return tail.strip()


def _item_body(summary: str, block: list[str]) -> str:
    """The item's full content, led by its summary where that says something the content does
    not; plumbing removed."""
    try:
        first_end = next(k for k, raw in enumerate(block) if raw.strip() == _CDATA_END)
    except StopIteration:
        first_end = -1
    lead = _clean_lines([summary] + block[: max(first_end, 0)])
    content = _clean_lines(block[first_end + 1 :]) if first_end >= 0 else []
    return with_lead("\n\n".join(lead), "\n\n".join(content))


_TRUNCATED = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*(?:(?:continue|read)(?: reading)?\W*.*)?$", re.I)


def with_lead(lead: str, body: str) -> str:
    """``body`` with ``lead`` (an item's summary) as its first paragraph, unless the body already
    says it: the summary is the body's opening (often cut short: "… […]"), or every sentence of
    it is in the body."""
    lead, body = lead.strip(), body.strip()
    if not lead:
        return body
    if not body:
        return lead
    folded_body = fold(body)
    cut = _TRUNCATED.sub("", lead)
    folded = fold(cut)
    if not folded or folded in folded_body:
        return body
    words = folded.split()
    if cut != lead and len(words) > 3 and " ".join(words[:-1]) in folded_body:
        return body  # an excerpt cut in the middle of its last word
    sentences = [fold(x) for x in re.split(r"(?<=[.!?])\s+", cut) if fold(x)]
    if sentences and all(x in folded_body for x in sentences):
        return body
    return f"{lead}\n\n{body}"


def _clean_lines(lines: list[str]) -> list[str]:
    out = []
    for raw in lines:
        line = raw.replace(_CDATA_END, "").strip()
        if not line or _FOOTER.match(line) or _COMMENTS_FEED.match(line) or _ONLY_URLS.match(line):
            continue
        out.append(line)
    return out


# -- XML feeds ---------------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child(el: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def _text(el: ET.Element | None) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


_MARKUP = re.compile(r"<(?:p|br|div|span|a|b|i|em|strong|img|ul|ol|li|h[1-6]|blockquote)\b[^>]*>", re.I)


def _typed(el: ET.Element | None, atom: bool, html: bool) -> str:
    """The text of a title (``html=False``), summary or content element. Atom says how it is
    written (``type``: text, html or xhtml); RSS descriptions are HTML. Text without a type that
    is plainly markup is read as HTML too (feeds often leave the type out)."""
    if el is None:
        return ""
    kind = (el.get("type") or "").lower() if atom else ""
    if kind in ("xhtml", "application/xhtml+xml"):
        return html_to_text(_as_html(el, top=True))
    text = _text(el)
    if kind in ("html", "text/html") or (html and not atom) or _MARKUP.search(text):
        return html_to_text(text)
    return "\n\n".join(re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def _as_html(el: ET.Element, top: bool = False) -> str:
    """An XHTML element as plain HTML (namespaces dropped), for ``html_to_text``."""
    inner = escape(el.text or "", quote=False) + "".join(_as_html(c) + escape(c.tail or "", quote=False) for c in el)
    if top:
        return inner
    tag = _local(el.tag)
    return f"<{tag}>{inner}</{tag}>"


def _drop_footers(text: str) -> str:
    return "\n\n".join(p for p in text.split("\n\n") if not _FOOTER.match(p.strip()))


def parse_xml_feed(text: str) -> list[dict] | None:
    """Items of an RSS or Atom document, or ``None`` when ``text`` is not such a feed (nor a
    truncated one with at least one complete item)."""
    items = iter_xml_feed([text])
    try:
        first = next(items)
    except (StopIteration, NotAFeed):
        return None
    return [first, *items]


class NotAFeed(Exception):
    """The XML is not an RSS or Atom feed (or not XML at all); the message says why."""


def iter_xml_feed(chunks: Iterable[str], warn: Callable[[str], None] | None = None) -> Iterator[dict]:
    """The items of an RSS or Atom feed as they are parsed from ``chunks`` of its text.

    Raises ``NotAFeed`` before the first item when there is none to give. A feed that breaks off
    (cut short, or bad XML further on) gives the items complete before the break, and ``warn``
    gets one line saying so.
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    kind = None
    publisher = ""
    depth = 0
    count = 0
    stack: list[ET.Element] = []
    try:
        for chunk in itertools.chain(chunks, [None]):  # (never a list: a huge feed streams)
            if chunk is None:
                parser.close()
            else:
                parser.feed(chunk)
            for event, el in parser.read_events():
                if event == "start":
                    depth += 1
                    stack.append(el)
                    if kind is None:
                        kind = _local(el.tag)
                        if kind not in ("rss", "rdf", "feed"):
                            raise NotAFeed("not an RSS or Atom feed")
                    continue
                depth -= 1
                stack.pop()
                name = _local(el.tag)
                parent = _local(stack[-1].tag) if stack else ""
                if name == "title" and not publisher and parent in ("channel", "feed"):
                    publisher = re.sub(r"\s+", " ", _typed(el, kind == "feed", False))
                elif (name == "item" and kind != "feed") or (name == "entry" and kind == "feed"):
                    yield _xml_item(el, kind == "feed", publisher)
                    count += 1
                    el.clear()
                    if stack:
                        stack[-1].remove(el)
    except ET.ParseError as exc:
        if not count:
            raise NotAFeed("not an RSS or Atom feed" if kind is None else
                           f"broken RSS or Atom feed, no complete item before the break ({exc})") from None
        if warn:
            warn(f"feed cut short or broken ({exc}): indexed the {count} complete item{'s' if count != 1 else ''} before it")
        return
    if kind is None:
        raise NotAFeed("not an RSS or Atom feed")


def _xml_item(e: ET.Element, atom: bool, publisher: str) -> dict:
    link_el = None
    for c in e:
        if _local(c.tag) == "link" and (c.get("rel") or "alternate") == "alternate":
            link_el = c
            break
    link_el = link_el if link_el is not None else _child(e, "link")
    url = ""
    if link_el is not None:
        url = (link_el.get("href") or _text(link_el)).strip()
    content = _drop_footers(_typed(_child(e, "encoded", "content"), atom, True))
    summary = _drop_footers(_typed(_child(e, "description", "summary"), atom, True))
    author_el = _child(e, "creator", "author")
    author = _text(_child(author_el, "name")) if author_el is not None and len(author_el) else _text(author_el)
    return {
        "title": re.sub(r"\s+", " ", _typed(_child(e, "title"), atom, False)),
        "url": url,
        "date": _text(_child(e, "pubdate", "published", "updated", "date")),
        "publisher": publisher,
        "authors": [author] if author else [],
        "body": with_lead(summary, content) if content else summary,
    }
