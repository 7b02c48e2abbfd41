"""The version of the index schema: bump it whenever analysis.py or the schema changes (a stored
index of another version is rebuilt automatically). Kept apart from analysis.py, which imports
whoosh, so that checking an index's freshness never has to."""

SCHEMA_VERSION = 6
