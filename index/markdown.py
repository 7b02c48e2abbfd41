"""Markdown documents: YAML front matter as metadata, inline markup (emphasis, links, heading
marks) taken out of the text stored and searched."""

from __future__ import annotations

import re

from .dates import parse_date
from .plaintext import fold, parse_plain, split_names

_FRONT_OPEN = re.compile(r"\A\ufeff?---[ \t]*\n")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
# Each mark is matched first and what comes before it checked after (``\*\*(?<![\\*\w]\*\*)``, not
# ``(?<![\\*\w])\*\*``): with the look-behind first, the scan tried it at every character (10x slower).
_STRONG = re.compile(r"\*\*(?<![\\*\w]\*\*)(?=\S)(.+?)(?<=\S)\*\*(?!\*)|__(?<![\\\w]__)(?=\S)(.+?)(?<=\S)__(?!\w)")
_EM = re.compile(r"\*(?<![\\*\w]\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])|_(?<![\\\w]_)(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """A Markdown file's YAML front matter (between ``---`` lines at its very start) and the
    rest; ``None`` and the whole text when it has none."""
    m = _FRONT_OPEN.match(text)
    if not m:
        return None, text
    close = _FRONT_CLOSE.search(text, m.end())
    if not close:
        return None, text
    return text[m.end():close.start()], text[close.end():].lstrip("\n")


def front_matter(front: str) -> dict:
    """Title, authors, date, publisher and URL from YAML front matter (what can be read of it)."""
    import yaml

    try:
        data = yaml.safe_load(front)
    except yaml.YAMLError:
        data = dict(re.findall(r"^(\w+)\s*:\s*(.+?)\s*$", front, re.M))
    if not isinstance(data, dict):
        return {}
    data = {str(k).lower(): v for k, v in data.items()}
    meta: dict = {}

    def text(value) -> str:
        if isinstance(value, dict):
            value = value.get("name") or ""
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value).strip() if value is not None else ""

    title = text(data.get("title"))
    if title:
        meta["title"] = strip_markdown(title)
    names = data.get("authors", data.get("author"))
    if names:
        names = names if isinstance(names, list) else [names]
        found = []
        for name in names:
            value = text(name)
            found += split_names(value) or ([value] if value else [])
        meta["authors"] = found
    for key in ("date", "published", "pubdate", "created"):
        value = text(data.get(key))
        if value and parse_date(value):
            meta["date"] = value
            break
    for key in ("publisher", "site", "source"):
        if text(data.get(key)):
            meta["publisher"] = text(data.get(key))
            break
    for key in ("url", "link", "canonical"):
        if text(data.get(key)):
            meta["url"] = text(data.get(key))
            break
    return meta


def strip_markdown(text: str) -> str:
    """Markdown's inline markup taken out, its text kept: ``**bold**``, ``__bold__``, ``*em*``,
    ``_em_``, ``[text](url)``, heading marks. The body stored is this text, so match spans and
    snippets are made on it (no stray ``**`` beside a match mark)."""
    if not any(c in text for c in "*_[#"):
        return text
    text = _HEADING.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    for _ in range(3):  # nested: ***both***, **bold with *em* inside**
        new = _EM.sub(_inner, _STRONG.sub(_inner, text))
        if new == text:
            break
        text = new
    return text


def _inner(m: re.Match) -> str:
    return m.group(1) if m.group(1) is not None else m.group(2)


def parse_markdown(text: str) -> dict:
    """A Markdown document: front matter as metadata (kept out of the body), then what
    ``parse_plain`` reads, inline markup stripped."""
    front, rest = split_front_matter(text)
    meta = front_matter(front) if front else {}
    if meta.get("title"):
        # The title is given: the text is all body (a first heading that repeats the title aside).
        lines = rest.strip("\n").split("\n")
        m = re.match(r"^#{1,6}\s+(.+?)\s*#*$", lines[0].strip()) if lines else None
        if m and fold(strip_markdown(m.group(1))) == fold(meta["title"]):
            lines = lines[1:]
        doc = {"title": meta["title"], "body": "\n".join(lines).strip("\n"), "authors": []}
    else:
        doc = parse_plain(rest, markdown=True)
        doc["title"] = strip_markdown(doc.get("title", ""))
    for key, value in meta.items():
        if value:
            doc[key] = value
    doc["body"] = strip_markdown(doc.get("body", ""))
    return doc
