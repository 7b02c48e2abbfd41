"""What "the passage here" is when bookmarking from the reader: sentences and paragraphs."""

from __future__ import annotations

import pytest

from index.passages import extend, paragraph_at, sentence_at, sentences

BODY = ("First sentence here. Second one asks why? Third says “quoted.” Fourth ends\n"
        "New paragraph, one sentence.\n\n"
        "中文句子。第二句！ Latin after.")


def text(span):
    return BODY[span[0]:span[1]]


@pytest.mark.parametrize("word, sentence", [
    ("First", "First sentence here."),
    ("asks", "Second one asks why?"),
    ("quoted", "Third says “quoted.”"),
    ("Fourth", "Fourth ends"),
    ("paragraph", "New paragraph, one sentence."),
    ("第二", "第二句！"),
    ("Latin", "Latin after."),
])
def test_sentence_at(word, sentence):
    assert text(sentence_at(BODY, BODY.index(word))) == sentence


def test_paragraph_at_and_sentences():
    assert text(paragraph_at(BODY, BODY.index("one sentence"))) == "New paragraph, one sentence."
    assert [text(s) for s in sentences(BODY, 0, BODY.index("\n"))][:2] == ["First sentence here.", "Second one asks why?"]


def test_extend_grows_and_shrinks_by_sentence_and_paragraph():
    first = sentence_at(BODY, 0)
    two = extend(BODY, first, "sentence")
    assert text(two) == "First sentence here. Second one asks why?"
    assert extend(BODY, two, "sentence", forward=False) == first
    assert extend(BODY, first, "sentence", forward=False) == first
    para = extend(BODY, first, "paragraph")  # first to the end of this paragraph...
    assert text(para).endswith("Fourth ends")
    two_paras = extend(BODY, para, "paragraph")  # ...then over the next one
    assert text(two_paras).endswith("New paragraph, one sentence.")
    assert extend(BODY, two_paras, "paragraph", forward=False) == para
