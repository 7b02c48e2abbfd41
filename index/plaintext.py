"""Plain-text documents: the title (first line, or a Markdown file's first heading), the byline
block under it (publisher, date, authors, URL) and the body."""

from __future__ import annotations

import re

from .dates import parse_date

_META_LABEL = re.compile(r"^(source|publisher|site|outlet|published|posted|updated|date|by|author|authors|url|link)\s*:\s*(.+)$", re.I)
_BY = re.compile(r"^by\s+(.+)$", re.I)
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}$")
_URL_LINE = re.compile(r"^https?://\S+$")


def split_names(line: str) -> list[str]:
    """``Ben Jiang,Ann Cao,Wency ChenandZhou Xin`` gives four names; glued ``and`` is undone."""
    line = re.sub(r"(?<=[a-z])and(?=[A-Z])", ", ", line)
    parts = [p.strip() for p in re.split(r",|;|\s+and\s+|\s*&\s*", line) if p.strip()]
    return parts if parts and all(_NAME.match(p) for p in parts) else []


def parse_plain(text: str, markdown: bool = False) -> dict:
    """Title (first heading or line), the metadata block under it, and the body."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        return {"title": "", "body": ""}
    title = lines[i].strip()
    before: list[str] = []
    if markdown:
        for k in range(i, len(lines)):
            m = re.match(r"^#{1,6}\s+(.+?)\s*#*$", lines[k].strip())
            if m:
                before = lines[i:k]  # (text above the first heading stays in the body)
                title, i = m.group(1), k
                break
    title = re.sub(r"^#{1,6}\s+", "", title)
    meta: dict = {"title": title, "authors": []}
    body_start = i + 1
    k, seen = i + 1, 0
    while k < len(lines) and seen < 8:
        line = lines[k].strip()
        k += 1
        if not line:
            continue
        seen += 1
        if not _metadata_line(line, meta):
            break
        body_start = k
    meta["body"] = "\n".join(before + lines[body_start:]).strip("\n")
    return meta


def _metadata_line(line: str, meta: dict) -> bool:
    """Read ``line`` into ``meta`` when it is a byline-block line; ``False`` when it is prose."""
    if len(line) > 100:
        return False
    m = _META_LABEL.match(line)
    if m:
        label, value = m.group(1).lower(), m.group(2).strip()
        if label in ("source", "publisher", "site", "outlet"):
            meta["publisher"] = value
        elif label in ("published", "posted", "updated", "date"):
            if label in ("published", "date") or not meta.get("date"):
                meta["date"] = value if parse_date(value) else meta.get("date", "")
        elif label in ("by", "author", "authors"):
            meta["authors"] = split_names(value) or [value]
        else:
            meta["url"] = value
        return True
    if _URL_LINE.match(line):
        meta.setdefault("url", line)
        return True
    if len(line) <= 40 and parse_date(line) and not re.search(r"[.!?]$", line):
        meta.setdefault("date", line)
        return True
    by = _BY.match(line)
    names = split_names(by.group(1) if by else line)
    if names and (by or len(names) > 1 or "," in line):
        meta["authors"] = names
        return True
    return False


def fold(text: str) -> str:
    """``text`` for a loose comparison: case folded, runs of punctuation and space as one space."""
    return re.sub(r"\W+", " ", text.casefold()).strip()
