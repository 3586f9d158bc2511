-- Issue 23 item 4 and issue 21 item 7: the figures partners report on.

-- SMS per period (bot/figures/sms.py): the few SMS rows among a city's millions of
-- outbox rows, by the moment they were queued, without reading the whole outbox.
CREATE INDEX outbox_sms_by_time ON outbox(created_at) WHERE channel = 'sms';

-- The no-show rate per channel outlives the purge of delivery records, as 0009's
-- `delivery` does for the reminders' figures: the channel a reminder went by.
ALTER TABLE reminders ADD COLUMN delivery_channel TEXT
    CHECK (delivery_channel IN ('telegram', 'sms'));

-- The SMS figures outlive the purge and "forget me" too: what each SMS row said when it
-- was removed, counted per hour it was queued (UTC text '2027-10-12T08'; Brussels'
-- midnights are whole UTC hours, so a period's bounds cut no hour), purpose and the
-- organisation that registered its newcomer (0: none). Counts only: no one is named.
CREATE TABLE sms_kept (
    hour            TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    organisation_id INTEGER NOT NULL DEFAULT 0,
    sent            INTEGER NOT NULL DEFAULT 0,
    delivered       INTEGER NOT NULL DEFAULT 0,
    failed          INTEGER NOT NULL DEFAULT 0,
    segments        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, purpose, organisation_id)
);

-- The few reminders that kept an SMS (for the no-show rate per channel, bot/figures/queries.py).
CREATE INDEX reminders_by_sms ON reminders(appointment_id) WHERE delivery_channel = 'sms';
