-- Issue 7 groundwork: tags on newcomers, so a coordinator can announce a session to
-- e.g. everyone with "professioneel perspectief"; what an announcement needs besides
-- migration 0002 (the session's language, interpreters, the day-before reminder).

CREATE TABLE client_tags (
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL COLLATE NOCASE,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (client_id, tag)
);
CREATE INDEX client_tags_by_tag ON client_tags(tag);

ALTER TABLE broadcasts ADD COLUMN session_language TEXT NOT NULL DEFAULT 'nl';
ALTER TABLE broadcasts ADD COLUMN interpreter_languages TEXT NOT NULL DEFAULT '';  -- space-separated
ALTER TABLE broadcasts ADD COLUMN reminded_at TEXT;   -- the day-before reminder was queued
CREATE INDEX broadcast_deliveries_by_client ON broadcast_deliveries(client_id);
