"""Fixtures for the browser tests: the seeds indexed once per session, and per test a Library on
that index with its own state and data directories (so restore-on-start and entity corrections
never leak between tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Config, Library
from index.paths import SEEDS


@pytest.fixture(scope="session")
def seeds_home(tmp_path_factory) -> Path:
    """A copy of the seeds with its index built once: ``corpus/`` and ``index/`` under the path."""
    root = tmp_path_factory.mktemp("tui-seeds")
    shutil.copytree(SEEDS, root / "corpus")
    Library(Config(corpus=root / "corpus", index_dir=root / "index", data_dir=root / "data",
                   state_dir=root / "state")).update()
    return root


def library_on(corpus: Path, index: Path, home: Path) -> Library:
    return Library(Config(corpus=corpus, index_dir=index, data_dir=home / "data", state_dir=home / "state"))


@pytest.fixture
def library(seeds_home, tmp_path) -> Library:
    """The indexed seeds, with this test's own state and data directories."""
    return library_on(seeds_home / "corpus", seeds_home / "index", tmp_path)


@pytest.fixture
def make_app(library):
    """Build a DossierApp on ``library`` (or another Library given)."""
    from tui.app import DossierApp

    def make(lib: Library | None = None) -> DossierApp:
        return DossierApp(lib or library)

    return make
