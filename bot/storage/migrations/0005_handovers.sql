-- Issue 6, warm handover: each note gets its own pseudonymous reference (the partner
-- group never sees the newcomer's), the reason a partner declined, and when it was last
-- raised again; consent per receiving organisation and purpose; the partner group an
-- admin linked from inside it.

ALTER TABLE handover_notes ADD COLUMN reference TEXT;
ALTER TABLE handover_notes ADD COLUMN decline_reason TEXT
    CHECK (decline_reason IN ('no_capacity', 'not_our_service', 'other_region', 'other'));
ALTER TABLE handover_notes ADD COLUMN raised_at TEXT;      -- last time raised again
ALTER TABLE handover_notes ADD COLUMN raise_count INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX handover_notes_reference ON handover_notes(reference);
CREATE INDEX handover_notes_open ON handover_notes(status, created_at);
CREATE INDEX handover_notes_by_client ON handover_notes(client_id, created_at);

-- "The newcomer agreed that I share this with that organisation, for this purpose."
CREATE TABLE handover_consents (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('referral', 'handover')),
    agreed_on       TEXT NOT NULL,      -- the local date the newcomer said yes: 2027-03-22
    recorded_by     INTEGER NOT NULL REFERENCES staff(id),
    recorded_at     TEXT NOT NULL
);
CREATE INDEX handover_consents_by_client ON handover_consents(client_id, organisation_id, purpose);

-- Settings changed from inside Telegram (the partner group), not in config.toml.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by INTEGER REFERENCES staff(id),
    updated_at TEXT NOT NULL
);
