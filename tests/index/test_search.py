"""Search: stemming, folding, phrases, Chinese, fields, bad syntax, and exact match spans."""

from __future__ import annotations

import re

import pytest

from index.analysis import body_tokens

from .conftest import make_library


def titles(result):
    return [h.title for h in result.hits]


def span_texts(library, hit):
    body = library.document(hit.id).body
    return [body[s:e] for s, e in hit.matches]


def test_stemming_finds_other_forms(seeds_library):
    hits = seeds_library.search("sanction").hits
    assert hits
    texts = {t.lower() for h in hits for t in span_texts(seeds_library, h)}
    assert "sanctions" in texts
    innovating = seeds_library.search("innovating")
    assert any("innovation" in {t.lower() for t in span_texts(seeds_library, h)} for h in innovating.hits)


def test_case_and_accent_folding(library, corpus):
    (corpus / "cafe.txt").write_text("Menu\nThe Café opened in São Paulo.\n", encoding="utf-8")
    library.update()
    for query in ("cafe", "CAFÉ", "sao paulo", "SÃO"):
        assert titles(library.search(query)) == ["Menu"], query
    (hit,) = library.search("cafe").hits
    assert span_texts(library, hit) == ["Café"]


FOLDED = "Desk\nThe ﬁnance desk in İstanbul sells Straße maps at the Cafe\u0301 and the ＤＥＳＫ.\n"


@pytest.mark.parametrize(
    ("query", "found"),
    [("finance", "ﬁnance"), ("FINANCE", "ﬁnance"), ("ﬁnance", "ﬁnance"), ("fin*", "ﬁnance"),
     ("istanbul", "İstanbul"), ("ISTANBUL", "İstanbul"), ("İstanbul", "İstanbul"),
     ("strasse", "Straße"), ("STRASSE", "Straße"), ("straße", "Straße"),
     ("cafe", "Cafe\u0301"), ("café", "Cafe\u0301"), ("Cafe\u0301", "Cafe\u0301"),
     ('"finance desk"', "ﬁnance desk"), ("ｄｅｓｋ", "ＤＥＳＫ")],
)
def test_case_and_compatibility_folding(library, corpus, query, found):
    """Full case folding and compatibility forms; each span covers the whole original characters
    (the ligature, the combining accent)."""
    (corpus / "fold.txt").write_text(FOLDED, encoding="utf-8")
    library.update()
    (hit,) = library.search(query).hits
    assert found in span_texts(library, hit), query


def test_a_word_keeps_its_combining_marks(library, corpus):
    # Devanagari vowel signs are marks: the word is not cut at them, so the whole word finds it
    (corpus / "hi.txt").write_text("Doc\nहिन्दी भाषा and Cafe\u0301s\n", encoding="utf-8")
    library.update()
    (hit,) = library.search("हिन्दी").hits
    assert span_texts(library, hit) == ["हिन्दी"]
    assert library.search("न").total == 0  # a letter between two marks is no word of its own
    assert span_texts(library, library.search("cafe").hits[0]) == ["Cafe\u0301s"]


def test_spans_next_to_combining_marks_are_whole_tokens(library, corpus):
    """A word glued to a mark is part of a longer token: it is not matched inside it."""
    body = "The Cafe\u0301 and Cafe, e\u0301.cafe, x\u0301cafe Cafe\u0301s cafe."
    (corpus / "marks.txt").write_text("Marks\n" + body + "\n", encoding="utf-8")
    library.update()
    (hit,) = library.search("cafe").hits
    text = library.document(hit.id).body
    assert list(hit.matches) == [(s, e) for (_, stem, s, e) in body_tokens(text) if stem == "cafe"]
    assert span_texts(library, hit) == ["Cafe\u0301", "Cafe", "Cafe\u0301s", "cafe"]


def test_the_tokenizer_knows_every_combining_mark():
    """index/marks.py covers every BMP mark of this Python's Unicode (regenerate it when not)."""
    import unicodedata

    from index.marks import MARKS

    marks = re.compile(f"[{MARKS}]")
    missing = [f"U+{c:04X}" for c in range(0x10000) if unicodedata.category(chr(c))[0] == "M"
               and not marks.match(chr(c))]
    assert not missing, f"Unicode {unicodedata.unidata_version}: run python3 index/marks.py ({missing[:5]})"


def test_phrases_match_exactly(seeds_library):
    found = seeds_library.search('"semiconductor sanctions"')
    assert found.total == 1
    assert span_texts(seeds_library, found.hits[0]) == ["semiconductor sanctions"] * len(found.hits[0].matches)
    assert seeds_library.search('"semiconductor sanction"').total == 0
    # the words of a phrase elsewhere in the text are not highlighted on their own
    assert all(" " in t for t in span_texts(seeds_library, found.hits[0]))


@pytest.mark.parametrize("query", ["深度求索", "求索", "浙江宣传", "人工智能"])
def test_chinese_substrings_find_the_document(seeds_library, query):
    result = seeds_library.search(query)
    assert result.total >= 1
    assert "Official provincial commentary on DeepSeek" in titles(result)
    hit = next(h for h in result.hits if h.title.startswith("Official provincial"))
    assert set(span_texts(seeds_library, hit)) == {query}


def test_chinese_query_does_not_match_scattered_characters(library, corpus):
    (corpus / "a.txt").write_text("Doc\n深度 and 求索 apart\n", encoding="utf-8")
    library.update()
    assert library.search("深度求索").total == 0
    assert library.search("深度").total == 1


def test_prefix_and_fuzzy(seeds_library):
    prefix = seeds_library.search("innovat*")
    assert prefix.total >= 3
    assert all(t.lower().startswith("innovat") for h in prefix.hits for t in span_texts(seeds_library, h))
    fuzzy = seeds_library.search("innovaton~")
    assert any("innovation" in {t.lower() for t in span_texts(seeds_library, h)} for h in fuzzy.hits)


def test_boolean_operators(seeds_library):
    deepseek = {h.id for h in seeds_library.search("deepseek", limit=100).hits}
    nvidia = {h.id for h in seeds_library.search("nvidia", limit=100).hits}
    without = {h.id for h in seeds_library.search("deepseek NOT nvidia", limit=100).hits}
    assert without == deepseek - nvidia and without
    both = {h.id for h in seeds_library.search("deepseek AND nvidia", limit=100).hits}
    assert both == deepseek & nvidia
    either = {h.id for h in seeds_library.search("nvidia OR trump", limit=100).hits}
    trump = {h.id for h in seeds_library.search("trump", limit=100).hits}
    assert either == nvidia | trump


def test_negated_terms_are_not_highlighted(seeds_library):
    for hit in seeds_library.search("deepseek NOT nvidia").hits:
        assert all(t.lower() == "deepseek" for t in span_texts(seeds_library, hit))


def test_fields(seeds_library):
    assert titles(seeds_library.search("title:plaza")) == ["Is China Likely to Accept a New Plaza Accord? Zero Probability"]
    assert seeds_library.search("source:scmp").hits[0].source == "004_ac284193695ea43d.txt"
    assert seeds_library.search("source:001").total == 10
    assert titles(seeds_library.search('author:"Wency Chen"')) == [
        "How AI start-up DeepSeek upended industry assumptions and changed China’s narrative"]
    jan = seeds_library.search("date:[2025-01-01 TO 2025-01-25]", limit=50)
    assert jan.total == 8 and all("2025-01-23" <= h.date[:10] <= "2025-01-25" for h in jan.hits)
    assert seeds_library.search("date:[2025-02-01 TO 2025-02-28]").total == 1


@pytest.mark.parametrize(
    ("query", "within"),
    [("date:2025", lambda d: d[:4] == "2025"),
     ("date:[2025 TO 2025]", lambda d: d[:4] == "2025"),
     ("date:[2025-01 TO 2025-01]", lambda d: d[:7] == "2025-01"),
     ("date:2025-01", lambda d: d[:7] == "2025-01"),
     ("date:2025-02", lambda d: d[:7] == "2025-02"),
     ("date:[2024 TO 2025-01]", lambda d: "2024-01-01" <= d <= "2025-01-31"),
     ("date:{2025-01 TO 2025-02]", lambda d: d[:7] == "2025-02"),
     ("date:[2025-01-24 TO]", lambda d: d >= "2025-01-24"),
     ("date:[TO 2025-01-24}", lambda d: d < "2025-01-24"),
     ("date:2025-01-25", lambda d: d == "2025-01-25"),
     ("date:2025*", lambda d: d[:4] == "2025"),
     ("date:2024", lambda d: d[:4] == "2024")],
)
def test_a_year_or_month_is_the_whole_period(seeds_library, query, within):
    """Alone and as a range end, a year or a month means all of its days (ends included)."""
    expected = {d.id for d in seeds_library.browse() if d.date and within(d.date[:10])}
    result = seeds_library.search(query, limit=50)
    assert {h.id for h in result.hits} == expected and not result.fallback
    assert query == "date:2024" or expected


@pytest.mark.parametrize("query", ["date:[garbage TO 2025]", "date:[2025 TO garbage]", "date:2025-13",
                                   "date:2025-02-30", "date:>2025", "date:25", "date:[2025-1 TO 2025-3]"])
def test_a_date_that_cannot_be_read_falls_back_with_a_notice(seeds_library, query):
    result = seeds_library.search(query)
    assert result.fallback


@pytest.mark.parametrize("query", ["entity:", 'entity:""', "title:", "date:", "author:", "(title:)", 'title:""'])
def test_an_empty_field_is_unreadable_syntax(seeds_library, query):
    """A field with no value finds nothing by itself and says so, whatever the field."""
    result = seeds_library.search(query)
    assert result.fallback and result.total == 0
    with_word = seeds_library.search(f"{query} deepseek")
    assert with_word.fallback and with_word.total == seeds_library.search("deepseek").total


def test_a_leading_dash_is_not(seeds_library):
    every = {h.id for h in seeds_library.search("", limit=100).hits}
    deepseek = {h.id for h in seeds_library.search("deepseek", limit=100).hits}
    assert {h.id for h in seeds_library.search("-deepseek", limit=100).hits} == every - deepseek
    assert titles(seeds_library.search("nvidia -deepseek")) == titles(seeds_library.search("nvidia NOT deepseek"))
    assert seeds_library.search("-title:plaza", limit=100).total == len(every) - 1
    # a hyphen inside a word is no operator
    assert seeds_library.search("open-source").total == seeds_library.search('"open source"').total >= 1


@pytest.mark.parametrize(
    "query", ['"unbalanced', "title:(", "((", ")", "date:[2025 TO", "AND", "NOT", "*", "~", "a~~~5", "title:",
              "field:value", "[", "{x TO", "^2", "\\", "OR OR OR", '"', "深度求索~", "entity:", ""],
)
def test_bad_syntax_never_raises(seeds_library, query):
    result = seeds_library.search(query)
    assert result.total >= 0


def test_unreadable_query_falls_back_to_its_words(seeds_library):
    result = seeds_library.search("date:[2025 TO nvidia")
    assert result.fallback
    assert result.total == seeds_library.search("2025 nvidia").total >= 1


def test_spans_land_exactly_on_matched_words(seeds_library):
    result = seeds_library.search("deepseek openai", limit=50)
    assert result.hits
    for hit in result.hits:
        body = seeds_library.document(hit.id).body
        assert hit.matches == tuple(sorted(hit.matches))
        for start, end in hit.matches:
            word = body[start:end]
            assert word.lower() in ("deepseek", "openai"), word
            # a whole token: not inside a longer word
            assert not (start > 0 and body[start - 1].isascii() and body[start - 1].isalnum())
            assert not (end < len(body) and body[end].isascii() and body[end].isalnum())
        expected = [(s, e) for (x, _, s, e) in body_tokens(body) if x in ("deepseek", "openai")]
        assert list(hit.matches) == expected


def test_snippet_marks_the_matched_terms(seeds_library):
    hit = seeds_library.search("nvidia").hits[0]
    assert hit.snippet.marks
    assert all(hit.snippet.text[s:e].lower() == "nvidia" for s, e in hit.snippet.marks)
    assert "\n" not in hit.snippet.text
    assert re.search(r"\*\*nvidia\*\*", hit.snippet.marked(), re.I)


def test_matches_agrees_with_search(seeds_library):
    hit = seeds_library.search("innovating").hits[0]
    assert seeds_library.matches(hit.id, "innovating") == hit.matches


def test_empty_query_lists_every_document(seeds_library):
    assert seeds_library.search("", limit=100).total == 14


def test_results_are_ranked(seeds_library):
    hits = seeds_library.search("deepseek").hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_browse_is_newest_first_then_title(seeds_library):
    docs = seeds_library.browse()
    assert len(docs) == 14
    dated = [d.date for d in docs if d.date]
    assert dated == sorted(dated, reverse=True)
    assert docs[0].title.startswith("How AI start-up DeepSeek")
    undated = [d.title for d in docs if not d.date]
    assert undated == sorted(undated, key=str.lower)
    assert docs.index(next(d for d in docs if not d.date)) == len(dated)


def test_snippet_length_follows_config(tmp_path, corpus):
    (corpus / "a.txt").write_text("T\n" + "word " * 200 + "needle " + "word " * 200, encoding="utf-8")
    library = make_library(corpus, tmp_path, snippet_chars=60)
    library.update()
    (hit,) = library.search("needle").hits
    assert len(hit.snippet.text) <= 62 and "needle" in hit.snippet.text
