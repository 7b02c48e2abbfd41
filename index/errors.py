"""Errors meant for the user: each message is one line naming the file or value at fault."""


class DossierError(Exception):
    """Base of every error the CLI prints as one line (exit status 1) instead of a traceback."""


class ConfigError(DossierError):
    """config.yaml cannot be used."""


class CorpusError(DossierError):
    """The corpus folder is missing or unreadable."""


class UnknownDocument(DossierError, LookupError):
    """No document has this id."""


class IndexDamaged(DossierError):
    """A file of the index turned out damaged while being read: the index is marked for a
    rebuild, and the command can rebuild it and try again. The message names the file."""
