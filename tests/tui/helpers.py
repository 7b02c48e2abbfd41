"""Helpers shared by the browser tests."""

from __future__ import annotations


async def settle(app, pilot) -> None:
    """Let every worker finish and every message be handled."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def status_text(app) -> str:
    """The status line as drawn now, as plain text."""
    from tui.widgets.status_line import StatusLine

    return app.screen.query_one(StatusLine).render().plain
