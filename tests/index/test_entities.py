"""Entity engine: extraction, alias merging, junk, spans, incremental sync, config, corrections, CLI."""

from __future__ import annotations

import json

import pytest

from index.entities import EntityIndex, UnknownEntity
from index.errors import ConfigError
from index.models import Document
from tests.index.conftest import make_library
from tui.cli import main


def doc(doc_id: str, body: str, source: str | None = None) -> Document:
    return Document(id=doc_id, source=source or f"{doc_id}.txt", title=doc_id, body=body)


@pytest.fixture
def engine(tmp_path) -> EntityIndex:
    return EntityIndex(tmp_path / "index", tmp_path / "data", {})


def names(engine: EntityIndex) -> dict[str, object]:
    return {e.name: e for e in engine.entities()}


# -- what is extracted ---------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected, kind", [
    ("The report quotes Liang Wenfeng, founder of the firm, at length.", "Liang Wenfeng", "PERSON"),
    ("Shares of Tencent Holdings rose while investors watched.", "Tencent Holdings", "ORG"),
    ("The startup is based in Hangzhou and hires widely.", "Hangzhou", "PLACE"),
    ("Users compared DeepSeek-R1 with other tools last week.", "DeepSeek-R1", "PRODUCT"),
    ("Many remembered the Opium War in class.", "Opium War", "EVENT"),
    ("Analysts at Deutsche Bank disagreed with the forecast.", "Deutsche Bank", "ORG"),
    # a common word, even a rank, before a head that only ends names: a name
    ("It is like comparing Tencent’s early days to General Electric or Coca-Cola.", "General Electric", "ORG"),
    ("Shares of General Motors fell.", "General Motors", "ORG"),
    ("General Dynamics builds submarines.", "General Dynamics", "ORG"),
    ("The General Assembly voted on it.", "General Assembly", "ORG"),
    ("Members of the Chinese Communist Party met.", "Chinese Communist Party", "ORG"),
    ("Engineers trained at MIT and Stanford joined.", "MIT", "ORG"),  # the institute, not a licence
    # the source lost the J of Jack; what he was says he is a person
    ("An Yong: ack Clark, former policy lead at OpenAI and co-founder of Anthropic, remarked on it.", "Clark", "PERSON"),
    # products by what the text says they are or do
    ("The software can run on low-end computers such as the Raspberry Pi (albeit slowly).", "Raspberry Pi", "PRODUCT"),
    ("The assistant, offered as a free app on Android and the web, spread fast.", "Android", "PRODUCT"),
    ("It had 22 million users, surpassing Doubao’s 17 million DAUs in the same period.", "Doubao", "PRODUCT"),
    ("Only a few companies such as Nvidia can provide it.", "Nvidia", "ORG"),
])
def test_extracts_typed_entities(engine, body, expected, kind):
    engine.sync([doc("a", body)], [])
    found = names(engine)
    assert expected in found
    assert found[expected].type == kind


@pytest.mark.parametrize("body, junk", [
    ("However, the market moved. Many experts were surprised.", {"However", "Many"}),
    ("Part II\nThe plan changed on Monday, January 28.", {"Part II", "Monday", "January"}),
    ("Editor’s Note:\nChinese firms use AI and GPUs every day.", {"Editor", "Note", "Chinese", "AI", "GPUs"}),
    ("Confidence and Composure\nThe essay goes on.", {"Confidence", "Composure", "Confidence and Composure"}),
    ("Transformer was born in Google’s AI Lab, and ChatGPT emerged from OpenAI.", {"AI Lab", "AI"}),
    ("We’ve grown accustomed to Moore’s Law “falling from the sky”. Scaling Law is treated similarly.",
     {"Moore’s Law", "Moore", "Scaling Law", "Scaling"}),
    ("It is open-source under an “MIT license”, so anyone can copy it.", {"MIT"}),
    ("Its office in downtown Hangzhou became the Mecca for tech journalists.", {"Mecca"}),
    ("Its piece “People First,” not \"Epidemic Control First” went viral.", {"Epidemic Control First", "People First"}),
])
def test_junk_stays_out(engine, body, junk):
    engine.sync([doc("a", body)], [])
    assert not junk & set(names(engine))


def test_headline_quoted_in_running_text_is_not_a_name(engine):
    body = ("The post From a Chinese Perspective, Politicians in Germany, South Korea, and France Are All "
            "Unqualified first appeared on China Academy.")
    engine.sync([doc("a", body)], [])
    assert set(names(engine)) == {"Germany", "South Korea", "France", "China Academy"}


@pytest.mark.parametrize("body, expected", [
    ("The game “Black Myth: Wukong” sold well.", "Black Myth: Wukong"),
    ("It matched OpenAI’s o1 model at once.", "o1"),
    ("He works at the advisory firm DGA–Albright Stonebridge Group now.", "DGA–Albright Stonebridge Group"),
    ("- Game Science: The studio behind the hit, based in Hangzhou.", "Game Science"),
    ("Tech firms like Meta’s Llama, X’s Grok and others compete.", "X"),
])
def test_names_of_unusual_shape(engine, body, expected):
    engine.sync([doc("a", body)], [])
    assert expected in names(engine)


_OUTLETS = ("Before joining SCMP, Wency contributed to KrASIA, Wired, Rest of World, World of Chinese, "
            "Tech in Asia, Vice China (BIE), Harper's Bazaar, etc. She attended Columbia Journalism School.")


@pytest.mark.parametrize("name, kind, aliases", [
    ("Tech in Asia", "ORG", ()),
    ("Harper's Bazaar", "ORG", ()),
    ("Vice China", "ORG", ("BIE",)),  # Vice opens a name here, not a title; BIE its own short name
    ("World of Chinese", "ORG", ()),
])
def test_items_of_a_list_of_names_are_whole_names(engine, name, kind, aliases):
    engine.sync([doc("a", _OUTLETS)], [])
    found = names(engine)
    assert (found[name].type, found[name].aliases) == (kind, aliases)
    assert not {"Tech", "Asia", "Harper", "Bazaar", "BIE"} & set(found)


@pytest.mark.parametrize("body, separate", [
    ("Rivals include Meta’s Llama, Google’s Gemini, X’s Grok, and others.", {"Google", "Gemini", "X", "Grok"}),
    ("Offices in Beijing, Shanghai, Tencent in Shenzhen, and more.", {"Tencent", "Shenzhen"}),
    ("The court removed Yoon Suk-yeol (PPP) from office.", {"Yoon Suk-yeol", "PPP"}),
])
def test_owners_places_and_party_labels_in_lists_stay_apart(engine, body, separate):
    engine.sync([doc("a", body)], [])
    assert separate <= set(names(engine))


def test_a_maker_named_alone_too_is_split_off_its_part_number(engine):
    engine.sync([doc("a", "DeepSeek trained on 2000 Nvidia H800 GPUs, while rivals had Nvidia GPUs that outdo "
                          "its H800s. Later models used US-made Nvidia H800s. DeepSeek released DeepSeek R1.")], [])
    found = names(engine)
    assert found["Nvidia"].count == 3 and found["Nvidia"].type == "ORG"
    chip = engine.entity("H800")
    assert ({chip.name, *chip.aliases}, chip.type) == ({"H800", "H800s"}, "PRODUCT")
    assert "Nvidia H800" not in found and "Nvidia H800s" not in found
    assert found["DeepSeek R1"].type == "PRODUCT"  # a version is part of the model's name


def test_spans_land_on_the_mention_text(engine):
    body = "In Hangzhou, DeepSeek’s founder Liang Wenfeng met “High-Flyer Quant” staff.\nLiang smiled."
    engine.sync([doc("a", body)], [])
    mentions = engine.mentions_in("a")
    assert mentions
    for m in mentions:
        assert body[m.start:m.end] == m.text
    assert {m.text for m in mentions} >= {"Hangzhou", "DeepSeek", "Liang Wenfeng", "High-Flyer Quant", "Liang"}


def test_seed_spans_are_exact(seeds_library):
    engine = seeds_library.entities
    for d in list(seeds_library.store.iter_documents())[:5]:
        for m in engine.mentions_in(d.id):
            assert d.body[m.start:m.end] == m.text


# -- alias merging ---------------------------------------------------------------------------------

def test_aliases_merge_into_one_entity(engine):
    engine.sync([
        doc("a", "OpenAI and Open AI are one. The startup High-Flyer was spun off; High-flyer denied it.\n"
                 "DeepSeek’s app is new. The Hangzhou-based DeepSeek grew. Deepseek said so."),
        doc("b", "The South China Morning Post (SCMP) reported it. The United States and the U.S. and the US."),
        doc("c", "DeepSeek is everywhere. DS has attracted attention because DS is cheap."),
        doc("d", "The commentary was published in 浙江宣传 Zhejiang Publicity, a blog."),
        doc("e", "Reporters met Liang Wenfeng in May. Liang said little."),
    ], [])
    found = names(engine)

    def same(*forms):
        ids = {engine._lookup(f) for f in forms}
        assert len(ids) == 1 and None not in ids, forms

    same("OpenAI", "Open AI")
    same("High-Flyer", "High-flyer")
    same("DeepSeek", "Deepseek", "DS")
    same("South China Morning Post", "SCMP")
    same("United States", "U.S.", "US")
    same("Zhejiang Publicity", "浙江宣传")
    same("Liang Wenfeng", "Liang")
    assert "Hangzhou" in found  # "Hangzhou-based" is Hangzhou


def test_chinese_company_name_and_hereafter_alias(engine):
    body = ("DeepSeek, developed by 杭州深度求索人工智能基础技术研究有限公司Hangzhou DeepSeek AI Technology "
            "Research Co., Ltd. (hereafter “DeepSeek”), gave 138 million yuan (US$19 million) away.")
    engine.sync([doc("a", body)], [])
    found = names(engine)
    assert {"深度求索", "Hangzhou DeepSeek AI Technology Research Co., Ltd"} <= set(found["DeepSeek"].aliases)
    assert "United States" not in found and "US" not in found  # US$ is a currency
    assert [m.text for m in engine.mentions("深度求索")][1] == "深度求索"


def test_a_misspelling_beside_the_usual_spelling_is_the_same_name(engine):
    engine.sync([doc("a", "Gitee AI, a Shenzhen-based platform, said so. Gittee, China’s answer to GitHub, added more. "
                          "Liang met Lianng.")], [])
    found = names(engine)
    assert found["Gitee AI"].aliases == ("Gittee",)
    assert engine._lookup("Liang") != engine._lookup("Lianng")  # too short to call a typo


def test_distinct_things_stay_distinct(engine):
    engine.sync([doc("a", "DeepSeek released DeepSeek-R1. Tencent said Tencent Cloud helped. "
                          "Tencent Holdings shares rose.")], [])
    assert engine._lookup("DeepSeek") != engine._lookup("DeepSeek-R1")
    assert engine._lookup("Tencent") != engine._lookup("Tencent Cloud")
    assert engine._lookup("Tencent") == engine._lookup("Tencent Holdings")


def test_a_nation_before_an_institution_says_which_one(engine):
    engine.sync([doc("a", "Calls grew for a decline in the National Assembly, where three factions vie. "
                          "Yoon was impeached by the Korean National Assembly. Chinese AI firm DeepSeek rose.")], [])
    found = names(engine)
    assert found["Korean National Assembly"].count == found["National Assembly"].count == 1
    assert engine._lookup("Korean National Assembly") != engine._lookup("National Assembly")
    assert "DeepSeek" in found  # (a nationality before a name is still dropped)


def test_two_names_for_the_owner_of_the_same_company_are_one_owner(engine):
    engine.sync([
        doc("a", "DeepSeek and its parent, High-Flyer Quant, a hedge fund, are based in Hangzhou."),
        doc("b", "Everyone knows that the company behind DeepSeek, Huanfang Quantitative, is in finance."),
        doc("c", "Media reports suggest Huanfang aims to spin off DeepSeek for an IPO."),
    ], [])
    owner = engine.entity("High-Flyer Quant")
    assert {owner.name, *owner.aliases} == {"High-Flyer Quant", "Huanfang Quantitative", "Huanfang"}
    assert engine._lookup("DeepSeek") != engine._lookup("Huanfang")


def test_the_post_is_the_paper_named_in_that_document_only(engine):
    engine.sync([
        doc("a", "The South China Morning Post reported it. Ben is a reporter for the Post in Beijing."),
        doc("b", "The Washington Post disagreed. She writes for the Post from New York."),
    ], [])
    assert {m.name for m in engine.mentions_in("a") if m.text == "Post"} == {"South China Morning Post"}
    assert {m.name for m in engine.mentions_in("b") if m.text == "Post"} == {"Washington Post"}


def test_surname_goes_to_the_person_named_in_that_document(engine):
    engine.sync([
        doc("a", "Analyst Tilly Zhang spoke first. Zhang said prices fell."),
        doc("b", "Professor Zhang Weiwei wrote a book. Nobody else did."),
    ], [])
    assert {m.name for m in engine.mentions_in("a") if m.text == "Zhang"} == {"Tilly Zhang"}


# -- incremental sync and queries ---------------------------------------------------------------------

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
