-- Issue 21: SMS for newcomers without Telegram, in the same outbox.
-- Each row goes by one channel. An SMS row carries its number in the payload ("to"), and
-- after sending the gateway's id (sms_sid), the segments it cost and what the gateway's
-- status callbacks said (sms_status, sms_error: Twilio's error code).
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram'
    CHECK (channel IN ('telegram', 'sms'));
ALTER TABLE outbox ADD COLUMN sms_sid TEXT;
ALTER TABLE outbox ADD COLUMN sms_segments INTEGER;
ALTER TABLE outbox ADD COLUMN sms_status TEXT;
ALTER TABLE outbox ADD COLUMN sms_error INTEGER;
CREATE UNIQUE INDEX outbox_by_sms_sid ON outbox(sms_sid) WHERE sms_sid IS NOT NULL;

-- A newcomer's mobile number, kept for SMS only (forget-me and retention erase it):
--   sms_state  asked (the opt-in SMS went, no answer yet), agreed (their own JA),
--              stopped (STOP), unreachable (the number cannot get SMS)
-- (What the last SMS asked, and about which appointment, is the newest SMS row in the
-- outbox: an answer is read against it, bot/appointments/sms_inbox.py.)
ALTER TABLE newcomers ADD COLUMN sms_number TEXT;
ALTER TABLE newcomers ADD COLUMN sms_state TEXT
    CHECK (sms_state IN ('asked', 'agreed', 'stopped', 'unreachable'));
ALTER TABLE newcomers ADD COLUMN sms_agreed_at TEXT;
CREATE UNIQUE INDEX newcomers_by_sms_number ON newcomers(sms_number)
    WHERE sms_number IS NOT NULL;

-- Segments sent per calendar month (local time, '2026-11'), for the monthly budget; the
-- coordinators are told once when it is used up (budget_told_at).
CREATE TABLE sms_months (
    month          TEXT PRIMARY KEY,
    segments       INTEGER NOT NULL DEFAULT 0,
    budget_told_at TEXT
);
