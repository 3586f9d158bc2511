-- Issue 5: reminders planned per appointment, attendance ("Opgedaagd?"), why a newcomer
-- cannot come, where an appointment came from, and drafts of forms staff fill in by chat.

-- SQLite cannot change a CHECK constraint in place: rebuild appointments with 'moved'.
CREATE TABLE appointments_new (
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
    source               TEXT NOT NULL DEFAULT 'chat' CHECK (source IN ('chat', 'import')),
    status               TEXT NOT NULL DEFAULT 'planned'
                         CHECK (status IN ('planned', 'cancelled', 'attended', 'no_show', 'moved')),
    answer               TEXT CHECK (answer IN ('coming', 'not_coming')),
    answer_reason        TEXT CHECK (answer_reason IN ('ill', 'work', 'dutch_class', 'other')),
    answered_at          TEXT,
    attendance_asked_at  TEXT,
    attendance_by        INTEGER REFERENCES staff(id),
    attendance_at        TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
INSERT INTO appointments_new (id, client_id, kind, starts_at, place, with_whom,
    interpreter_language, created_by, status, answer, answered_at, created_at, updated_at)
SELECT id, client_id, kind, starts_at, place, with_whom, interpreter_language, created_by,
    status, answer, answered_at, created_at, updated_at FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_new RENAME TO appointments;
CREATE INDEX appointments_by_client ON appointments(client_id, starts_at);
-- The overview (today, this week) and the attendance question look by start time.
CREATE INDEX appointments_by_start ON appointments(status, starts_at);

-- One row per appointment, planned start and offset: a reminder is queued at most once.
-- A change of time plans new rows (the old ones become 'cancelled').
CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    starts_at      TEXT NOT NULL,              -- the start this reminder was planned for
    offset_minutes INTEGER NOT NULL,           -- 4320 = three days before
    due_at         TEXT,                       -- UTC; NULL when skipped at planning
    status         TEXT NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'queued', 'skipped', 'cancelled')),
    moved          INTEGER NOT NULL DEFAULT 0, -- moved out of quiet hours
    late           INTEGER NOT NULL DEFAULT 0, -- queued well after its due time (downtime)
    reason         TEXT,                       -- why skipped or cancelled
    outbox_id      INTEGER REFERENCES outbox(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (appointment_id, starts_at, offset_minutes)
);
CREATE INDEX reminders_due ON reminders(status, due_at);

-- A form a staff member is filling in by chat, one at a time, kept across restarts.
CREATE TABLE drafts (
    staff_id   INTEGER PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,
    form       TEXT NOT NULL,     -- appointment, ...
    step       TEXT NOT NULL,
    data       TEXT NOT NULL,     -- JSON
    updated_at TEXT NOT NULL
);
