"""Snapshots of the main screen at 80x24 and 120x40 (review with ``--snapshot-update`` and the report).

The seeds are indexed before the app starts (no timing notice on screen) and the state directory
is fresh per test, so nothing on screen depends on the clock, the machine or an earlier run.
"""

from __future__ import annotations

from .helpers import settle, type_text


def flow(*steps):
    """A ``run_before`` that runs each step (text to type, or a key name in angle brackets)."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        for step in steps:
            if step.startswith("<") and step.endswith(">"):
                await pilot.press(step[1:-1])
            else:
                await type_text(pilot, step)
            await settle(app, pilot)

    return run_before


SEARCH_AND_STEP = flow("<slash>", "liang wenfeng", "<enter>", "<enter>", "<n>", "<n>")


class TestMainScreen:
    """Screens whose content comes from the seeds and the search engine only."""

    def test_start_120x40(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=(120, 40), run_before=flow())

    def test_search_open_and_step_80x24(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=SEARCH_AND_STEP)

    def test_help_80x24(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=flow("<question_mark>"))


class TestMainScreenWithEntities:
    """Screens that show the entity sidebar's content: when entity extraction changes (index/
    entity_*.py), review these with ``--snapshot-update`` and the snapshot report."""

    def test_search_open_and_step_120x40(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=(120, 40), run_before=SEARCH_AND_STEP)

    def test_sidebar_swapped_in_80x24(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=flow("<enter>", "<e>"))
