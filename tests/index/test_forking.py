"""Worker processes forked while indexing end when told to or when their parent is gone, and
never pass a signal on to the process that forked them (the browser's event loop)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")

PRELUDE = """
import asyncio, multiprocessing, os, signal, sys, time
import index.bulk  # what a build imports before it forks
"""


def run(script: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=timeout)


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_terminated_worker_ends_and_the_parent_loop_hears_nothing():
    """As in the browser: asyncio handles SIGTERM; a build cancelled by 'q' terminates its workers."""
    out = run("""
        heard = []
        async def main():
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, heard.append, "TERM")
            loop.add_signal_handler(signal.SIGHUP, heard.append, "HUP")
            def build():  # a worker thread forks, as the browser's index worker does
                p = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,), daemon=True)
                p.start()
                time.sleep(0.3)
                p.terminate()
                p.join(5)
                return p.exitcode
            code = await asyncio.to_thread(build)
            await asyncio.sleep(0.3)
            print(code, heard)
        asyncio.run(main())
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(-15), "[]"]


def test_a_worker_whose_parent_died_ends_by_itself():
    out = run("""
        p = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,), daemon=True)
        p.start()
        print(p.pid, flush=True)
        os._exit(0)  # no clean-up: a parent killed, or one that gave up waiting for its terminal
    """)
    pid = int(out.stdout.split()[0])
    assert gone(pid, within=5), f"worker {pid} outlived its parent"
