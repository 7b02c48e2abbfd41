"""Errors meant for the user: each message is one line naming the file or value at fault."""


class DossierError(Exception):
    """Base of every error the CLI prints as one line (exit status 1) instead of a traceback."""


class ConfigError(DossierError):
    """config.yaml cannot be used."""


class CorpusError(DossierError):
    """The corpus folder is missing or unreadable."""


class UnknownDocument(DossierError, LookupError):
    """No document has this id."""
