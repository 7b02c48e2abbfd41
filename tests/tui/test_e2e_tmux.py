"""End to end: the installed ``dossier`` command in a real terminal (tmux), driven with send-keys and
read with capture-pane. Waits for what should appear on screen, never for a fixed time.

It runs on its own tmux server (``-L``) so it never touches the tmux of the person running it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
DOSSIER = shutil.which("dossier") or str(Path(sys.executable).with_name("dossier"))

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    """One tmux session on a private server, running one command."""

    def __init__(self, socket: str, width: int = 120, height: int = 40) -> None:
        self.socket = socket
        self.size = (width, height)

    def tmux(self, *args: str) -> str:
        out = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return out.stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        width, height = self.size
        exports = " ".join(f"{k}={json.dumps(v)}" for k, v in env.items())
        # Textual draws on stderr: it must stay on the terminal (no redirection), see MEASURED.md.
        script = f"env -i {exports} {command}; echo DOSSIER-EXITED-$?; sleep 30"
        # The server's default size is the pane's size from its first moment: with only -x/-y
        # the pane starts at 80x24 and is resized a moment later, a race with the app's start.
        conf = Path(tempfile.mkdtemp()) / "tmux.conf"
        conf.write_text(f"set -g default-size {width}x{height}\n")
        self.tmux("-f", str(conf), "new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), script)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def text(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", "-l", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, *markers: str, timeout: float = 20.0) -> str:
        """Poll the screen until every marker shows at once (a frame may be caught half drawn);
        fail with the screen when they never do."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(marker in screen for marker in markers):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{markers!r} never appeared on screen:\n{screen}")

    def pane_pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip() or 0)

    def kill(self) -> None:
        self.tmux("kill-server")


def _has_terminfo(term: str) -> bool:
    return subprocess.run(["infocmp", term], capture_output=True).returncode == 0 if shutil.which("infocmp") else True


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(f"dossier-e2e-{os.getpid()}-{tmp_path.name}")
    yield term
    term.kill()


@pytest.fixture
def command(tmp_path, seeds_home) -> str:
    """The installed command, with a config.yaml pointing at the indexed seeds copy."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus: {json.dumps(str(seeds_home / 'corpus'))}\n"
        f"index_dir: {json.dumps(str(seeds_home / 'index'))}\n"
        f"data_dir: {json.dumps(str(tmp_path / 'data'))}\n"
        f"state_dir: {json.dumps(str(tmp_path / 'state'))}\n",
        encoding="utf-8",
    )
    return f"{DOSSIER} --config {config}"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """The test's own home and XDG directories, and a terminal type tmux supports."""
    return {
        "TERM": "tmux-256color" if os.path.exists("/usr/share/terminfo/t/tmux-256color") else "screen-256color",
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_STATE_HOME": os.environ["XDG_STATE_HOME"],
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color", "tmux-256color", "xterm"])
def test_search_open_step_resize_and_quit_in_a_real_terminal(terminal, command, env, tmp_path, term):
    if not _has_terminfo(term):
        pytest.skip(f"no terminfo entry for {term} here")
    terminal.start(command, {**env, "TERM": term})
    terminal.wait_for("14 documents", "Search:", "results  corpus")  # 120 columns: the sidebar shows
    terminal.keys("/")
    terminal.text("nvidia")
    terminal.wait_for("5 hits")
    terminal.keys("Enter")
    terminal.keys("Enter")
    screen = terminal.wait_for("match 1/", "│")
    assert "NVIDIA" in screen or "Nvidia" in screen or "nvidia" in screen
    total = screen.split("match 1/")[1].split()[0]
    terminal.keys("n")
    terminal.wait_for(f"match 2/{total}")
    terminal.keys("N")
    terminal.wait_for(f"match 1/{total}")
    terminal.tmux("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
    # Redrawn for 80x24: the status line moved up into the 24 rows, the sidebar folded away.
    screen = terminal.wait_for(f"match 1/{total}", " · 14 documents")
    assert "results  corpus" not in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    terminal.keys("q")
    terminal.wait_for("DOSSIER-EXITED-0")
    state = json.loads(next((tmp_path / "state").rglob("browser.json")).read_text())
    assert state["query"] == "nvidia" and state["doc_id"]


def test_a_dropped_connection_exits_cleanly_and_keeps_the_state(terminal, command, env, tmp_path):
    terminal.start(command, env)
    terminal.wait_for("14 documents")
    terminal.keys("/")
    terminal.text("deepseek")
    terminal.wait_for("hits")
    pid = int(terminal.tmux("list-panes", "-t", "e2e", "-F", "#{pane_pid}").strip())
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert children, "dossier runs under the pane's shell"
    app = int(children[0])
    os.kill(app, 1)  # SIGHUP, as when the SSH connection drops
    screen = terminal.wait_for("DOSSIER-EXITED-", timeout=10)
    assert "DOSSIER-EXITED-129" in screen
    state = json.loads(next((tmp_path / "state").rglob("browser.json")).read_text())
    assert state["query"] == "deepseek"


def test_without_colour_matches_and_the_current_match_differ_by_attributes(terminal, command, env):
    """NO_COLOR on a 16-colour xterm: matches are underlined, the current match is reversed."""
    import re

    terminal.start(command, {**env, "TERM": "xterm", "NO_COLOR": "1"})
    terminal.wait_for("14 documents")
    terminal.keys("/")
    terminal.text("nvidia")
    terminal.wait_for("5 hits")
    terminal.keys("Enter", "Enter", "n")
    terminal.wait_for("match 2/")
    screen = terminal.tmux("capture-pane", "-e", "-p", "-t", "e2e")
    styled, active = [], set()
    for codes, text in re.findall(r"\x1b\[([0-9;]*)m([^\x1b]*)", screen):
        for code in codes.split(";"):
            if code in ("", "0"):
                active = set()
            elif code in ("1", "4", "7"):
                active.add(code)
            elif code in ("22", "24", "27"):
                active.discard(code[1])
        styled.append((frozenset(active), text))
    reversed_ = [text for codes, text in styled if "7" in codes and text.strip().lower() == "nvidia"]
    underlined = [text for codes, text in styled if "4" in codes and "7" not in codes and text.lower() == "nvidia"]
    assert len(reversed_) == 1, "exactly one current match, shown reversed"
    assert underlined, "the other matches are underlined"


@pytest.mark.parametrize("key", ["q", "C-c"])
def test_quit_keys_leave_the_terminal_as_it_was(terminal, command, env, key):
    terminal.start(command, env)
    terminal.wait_for("14 documents")
    terminal.keys(key)
    screen = terminal.wait_for("DOSSIER-EXITED-0")
    assert "14 documents" not in screen  # back from the alternate screen, nothing left drawn


def test_the_terminal_going_away_ends_the_process(terminal, command, env, tmp_path):
    """Closing the terminal itself (the whole tmux server, as a dropped SSH session closes the
    pty) must not leave dossier behind, blocked writing to a terminal that is gone."""
    terminal.start(command, env)
    terminal.wait_for("14 documents")
    terminal.keys("/")
    terminal.text("deepseek")
    terminal.wait_for("hits")
    pid = int(terminal.tmux("list-panes", "-t", "e2e", "-F", "#{pane_pid}").strip())
    app = int(Path(f"/proc/{pid}/task/{pid}/children").read_text().split()[0])
    terminal.kill()
    deadline = time.monotonic() + 15
    while Path(f"/proc/{app}").exists() and time.monotonic() < deadline:
        status = Path(f"/proc/{app}/stat").read_text().split()[2] if Path(f"/proc/{app}/stat").exists() else "X"
        if status == "Z":  # exited, waiting for its parent to reap it
            break
        time.sleep(0.05)
    alive = Path(f"/proc/{app}/stat").exists() and Path(f"/proc/{app}/stat").read_text().split()[2] != "Z"
    if alive:
        os.kill(app, 9)
    assert not alive, "dossier was still running after its terminal went away"
    state = json.loads(next((tmp_path / "state").rglob("browser.json")).read_text())
    assert state["query"] == "deepseek"


def test_without_a_terminal_the_command_says_so_in_one_line(command, env):
    proc = subprocess.run(command.split(), capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, **env}, timeout=30)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "needs a terminal" in proc.stderr
