"""From a corpus folder to clean Documents: find files, decode them, split feeds, read metadata.

Decoding is in ``encoding``, plain text in ``plaintext``, Markdown in ``markdown``, feeds in
``feeds``, pages in ``htmltext``; here, what kind a file is and how it is read (whole, or
streamed in parts when it is large).

Nothing here writes anywhere: the corpus is only ever read.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_date
from .encoding import decode, is_binary, stream_encoding
from .feeds import NotAFeed, iter_flat_feed, iter_xml_feed, looks_like_flat_feed, split_flat_feed
from .htmltext import HtmlStream, parse_html
from .markdown import front_matter, parse_markdown, split_front_matter, strip_markdown
from .models import Document
from .plaintext import parse_plain

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt"} | MARKDOWN_SUFFIXES
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES

LARGE_FILE = 8 * 1024 * 1024
"""Files above this size are streamed and split into parts of about ``PART_SIZE`` characters."""
PART_SIZE = 1024 * 1024
READ_SIZE = 1024 * 1024
"""Bytes read at a time from a file streamed."""


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


_SPACE = " \t\r\n\u00a0\u2028\u2029\ufeff"


def _text_chunks(fh, encoding: str, warn: Callable[[str], None] | None) -> Iterator[str]:
    """A file's text, decoded and ``normalize``d, in pieces of about ``READ_SIZE`` characters.

    Each piece ends just after a character that is not white space (the white space after it
    goes with the next), so a run of line breaks is never cut in two and normalizes as a whole.
    A read that fails half-way ends the text there, with a warning.
    """
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    carry = ""
    while True:
        try:
            data = fh.read(READ_SIZE)
        except OSError as exc:
            if warn:
                warn(f"could not read it to the end ({exc.strerror or exc}): indexed what came before")
            data = b""
        text = carry + decoder.decode(data, final=not data)
        if not data:
            if text:
                yield normalize(text)
            return
        end = len(text.rstrip(_SPACE))
        carry = text[end:]
        if end:
            yield normalize(text[:end])


def _split_parts(chunks: Iterable[str]) -> Iterator[str]:
    """Text in parts of at most ``PART_SIZE`` characters, cut at paragraph breaks where it can
    (else at a line break, else anywhere)."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk
        while len(buffer) > PART_SIZE:
            cut = buffer.rfind("\n\n", 0, PART_SIZE)
            if cut <= 0:
                cut = buffer.rfind("\n", 0, PART_SIZE)
            if cut <= 0:
                cut = PART_SIZE
            body, buffer = buffer[:cut].strip("\n"), buffer[cut:]
            if body.strip():
                yield body
    body = buffer.strip("\n")
    if body.strip():
        yield body


# -- reading one file ---------------------------------------------------------------------------

def read_documents(corpus: Path, path: str, id_path: str | None = None,
                   warn: Callable[[str], None] | None = None) -> Iterator[Document]:
    """The documents in one corpus file, one at a time; raises ``SkipFile`` (before the first)
    when it holds none we can read.

    ``id_path``: the path the documents' ids are made from (a moved file keeps those of where it
    was); ``warn`` takes one line about a file read only in part (a feed cut short).
    Memory is bounded whatever the file's size: above ``LARGE_FILE`` the text is streamed (read
    as a whole file only for its encoding) and given in parts, pages and feeds too.
    """
    full = corpus / path
    id_path = id_path or path
    suffix = Path(path).suffix.lower()
    try:
        fh = open(full, "rb")
    except OSError as exc:
        raise SkipFile(f"cannot read ({exc.strerror or exc})") from None
    with fh:
        try:
            sample = fh.read(65536)
            if not sample.strip():
                raise SkipFile("empty file")
            if is_binary(sample):
                raise SkipFile("binary file, not text")
            size = os.fstat(fh.fileno()).st_size
            if size <= LARGE_FILE:
                data = sample + fh.read()
            else:
                encoding = stream_encoding(fh, sample, READ_SIZE)
        except OSError as exc:
            raise SkipFile(f"cannot read ({exc.strerror or exc})") from None
        if size > LARGE_FILE:
            yield from _large_file(fh, path, id_path, suffix, encoding, warn)
            return
    text = normalize(decode(data))
    del data
    if not text.strip():
        raise SkipFile("empty file")
    if suffix in HTML_SUFFIXES:
        items: Iterable[dict] = [parse_html(text)]
    elif suffix in FEED_SUFFIXES:
        items = _xml_items([text.lstrip("\ufeff")], text, warn) or split_flat_feed(text)
    elif looks_like_flat_feed(text):
        items = split_flat_feed(text)
    elif suffix in MARKDOWN_SUFFIXES:
        items = [parse_markdown(text)]
    else:
        items = [parse_plain(text)]
    yield from _documents(path, id_path, items)


def _xml_items(chunks: Iterable[str], head: str, warn) -> Iterator[dict] | None:
    """The items of an XML feed, or ``None`` when it is not XML but a flattened feed (``head``:
    its text, or the start of it). Raises ``SkipFile`` when it is neither, or has no item."""
    items = iter_xml_feed(chunks, warn)
    try:
        first = next(items)
    except StopIteration:
        raise SkipFile("a feed without items") from None
    except NotAFeed as exc:
        if looks_like_flat_feed(head):
            return None
        raise SkipFile(str(exc)) from None
    return itertools.chain([first], items)


def _large_file(fh, path: str, id_path: str, suffix: str, encoding: str, warn) -> Iterator[Document]:
    """A file above ``LARGE_FILE``, streamed: a page in parts of its text, a feed item by item,
    other text in parts."""
    if suffix in HTML_SUFFIXES:
        yield from _large_html(fh, path, id_path, encoding, warn)
        return
    chunks = _text_chunks(fh, encoding, warn)
    first = next(chunks, "")
    head = first[:PART_SIZE]
    if suffix in FEED_SUFFIXES:
        items = _xml_items(itertools.chain([first.lstrip("\ufeff")], chunks), head, warn)
        if items is None:  # a flattened feed in an .xml file
            fh.seek(0)
            items = iter_flat_feed(_lines(_text_chunks(fh, encoding, warn)))
        yield from _documents(path, id_path, items)
        return
    if looks_like_flat_feed(head):
        yield from _documents(path, id_path, iter_flat_feed(_lines(itertools.chain([first], chunks))))
        return
    yield from _text_parts(path, id_path, itertools.chain([first], chunks), suffix in MARKDOWN_SUFFIXES)


def _lines(chunks: Iterable[str]) -> Iterator[str]:
    rest = ""
    for chunk in chunks:
        lines = (rest + chunk).split("\n")
        rest = lines.pop()
        yield from lines
    yield rest


def _text_parts(path: str, id_path: str, chunks: Iterable[str], markdown: bool) -> Iterator[Document]:
    """Plain text or Markdown in parts; the title (and a Markdown file's front matter) from
    the first."""
    title, meta = "", {}
    for n, body in enumerate(_split_parts(chunks)):
        if n == 0:
            if markdown:
                front, body = split_front_matter(body)
                meta = front_matter(front) if front else {}
            first = parse_plain(body, markdown=markdown)
            title = meta.get("title") or first["title"] or Path(path).stem
            for key in ("publisher", "date", "authors", "url"):
                if not meta.get(key) and first.get(key):
                    meta[key] = first[key]
        if markdown:
            body = strip_markdown(body)
        if not body.strip():
            continue
        yield _document(path, id_path, n + 1, n, {**meta, "title": f"{title} (part {n + 1})", "body": body})


def _large_html(fh, path: str, id_path: str, encoding: str, warn) -> Iterator[Document]:
    """A page too big to hold, parsed as it is read: its text in parts, each with the page's
    title and metadata. Only the text inside <article> when the page has some (one look
    through the file for the tag first, as ``parse_html`` prefers it too)."""
    article = _contains(fh, b"<article")
    for attempt in (article, False) if article else (False,):
        fh.seek(0)
        stream = HtmlStream(article=attempt)
        paragraphs = stream.paragraphs(_text_chunks(fh, encoding, warn))
        n = 0
        for body in _split_parts(p + "\n\n" for p in paragraphs):
            info = stream.info()
            title = info["title"] or _first_line(body) or Path(path).stem
            yield _document(path, id_path, n + 1, n, {**info, "title": f"{title} (part {n + 1})", "body": body})
            n += 1
        if n:
            return
    raise SkipFile("a page without text")


def _contains(fh, needle: bytes) -> bool:
    """Whether the file holds ``needle`` (ASCII, any case), read in pieces."""
    fh.seek(0)
    tail = b""
    while chunk := fh.read(READ_SIZE):
        if needle in (tail + chunk).lower():
            return True
        tail = chunk[-len(needle):]
    return False


def _documents(path: str, id_path: str, items: Iterable[dict]) -> Iterator[Document]:
    """Documents of the items of one file. A file of one item has the id of the file; the
    items of a feed have ids made from their URLs (so an item keeps its id when others change),
    which is why the first item waits until it is known whether a second follows."""
    seen: set[str] = set()
    pending = None
    n = -1
    for n, item in enumerate(items):
        key = item.get("url") or n
        if key in seen:
            key = f"{key}#{n}"
        seen.add(str(key))
        if pending is not None:
            yield _document(path, id_path, pending[0], pending[1], pending[2])
            pending = None
        if n == 0:
            pending = (key, n, item)
        else:
            yield _document(path, id_path, key, n, item)
    if pending is not None:
        yield _document(path, id_path, 0 if n == 0 else pending[0], pending[1], pending[2])


def _document(path: str, id_path: str, key, part: int, item: dict) -> Document:
    body = normalize(item.get("body", "")).strip("\n")
    title = re.sub(r"\s+", " ", item.get("title") or "").strip() or _first_line(body) or Path(path).stem
    date = item.get("date") or ""
    return Document(
        id=doc_id(id_path, key),
        source=path,
        title=title,
        body=body,
        publisher=(item.get("publisher") or "").strip(),
        date=parse_date(date) if date else None,
        authors=tuple(a for a in item.get("authors", ()) if a),
        url=(item.get("url") or "").strip(),
        part=part,
    )


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:120]
    return ""


def normalize(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.lstrip("\ufeff")
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)
