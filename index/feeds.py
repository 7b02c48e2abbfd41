"""Feeds: RSS/Atom XML, and RSS feeds flattened to text (tags stripped, CDATA ends left behind).

A flattened WordPress feed reads as: a channel preamble (site name, URL, description, build date,
generator, image), then for each item a header line ``TITLE LINK LINK#comments DATE [GUID] SUMMARY``,
the summary's "The post … first appeared on SITE." footer and ``]]>``, the full content with the same
footer and ``]]>``, and the comments feed line ``LINK/feed/ COUNT ID``. The rules below key on those
shapes, never on a particular site.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .htmltext import html_to_text

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
    lines = text.split("\n")
    heads = []
    for i, line in enumerate(lines):
        m = ITEM_HEADER.search(line)
        if m and line[: m.start()].strip():
            heads.append((i, m))
    if not heads:
        return []
    site = _site_name(lines[heads[0][0]][: heads[0][1].start()])
    items = []
    for n, (i, m) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        line = lines[i]
        title = _title_from_prefix(line[: m.start()])
        rest = line[m.end():]
        if _CDATA_END in rest:  # categories, e.g. "Keywords: Artificial Intelligence]]>"
            rest = rest.rsplit(_CDATA_END, 1)[1]
        rest = re.sub(r"^\s*https?://\S+", "", rest).strip()  # the guid
        block = lines[i + 1 : end]
        publisher = site
        for raw in block:
            fm = re.match(r"^The post .+ first appeared on (.+?)\.?\s*$", raw.strip())
            if fm:
                publisher = fm.group(1).strip()
                break
        items.append({
            "title": title,
            "url": m.group("link"),
            "date": m.group("date"),
            "publisher": publisher,
            "body": _item_body(rest, block),
        })
    return items


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
    """The item's full content when the feed carries it, else its summary; plumbing removed."""
    try:
        first_end = next(k for k, raw in enumerate(block) if raw.strip() == _CDATA_END)
    except StopIteration:
        first_end = -1
    content = _clean_lines(block[first_end + 1 :]) if first_end >= 0 else []
    if not content:
        content = _clean_lines([summary] + block[: max(first_end, 0)])
    return "\n\n".join(content)


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


def parse_xml_feed(text: str) -> list[dict] | None:
    """Items of an RSS or Atom document, or ``None`` when ``text`` is not such a feed."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    kind = _local(root.tag)
    if kind in ("rss", "rdf"):
        channel = _child(root, "channel")
        publisher = _text(_child(channel, "title")) if channel is not None else ""
        entries = [e for e in root.iter() if _local(e.tag) == "item"]
    elif kind == "feed":
        publisher = _text(_child(root, "title"))
        entries = [e for e in root if _local(e.tag) == "entry"]
    else:
        return None
    items = []
    for e in entries:
        link_el = _child(e, "link")
        url = ""
        if link_el is not None:
            url = (link_el.get("href") or _text(link_el)).strip()
        content = _child(e, "encoded", "content")
        summary = _child(e, "description", "summary")
        html = _text(content) or _text(summary)
        author_el = _child(e, "creator", "author")
        author = _text(_child(author_el, "name")) if author_el is not None and len(author_el) else _text(author_el)
        items.append({
            "title": re.sub(r"\s+", " ", _text(_child(e, "title"))),
            "url": url,
            "date": _text(_child(e, "pubdate", "published", "updated", "date")),
            "publisher": publisher,
            "authors": [author] if author else [],
            "body": html_to_text(html) if html else "",
        })
    return items
