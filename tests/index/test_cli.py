"""The scriptable face: `dossier index|search|show` output, JSON shapes and error exits."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.paths import SEEDS
from tui.cli import main


@pytest.fixture
def seeds(tmp_path) -> Path:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    return corpus


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def dossier(*args, cwd=None) -> subprocess.CompletedProcess:
    """The installed command in a real process, as a user runs it."""
    exe = shutil.which("dossier") or str(Path(sys.executable).parent / "dossier")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, env=os.environ, timeout=120)


def test_first_search_on_a_fresh_machine_just_works(capsys, seeds):
    code, out, err = run(capsys, "--corpus", str(seeds), "search", "深度求索", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 1
    assert data["hits"][0]["title"] == "Official provincial commentary on DeepSeek"


def test_search_json_shape(capsys, seeds):
    code, out, _ = run(capsys, "--corpus", str(seeds), "search", "nvidia", "--limit", "2", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"query", "total", "hits"}
    assert data["query"] == "nvidia" and data["total"] >= 2 and len(data["hits"]) == 2
    hit = data["hits"][0]
    assert set(hit) == {"id", "title", "source", "date", "score", "snippet", "matches"}
    assert "**" in hit["snippet"]
    _, shown, _ = run(capsys, "--corpus", str(seeds), "show", hit["id"], "--json")
    body = json.loads(shown)["body"]
    assert all(body[s:e].lower() == "nvidia" for s, e in hit["matches"])


def test_show_json_shape(capsys, seeds):
    _, out, _ = run(capsys, "--corpus", str(seeds), "search", "title:plaza", "--json")
    doc_id = json.loads(out)["hits"][0]["id"]
    code, out, _ = run(capsys, "--corpus", str(seeds), "show", doc_id, "--json")
    doc = json.loads(out)
    assert code == 0
    assert {"id", "title", "source", "date", "authors", "url", "body"} <= set(doc)
    assert doc["title"] == "Is China Likely to Accept a New Plaza Accord? Zero Probability"
    assert doc["url"].startswith("https://thechinaacademy.org/")
    assert doc["authors"] == [] and doc["date"] == "2025-01-25T18:00:00+00:00"


def test_human_search_and_show(capsys, seeds):
    code, out, _ = run(capsys, "--corpus", str(seeds), "search", "Wenfeng")
    assert code == 0 and "documents match" in out and "Liang" in out
    doc_id = out.split("[")[1].split("]")[0]
    code, out, _ = run(capsys, "--corpus", str(seeds), "show", doc_id)
    assert code == 0 and "Wenfeng" in out


def test_index_summary_counts(capsys, seeds):
    code, out, _ = run(capsys, "--corpus", str(seeds), "index")
    assert code == 0 and "14 added, 0 updated, 0 removed, 0 skipped" in out
    (seeds / "new.txt").write_text("New Doc\nFresh text.\n", encoding="utf-8")
    (seeds / "002_f4ea0c5f37071933.txt").unlink()
    code, out, _ = run(capsys, "--corpus", str(seeds), "index", "--json")
    data = json.loads(out)
    assert (data["added"], data["updated"], data["removed"], data["documents"]) == (1, 0, 1, 14)
    code, out, _ = run(capsys, "--corpus", str(seeds), "index", "--rebuild")
    assert "14 added" in out


def test_skipped_files_get_one_warning_line_each(capsys, seeds):
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "blob.txt").write_bytes(b"\x00\xff" * 100)
    code, out, err = run(capsys, "--corpus", str(seeds), "index")
    assert code == 0 and "2 skipped" in out
    lines = [line for line in err.splitlines() if "skipped" in line]
    assert len(lines) == 2
    assert any("empty.txt" in line and "empty file" in line for line in lines)
    assert any("blob.txt" in line and "binary" in line for line in lines)


def test_errors_are_one_line_and_exit_nonzero(tmp_path, seeds):
    unknown = dossier("--corpus", str(seeds), "show", "nosuchid")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines()[-1] == (
        "dossier: no document with id 'nosuchid' (ids are listed by `dossier search`)")
    missing = dossier("--corpus", str(tmp_path / "nowhere"), "search", "x")
    assert missing.returncode == 1 and "nowhere" in missing.stderr and "not found" in missing.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr


def test_broken_config_names_file_and_line(tmp_path):
    config = tmp_path / "settings.yaml"
    config.write_text("corpus: seeds\nsearch:\n  limit: [1, 2\n", encoding="utf-8")
    result = dossier("--config", str(config), "search", "x")
    assert result.returncode == 1
    assert result.stderr.startswith(f"dossier: {config}:4: the config file does not parse:")
    assert "config.yaml" not in result.stderr  # the file is named as it is
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [("search:\n  limit: -3\n", 2, "search.limit must be a positive whole number, got -3"),
     ("corpus: .\nsearch: {limit: lots}\n", 2, "search.limit must be a positive whole number, got 'lots'"),
     ("search:\n  snippet_chars: 0\n", 2, "search.snippet_chars must be"),
     ("search:\n  limt: 5\n", 2, "unknown setting search.limt"),
     ("\ncolour: red\n", 2, "unknown setting 'colour'"),
     ("- a\n- b\n", None, "must be a mapping"),
     ("keys: j\n", 1, "keys must map action ids"),
     ("keys:\n  main.quit: q\n  main.next-match: [j, 3]\n", 3, "keys.main.next-match must be a key"),
     ("corpus: 5\n", 1, "corpus must be a path"),
     ("search:\n  limit: 5\n  limit: 6\n", 3, "search.limit is set twice (first on line 2)"),
     ("search: {}\ncorpus: .\nsearch: {}\n", 3, "search is set twice (first on line 1)"),
     ("entities:\n  add:\n    - name: Foo\n      type: ORG\n    - name: Bar\n      type: THING\n", 6,
      "entities.add 'Bar': type must be one of"),
     ("entities:\n  add:\n    - type: ORG\n", 3, "entities.add item 1 needs a name"),
     ("entities:\n  stoplist: [a, 3]\n", 2, "entities.stoplist must be a list of words")],
)
def test_bad_config_values_name_file_and_line(capsys, tmp_path, text, line, message):
    """Every command checks the whole file (a bad entities section stops `search` too)."""
    config = tmp_path / "settings.yaml"
    config.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "search", "x")
    where = f"{config}:{line}" if line else f"{config}"
    assert code == 1 and err.startswith(f"dossier: {where}: ") and message in err, err
    assert err.count("\n") == 1


def test_config_errors_name_the_file_absolutely(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.yaml").write_text("colour: red\n", encoding="utf-8")
    _, _, err = run(capsys, "--config", "my.yaml", "search", "x")
    assert err.startswith(f"dossier: {tmp_path / 'my.yaml'}:1: unknown setting 'colour'")
    _, _, err = run(capsys, "--config", "missing.yaml", "search", "x")
    assert err.startswith(f"dossier: {tmp_path / 'missing.yaml'}: config file not found")


def test_an_unknown_key_action_stops_the_browser_before_it_draws(tmp_path, seeds):
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: {seeds}\nkeys:\n  next-match: j\n", encoding="utf-8")
    result = dossier("--config", str(config))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"dossier: {config.resolve()}: keys.next-match: no browser action has this id (did you mean main.next-match?)")


def test_config_yaml_in_the_working_directory_is_used(tmp_path, seeds):
    (tmp_path / "config.yaml").write_text(f"corpus: {seeds.name}\nsearch:\n  limit: 1\n", encoding="utf-8")
    result = dossier("search", "deepseek", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["hits"]) == 1


def test_document_text_is_not_read_as_markup_or_escapes(capsys, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "evil.txt").write_text("[bold red]Title[/] \x1b]0;pwned\x07\nBody \x1b[31mred\x1b[0m [link=x]y[/link]\n",
                                     encoding="utf-8")
    code, out, _ = run(capsys, "--corpus", str(corpus), "search", "body")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold red]Title[/]" in out and "[link=x]y[/link]" in out
    doc_id = out.split("  [")[1].split("]")[0]
    code, out, _ = run(capsys, "--corpus", str(corpus), "show", doc_id)
    assert "\x1b" not in out and "␛[31mred" in out and "[link=x]y[/link]" in out


LONG = ("A Long Title That Runs Well Past Eighty Columns So That A Terminal Would Have To Wrap It Somewhere\n"
        "The deal was worth US$19 million, a sum the long sentence around it carries on and on past the edge of any"
        " terminal, and on.\n\tAn indented line\n\nA last line with a [bold]markup-like[/bold] word.\n")


@pytest.fixture
def long_doc(tmp_path) -> Path:
    corpus = tmp_path / "long"
    corpus.mkdir()
    (corpus / "long.txt").write_text(LONG, encoding="utf-8")
    return corpus


def test_piped_output_is_whole_plain_lines(capsys, monkeypatch, long_doc):
    """Not a terminal (a pipe, a file): no wrapping at 80 columns, no trailing spaces, no colour codes."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = run(capsys, "--corpus", str(long_doc), "search", "million")
    lines = out.splitlines()
    doc_id = json.loads(run(capsys, "--corpus", str(long_doc), "search", "million", "--json")[1])["hits"][0]["id"]
    assert code == 0 and "\x1b" not in out
    assert f"  1. {LONG.splitlines()[0]}  [{doc_id}]" in lines  # title and id on one line
    assert all(line == line.rstrip() for line in lines)
    code, out, _ = run(capsys, "--corpus", str(long_doc), "show", doc_id)
    lines = out.splitlines()
    assert code == 0 and "\x1b" not in out and all(line == line.rstrip() for line in lines)
    body = json.loads(run(capsys, "--corpus", str(long_doc), "show", doc_id, "--json")[1])["body"]
    assert [line for line in body.splitlines() if line] == [line for line in lines[lines.index(""):] if line]
    assert sum("US$19 million" in line for line in lines) == 1
    assert "\tAn indented line" in lines and "A last line with a [bold]markup-like[/bold] word." in lines


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_keeps_the_rich_layout(monkeypatch, long_doc):
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("TERM", "xterm-256color")
    screen = _Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    assert main(["--corpus", str(long_doc), "show", main_id(long_doc)]) == 0
    out = screen.getvalue()
    assert "\x1b[" in out  # styled
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(len(line) for line in plain.splitlines()) <= 60  # wrapped to the terminal
    assert "[bold]markup-like[/bold]" in plain  # document text is never markup


def main_id(corpus: Path) -> str:
    stdout = sys.stdout
    sys.stdout = io.StringIO()
    try:
        main(["--corpus", str(corpus), "search", "", "--json"])
        return json.loads(sys.stdout.getvalue())["hits"][0]["id"]
    finally:
        sys.stdout = stdout


@pytest.mark.parametrize("args", [["search", "x", "--limit", "0"], ["search"], ["search", "x", "--bogus"],
                                  ["show"], ["--nope"]])
def test_usage_errors_are_one_line(capsys, args):
    with pytest.raises(SystemExit) as stop:
        main(args)
    _, err = capsys.readouterr()
    assert stop.value.code == 2 and err.count("\n") == 1 and err.startswith("dossier") and "usage:" not in err


@pytest.mark.parametrize("args", [["search", "-deepseek", "--json"], ["search", "--limit", "50", "-deepseek", "--json"],
                                  ["search", "--json", "-deepseek"], ["search", "--json", "--", "-deepseek"]])
def test_a_query_may_start_with_a_dash(capsys, seeds, args):
    """`-word` is NOT word, and the command line takes it as the query, not as an unknown option."""
    code, out, _ = run(capsys, "--corpus", str(seeds), *args)
    assert code == 0
    _, expected, _ = run(capsys, "--corpus", str(seeds), "search", "NOT deepseek", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [h["id"] for h in json.loads(expected)["hits"]]
    assert json.loads(out)["total"] == 8


def test_an_unreadable_date_says_so(capsys, seeds):
    code, out, err = run(capsys, "--corpus", str(seeds), "search", "date:[garbage TO 2025]", "--json")
    assert code == 0 and "query did not parse; searched its words" in err
    code, out, err = run(capsys, "--corpus", str(seeds), "search", "date:2025")
    assert code == 0 and out.startswith("11 documents match") and "did not parse" not in err


def test_moved_files_and_feeds_cut_short_are_reported(capsys, seeds):
    run(capsys, "--corpus", str(seeds), "index")
    (seeds / "002_f4ea0c5f37071933.txt").rename(seeds / "renamed.txt")
    (seeds / "cut.xml").write_text(
        "<rss><channel><title>C</title><item><title>Kept</title><link>https://x.example/k</link>"
        "<description>Kept text.</description></item><item><title>Lost", encoding="utf-8")
    code, out, err = run(capsys, "--corpus", str(seeds), "index")
    assert code == 0 and "1 added, 0 updated, 0 removed, 1 moved, 0 skipped" in out
    (line,) = [line for line in err.splitlines() if "cut.xml" in line]
    assert "feed cut short" in line and "the 1 complete item before it" in line
    (seeds / "renamed.txt").rename(seeds / "renamed-again.txt")
    code, out, _ = run(capsys, "--corpus", str(seeds), "index", "--json")
    data = json.loads(out)
    assert (data["added"], data["removed"], data["moved"], data["documents"]) == (0, 0, 1, 15)
