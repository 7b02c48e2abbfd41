"""Entity extraction: what is found and typed, junk kept out, exact spans, alias merging within and across documents."""

from __future__ import annotations

import pytest

from tests.index.conftest import doc, names


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
