-- Appointments with their reminders, handover notes with consent, broadcasts with deliveries.

CREATE TABLE appointments (
    id                   INTEGER PRIMARY KEY,
    client_id            INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL CHECK (kind IN (
                             'duo_intake', 'job_coach', 'social_worker',
                             'civic_integration', 'info_session', 'other')),
    starts_at            TEXT NOT NULL,
    place                TEXT NOT NULL,
    with_whom            TEXT NOT NULL DEFAULT '',
    interpreter_language TEXT,
    created_by           INTEGER REFERENCES staff(id),
    status               TEXT NOT NULL DEFAULT 'planned'
                         CHECK (status IN ('planned', 'cancelled', 'attended', 'no_show')),
    answer               TEXT CHECK (answer IN ('coming', 'not_coming')),
    answered_at          TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX appointments_by_client ON appointments(client_id, starts_at);

CREATE TABLE handover_notes (
    id                  INTEGER PRIMARY KEY,
    client_id           INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    author_id           INTEGER NOT NULL REFERENCES staff(id),
    from_organisation   INTEGER NOT NULL REFERENCES organisations(id),
    to_organisation     INTEGER NOT NULL REFERENCES organisations(id),
    to_staff_id         INTEGER REFERENCES staff(id),
    reason              TEXT NOT NULL CHECK (reason IN ('referral', 'handover')),
    body                TEXT NOT NULL,          -- JSON of the structured note, redacted
    consent_at          TEXT NOT NULL,          -- no note without the newcomer's consent
    status              TEXT NOT NULL DEFAULT 'posted'
                        CHECK (status IN ('posted', 'taken_over', 'declined')),
    channel_message_id  INTEGER,
    decided_by          INTEGER REFERENCES staff(id),
    decided_at          TEXT,
    created_at          TEXT NOT NULL
);

CREATE TABLE broadcasts (
    id            INTEGER PRIMARY KEY,
    author_id     INTEGER NOT NULL REFERENCES staff(id),
    title         TEXT NOT NULL,
    starts_at     TEXT,
    place         TEXT NOT NULL DEFAULT '',
    audience      TEXT NOT NULL,               -- JSON filter
    texts         TEXT NOT NULL,               -- JSON: language -> text
    send_at       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
    created_at    TEXT NOT NULL
);

CREATE TABLE broadcast_deliveries (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    client_id    INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    outbox_id    INTEGER REFERENCES outbox(id),
    rsvp         TEXT CHECK (rsvp IN ('coming', 'not_coming')),
    rsvp_at      TEXT,
    PRIMARY KEY (broadcast_id, client_id)
);
