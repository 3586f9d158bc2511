-- Issue 23: consent first. The caseworker asks the newcomer themselves (a message with
-- ✅/❌ in their language) or records consent given on paper or in person, before the
-- rest of the note is written.

-- One question to a newcomer: may this go to that organisation, for this purpose?
-- `draft` holds the handover form's answers (already redacted) while the caseworker has
-- put the note aside to wait for the answer; it goes when the question is answered no,
-- the note is posted, or the question expires (`expires_at`, handover.consent_wait_days).
CREATE TABLE handover_consent_requests (
    id              INTEGER PRIMARY KEY,
    newcomer_id     INTEGER NOT NULL REFERENCES newcomers(id) ON DELETE CASCADE,
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('referral', 'handover')),
    channel         TEXT NOT NULL,                -- how it was asked: 'telegram' (SMS: issue 21)
    status          TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (status IN ('waiting', 'agreed', 'refused', 'used')),
    draft           TEXT,
    asked_at        TEXT NOT NULL,
    answered_at     TEXT,
    expires_at      TEXT NOT NULL
);
CREATE INDEX handover_consent_requests_by_staff ON handover_consent_requests(staff_id, status);
CREATE INDEX handover_consent_requests_by_newcomer ON handover_consent_requests(newcomer_id);

-- Who gave the consent, and how: the newcomer themselves in Schakel ('newcomer'), on paper
-- ('paper') or in person ('in_person'), both recorded by the caseworker. Consents recorded
-- before this migration were the caseworker's word ('caseworker').
ALTER TABLE handover_consents ADD COLUMN given_by TEXT NOT NULL DEFAULT 'caseworker'
    CHECK (given_by IN ('caseworker', 'newcomer', 'paper', 'in_person'));
ALTER TABLE handover_notes ADD COLUMN consent_given_by TEXT NOT NULL DEFAULT 'caseworker'
    CHECK (consent_given_by IN ('caseworker', 'newcomer', 'paper', 'in_person'));
