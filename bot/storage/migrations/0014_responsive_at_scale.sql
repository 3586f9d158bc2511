-- Issue 20: responsive at a city's scale.

-- The figures and the export of a period read the appointments that start in it: with
-- only (status, starts_at) and (newcomer_id, status, starts_at) SQLite read them all.
CREATE INDEX appointments_by_start_day ON appointments(starts_at);

-- "Forget me" drops the text of settled messages to staff that name the newcomer. Only
-- those (no newcomer of their own) can name someone else; the newcomer's own messages
-- go by outbox_by_newcomer. This index finds the few to staff among a city's millions
-- of reminders, instead of a scan of the whole outbox under the write lock.
CREATE INDEX outbox_settled_to_staff ON outbox(id)
    WHERE newcomer_id IS NULL AND status IN ('sent', 'failed', 'skipped');

-- An announcement goes to the outbox in chunks of a few hundred rows, each its own
-- transaction, so the first messages leave while the rest is written. 1 while chunks
-- are still to be written: a restart finishes the release (the idempotency keys keep
-- every recipient to one message), and no report is sent before it is complete.
ALTER TABLE announcements ADD COLUMN releasing INTEGER NOT NULL DEFAULT 0;
