-- Issue 9 (scale: 100,000 newcomers, a million reminders waiting). Each index is for a
-- look-up that otherwise read a whole table (times measured at that scale).

-- The contact card, a reminder's "who to call" and the attendance question read a
-- newcomer's counsellors (250,000 rows: about 15 ms a look).
CREATE INDEX counsellors_by_client ON counsellors(client_id);
-- A newcomer's upcoming appointments (client, planned, from now): with only (client_id,
-- starts_at) SQLite chose appointments_by_start (status, starts_at) and read every
-- planned appointment of everyone. With the status in it, it goes straight to the few.
DROP INDEX appointments_by_client;
CREATE INDEX appointments_by_client ON appointments(client_id, status, starts_at);
-- What is stored about a newcomer (/gegevens), "forget me", and erasing their messages.
CREATE INDEX outbox_by_client ON outbox(client_id);
-- (The rows that point at outbox rows are indexed since 0008, for the purge.)
-- A new link for a newcomer stops their open ones.
CREATE INDEX client_invites_by_client ON client_invites(client_id);
