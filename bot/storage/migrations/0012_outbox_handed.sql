-- Issue 18: after a crash only the rows actually handed to Telegram are flagged as possible
-- duplicates, not the whole claimed batch. The dispatcher writes `handed` just before a
-- row's request goes (bot/sending/outbox.py, the in-flight rule). Rows in flight under an
-- older Schakel may have been handed: they count as handed.
ALTER TABLE outbox ADD COLUMN handed INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET handed = 1 WHERE status = 'sending';
