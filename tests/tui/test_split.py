"""The engine/UI split: the engine never imports Textual, so the CLI and other front ends can use it
without the UI, and the UI can only reach the index through ``index``'s public API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import index


def test_importing_every_engine_module_does_not_import_textual():
    modules = sorted(f"index.{p.stem}" for p in Path(index.__file__).parent.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_browser_never_imports_whoosh_itself():
    tui = Path(__file__).resolve().parents[2] / "tui"
    offenders = [str(p) for p in tui.rglob("*.py") if "import whoosh" in p.read_text() or "from whoosh" in p.read_text()]
    assert offenders == []
