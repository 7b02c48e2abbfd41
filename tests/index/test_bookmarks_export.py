"""Export to Markdown and W3C Web Annotation JSON, and import back (idempotent)."""

from __future__ import annotations

import json

import pytest

from index.annotations import AnnotationFileError, Documents, export_json, export_markdown, import_file
from index.bookmarks import BookmarkStore
from index.models import Document

BODY_A = "Tides come twice a day.\nThe moon pulls the sea, and the sea follows.\nSailors know this."
BODY_B = "Bread needs time. Flour, water, salt and patience make a loaf."
A = Document(id="tides", source="notes/tides.txt", title="On Tides", body=BODY_A)
B = Document(id="bread", source="notes/bread.md", title="Bread", body=BODY_B, url="https://example.org/bread")
DOCS = {d.id: d for d in (A, B)}


def documents(root=None) -> Documents:
    return Documents(DOCS.get, DOCS.values, root)


@pytest.fixture
def store(tmp_path) -> BookmarkStore:
    s = BookmarkStore(tmp_path / "one" / "bookmarks.sqlite")
    s.add_quote(A, "The moon pulls the sea", note="gravity\nsecond line", tags=["science", "sea"])
    s.add_quote(B, "patience make a loaf", tags=["kitchen"])
    s.add_quote(A, "Sailors know this.")
    return s


def test_json_follows_the_web_annotation_model(store):
    data = json.loads(export_json(store.list()))
    assert "http://www.w3.org/ns/anno.jsonld" in data["@context"]
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    items = data["first"]["items"]
    moon = next(i for i in items if i["target"]["selector"][0]["exact"] == "The moon pulls the sea")
    assert moon["type"] == "Annotation" and moon["id"].startswith("urn:")
    quote, position = moon["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "The moon pulls the sea",
                     "prefix": "Tides come twice a day.\n", "suffix": ", and the sea follows.\nSailors k"}
    assert position["type"] == "TextPositionSelector"
    assert BODY_A[position["start"]:position["end"]] == "The moon pulls the sea"
    assert {"type": "TextualBody", "purpose": "commenting", "format": "text/plain",
            "value": "gravity\nsecond line"} in moon["body"]
    assert [b["value"] for b in moon["body"] if b["purpose"] == "tagging"] == ["science", "sea"]


def test_round_trip_into_another_store_keeps_everything_and_reimport_adds_nothing(store, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(export_json(store.list()), encoding="utf-8")
    other = BookmarkStore(tmp_path / "two" / "bookmarks.sqlite")

    first = import_file(other, path)
    assert (first.added, first.present, first.skipped) == (3, 0, ())
    assert [m.as_json() for m in other.list()] == [m.as_json() for m in store.list()]
    [moved] = [m for m in other.reanchor(A) if m.quote.startswith("The moon")]
    assert (moved.status, BODY_A[moved.start:moved.end]) == ("anchored", "The moon pulls the sea")

    again = import_file(other, path)
    assert (again.added, again.present) == (0, 3)
    assert len(other.list()) == 3


def test_importing_restores_a_bookmark_deleted_since_the_export(store, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(export_json(store.list()), encoding="utf-8")
    victim = store.list()[0]
    store.delete(victim.id)
    report = import_file(store, path)
    assert (report.added, report.restored, report.present) == (0, 1, 2)
    assert victim.id in {m.id for m in store.list()}


def test_annotations_from_another_tool_import_once(tmp_path):
    foreign = [{
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://example.org/anno/17",
        "type": "Annotation",
        "bodyValue": "seen elsewhere",
        "target": {"source": "urn:dossier:doc:bread",
                   "selector": {"type": "TextQuoteSelector", "exact": "Flour, water, salt"}},
    }, {"type": "Annotation", "target": {"source": "urn:dossier:doc:bread"}}]
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    store = BookmarkStore(tmp_path / "bookmarks.sqlite")
    report = import_file(store, path, documents())
    assert report.added == 1 and len(report.skipped) == 1 and "TextQuoteSelector" in report.skipped[0]
    assert import_file(store, path, documents()).added == 0
    # Only its quote was given: placed at its one occurrence, with dossier's context around it.
    [mark] = store.reanchor(B)
    assert (mark.note, BODY_B[mark.start:mark.end], mark.status) == ("seen elsewhere", "Flour, water, salt", "anchored")
    assert (mark.prefix, mark.suffix) == ("Bread needs time. ", " and patience make a loaf.")


@pytest.mark.parametrize("source", [
    "notes/bread.md", "/corpus/notes/bread.md", "file:///corpus/notes/bread.md", "https://example.org/bread/",
])
def test_an_annotation_targeting_a_path_or_url_is_matched_to_its_document(tmp_path, source):
    foreign = {"id": "https://example.org/anno/" + source, "type": "Annotation", "bodyValue": "found",
               "target": {"source": source, "selector": [
                   {"type": "TextQuoteSelector", "exact": "water, salt", "prefix": "Flour, ", "suffix": " and"},
                   {"type": "TextPositionSelector", "start": 25, "end": 36}]}}
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    store = BookmarkStore(tmp_path / "bookmarks.sqlite")
    assert import_file(store, path, documents("/corpus")).added == 1
    assert import_file(store, path, documents("/corpus")).added == 0
    [mark] = store.list()
    assert (mark.doc_id, mark.source, mark.title) == ("bread", "notes/bread.md", "Bread")
    [placed] = store.reanchor(B)
    assert (BODY_B[placed.start:placed.end], placed.status) == ("water, salt", "anchored")


@pytest.mark.parametrize("content, message", [
    ("{not json", "not JSON"),
    ('{"type": "Something"}', "not W3C Web Annotation JSON"),
])
def test_an_unreadable_import_file_is_a_one_line_error_naming_it(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnnotationFileError, match=message) as info:
        import_file(BookmarkStore(tmp_path / "b.sqlite"), path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(AnnotationFileError, match="file not found"):
        import_file(BookmarkStore(tmp_path / "b.sqlite"), tmp_path / "missing.json")


def test_markdown_groups_by_document_with_blockquotes_and_a_way_back(store):
    text = export_markdown(store.list(), dates={"tides": "2024-03-01"})
    assert text.count("## On Tides") == 1 and text.count("## Bread") == 1
    tides = text[text.index("## On Tides"):]
    tides = tides[:tides.index("## Bread")] if "## Bread" in tides else tides
    assert "- Source: `notes/tides.txt`" in tides
    assert "- Date: 2024-03-01" in tides
    assert "`dossier show tides`" in tides
    assert "> The moon pulls the sea" in tides and "> Sailors know this." in tides
    assert "gravity\\\nsecond line" in tides and "#science, #sea" in tides


def test_markdown_special_characters_and_line_breaks_keep_the_structure(tmp_path):
    from markdown_it import MarkdownIt

    body = "# Not a heading\n\n> not a quote\n\n1. not a list *nor* `code` <b>html</b>\n\nplain end."
    doc = Document(id="odd", source="odd `name`.md", title="# A *title* | with [links](x)", body=body)
    store = BookmarkStore(tmp_path / "bookmarks.sqlite")
    mark = store.add(doc, 0, len(body) - len("\n\nplain end."),
              note="- a dash\n# hash\n\n    indented\n> quote\n2) two\n---\n```fence", tags=["a_b"])
    text = export_markdown(store.list(), corpus=tmp_path / "my corpus")
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(text)
    kinds = [t.type for t in tokens if t.nesting >= 0 and t.type != "inline"]
    assert kinds.count("blockquote_open") == 1 and kinds.count("heading_open") == 2  # title + document
    assert "fence" not in kinds and "code_block" not in kinds and "hr" not in kinds
    assert kinds.count("bullet_list_open") == 1 and "ordered_list_open" not in kinds  # the Source/Open list
    inline = [c for t in tokens if t.type == "inline" for c in t.children]
    assert not [c.type for c in inline if c.type in ("em_open", "strong_open", "code_inline_open", "link_open",
                                                       "html_inline", "s_open")]
    assert [c.content for c in inline if c.type == "code_inline"] == [
        "odd `name`.md", f"dossier --corpus '{tmp_path / 'my corpus'}' show odd", mark.id]
    assert "A *title* | with [links](x)" in MarkdownIt("commonmark").render(text).replace("&quot;", '"')
    assert "- a dash<br />\n# hash" in MarkdownIt("commonmark").render(text)  # line breaks kept


def test_markdown_names_no_corpus_for_the_default_one(store):
    assert "`dossier show tides`" in export_markdown(store.list())
