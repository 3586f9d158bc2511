-- Issue 23, towards a new appointment: after "I can't come" or a missed appointment the
-- newcomer says when they could come (a weekday and morning or afternoon, or a short typed
-- line), and their contact person sees it on the sheet and in /week.
-- One open wish per newcomer, minimal: no reason, no history. It goes when a new
-- appointment is planned for them, by "forget me", and with the form drafts' retention.
CREATE TABLE appointment_wishes (
    newcomer_id    INTEGER PRIMARY KEY REFERENCES newcomers(id) ON DELETE CASCADE,
    -- The appointment they could not come to or missed (gone with its own retention).
    appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
    weekday        INTEGER CHECK (weekday BETWEEN 0 AND 4),          -- Monday 0 .. Friday 4
    part           TEXT CHECK (part IN ('morning', 'afternoon')),
    typed          TEXT NOT NULL DEFAULT '',                         -- redacted, short
    typing_since   TEXT,                 -- "I'll type it" pressed: their next text is the wish
    asked_at       TEXT NOT NULL,        -- names the notice to the contact person
    updated_at     TEXT NOT NULL
);
