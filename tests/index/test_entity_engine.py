"""The entity engine as the index keeps it: incremental syncs, corrections, config, the CLI, worker
processes and the cached word knowledge (what is extracted is in test_entities.py)."""

from __future__ import annotations

import json

import pytest

from index.entities import EntityIndex, UnknownEntity
from index.errors import ConfigError
from tests.index.conftest import doc, make_library, names
from tui.cli import main


def test_incremental_sync_recomputes_cross_document_merges(engine):
    engine.sync([doc("a", "Tariffs worried everyone when Trump spoke at length.")], [])
    assert "Donald Trump" not in names(engine)
    engine.sync([doc("b", "President Donald Trump arrived in Washington on time.")], [])
    assert engine.doc_ids("Donald Trump") == {"a", "b"}
    engine.sync([], ["b"])
    assert engine.doc_ids("Trump") == {"a"}
    engine.sync([doc("a", "Nothing about anyone here at all.")], [])
    assert engine.doc_ids("Trump") == set()


def _table(engine: EntityIndex) -> list[tuple]:
    return sorted((e.name, e.type, e.aliases, e.count, e.documents) for e in engine.entities())


def test_a_small_sync_gives_the_table_a_full_rebuild_gives(seeds_library, tmp_path):
    """Only the entities a small sync touches are resolved again: the table must still be the one a
    full rebuild of the same documents gives (names, types, aliases, counts, documents, mentions)."""
    from dataclasses import replace

    seeds = list(seeds_library.store.iter_documents())
    extra = [
        doc("x1", "Analyst Tilly Zhang spoke first. Zhang said the South China Morning Post (SCMP) was right. "
                  "The Post agreed. Gitee AI and Gittee both said so; Liang Wenfeng nodded, and Liang left."),
        doc("x2", "Huanfang aims to spin off DeepSeek. DeepSeek and its parent, High-Flyer Quant, are in Hangzhou."),
    ]
    engine = EntityIndex(tmp_path / "inc", tmp_path / "data", {})
    engine.sync(seeds[:-1] + extra[:1], [])
    current = {d.id: d for d in seeds[:-1] + extra[:1]}

    def check(step: str) -> None:
        full = EntityIndex(tmp_path / f"full-{step}", tmp_path / "data", {})
        full.sync(sorted(current.values(), key=lambda d: d.id), [])
        assert _table(engine) == _table(full), step
        for d in current:
            assert engine.mentions_in(d) == full.mentions_in(d), (step, d)
        for name in ("Liang", "Zhang", "Post", "SCMP", "Huanfang", "DeepSeek"):
            assert engine.entity(name) == full.entity(name), (step, name)

    for d in (seeds[-1], extra[1]):  # added
        engine.sync([d], [])
        current[d.id] = d
        check(f"add-{d.id}")
    changed = replace(current["x1"], body=current["x1"].body.replace("Tilly Zhang", "Zhang Weiwei") + " Gitee AI again.")
    engine.sync([changed], [])
    current["x1"] = changed
    check("change")
    engine.merge("Huanfang", "DeepSeek")
    check("merge")
    engine.sync([], ["x2", seeds[0].id])  # removed
    del current["x2"], current[seeds[0].id]
    check("remove")
    engine.undo()
    check("undo")


def test_a_sync_cut_short_before_resolving_is_made_good_by_the_next(tmp_path):
    """Documents stored but never resolved (the process died mid-sync): the next small sync must not
    trust the entity table it left, and resolve everything again."""
    engine = EntityIndex(tmp_path / "i", tmp_path / "d", {})
    engine.sync([doc("a", "Nvidia met Huawei in Shenzhen."), doc("b", "Tencent went to Beijing.")], [])
    with engine.db.write() as conn:  # what sync() does first
        conn.execute("DELETE FROM meta WHERE key='resolved_at'")
    engine._extract_all([doc("a", "Liang Wenfeng met Alibaba in Hangzhou.")])  # stored, then the process died
    engine.sync([doc("c", "Baidu spoke.")], [])
    full = EntityIndex(tmp_path / "f", tmp_path / "fd", {})
    full.sync([doc("a", "Liang Wenfeng met Alibaba in Hangzhou."), doc("b", "Tencent went to Beijing."),
               doc("c", "Baidu spoke.")], [])
    assert _table(engine) == _table(full)
    assert "Nvidia" not in {e.name for e in engine.entities()}


def test_mentions_by_alias_in_reading_order(engine):
    engine.sync([doc("b", "Then Liang left.\nLiang Wenfeng came back.", source="2.txt"),
                 doc("a", "We met Liang Wenfeng. Liang laughed.", source="1.txt")], [])
    ms = engine.mentions("Liang")
    assert [(m.doc_id, m.text) for m in ms] == [("a", "Liang Wenfeng"), ("a", "Liang"), ("b", "Liang"), ("b", "Liang Wenfeng")]
    assert all(m.name == "Liang Wenfeng" for m in ms)


def test_scoped_listings(engine):
    engine.sync([doc("a", "Apple met Nvidia in Paris."), doc("b", "Nvidia went to Berlin.")], [])
    assert {e.name for e in engine.entities(doc_id="b")} == {"Nvidia", "Berlin"}
    both = {e.name: e.count for e in engine.entities(doc_ids=["a", "b"])}
    assert both["Nvidia"] == 2
    assert {e.name for e in engine.entities(type="PLACE")} == {"Paris", "Berlin"}


# -- config -----------------------------------------------------------------------------------------

def test_config_adds_entities_and_stoplist(tmp_path):
    settings = {"add": [{"name": "High-Flyer", "type": "ORG", "aliases": ["Huanfang Quantitative", "幻方量化"]}],
                "stoplist": ["Nvidia"]}
    engine = EntityIndex(tmp_path / "i", tmp_path / "d", settings)
    engine.sync([doc("a", "Huanfang Quantitative backs the lab. High-Flyer said so. Nvidia sells chips.")], [])
    found = names(engine)
    assert "Nvidia" not in found
    assert set(found["High-Flyer"].aliases) == {"Huanfang Quantitative"}
    assert found["High-Flyer"].type == "ORG"


@pytest.mark.parametrize("settings, message", [
    ({"add": [{"name": "X", "type": "ALIEN"}]}, "type must be one of"),
    ({"add": "X"}, "entities.add must be a list"),
    ({"stoplist": [1]}, "entities.stoplist"),
    ({"colour": 1}, "unknown setting entities.colour"),
])
def test_bad_config_is_one_line(tmp_path, settings, message):
    with pytest.raises(ConfigError) as err:
        EntityIndex(tmp_path / "i", tmp_path / "d", settings)
    assert message in str(err.value) and "\n" not in str(err.value)


# -- corrections ------------------------------------------------------------------------------------

def test_corrections_apply_survive_rebuild_and_undo(tmp_path):
    docs = [doc("a", "Huanfang backs DeepSeek. The fund High-Flyer is rich. Macron spoke to Apple.")]
    engine = EntityIndex(tmp_path / "i", tmp_path / "d", {})
    engine.sync(docs, [])
    engine.merge("Huanfang", "High-Flyer")
    engine.retype("Macron", "PERSON")
    engine.hide("Apple")
    found = names(engine)
    assert "Huanfang" in found["High-Flyer"].aliases and "Huanfang" not in found
    assert found["Macron"].type == "PERSON"
    assert "Apple" not in found and engine.doc_ids("Apple") == set() and engine.mentions("Apple") == []
    assert "Apple" not in {m.name for m in engine.mentions_in("a")}
    assert [c.kind for c in engine.corrections()] == ["merge", "retype", "hide"]

    engine.clear()  # a full rebuild: the index is new, corrections come from the data dir
    fresh = EntityIndex(tmp_path / "i", tmp_path / "d", {})
    fresh.sync(docs, [])
    assert "Huanfang" in names(fresh)["High-Flyer"].aliases
    assert fresh.undo() == "hide Apple"
    assert "Apple" in names(fresh)
    fresh.unmerge("High-Flyer", "Huanfang")
    assert "Huanfang" in names(fresh)
    with pytest.raises(UnknownEntity):
        fresh.merge("Nobody", "High-Flyer")


# -- CLI and search ---------------------------------------------------------------------------------

def test_cli_json_shapes_and_entity_filter(corpus, tmp_path, capsys):
    (corpus / "one.txt").write_text("A profile\n\nLiang Wenfeng founded DeepSeek in Hangzhou.\nLiang is quiet.\n", encoding="utf-8")
    (corpus / "two.txt").write_text("Chips\n\nNvidia sells chips to many buyers in Texas.\n", encoding="utf-8")
    library = make_library(corpus, tmp_path)
    library.update()
    argv = ["--corpus", str(corpus)]
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: {corpus}\nindex_dir: {tmp_path / 'index'}\ndata_dir: {tmp_path / 'data'}\n")
    argv = ["--config", str(config)]
    assert main([*argv, "entities", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    liang = next(e for e in data if e["name"] == "Liang Wenfeng")
    assert liang == {"name": "Liang Wenfeng", "type": "PERSON", "aliases": ["Liang"], "mentions": 2,
                     "documents": [{"id": liang["documents"][0]["id"], "path": "one.txt", "title": liang["documents"][0]["title"], "count": 2}]}
    assert main([*argv, "mentions", "Liang", "--json"]) == 0
    ms = json.loads(capsys.readouterr().out)["mentions"]
    assert [m["text"] for m in ms] == ["Liang Wenfeng", "Liang"] and "**Liang**" in ms[1]["context"]
    assert main([*argv, "entities", "hide", "Nvidia"]) == 0
    assert main([*argv, "entities", "corrections", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[0]["kind"] == "hide"
    assert main([*argv, "entities", "merge", "Nobody", "Liang"]) == 1
    assert "no entity named 'Nobody'" in capsys.readouterr().err
    result = library.search('entity:"Liang Wenfeng"')
    assert [h.source for h in result.hits] == ["one.txt"]


def test_large_syncs_extract_in_worker_processes_with_the_same_result(tmp_path, monkeypatch):
    import index.entity_indexing as indexing_module

    docs = [doc(f"d{n}", f"Liang Wenfeng met Tencent in Hangzhou on day {n}. Liang left.") for n in range(6)]
    serial = EntityIndex(tmp_path / "s", tmp_path / "sd", {})
    serial.sync(docs, [])
    monkeypatch.setattr(indexing_module, "PARALLEL_FROM", 2)
    parallel = EntityIndex(tmp_path / "p", tmp_path / "pd", {})
    parallel.sync(docs, [])
    assert names(parallel) == names(serial)
    assert parallel.mentions("Liang") == serial.mentions("Liang")


def test_a_few_huge_documents_are_extracted_in_worker_processes_a_few_at_a_time(tmp_path, monkeypatch):
    """The parts of one 50 MB file are few documents but most of a minute of extraction each:
    the pool takes them by size, not only by count."""
    import index.entity_indexing as indexing_module

    docs = [doc(f"d{n}", f"Liang Wenfeng met Tencent in Hangzhou on day {n}. Liang left. " * 3) for n in range(4)]
    serial = EntityIndex(tmp_path / "s", tmp_path / "sd", {})
    serial.sync(docs, [])
    size = len(docs[0].body)
    monkeypatch.setattr(indexing_module, "PARALLEL_CHARS", 3 * size)
    monkeypatch.setattr(indexing_module, "CHUNK_CHARS", 2 * size)
    given = []
    store = indexing_module.Indexing._store

    def recording_store(self, chunk, prepared=None, fresh=False):
        given.append((len(chunk), prepared is not None))
        return store(self, chunk, prepared, fresh)

    monkeypatch.setattr(indexing_module.Indexing, "_store", recording_store)
    parallel = EntityIndex(tmp_path / "p", tmp_path / "pd", {})
    parallel.sync(docs, [])
    assert given == [(2, True), (2, True)]  # extracted in the pool, two documents' worth at a time
    assert names(parallel) == names(serial)
    assert parallel.mentions("Liang") == serial.mentions("Liang")


def test_changed_settings_re_extract_what_is_stored(tmp_path):
    EntityIndex(tmp_path / "i", tmp_path / "d", {}).sync([doc("a", "Nvidia sold chips to Huawei in May.")], [])
    again = EntityIndex(tmp_path / "i", tmp_path / "d", {"stoplist": ["Nvidia"]})
    assert set(names(again)) == {"Huawei"}


def test_an_index_without_entities_fills_itself_from_the_document_store(corpus, tmp_path):
    (corpus / "one.txt").write_text("A note\n\nHuawei met Tencent in Shenzhen.\n", encoding="utf-8")
    library = make_library(corpus, tmp_path)
    library.update()
    for f in library.index_path.glob("entities.sqlite*"):
        f.unlink()
    fresh = make_library(corpus, tmp_path)
    assert {"Huawei", "Tencent", "Shenzhen"} <= set(names(fresh.entities))


def test_queries_from_worker_threads_while_syncing(engine):
    import threading

    docs = [doc(f"d{n}", f"Liang Wenfeng met Tencent in Hangzhou, item {n}. Liang left.") for n in range(20)]
    engine.sync(docs[:5], [])
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                engine.entities()
                engine.mentions_in("d1")
                engine.doc_ids("Liang")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for n in range(5, 20, 5):
        engine.sync(docs[n:n + 5], [])
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert engine.doc_ids("Liang") == {d.id for d in docs}


def test_word_knowledge_cached_on_disk_is_the_same_as_from_the_packages():
    from pathlib import Path

    import platformdirs

    import index.entity_lexicon as lex
    import index.entity_packages as packages

    names = ("places", "country_aliases", "demonyms", "given_names", "pinyin_syllables")

    def fresh() -> dict:
        packages.knowledge.cache_clear()
        for name in names:
            getattr(lex, name).cache_clear()
        return {name: getattr(lex, name)() for name in names}

    computed = fresh()  # this test's cache directory is empty: from the packages, then written
    assert (Path(platformdirs.user_cache_dir("dossier")) / "entity-lexicon.json").is_file()
    assert fresh() == computed  # read back from the file
    assert "hangzhou" in computed["places"] and computed["country_aliases"]["prc"] == "china"
    assert computed["given_names"] == packages._compute_given_names()


def test_cached_word_frequencies_decide_as_wordfreq_does():
    from wordfreq import zipf_frequency

    import index.entity_lexicon as lex

    words = ["the", "however", "many", "company", "model", "shares", "tilly", "liang", "hangzhou",
             "deepseek", "nvidia", "renewable", "composure", "gittee", "high-flyer", "it’s", "co-founder"]
    for word in words:
        for threshold in (2.5, 3.0, 3.5, 4.0, 5.0, 5.5):
            assert (lex.zipf(word) >= threshold) == (zipf_frequency(word, "en") >= threshold), (word, threshold)
