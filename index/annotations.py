"""Bookmarks out of and into dossier: Markdown for the user's own notes, and JSON following the
W3C Web Annotation data model (https://www.w3.org/TR/annotation-model/) for other annotation tools.

JSON export is an ``AnnotationCollection`` whose first page holds every annotation. Each one
targets ``urn:dossier:doc:<doc id>`` with a ``TextQuoteSelector`` (exact, prefix, suffix, as saved)
and a ``TextPositionSelector`` (where the passage is now); the note is a ``commenting`` body and each
tag a ``tagging`` body. What only dossier needs (document id, source path, title, the hash of the
text it was made on) sits under a ``dossier`` key, which other tools ignore.

Import reads that shape (or a page, a list, or a single annotation) and is idempotent: the
annotation id is the key, so importing the same file twice adds nothing. The target document is
found by its dossier id, else by its source path (relative to the corpus, absolute, or a
``file:`` URL) or the document's own URL (``Documents``); an annotation from another tool is
then placed in that document's text and given dossier's own context, so it re-anchors like a
bookmark made here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .anchoring import ANCHORED, ORPHANED, anchor, find_quote, select, text_hash
from .bookmarks import Bookmark, BookmarkError, clean_tags, now

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", "http://www.w3.org/ns/ldp.jsonld"]
ID_PREFIX = "urn:dossier:bookmark:"
DOC_PREFIX = "urn:dossier:doc:"


class AnnotationFileError(BookmarkError):
    """An annotation file cannot be read."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did: bookmarks added, restored (had been deleted), already present, skipped."""

    added: int = 0
    restored: int = 0
    present: int = 0
    skipped: tuple[str, ...] = ()
    """One reason per annotation that was not imported."""


# -- JSON (W3C Web Annotation) -------------------------------------------------------------------
def to_annotation(mark: Bookmark) -> dict[str, Any]:
    """One bookmark as a W3C Web Annotation (without ``@context``)."""
    body: list[dict[str, Any]] = []
    if mark.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": mark.note})
    body += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in mark.tags]
    quote = {"type": "TextQuoteSelector", "exact": mark.quote, "prefix": mark.prefix, "suffix": mark.suffix}
    position = {"type": "TextPositionSelector", "start": mark.start, "end": mark.end}
    annotation: dict[str, Any] = {
        "id": ID_PREFIX + mark.id,
        "type": "Annotation",
        "motivation": "bookmarking",
        "created": mark.created,
        "modified": mark.updated,
    }
    if body:
        annotation["body"] = body
    annotation["target"] = {"source": DOC_PREFIX + mark.doc_id, "selector": [quote, position]}
    annotation["dossier"] = {
        "doc_id": mark.doc_id, "source": mark.source, "title": mark.title, "status": mark.status,
        "doc_hash": mark.doc_hash, "saved_start": mark.saved_start, "saved_end": mark.saved_end,
    }
    return annotation


def export_json(marks: list[Bookmark], generated: str | None = None) -> str:
    """An ``AnnotationCollection`` holding ``marks`` as one page, as pretty-printed JSON."""
    items = [to_annotation(m) for m in marks]
    collection = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "dossier bookmarks",
        "generated": generated or now(),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def read_annotations(path: Path) -> list[dict[str, Any]]:
    """The annotations in an export file; raises ``AnnotationFileError`` naming the file on any problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnnotationFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnnotationFileError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnotationFileError(f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg})") from None
    items = _items(data)
    if items is None:
        raise AnnotationFileError(f"{path}: not W3C Web Annotation JSON (expected an AnnotationCollection, "
                           "an AnnotationPage, a list of annotations or one annotation)")
    return items


def _items(data: Any) -> list[dict[str, Any]] | None:
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    if not isinstance(data, dict):
        return None
    kind = data.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, dict):
            return _items(first) or []
        return []
    if "AnnotationPage" in kinds:
        items = data.get("items")
        return [d for d in items if isinstance(d, dict)] if isinstance(items, list) else []
    if "Annotation" in kinds or "target" in data:
        return [data]
    return None


def from_annotation(item: dict[str, Any]) -> Bookmark:
    """A bookmark from one annotation; raises ``ValueError`` with the reason it cannot be one."""
    target = _target(item)
    if not target:
        raise ValueError("no target")
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"].strip():
        raise ValueError("no TextQuoteSelector with an exact quote")
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), {})
    extra = item.get("dossier") if isinstance(item.get("dossier"), dict) else {}
    source_iri = str(target.get("source") or "")
    doc_id = str(extra.get("doc_id") or (source_iri[len(DOC_PREFIX):] if source_iri.startswith(DOC_PREFIX) else source_iri))
    if not doc_id:
        raise ValueError("no target source")
    exact = quote["exact"]
    start = _int(extra.get("saved_start"), _int(position.get("start"), 0))
    end = _int(extra.get("saved_end"), _int(position.get("end"), start + len(exact)))
    if end - start != len(exact):
        end = start + len(exact)
    note, tags = _bodies(item)
    created = str(item.get("created") or now())
    return Bookmark(
        id=_bookmark_id(item, doc_id, exact, quote), doc_id=doc_id,
        source=str(extra.get("source") or ""), title=str(extra.get("title") or ""),
        quote=exact, prefix=str(quote.get("prefix") or ""), suffix=str(quote.get("suffix") or ""),
        saved_start=start, saved_end=end, doc_hash=str(extra.get("doc_hash") or ""),
        note=note, tags=clean_tags(tags), created=created, updated=str(item.get("modified") or created),
        start=start, end=end, status=ANCHORED,
    )


def _bodies(item: dict[str, Any]) -> tuple[str, list[str]]:
    bodies = item.get("body") or []
    if not isinstance(bodies, list):
        bodies = [bodies]
    notes, tags = [], []
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    for body in bodies:
        if isinstance(body, str):
            continue  # an IRI body: nothing textual to keep
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purpose = body.get("purpose")
        if purpose == "tagging":
            tags.append(body["value"])
        else:
            notes.append(body["value"])
    return "\n\n".join(n.strip() for n in notes if n.strip()), tags


def _bookmark_id(item: dict[str, Any], doc_id: str, exact: str, quote: dict[str, Any]) -> str:
    iri = item.get("id") or item.get("@id")
    if isinstance(iri, str) and iri.startswith(ID_PREFIX) and iri[len(ID_PREFIX):].isalnum():
        return iri[len(ID_PREFIX):]
    # Another tool's annotation: an id derived from its own id (or its content), so that
    # importing it twice finds the same bookmark.
    key = iri if isinstance(iri, str) and iri else json.dumps(
        [doc_id, exact, quote.get("prefix"), quote.get("suffix"), item.get("created")], ensure_ascii=False)
    return "x" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:11]


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


class Documents:
    """The documents an import can target: ``get(doc_id)`` (``None`` when unknown) and, read
    only when a target is not a dossier id, ``every()`` for source paths and URLs under ``root``."""

    def __init__(self, get: Callable[[str], Any | None], every: Callable[[], Iterable[Any]],
                 root: Path | None = None) -> None:
        self.get, self.every, self.root = get, every, root
        self._by_key: dict[str, list[Any]] | None = None

    def find(self, refs: Iterable[str], quote: str) -> Any | None:
        """The document the first of ``refs`` that names one means (of several, as a feed's
        parts share a source, the one whose text holds ``quote``)."""
        for ref in refs:
            if not ref:
                continue
            doc = self.get(ref[len(DOC_PREFIX):] if ref.startswith(DOC_PREFIX) else ref)
            if doc is not None:
                return doc
            found = self._keyed().get(_key(ref, self.root), [])
            if len(found) > 1:
                found = [d for d in found if find_quote(d.body, quote)]
            if found:
                return found[0]
        return None

    def _keyed(self) -> dict[str, list[Any]]:
        if self._by_key is None:
            self._by_key = {}
            for doc in self.every():
                for ref in {doc.source, doc.url} - {""}:
                    self._by_key.setdefault(_key(ref, self.root), []).append(doc)
        return self._by_key


def _key(ref: str, root: Path | None) -> str:
    """A source path or URL as one spelling: a ``file:`` URL or an absolute path under ``root``
    as the path relative to it; a web URL without its fragment or trailing slash."""
    parts = urlsplit(ref)
    if parts.scheme == "file":
        ref = unquote(parts.path)
    elif parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")
    path = Path(ref)
    if path.is_absolute() and root is not None:
        try:
            path = path.resolve().relative_to(Path(root).resolve())
        except (OSError, ValueError):
            pass
    return path.as_posix()


def _place(mark: Bookmark, item: dict[str, Any], documents: Documents | None) -> Bookmark:
    """``mark`` in the document it targets, with dossier's own context (``select``) around the
    place its quote is found: where the annotation's own context says, else its position or the
    quote's one occurrence. Unchanged when the document or the place cannot be told."""
    doc = documents.find([mark.doc_id, *_refs(item)], mark.quote) if documents else None
    if doc is None:
        return mark
    if doc.id != mark.doc_id:
        mark = replace(mark, doc_id=doc.id, source=mark.source or doc.source, title=mark.title or doc.title)
    if mark.doc_hash:
        return mark  # made by dossier: re-anchoring finds it
    if not _has_context(item):
        spans = find_quote(doc.body, mark.quote)
        span = next((s for s in spans if s[0] == mark.saved_start), spans[0] if len(spans) == 1 else None)
    else:
        found = anchor(doc.body, mark.selector)
        span = None if found.status == ORPHANED else (found.start, found.end)
    if span is None:
        return mark
    sel = select(doc.body, *span)
    return replace(mark, quote=sel.quote, prefix=sel.prefix, suffix=sel.suffix, saved_start=span[0],
                   saved_end=span[1], doc_hash=text_hash(doc.body), start=span[0], end=span[1],
                   source=mark.source or doc.source, title=mark.title or doc.title)


def _target(item: dict[str, Any]) -> dict[str, Any]:
    target = item.get("target")
    if isinstance(target, list):
        target = next((t for t in target if isinstance(t, dict)), None)
    return target if isinstance(target, dict) else {}


def _refs(item: dict[str, Any]) -> list[str]:
    """What else names the target document: the target's source IRI, dossier's saved source."""
    extra = item.get("dossier") if isinstance(item.get("dossier"), dict) else {}
    return [v for v in (_target(item).get("source"), extra.get("source")) if isinstance(v, str) and v]


def _has_context(item: dict[str, Any]) -> bool:
    """Did the annotation's tool save text around the quote (a prefix or a suffix, even empty)?"""
    selectors = _target(item).get("selector") or []
    selectors = [selectors] if isinstance(selectors, dict) else selectors
    return any(isinstance(s, dict) and s.get("type") == "TextQuoteSelector" and ("prefix" in s or "suffix" in s)
               for s in selectors)


def import_file(store: Any, path: Path, documents: Documents | None = None) -> ImportReport:
    """Import an annotation file into ``store`` in one transaction (idempotent), each annotation
    matched to one of ``documents`` when it can be."""
    marks, skipped = [], []
    for n, item in enumerate(read_annotations(path), 1):
        try:
            marks.append(_place(from_annotation(item), item, documents))
        except ValueError as exc:
            skipped.append(f"annotation {n}: {exc}")
    added, restored, present = store.merge(marks)
    return ImportReport(added, restored, present, tuple(skipped))


# -- Markdown ----------------------------------------------------------------------------------
def export_markdown(marks: list[Bookmark], dates: dict[str, str | None] | None = None,
                    generated: str | None = None, corpus: Path | None = None) -> str:
    """Bookmarks grouped by document (in order of their newest bookmark): title, source, date
    (from ``dates``, by document id), a ``dossier show`` line to jump back (with ``--corpus``
    when ``corpus`` is given: not the default one), then each passage as a blockquote with its
    note, tags and when it was bookmarked. Text the user or the documents wrote is escaped, so a
    ``#``, ``>``, ``*`` or a line break in it never changes the structure."""
    dates = dates or {}
    show = "dossier " + (f"--corpus {shlex.quote(str(corpus))} " if corpus is not None else "") + "show "
    groups: dict[str, list[Bookmark]] = {}
    for mark in marks:
        groups.setdefault(mark.doc_id, []).append(mark)
    stamp = (generated or now())[:10]
    out = ["# dossier bookmarks", "",
           f"Exported {stamp}: {len(marks)} bookmark{'s' * (len(marks) != 1)} "
           f"in {len(groups)} document{'s' * (len(groups) != 1)}.", ""]
    for doc_id, group in groups.items():
        first = group[0]
        out += [f"## {_escape(_line(first.title) or _line(first.source) or doc_id)}", ""]
        if first.source:
            out.append(f"- Source: {_code(_line(first.source))}")
        if dates.get(doc_id):
            out.append(f"- Date: {_escape(_line(str(dates[doc_id])))}")
        out += [f"- Open: {_code(show + shlex.quote(doc_id))}", ""]
        for mark in group:
            out += [_blockquote(mark.quote), ""]
            if mark.note:
                out += [_paragraphs(mark.note), ""]
            facts = [f"Bookmarked {mark.created[:10]}"]
            if mark.tags:
                facts.append("tags: " + ", ".join("#" + _escape(_line(t).replace(" ", "-")) for t in mark.tags))
            if mark.status == ORPHANED:
                facts.append("**orphaned**: the passage is no longer in the document")
            elif mark.status != ANCHORED:
                facts.append(f"{mark.status} (now at characters {mark.start}-{mark.end})")
            facts.append(f"id `{mark.id}`")
            out += [" · ".join(facts), ""]
    return "\n".join(out).rstrip() + "\n"


def _line(text: str) -> str:
    return " ".join(text.split())


_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_BLOCK = re.compile(r"^(\d{1,9})([.)])|^([#>+=-])")


def _escape(text: str) -> str:
    """``text`` as literal Markdown: the characters that start emphasis, code, links, HTML,
    tables or strikethrough, and at the start of a line those that make a heading, a quote, a
    list or a rule, are backslash-escaped (before ASCII punctuation a backslash is literal)."""
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _code(text: str) -> str:
    """A code span holding ``text``, fenced by more backticks than it contains in a row."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _lines(text: str) -> list[str]:
    """Lines as written, each escaped and without the indentation that would make code of it;
    a line break inside a paragraph is kept (a backslash at the end: a hard break)."""
    lines = [_escape(ln.strip()) for ln in text.strip().splitlines()]
    return [ln + "\\" if ln and n + 1 < len(lines) and lines[n + 1] else ln for n, ln in enumerate(lines)]


def _blockquote(text: str) -> str:
    return "\n".join(f"> {ln}" if ln else ">" for ln in _lines(text))


def _paragraphs(text: str) -> str:
    return "\n".join(_lines(text))
