"""DossierApp: the browser. ``run_app(library)`` is what ``dossier`` without a subcommand runs.

The app holds the ``Library`` built by ``tui.cli`` (tests build one on a small corpus), the global
keys, the command palette entries (every key's action, from the same bindings as the footer and
the help screen), the one handler that turns a failed worker into a notification, and the signal
handlers that make a dropped connection (SIGHUP) or a kill (SIGTERM) a clean exit.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from .screens.main import MainScreen

HANGUP_STATUS = 129
TERMINATED_STATUS = 143
EXIT_GRACE = 3.0
"""Seconds an orderly exit may take after SIGHUP/SIGTERM before the process ends anyway."""


class DossierApp(App[int]):
    """A keyboard-driven browser over one corpus: search, read, follow entities."""

    CSS_PATH = "app.tcss"
    TITLE = "dossier"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", id="app.interrupt", show=False, priority=True),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
    ]

    def __init__(self, library: Any) -> None:
        super().__init__()
        self.library = library
        self.main: MainScreen | None = None
        keys = getattr(library.config, "keys", None)
        if keys:
            from .keymap import checked_keymap

            self.set_keymap(checked_keymap(keys, str(library.config.source or "config.yaml")))

    def on_mount(self) -> None:
        self.main = MainScreen(self.library)
        self.push_screen(self.main)
        self._install_signal_handlers()

    def _install_signal_handlers(self) -> None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, partial(self._signalled, HANGUP_STATUS))
            loop.add_signal_handler(signal.SIGTERM, partial(self._signalled, TERMINATED_STATUS))
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass  # not the main thread, or no such signal here: the default handling applies

    def _signalled(self, status: int) -> None:
        """A hangup or terminate: save what is worth keeping and leave.

        After a hangup the terminal is gone, and Textual's orderly shutdown can block for ever
        writing to it (seen: the output thread's queue never drains). So the orderly exit gets a
        few seconds, then the process ends regardless; the state is already saved by then.
        """
        if self.main is not None:
            self.main.save_session()
        watchdog = threading.Timer(EXIT_GRACE, os._exit, args=(status,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(status)

    async def action_quit(self) -> None:
        if self.main is not None:
            self.main.save_session()
        self.exit(0)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every dossier action (from the same bindings) before Textual's own."""
        from .screens.help import key_table

        for row in key_table(self):
            if row.action == "app.command_palette":
                continue
            yield SystemCommand(row.description, f"{row.section}: {row.keys}", partial(self._run_key, row.node, row.action))
        yield from super().get_system_commands(screen)

    async def _run_key(self, node: Any, action: str) -> None:
        await self.run_action(action, node)

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Every failed engine call becomes one line for the user, never a traceback.

        ``Worker.StateChanged`` does not bubble, so screens that run workers forward it here.
        """
        if worker.state != WorkerState.ERROR or worker.error is None:
            return
        error = worker.error
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        if isinstance(error, NotImplementedError):
            text = f"not available yet ({worker.name})"
        self.notify(text, severity="error", markup=False)  # no title: one line, over the footer


def run_app(library: Any) -> int:
    """Run the browser on ``library`` until the user quits; returns the exit status."""
    import sys

    from index.errors import DossierError

    app = DossierApp(library)  # checks the config's keys first: a bad one is reported either way
    if not (sys.stdin.isatty() and sys.__stderr__.isatty()):
        raise DossierError("the browser needs a terminal (for scripts: dossier search, dossier show)")
    status = app.run()
    return status if isinstance(status, int) else (app.return_code or 0)
