-- Issue 23 item 4 and issue 21 item 7: the figures partners report on.

-- SMS per period (bot/figures/sms.py): the few SMS rows among a city's millions of
-- outbox rows, by the moment they were queued, without reading the whole outbox.
CREATE INDEX outbox_sms_by_time ON outbox(created_at) WHERE channel = 'sms';

-- The no-show rate per channel outlives the purge of delivery records, as 0009's
-- `delivery` does for the reminders' figures: the channel a reminder went by.
ALTER TABLE reminders ADD COLUMN delivery_channel TEXT
    CHECK (delivery_channel IN ('telegram', 'sms'));
