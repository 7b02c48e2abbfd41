"""Processes forked while indexing (dossier's two build workers, Whoosh's multi-process writer)
behave as workers, not as copies of the process that forked them.

A fork copies the browser's signal handling: asyncio's handlers for SIGHUP and SIGTERM, which do
nothing in the child but write the signal's number to the wake-up socket the child shares with
the browser's event loop. So ``terminate()`` on a worker left the worker running and made the
*browser* exit as if it had been sent SIGTERM (status 143), and a browser that went away while a
worker was waiting left that worker running for ever, holding the index's write lock, so the next
``dossier`` on that corpus waited for it without end.

``after_fork_in_child`` runs in every child forked after this module is imported: it drops the
wake-up socket, puts the default handling back (SIGTERM and SIGHUP end the process, SIGINT too),
and starts a thread that ends the child when its parent is gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_POLL = 0.5
"""Seconds between two looks at whether the parent is still there."""

_RESET = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


_forking_pid = os.getpid()
"""The pid of the process about to fork (the child may find its parent gone before it looks)."""


def _before_fork() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def after_fork_in_child() -> None:
    parent = _forking_pid
    try:
        signal.set_wakeup_fd(-1)
        for sig in _RESET:
            signal.signal(sig, signal.SIG_DFL)
    except (ValueError, OSError):  # not the main thread of the main interpreter: nothing inherited
        pass
    threading.Thread(target=_end_with_parent, args=(parent,), name="dossier-parent-watch", daemon=True).start()


def _end_with_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_POLL)
        if os.getppid() != parent:
            os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=after_fork_in_child)
