"""Ranking: the quick evaluation ranks and counts exactly as Whoosh's own scored search does."""

from __future__ import annotations

import re
import shutil

import pytest

from index.paths import SEEDS
from index.ranking import _collected, top_hits
from index.search import parse

from .conftest import make_library

QUERIES = [
    "deepseek", "china", "the", "china AND chips", "liang wenfeng", "sanction",
    "nvidia OR huawei OR openai OR alibaba", "china NOT deepseek",
    '"open source"', '"the United States"', "deep*", "chipz~", "title:deepseek",
    "date:[2025-01-01 TO 2025-12-31]", "深度求索", "(china OR chips) AND model NOT nvidia",
    'ai "open source" export*',
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """The seeds indexed, then one changed and one added: two segments, one deleted document."""
    root = tmp_path_factory.mktemp("ranking")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    library = make_library(corpus, root)
    library.update()
    changed = sorted(corpus.glob("*.txt"))[-1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nChina and its chips, again.\n",
                       encoding="utf-8")
    (corpus / "extra.md").write_text("# Open source in China\nDeepSeek open source models and chips.\n",
                                     encoding="utf-8")
    library.update()
    return library


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 5, 100])
def test_top_hits_and_total_are_whoosh_s_own(library, text, limit):
    searcher = library._current_searcher()
    assert len(list(searcher.leaf_searchers())) > 1, "the fixture should make several segments"
    quick, _ = parse(library._parser, text)
    plain = library._parser.parse(text)
    assert top_hits(searcher, quick, limit) == _collected(searcher, plain, limit)


def test_a_filter_keeps_the_same_hits_in_the_same_order_and_counts_them(library):
    for text in ("china", "deepseek", '"open source"', ""):
        every = library.search(text, limit=1000)
        allowed = {hit.id for hit in every.hits[::2]}
        kept = library.search(text, limit=1000, ids=allowed)
        assert [(h.id, h.score) for h in kept.hits] == [(h.id, h.score) for h in every.hits if h.id in allowed]
        assert kept.total == len(allowed)


def test_not_alone_never_finds_the_replaced_copy_of_a_changed_document(library):
    """Whoosh's ``InverseMatcher`` yields a deleted document when it is the last of its segment and
    the excluded word's postings end just before it, so a bare ``NOT`` found the old copy of the
    changed seed; here a bare ``NOT`` finds exactly the live documents without the word."""
    assert (library.search("NOT china").total, library.search("NOT china").hits) == (0, ())
    docs = [library.document(summary.id) for summary in library.browse()]
    without = {d.id for d in docs if not re.search(r"\bdeepseek\b", f"{d.title}\n{d.body}", re.I)}
    result = library.search("NOT deepseek", limit=100)
    assert without and {hit.id for hit in result.hits} == without and result.total == len(without)
