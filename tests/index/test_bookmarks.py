"""The bookmark store: adding, editing, deleting with undo, and finding passages again after the
documents change (re-anchoring). Real SQLite files in tmp_path, real Document records."""

from __future__ import annotations

import pytest

from index.anchoring import anchor, find_quote, select
from index.bookmarks import (
    BookmarkError, BookmarkStore, QuoteNotFound, UnknownBookmark, clean_tags, store_path,
)
from index.config import Config
from index.models import Document

PARAGRAPH = (
    "The harbour was quiet that morning. Fishing boats had gone out before dawn, and only the "
    "gulls stayed behind. Mara walked along the pier counting the empty moorings, as she did every "
    "day since the storm. The lighthouse keeper waved from his window."
)
BODY = PARAGRAPH + "\n\n" + (
    "In the afternoon the wind turned. Clouds came in low from the west and the first boats "
    "returned early, nets half full. Nobody said much at the market."
)
QUOTE = "Mara walked along the pier counting the empty moorings"


def doc(body: str = BODY, doc_id: str = "harbour", title: str = "The Harbour") -> Document:
    return Document(id=doc_id, source="stories/harbour.txt", title=title, body=body)


@pytest.fixture
def store(tmp_path) -> BookmarkStore:
    s = BookmarkStore(tmp_path / "data" / "bookmarks.sqlite")
    assert s.error is None
    return s


# -- adding, editing, deleting ---------------------------------------------------------------
def test_add_keeps_quote_context_offsets_and_survives_reopening(store, tmp_path):
    start = BODY.index(QUOTE)
    mark = store.add(doc(), start, start + len(QUOTE), note="  why she walks ", tags=["sea, grief", "Sea"])
    assert (mark.quote, mark.start, mark.end, mark.status) == (QUOTE, start, start + len(QUOTE), "anchored")
    assert BODY[:start].endswith(mark.prefix) and mark.prefix
    assert BODY[start + len(QUOTE):].startswith(mark.suffix) and mark.suffix
    assert mark.note == "why she walks" and mark.tags == ("sea", "grief")

    again = BookmarkStore(tmp_path / "data" / "bookmarks.sqlite").list()
    assert [m.as_json() for m in again] == [mark.as_json()]


def test_add_quote_finds_the_passage_even_with_other_whitespace(store):
    mark = store.add_quote(doc(), "Mara walked   along the\npier")
    assert BODY[mark.start:mark.end] == "Mara walked along the pier"


def test_add_quote_that_is_not_in_the_document_is_a_clear_error(store):
    with pytest.raises(QuoteNotFound, match="does not occur in 'The Harbour'"):
        store.add_quote(doc(), "a sentence nobody wrote")
    with pytest.raises(BookmarkError):
        store.add(doc(), 10, 10)
    assert store.list() == []


def test_list_is_newest_first_and_filters_by_tag_and_text(store):
    a = store.add_quote(doc(), "The harbour was quiet", tags=["Morning"])
    b = store.add_quote(doc(), "the wind turned", note="weather", tags=["storm"])
    assert [m.id for m in store.list()] == [b.id, a.id]
    assert [m.id for m in store.list(tag="morning")] == [a.id]
    assert [m.id for m in store.list(text="WEATHER")] == [b.id]
    assert [m.id for m in store.list(text="harbour quiet")] == [a.id]
    assert [m.id for m in store.list(limit=1)] == [b.id]  # the newest
    assert [m.id for m in store.list(tag="morning", limit=5)] == [a.id]


def test_edit_changes_only_what_is_given(store):
    mark = store.add_quote(doc(), QUOTE, note="first", tags=["a"])
    store.edit(mark.id, tags=["b", "c"])
    edited = store.edit(mark.id[:6], note="second")
    assert (edited.note, edited.tags) == ("second", ("b", "c"))
    assert edited.updated >= mark.updated and edited.created == mark.created


def test_delete_then_restore_brings_the_bookmark_back_unchanged(store):
    mark = store.add_quote(doc(), QUOTE, note="keep me")
    store.delete(mark.id)
    assert store.list() == [] and store.count() == 0
    with pytest.raises(UnknownBookmark):
        store.edit(mark.id, note="x")
    store.restore(mark.id)
    assert [m.as_json() for m in store.list()] == [mark.as_json()]


def test_unknown_and_ambiguous_ids_are_clear_errors(store):
    with pytest.raises(UnknownBookmark, match="no bookmark with id 'ffffffff'"):
        store.delete("ffffffff")
    with pytest.raises(UnknownBookmark, match="too short"):
        store.get("ab")


def test_tags_are_cleaned_as_a_user_means_them():
    assert clean_tags(["a, b", " #c ", "A", "", "two  words"]) == ("a", "b", "c", "two words")


def test_the_store_lives_in_the_per_user_data_directory_of_the_corpus(tmp_path, user_dirs):
    path = store_path(Config(corpus=tmp_path))
    assert path.name == "bookmarks.sqlite"
    assert str(path).startswith(str(user_dirs))
    assert str(tmp_path) not in str(path.parent)


# -- re-anchoring ----------------------------------------------------------------------------
def placed(store: BookmarkStore, body: str):
    [mark] = store.reanchor(doc(body))
    return mark


def test_unchanged_document_keeps_the_bookmark_anchored(store):
    mark = store.add_quote(doc(), QUOTE)
    assert (placed(store, BODY).status, placed(store, BODY).start) == ("anchored", mark.start)


def test_text_inserted_before_moves_the_bookmark_with_its_passage(store):
    store.add_quote(doc(), QUOTE)
    body = "A new first paragraph, added by the editor.\n\n" + BODY
    mark = placed(store, body)
    assert mark.status == "moved"
    assert body[mark.start:mark.end] == QUOTE
    # ...and the new place is remembered: a later look finds it without searching.
    assert BookmarkStore(store.path).list()[0].start == mark.start


def test_slightly_edited_passage_is_found_with_its_new_wording(store):
    store.add_quote(doc(), QUOTE)
    body = BODY.replace("counting the empty moorings", "counting the emptied moorings")
    mark = placed(store, body)
    assert mark.status == "moved"
    assert body[mark.start:mark.end] == "Mara walked along the pier counting the emptied moorings"
    assert mark.quote == QUOTE  # what was saved is never rewritten


def test_deleted_passage_orphans_the_bookmark_but_keeps_it(store):
    store.add_quote(doc(), QUOTE, note="still mine")
    body = BODY.replace("Mara walked along the pier counting the empty moorings, as she did every day "
                        "since the storm. ", "")
    mark = placed(store, body)
    assert mark.status == "orphaned"
    assert (mark.quote, mark.note) == (QUOTE, "still mine")
    assert [m.status for m in BookmarkStore(store.path).list()] == ["orphaned"]


def test_a_place_cached_by_older_anchoring_rules_is_looked_for_again(store):
    import sqlite3

    from index.anchoring import text_hash

    mark = store.add_quote(doc(), QUOTE)
    body = BODY.replace(QUOTE, "Somebody else went elsewhere")
    # As an older dossier left it: attached to other text, cached as placed in this very body.
    con = sqlite3.connect(store.path)
    with con:
        con.execute("UPDATE bookmarks SET cur_start = 0, cur_end = 20, status = 'moved', cur_hash = ? WHERE id = ?",
                    (text_hash(body), mark.id))
    con.close()
    assert (placed(store, body).status, placed(store, BODY).status) == ("orphaned", "anchored")


def test_a_document_that_is_gone_orphans_its_bookmarks(store):
    store.add_quote(doc(), QUOTE)
    [mark] = store.refresh(lambda doc_id: None)
    assert mark.status == "orphaned" and mark.quote == QUOTE
    [mark] = store.refresh(lambda doc_id: doc())  # it comes back
    assert mark.status == "anchored"


def test_a_repeated_quote_follows_its_own_context():
    body = "Chapter one. Read more about boats here.\nChapter two. Read more about gulls here."
    start = body.index("Read more", 20)
    sel = select(body, start, start + len("Read more"))
    changed = "Preface.\nChapter two. Read more about gulls here.\nChapter one. Read more about boats here."
    found = anchor(changed, sel)
    assert changed[found.start - 13:found.end] == "Chapter two. Read more"


@pytest.mark.parametrize("body", [
    "Completely different text about mountains and snow, nothing of the harbour at all. " * 5,
    "",
    BODY.replace(QUOTE, "Somebody else went elsewhere"),
])
def test_a_passage_that_is_gone_is_never_attached_to_other_text(body):
    start = BODY.index(QUOTE)
    assert anchor(body, select(BODY, start, start + len(QUOTE))).status == "orphaned"


def test_find_quote_lists_every_occurrence():
    assert find_quote("a b a b", "a  b") == [(0, 3), (4, 7)]
    assert find_quote("text", "   ") == []


@pytest.mark.parametrize("edit, expected", [
    (lambda b: b.replace("every day since", "every single day since"),
     "as she did every single day since the storm"),
    (lambda b: b.replace("as she did", "as she always did"), "as she always did every day since the storm"),
    (lambda b: b.replace("the storm", "the storm, the storm"), "as she did every day since the storm"),
])
def test_fuzzy_matches_cover_exactly_the_edited_passage(edit, expected):
    quote = "as she did every day since the storm"
    start = BODY.index(quote)
    body = edit(BODY)
    found = anchor(body, select(BODY, start, start + len(quote)))
    assert found.status in ("moved", "anchored")
    assert body[found.start:found.end] == expected
