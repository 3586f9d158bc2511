-- Issue 7: announcements. Bulk rows (one announcement to thousands) go after every other
-- due message, so a reminder, a reply or a progress edit never waits behind them.
ALTER TABLE outbox ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(status, bulk, due_at);

ALTER TABLE broadcasts ADD COLUMN session_kind TEXT NOT NULL DEFAULT 'other';
-- 1: the title is the session kind's name, shown translated; 0: the typed title, as typed.
ALTER TABLE broadcasts ADD COLUMN title_from_kind INTEGER NOT NULL DEFAULT 0;
-- Counted when it goes: who the audience left out, and who got Dutch and English.
ALTER TABLE broadcasts ADD COLUMN released_at TEXT;
ALTER TABLE broadcasts ADD COLUMN left_out_stopped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN left_out_not_linked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN without_text INTEGER NOT NULL DEFAULT 0;
-- The live progress message: how often it was edited, and what it says now.
ALTER TABLE broadcasts ADD COLUMN progress_edits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN progress_text TEXT NOT NULL DEFAULT '';
ALTER TABLE broadcasts ADD COLUMN finished_at TEXT;
