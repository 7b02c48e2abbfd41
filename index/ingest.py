"""From a corpus folder to clean Documents: find files, decode them, split feeds, read metadata.

Nothing here writes anywhere: the corpus is only ever read.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_date
from .feeds import looks_like_flat_feed, parse_xml_feed, split_flat_feed
from .htmltext import parse_html
from .models import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES

LARGE_FILE = 8 * 1024 * 1024
"""Files above this size are streamed and split into parts of about ``PART_SIZE`` characters."""
PART_SIZE = 1024 * 1024


class SkipFile(Exception):
    """This file cannot be indexed; the message says why in a few words."""


@dataclass(frozen=True)
class SourceFile:
    """A candidate file: path relative to the corpus, with what a change check needs."""

    path: str
    size: int
    mtime_ns: int


def discover(corpus: Path) -> list[SourceFile]:
    """Every indexable file under ``corpus``, sorted by path; hidden files and folders skipped.

    Plain strings, not ``Path`` objects: this runs before every command (``Library.is_stale``),
    and at 10,000 files the ``Path`` arithmetic was most of its time.
    """
    top = os.fspath(corpus)
    found = []
    stat = os.stat
    join = os.path.join
    for root, dirs, files in os.walk(top, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        prefix = root[len(top):].lstrip(os.sep).replace(os.sep, "/")
        if prefix:
            prefix += "/"
        for name in files:
            dot = name.rfind(".")
            if name[0] == "." or dot <= 0 or name[dot:].lower() not in SUFFIXES:
                continue  # hidden, no suffix, or not a kind we read
            try:
                st = stat(join(root, name))
            except OSError:
                found.append(SourceFile(prefix + name, -1, -1))
                continue
            found.append(SourceFile(prefix + name, st.st_size, st.st_mtime_ns))
    found.sort(key=lambda f: f.path)
    return found


def doc_id(source: str, key: str | int = 0) -> str:
    """A stable id: the same file (and item in it) keeps its id however often it is re-indexed."""
    return hashlib.sha1(f"{source}\x00{key}".encode("utf-8", "surrogateescape")).hexdigest()[:12]


# -- decoding -----------------------------------------------------------------------------------

def sniff_encoding(sample: bytes) -> str:
    """The encoding of a file from its first bytes: BOMs, then UTF-8, else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    text = sample.decode("utf-8", "replace")
    bad = text.count("\ufffd") - sample.decode("utf-8", "ignore").count("\ufffd")
    # A cut multi-byte character at the end of a sample is not evidence against UTF-8.
    bad -= text[-3:].count("\ufffd")
    if bad <= 0:
        return "utf-8"
    wide = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return "utf-8" if wide >= bad else "cp1252"


def decode(data: bytes) -> str:
    """Text from bytes: never fails; undecodable bytes become U+FFFD."""
    return data.decode(sniff_encoding(data[:65536]), "replace")


def _is_binary(sample: bytes) -> bool:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return len(sample) > 0 and control / len(sample) > 0.1


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


# -- reading one file ---------------------------------------------------------------------------

def read_documents(corpus: Path, path: str) -> Iterator[Document]:
    """The documents in one corpus file; raises ``SkipFile`` when it holds none we can read."""
    full = corpus / path
    try:
        with open(full, "rb") as fh:
            sample = fh.read(65536)
            if not sample.strip():
                raise SkipFile("empty file")
            if _is_binary(sample):
                raise SkipFile("binary file, not text")
            size = os.fstat(fh.fileno()).st_size
            if size > LARGE_FILE:
                fh.seek(0)
                yield from _large_text(fh, path, sniff_encoding(sample))
                return
            data = sample + fh.read()
    except SkipFile:
        raise
    except OSError as exc:
        raise SkipFile(f"cannot read ({exc.strerror or exc})") from None
    text = normalize(decode(data))
    if not text.strip():
        raise SkipFile("empty file")
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        items = [parse_html(text)]
    elif suffix in FEED_SUFFIXES:
        items = parse_xml_feed(text.lstrip("\ufeff"))
        if items is None:
            items = split_flat_feed(text) if looks_like_flat_feed(text) else None
        if items is None:
            raise SkipFile("not an RSS or Atom feed")
    elif looks_like_flat_feed(text):
        items = split_flat_feed(text)
    else:
        items = [parse_plain(text, markdown=suffix in (".md", ".markdown"))]
    yield from _documents(path, items)


def _documents(path: str, items: list[dict]) -> Iterator[Document]:
    seen: set[str] = set()
    stem = Path(path).stem
    for n, item in enumerate(items):
        key = item.get("url") or n
        if key in seen:
            key = f"{key}#{n}"
        seen.add(str(key))
        body = normalize(item.get("body", "")).strip("\n")
        title = re.sub(r"\s+", " ", item.get("title") or "").strip() or _first_line(body) or stem
        date = item.get("date") or ""
        yield Document(
            id=doc_id(path, key if len(items) > 1 else 0),
            source=path,
            title=title,
            body=body,
            publisher=(item.get("publisher") or "").strip(),
            date=parse_date(date) if date else None,
            authors=tuple(a for a in item.get("authors", ()) if a),
            url=(item.get("url") or "").strip(),
            part=n,
        )


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:120]
    return ""


def _large_text(fh, path: str, encoding: str) -> Iterator[Document]:
    """Stream a very large text file as parts split at paragraph breaks; memory stays bounded."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    buffer, part, title = "", 0, ""
    while True:
        chunk = fh.read(PART_SIZE)
        buffer += normalize(decoder.decode(chunk, final=not chunk))
        while len(buffer) >= PART_SIZE or (not chunk and buffer.strip()):
            cut = buffer.rfind("\n\n", 0, PART_SIZE) if len(buffer) >= PART_SIZE else -1
            if cut <= 0:
                cut = buffer.rfind("\n", 0, PART_SIZE) if len(buffer) >= PART_SIZE else -1
            if cut <= 0:
                cut = min(len(buffer), PART_SIZE)
            body, buffer = buffer[:cut].strip("\n"), buffer[cut:]
            if not title:
                title = _first_line(body) or Path(path).stem
            part += 1
            if body.strip():
                yield Document(id=doc_id(path, part), source=path, title=f"{title} (part {part})",
                               body=body, part=part - 1)
            if not chunk:
                buffer = ""
        if not chunk:
            return


def normalize(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.lstrip("\ufeff")
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


# -- plain text and markdown --------------------------------------------------------------------

_META_LABEL = re.compile(r"^(source|publisher|site|outlet|published|posted|updated|date|by|author|authors|url|link)\s*:\s*(.+)$", re.I)
_BY = re.compile(r"^by\s+(.+)$", re.I)
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}$")
_URL_LINE = re.compile(r"^https?://\S+$")


def _split_names(line: str) -> list[str]:
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
    if markdown:
        for k in range(i, len(lines)):
            m = re.match(r"^#{1,6}\s+(.+?)\s*#*$", lines[k].strip())
            if m:
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
    meta["body"] = "\n".join(lines[body_start:]).strip("\n")
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
            meta["authors"] = _split_names(value) or [value]
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
    names = _split_names(by.group(1) if by else line)
    if names and (by or len(names) > 1 or "," in line):
        meta["authors"] = names
        return True
    return False
