-- The coordinators' figures of a period outlive the delivery records that the purge
-- removes after [retention] delivery_records: a reminder keeps what Telegram said when its
-- outbox row goes, and an announcement keeps its counts when its deliveries go.
ALTER TABLE reminders ADD COLUMN delivery TEXT CHECK (delivery IN ('sent', 'failed', 'skipped'));
-- NULL while the deliveries are there (then they are counted).
ALTER TABLE broadcasts ADD COLUMN kept_recipients INTEGER;
ALTER TABLE broadcasts ADD COLUMN kept_reached INTEGER;
ALTER TABLE broadcasts ADD COLUMN kept_coming INTEGER;
ALTER TABLE broadcasts ADD COLUMN kept_not_coming INTEGER;
