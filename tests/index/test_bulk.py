"""Full builds of large corpora (two indexing processes) find what a one-process build finds."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.store as store
from index.analysis import make_schema
from index.paths import SEEDS

from .conftest import make_library

QUERIES = ["sanction", "innovating", '"open source"', "deep*", "deepseek~", "深度求索", "title:chips",
           "nvidia AND NOT china", "chips OR export", "author:smith", "date:[2024 TO 2025]"]


@pytest.fixture(autouse=True)
def small_bulk(monkeypatch):
    """Builds of more than 30 files take the two-process path: the same code as at 200, in a
    fifth of the time (each file here is a seed, extracted for entities too)."""
    monkeypatch.setattr(store, "BULK", 30)


def large_corpus(root: Path) -> Path:
    """More files than one process indexes (store.BULK), from the seeds, plus files to skip."""
    corpus = root / "corpus"
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file())
    for n in range(store.BULK + 40):
        seed = seeds[n % len(seeds)]
        target = corpus / f"part-{n // 100}" / f"{n:03d}-{seed.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(seed.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    return corpus


def results(library) -> list:
    out = []
    for q in QUERIES:
        r = library.search(q, limit=10)
        out.append((q, r.total, [(h.id, round(h.score, 6), h.matches) for h in r.hits]))
    return out


def test_two_process_build_finds_what_one_process_finds(tmp_path, monkeypatch):
    corpus = large_corpus(tmp_path)
    parallel = make_library(corpus, tmp_path / "two")
    report = parallel.update(rebuild=True)
    assert report.documents > store.BULK
    assert dict(report.skipped).keys() == {"empty.txt", "bin.txt"}
    assert parallel.store.health() == ""

    monkeypatch.setattr(store, "BULK", 10**9)
    single = make_library(corpus, tmp_path / "one")
    single_report = single.update(rebuild=True)
    assert (report.added, report.documents, report.skipped) == (
        single_report.added, single_report.documents, single_report.skipped)
    assert results(parallel) == results(single)
    assert all(total for _, total, _ in results(parallel)[:6])
    assert parallel.browse() == single.browse()
    assert not parallel.is_stale()


def test_cancelled_two_process_build_leaves_the_previous_index(tmp_path):
    corpus = large_corpus(tmp_path)
    library = make_library(corpus, tmp_path / "home")
    library.update()
    before = results(library)
    seen = []
    with pytest.raises(store.Cancelled):
        library.update(rebuild=True, progress=seen.append, cancelled=lambda: bool(seen))
    assert results(library) == before
    assert library.store.health() == ""


def test_word_table_indexes_the_terms_the_analyzer_gives():
    schema = make_schema()
    texts = ["杭州深度求索人工智能基础技术研究有限公司Hangzhou U.S. 2.0 Café naïve ÉCOLE x.y.z",
             "Innovating innovations, sanctioned sanctions: the U.S. said 浙江宣传 again and again.",
             "", "a", "İstanbul Straße ﬁnance 한국어 テスト"]
    for name in ("title", "body", "body_exact", "author"):
        fieldobj = schema[name]
        for text in texts:
            assert sorted(fieldobj.index(text)) == sorted(type(fieldobj).__mro__[1].index(fieldobj, text))


def test_after_a_reindex_old_text_is_gone_from_every_kind_of_query(tmp_path):
    corpus = large_corpus(tmp_path)
    library = make_library(corpus, tmp_path / "home")
    library.update(rebuild=True)
    changed = sorted(corpus.rglob("*.txt"))[:30]
    for path in changed:  # the large segments now hold deleted documents
        path.write_text("Replaced\nNothing of the old text is left in this file.\n", encoding="utf-8")
    library.update()
    fresh = make_library(corpus, tmp_path / "fresh")
    fresh.update(rebuild=True)
    for q in QUERIES + ['"nothing of the old"', "replac*"]:
        now, expected = library.search(q, limit=1000), fresh.search(q, limit=1000)
        assert (now.total, {h.id for h in now.hits}) == (expected.total, {h.id for h in expected.hits}), q


def test_two_process_build_with_small_segments_and_moved_files(tmp_path, monkeypatch):
    from index import fastwriter

    monkeypatch.setattr(store, "BULK", 10)  # 50 files, still the two-process path: three builds here
    corpus = large_corpus(tmp_path)
    library = make_library(corpus, tmp_path / "home")
    library.update()
    fresh_results = {q: (r.total, sorted((h.id, round(h.score, 6)) for h in r.hits))
                     for q in QUERIES for r in [library.search(q, limit=1000)]}
    moved = sorted(corpus.rglob("*.txt"))[3]
    ids = sorted(d.id for d in library.browse() if d.source == moved.relative_to(corpus).as_posix())
    moved.rename(corpus / "moved-here.txt")
    report = library.update()
    assert report.moved == len(ids) and not report.added and not report.removed
    monkeypatch.setattr(fastwriter, "SEGMENT_BUDGET", 2_000_000)  # several segments per worker
    rebuilt = library.update(rebuild=True)
    assert rebuilt.added == report.documents
    ix = library.store.open_index()
    assert len(ix._segments()) > 2
    ix.close()
    assert sorted(d.id for d in library.browse() if d.source == "moved-here.txt") == ids
    for q in QUERIES:  # every hit (in the top ten, copies of a seed tie: file order decides)
        now = library.search(q, limit=1000)
        hits = sorted((h.id, round(h.score, 6)) for h in now.hits)
        if q.endswith("*"):
            # Whoosh expands a prefix per segment and scores it as a plain term in a segment where
            # one word matches: its scores depend on how the index is cut, the hits do not.
            hits, before = [h[0] for h in hits], (fresh_results[q][0], [h[0] for h in fresh_results[q][1]])
            assert (now.total, hits) == before, q
        else:
            assert (now.total, hits) == fresh_results[q], q
