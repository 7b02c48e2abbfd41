"""`dossier bookmarks ...` run in-process through tui.cli.main on a small corpus in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.bookmarks import store_path
from index.config import Config
from tui.cli import main

from .test_bookmarks_anchoring import QUARTERLY

KEYS = {"id", "doc_id", "source", "title", "quote", "start", "end", "note", "tags", "status", "created", "updated"}
LIGHTHOUSE = ("The Lighthouse\n\nThe keeper climbed the stairs at dusk. He lit the lamp and watched the ships pass.\n\n"
              "In winter the stairs were icy and the lamp smoked.\n")
MILL = "The Mill\n\nThe wheel turned all summer. Grain came in carts from the valley farms.\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (root / "mill.txt").write_text(MILL, encoding="utf-8")
    return root


def run(capsys, corpus: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--corpus", str(corpus), *args])
    out, err = capsys.readouterr()
    return code, out, err


def doc_id(capsys, corpus: Path, word: str) -> str:
    code, out, _ = run(capsys, corpus, "search", word, "--json")
    assert code == 0
    return json.loads(out)["hits"][0]["id"]


def listed(capsys, corpus: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, corpus, "bookmarks", "list", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_add_list_rm_restore(capsys, corpus):
    light = doc_id(capsys, corpus, "keeper")
    code, out, _ = run(capsys, corpus, "bookmarks", "add", light, "--quote", "He lit the lamp",
                       "--note", "ritual", "--tag", "light", "--tag", "dusk,evening")
    assert code == 0 and "bookmarked" in out
    [item] = listed(capsys, corpus)
    assert set(item) == KEYS
    assert (item["doc_id"], item["source"], item["title"]) == (light, "lighthouse.txt", "The Lighthouse")
    assert (item["quote"], item["note"], item["tags"], item["status"]) == (
        "He lit the lamp", "ritual", ["light", "dusk", "evening"], "anchored")
    assert isinstance(item["start"], int) and item["end"] - item["start"] == len("He lit the lamp")
    assert listed(capsys, corpus, "--tag", "DUSK") == [item]
    assert listed(capsys, corpus, "--tag", "nope") == []

    code, out, _ = run(capsys, corpus, "bookmarks", "rm", item["id"][:6])
    assert code == 0 and f"dossier bookmarks restore {item['id']}" in out
    assert listed(capsys, corpus) == []
    assert run(capsys, corpus, "bookmarks", "restore", item["id"])[0] == 0
    assert listed(capsys, corpus) == [item]


def test_editing_the_file_moves_or_orphans_bookmarks_in_the_listing(capsys, corpus):
    light = doc_id(capsys, corpus, "keeper")
    mill = doc_id(capsys, corpus, "wheel")
    run(capsys, corpus, "bookmarks", "add", light, "--quote", "the stairs were icy")
    run(capsys, corpus, "bookmarks", "add", mill, "--quote", "Grain came in carts")
    (corpus / "lighthouse.txt").write_text(LIGHTHOUSE.replace("\n\nThe keeper", "\n\nA foreword.\n\nThe keeper"),
                                           encoding="utf-8")
    (corpus / "mill.txt").unlink()
    by_quote = {i["quote"]: i for i in listed(capsys, corpus)}
    assert by_quote["the stairs were icy"]["status"] == "moved"
    assert by_quote["Grain came in carts"]["status"] == "orphaned"
    code, out, _ = run(capsys, corpus, "show", light, "--json")
    body = json.loads(out)["body"]
    icy = by_quote["the stairs were icy"]
    assert body[icy["start"]:icy["end"]] == "the stairs were icy"


@pytest.mark.parametrize("args, message", [
    (["add", "{light}", "--quote", "a sentence nobody wrote"], "does not occur"),
    (["add", "no-such-doc", "--quote", "lamp"], "no-such-doc"),
    (["rm", "ffffffffffff"], "no bookmark with id"),
    (["import", "{missing}"], "file not found"),
])
def test_user_errors_are_one_line_and_exit_non_zero(capsys, corpus, tmp_path, args, message):
    light = doc_id(capsys, corpus, "keeper")
    args = [a.format(light=light, missing=tmp_path / "missing.json") for a in args]
    code, out, err = run(capsys, corpus, "bookmarks", *args)
    assert code == 1
    assert message in " ".join(err.split()) and "Traceback" not in err
    assert err.startswith("dossier: ")


def test_export_to_files_and_import_twice_adds_no_duplicates(capsys, corpus, tmp_path):
    light = doc_id(capsys, corpus, "keeper")
    run(capsys, corpus, "bookmarks", "add", light, "--quote", "He lit the lamp", "--tag", "light")
    md, js = tmp_path / "b.md", tmp_path / "b.json"
    assert run(capsys, corpus, "bookmarks", "export", "-o", str(md))[0] == 0
    assert run(capsys, corpus, "bookmarks", "export", "--format", "json", "-o", str(js))[0] == 0
    assert "> He lit the lamp" in md.read_text() and f"dossier --corpus {corpus.resolve()} show {light}" in md.read_text()
    assert json.loads(js.read_text())["total"] == 1

    other = tmp_path / "other-corpus"  # same documents, another user's empty bookmark store
    other.mkdir()
    for f in corpus.iterdir():
        (other / f.name).write_bytes(f.read_bytes())
    for _ in range(2):
        code, out, _ = run(capsys, other, "bookmarks", "import", str(js))
        assert code == 0
    assert "0 added, 1 already present" in out
    assert [i["quote"] for i in listed(capsys, other)] == ["He lit the lamp"]


def test_a_damaged_database_makes_commands_fail_with_one_line_and_is_not_touched(capsys, corpus):
    path = store_path(Config(corpus=corpus.resolve()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage, not SQLite" * 100)
    before = path.read_bytes()
    light = doc_id(capsys, corpus, "keeper")
    for args in (["list"], ["list", "--json"], ["add", light, "--quote", "He lit the lamp"]):
        code, out, err = run(capsys, corpus, "bookmarks", *args)
        assert code == 1
        lines = [ln for ln in err.splitlines() if ln.startswith("dossier: ")]
        assert len(lines) == 1 and str(path.name) in err and "read-only" in " ".join(err.split())
    assert path.read_bytes() == before


def test_a_bookmark_whose_sentence_is_deleted_is_orphaned_not_moved_to_a_look_alike(capsys, corpus):
    first = "Revenue rose 5 percent in the first quarter of 2024, driven by strong widget sales in Europe."
    (corpus / "q.txt").write_text(QUARTERLY, encoding="utf-8")
    quarterly = doc_id(capsys, corpus, "revenue")
    assert run(capsys, corpus, "bookmarks", "add", quarterly, "--quote", first)[0] == 0
    (corpus / "q.txt").write_text(QUARTERLY.replace(first + "\n\n", ""), encoding="utf-8")
    [item] = listed(capsys, corpus)
    assert (item["status"], item["quote"]) == ("orphaned", first)


def test_a_damaged_database_still_lists_and_exports_what_can_be_read(capsys, corpus):
    from .test_bookmarks_safety import damaged_pages

    path = store_path(Config(corpus=corpus.resolve()))
    path.parent.mkdir(parents=True, exist_ok=True)
    damaged_pages(path)  # 300 bookmarks, pages 4-9 of the file scribbled over
    before = path.read_bytes()
    doc_id(capsys, corpus, "keeper")  # index the corpus first: its progress line is not the point
    for args in (["list", "--json"], ["export", "--format", "json"]):
        code, out, err = run(capsys, corpus, "bookmarks", *args)
        items = json.loads(out)
        items = items if args[0] == "list" else items["first"]["items"]
        assert code == 1 and len(items) >= 200  # what can still be read, not nothing
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and str(path) in " ".join(err.split()) and "read-only" in err
    readable = json.loads(run(capsys, corpus, "bookmarks", "list", "--json")[1])[0]["id"]
    light = doc_id(capsys, corpus, "keeper")
    for args in (["add", light, "--quote", "He lit the lamp"], ["rm", readable], ["restore", readable]):
        code, out, err = run(capsys, corpus, "bookmarks", *args)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code != 0 and len(lines) == 1 and "read-only" in err and "Traceback" not in err, (args, err)
    assert path.read_bytes() == before


def test_markdown_export_jumps_back_with_the_corpus_it_came_from(capsys, corpus):
    light = doc_id(capsys, corpus, "keeper")
    assert run(capsys, corpus, "bookmarks", "add", light, "--quote", "He lit the lamp")[0] == 0
    code, out, _ = run(capsys, corpus, "bookmarks", "export", "--format", "md")
    assert code == 0 and f"`dossier --corpus {corpus.resolve()} show {light}`" in out
