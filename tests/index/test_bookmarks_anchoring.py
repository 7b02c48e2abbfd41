"""Re-anchoring against real edits: a bookmark follows its own passage, and one whose passage is
gone is orphaned, never attached to other text that merely looks like it (a sibling sentence, or
another occurrence of a short quote far away)."""

from __future__ import annotations

import re

import pytest

from index.anchoring import anchor, select
from index.paths import SEEDS

QUARTERLY = (
    "Quarterly Results\n\n"
    "Intro paragraph about the company and its long history of making widgets for many markets.\n\n"
    "Revenue rose 5 percent in the first quarter of 2024, driven by strong widget sales in Europe.\n\n"
    "Some other paragraph in between that discusses staffing, hiring plans and new office openings.\n\n"
    "Revenue rose 7 percent in the second quarter of 2024, driven by strong widget sales in Asia.\n"
)
FIRST = "Revenue rose 5 percent in the first quarter of 2024, driven by strong widget sales in Europe."
SEED = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")


def saved(body: str, quote: str, nth: int = 0):
    starts = [m.start() for m in re.finditer(re.escape(quote), body)]
    return select(body, starts[nth], starts[nth] + len(quote))


def found(body: str, sel) -> str | None:
    """The text a bookmark is attached to now, or None when it is orphaned."""
    place = anchor(body, sel)
    return None if place.status == "orphaned" else body[place.start:place.end]


def test_a_deleted_sentence_is_orphaned_not_moved_to_its_look_alike():
    body = QUARTERLY.replace(FIRST + "\n\n", "")
    assert found(body, saved(QUARTERLY, FIRST)) is None


def test_an_edited_sentence_is_found_in_itself_not_in_its_look_alike():
    body = QUARTERLY.replace("rose 5 percent", "rose 5.2 percent")
    assert found(body, saved(QUARTERLY, FIRST)) == FIRST.replace("5 percent", "5.2 percent")


def occurrences():
    for quote in ("High-Flyer", "Liang Wenfeng", "open-source", "DeepSeek"):
        for nth in range(len(re.findall(re.escape(quote), SEED))):
            yield quote, nth


def sentence_around(body: str, start: int, end: int) -> tuple[int, int]:
    left = max(body.rfind(". ", 0, start) + 2, body.rfind("\n", 0, start) + 1)
    right = min(x for x in (body.find(". ", end), body.find("\n", end), len(body)) if x != -1)
    return left, right + 1


@pytest.mark.parametrize("quote, nth", list(occurrences()))
def test_a_short_quote_whose_occurrence_is_deleted_is_orphaned_not_moved_far_away(quote, nth):
    sel = saved(SEED, quote, nth)
    only_word = SEED[:sel.start] + SEED[sel.end:]
    assert found(only_word, sel) is None
    left, right = sentence_around(SEED, sel.start, sel.end)
    whole_sentence = SEED[:left] + SEED[right:]
    assert found(whole_sentence, sel) is None


@pytest.mark.parametrize("quote, nth", list(occurrences()))
def test_a_short_quote_follows_its_own_occurrence_when_text_moves(quote, nth):
    sel = saved(SEED, quote, nth)
    # A new paragraph at the top and a sentence removed elsewhere: every offset shifts.
    cut = SEED.index("Then came January.")
    body = "An editor's note, added later.\n\n" + SEED[:cut] + SEED[cut + len("Then came January. "):]
    if sel.start > cut:
        expected = sel.start + len("An editor's note, added later.\n\n") - len("Then came January. ")
    else:
        expected = sel.start + len("An editor's note, added later.\n\n")
    place = anchor(body, sel)
    assert (place.status, place.start, body[place.start:place.end]) == ("moved", expected, quote)


def test_a_short_quote_whose_neighbour_word_changed_is_still_found():
    sel = saved(SEED, "High-Flyer")
    body = SEED.replace("a hedge fund named High-Flyer", "a hedge fund called High-Flyer")
    place = anchor(body, sel)
    assert body[place.start:place.end] == "High-Flyer"
    assert place.start == body.index("called High-Flyer") + len("called ")


LINES = "".join(f"Line {n} holds the word and then some padding text number {n}.\n" for n in range(40))


@pytest.mark.parametrize("old, new", [
    ("Line 3 holds the word", "Line 3 holds word"),        # the bookmarked word, gone
    ("Line 3 holds the word", "Line 3 holds nothing"),     # and its neighbour too
    ("Line 3 holds the word and then some padding text number 3.\n", ""),  # its whole line
])
def test_a_repeated_word_never_lands_on_another_of_its_occurrences(old, new):
    start = LINES.index("the", LINES.index("Line 3 "))
    assert found(LINES.replace(old, new), select(LINES, start, start + 3)) is None


def test_a_repeated_word_follows_its_own_line_when_lines_are_inserted_before():
    start = LINES.index("the", LINES.index("Line 30 "))
    sel = select(LINES, start, start + 3)
    changed = "A heading\n\nAnd an introduction.\n\n" + LINES
    place = anchor(changed, sel)
    assert changed[place.start - len("Line 30 holds "):place.end] == "Line 30 holds the"


@pytest.mark.parametrize("before, after, sentence", [
    ("The committee approved the budget after a long debate.",
     "A committee approved the budget after a lengthy debate.",
     "A committee approved the budget after a lengthy debate."),
    ("The big committee approved the budget after a long debate.",
     "A committee approved the budget after a long debate.",
     "A committee approved the budget after a long debate."),
    ("A showdown between two political dynasties followed the election.",
     "A bitter showdown between two political dynasties followed the election.",
     "A bitter showdown between two political dynasties followed the election."),
    ("Revenue rose 5 percent in the first quarter of 2024, driven by strong widget sales in Europe.",
     "Revenue grew 5 percent in the first quarter of 2024, driven by widget sales across Europe!",
     "Revenue grew 5 percent in the first quarter of 2024, driven by widget sales across Europe!"),
])
def test_a_fuzzy_match_covers_the_edited_sentence_and_no_paragraph_break(before, after, sentence):
    head = "Minutes of the meeting\n\nMembers arrived at nine and the chair opened the session.\n\n"
    tail = "\n\nThe meeting closed at noon with thanks to the staff for their work.\n"
    body = head + before + tail
    sel = select(body, len(head), len(head) + len(before))
    changed = head + after + tail
    place = anchor(changed, sel)
    assert place.status == "moved"
    assert changed[place.start:place.end] == sentence


@pytest.mark.parametrize("body, quote, edit", [
    ("Data is the blood, the systems that carry data are the veins of the economy.", "the",
     ("is the blood", "is blood")),
    ("She taught school. In the 1990s, there were plenty of opportunities in the cities.", "the",
     ("In the 1990s", "In 1990s")),
])
def test_a_deleted_word_is_not_moved_to_the_same_letters_next_to_it(body, quote, edit):
    start = body.index(quote)
    assert found(body.replace(*edit), select(body, start, start + len(quote))) is None


def test_a_word_that_recurs_next_to_itself_is_still_found_after_an_edit_nearby():
    body = "Data is the blood, the systems that carry data are the veins of the economy."
    start = body.index("the")
    changed = body.replace("Data is", "Information is")
    place = anchor(changed, select(body, start, start + 3))
    assert place.start == changed.index("the blood")
