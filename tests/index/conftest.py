"""Fixtures for engine tests: small corpora in tmp_path and libraries built on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Config, Library
from index.entities import EntityIndex
from index.ingest import read_documents
from index.models import Document
from index.paths import SEEDS


def make_library(corpus: Path, home: Path, **settings) -> Library:
    """A Library on ``corpus`` whose index and data live under ``home`` (never the real cache)."""
    return Library(Config(corpus=corpus, index_dir=home / "index", data_dir=home / "data",
                          state_dir=home / "state", **settings))


@pytest.fixture(scope="module")
def seeds_library(tmp_path_factory) -> Library:
    """The bundled seeds, copied, indexed once per test module."""
    root = tmp_path_factory.mktemp("seeds")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    library = make_library(corpus, root)
    library.update()
    return library


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


@pytest.fixture
def library(corpus, tmp_path) -> Library:
    return make_library(corpus, tmp_path)


def doc(doc_id: str, body: str, source: str | None = None) -> Document:
    return Document(id=doc_id, source=source or f"{doc_id}.txt", title=doc_id, body=body)


@pytest.fixture
def engine(tmp_path) -> EntityIndex:
    return EntityIndex(tmp_path / "index", tmp_path / "data", {})


def names(engine: EntityIndex) -> dict[str, object]:
    return {e.name: e for e in engine.entities()}


def docs_of(corpus: Path, name: str) -> list[Document]:
    return list(read_documents(corpus, name))
