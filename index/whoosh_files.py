"""Opening a Whoosh index with its files memory-mapped (kept apart from store.py so that commands
which never read the full-text index, such as ``dossier entities``, never import whoosh)."""

from __future__ import annotations

import mmap
import os

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile


def open_mapped(path: str):
    """The Whoosh index in folder ``path``, its files read through memory maps."""
    return whoosh_index.FileIndex(_MappedStorage(path))


class _MappedStorage(FileStorage):
    """Index files opened memory-mapped (as Whoosh does for a compound segment file).

    With ``compound=False`` Whoosh reads each file with a seek and a read per access; looking up
    terms (thousands of reads for a fuzzy or prefix term) then took ~100 ms. A compound ``.seg``
    file of an older index is left to Whoosh, which maps it itself.
    """

    def open_file(self, name, **kwargs):
        if name.endswith(".seg") or kwargs:
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return super().open_file(name)
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return _MappedFile(data, name)


class _MappedFile(BufferFile):
    """A ``BufferFile`` reading straight from its memory map.

    ``BufferFile`` wraps its buffer in a ``BytesIO``, which copies it: opening a reader copied
    every term and posting file into memory (~50 ms and ~100 MB at 10,000 documents). The map
    itself reads, seeks and tells like a file; it is unmapped when the last view of it goes.
    """

    def __init__(self, data: mmap.mmap, name: str) -> None:
        self._buf = memoryview(data)
        self._name = name
        self.file = data
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def close(self) -> None:
        if self.is_closed:
            raise Exception("This file is already closed")
        self.is_closed = True  # views of the map may still be alive: no mmap.close() here
