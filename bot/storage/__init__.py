"""Storage: the SQLite database, its migrations and what counts as one (schema.py), the
lock that keeps it to one process (lock.py), form drafts, backups."""
