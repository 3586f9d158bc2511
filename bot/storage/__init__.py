"""Storage: the SQLite database and its migrations, form drafts, backups."""
