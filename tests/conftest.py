"""Shared fixtures: every test runs with its own per-user directories, so no test touches the
real cache or data of the person running the suite, and no test sees another's index."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory, monkeypatch):
    """Point XDG cache/data/state at fresh temporary directories (platformdirs honours them)."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        path = home / var.lower()
        path.mkdir()
        monkeypatch.setenv(var, str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home
