-- Issue 9, retention. The audit log stays append-only for everyone but `schakel purge`
-- (bot/retention.py): an entry can be deleted only when it is older than the moment kept
-- in audit_retention. Between purges that moment is empty, so every delete is refused as
-- before; a purge sets it, deletes and empties it again in one transaction. The moment can
-- never be later than 365 days before now by the database's own clock, so no setting, no
-- wrong application clock and no bug can erase an entry younger than a year.
-- Updates stay refused always (audit_log_no_update from migration 0001).

CREATE TABLE audit_retention (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    before TEXT NOT NULL      -- UTC text like audit_log.at; '' between purges
);
INSERT INTO audit_retention (id, before) VALUES (1, '');

CREATE TRIGGER audit_retention_at_least_a_year BEFORE UPDATE ON audit_retention
WHEN NEW.before > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-365 days')
BEGIN SELECT RAISE(ABORT, 'audit_log entries younger than 365 days are never deleted'); END;
-- The one row stays: without it the delete trigger below would compare with NULL.
CREATE TRIGGER audit_retention_no_insert BEFORE INSERT ON audit_retention
BEGIN SELECT RAISE(ABORT, 'audit_retention has exactly one row'); END;
CREATE TRIGGER audit_retention_no_delete BEFORE DELETE ON audit_retention
BEGIN SELECT RAISE(ABORT, 'audit_retention has exactly one row'); END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.at >= coalesce((SELECT before FROM audit_retention WHERE id = 1), '')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The purge finds a subject's messages (appointment:12, note:H-7F3Q, broadcast:3) by ref.
CREATE INDEX outbox_by_ref ON outbox(ref);
-- Deleting an outbox row checks that no reminder or delivery still points at it: without
-- these indexes each check reads the whole table, and a purge of many rows takes hours.
CREATE INDEX reminders_by_outbox ON reminders(outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX broadcast_deliveries_by_outbox ON broadcast_deliveries(outbox_id)
    WHERE outbox_id IS NOT NULL;
