-- Core: organisations, staff, clients and their counsellors, invites, outbox, audit log.
-- Every time is UTC text in the form 2026-11-22T14:00:00.000000Z, so text order is time order.

CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    short_name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    opening_hours TEXT NOT NULL DEFAULT ''
);

CREATE TABLE staff (
    id               INTEGER PRIMARY KEY,
    telegram_user_id INTEGER NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('caseworker', 'coordinator', 'admin')),
    organisation_id  INTEGER REFERENCES organisations(id),
    phone            TEXT NOT NULL DEFAULT '',
    hours            TEXT NOT NULL DEFAULT '',
    languages        TEXT NOT NULL DEFAULT 'nl',   -- space-separated codes, spoken by this person
    language         TEXT NOT NULL DEFAULT 'nl',   -- the language Schakel writes to them in
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL
);

-- Only a hash of each invite token is kept: a copy of the database cannot be used to join.
CREATE TABLE staff_invites (
    token_hash      TEXT PRIMARY KEY,
    role            TEXT NOT NULL CHECK (role IN ('caseworker', 'coordinator', 'admin')),
    organisation_id INTEGER REFERENCES organisations(id),
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT,
    used_by         INTEGER REFERENCES staff(id),
    revoked_at      TEXT
);

CREATE TABLE clients (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,          -- pseudonymous, e.g. K-7F3Q
    first_name         TEXT NOT NULL,                 -- first name or nickname only
    language           TEXT NOT NULL,
    dutch_level        TEXT,
    telegram_user_id   INTEGER UNIQUE,
    chat_id            INTEGER UNIQUE,                -- set once the invite link is used
    consent_at         TEXT,
    status             TEXT NOT NULL DEFAULT 'invited'
                       CHECK (status IN ('invited', 'active', 'stopped', 'unreachable')),
    created_by         INTEGER REFERENCES staff(id),
    created_at         TEXT NOT NULL
);

CREATE TABLE client_invites (
    token_hash TEXT PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES staff(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    revoked_at TEXT
);

-- The counsellors involved with a client; exactly one of them is the single point of contact.
CREATE TABLE counsellors (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    staff_id        INTEGER REFERENCES staff(id),
    name            TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations(id),
    role            TEXT NOT NULL CHECK (role IN (
                        'caseworker', 'civic_integration', 'social_worker',
                        'job_coach', 'teacher', 'buddy')),
    is_contact      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX counsellors_one_contact ON counsellors(client_id) WHERE is_contact = 1;
CREATE INDEX counsellors_by_staff ON counsellors(staff_id);

-- Every message Schakel sends goes through here (see bot/outbox.py for the states).
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    chat_id             INTEGER NOT NULL,
    client_id           INTEGER REFERENCES clients(id) ON DELETE CASCADE,
    purpose             TEXT NOT NULL,        -- what kind of message: reply, notice, reminder, ...
    ref                 TEXT,                 -- what it is about, e.g. appointment:12
    payload             TEXT NOT NULL,        -- JSON: text, buttons
    due_at              TEXT NOT NULL,
    idempotency_key     TEXT NOT NULL UNIQUE,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    reason              TEXT,
    attempts            INTEGER NOT NULL DEFAULT 0,
    recovered           INTEGER NOT NULL DEFAULT 0,  -- 1 once put back after a crash in flight
    possible_duplicate  INTEGER NOT NULL DEFAULT 0,
    telegram_message_id INTEGER,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    sent_at             TEXT
);
CREATE INDEX outbox_due ON outbox(status, due_at);

-- Append-only: the triggers refuse every change and every deletion.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,      -- staff:3, client:K-7F3Q, system, cli
    action       TEXT NOT NULL,
    subject      TEXT,               -- client:K-7F3Q, note:4, staff:2
    detail       TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
