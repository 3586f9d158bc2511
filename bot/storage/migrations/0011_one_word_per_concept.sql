-- Issue 17: one word per concept in code, database and docs (the glossary in DESIGN.md):
-- "newcomer", not "client"; "announcement", not "broadcast". Tables, columns and indexes
-- are renamed (SQLite rewrites the foreign keys that point at a renamed table or column),
-- and so are the words inside stored keys: outbox references and idempotency keys
-- (client:K-7F3Q, broadcast:3:...), the outbox purpose, audit actors, subjects and
-- actions (client.forget), and the answers kept in form drafts. Nothing a person reads
-- changes: commands (/client, /clienten), invite links (c_...) and button data (v1:cl:)
-- stay as they are, since they live on in chats and on printed cards.

ALTER TABLE clients RENAME TO newcomers;
ALTER TABLE client_invites RENAME TO newcomer_invites;
ALTER TABLE client_tags RENAME TO newcomer_tags;
ALTER TABLE broadcasts RENAME TO announcements;
ALTER TABLE broadcast_deliveries RENAME TO announcement_deliveries;

ALTER TABLE newcomer_invites RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE newcomer_tags RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE counsellors RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE outbox RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE appointments RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE handover_notes RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE handover_consents RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE announcement_deliveries RENAME COLUMN client_id TO newcomer_id;
ALTER TABLE announcement_deliveries RENAME COLUMN broadcast_id TO announcement_id;

-- SQLite cannot rename an index: each is made again under its new name.
DROP INDEX appointments_by_client;
CREATE INDEX appointments_by_newcomer ON appointments(newcomer_id, status, starts_at);
DROP INDEX broadcast_deliveries_by_client;
CREATE INDEX announcement_deliveries_by_newcomer ON announcement_deliveries(newcomer_id);
DROP INDEX broadcast_deliveries_by_outbox;
CREATE INDEX announcement_deliveries_by_outbox ON announcement_deliveries(outbox_id)
    WHERE outbox_id IS NOT NULL;
DROP INDEX client_invites_by_client;
CREATE INDEX newcomer_invites_by_newcomer ON newcomer_invites(newcomer_id);
DROP INDEX client_tags_by_tag;
CREATE INDEX newcomer_tags_by_tag ON newcomer_tags(tag);
DROP INDEX counsellors_by_client;
CREATE INDEX counsellors_by_newcomer ON counsellors(newcomer_id);
DROP INDEX handover_consents_by_client;
CREATE INDEX handover_consents_by_newcomer
    ON handover_consents(newcomer_id, organisation_id, purpose);
DROP INDEX handover_notes_by_client;
CREATE INDEX handover_notes_by_newcomer ON handover_notes(newcomer_id, created_at);
DROP INDEX outbox_by_client;
CREATE INDEX outbox_by_newcomer ON outbox(newcomer_id);

-- The words inside stored keys. A key keeps working as a key: the code writes the new
-- form from now on, and an old row must still match it (one reminder, one message).
UPDATE outbox SET
    ref = replace(replace(ref, 'client:', 'newcomer:'), 'broadcast:', 'announcement:'),
    idempotency_key = replace(replace(idempotency_key, 'client:', 'newcomer:'),
                              'broadcast:', 'announcement:'),
    purpose = CASE purpose WHEN 'broadcast' THEN 'announcement' ELSE purpose END
WHERE ref LIKE '%client:%' OR ref LIKE '%broadcast:%'
   OR idempotency_key LIKE '%client:%' OR idempotency_key LIKE '%broadcast:%'
   OR purpose = 'broadcast';
UPDATE drafts SET data = replace(replace(data, '"client', '"newcomer'), '"broadcast', '"announcement');

-- The audit log is append-only; this one rewrite of its words is the only exception, made
-- with the guard lifted inside this migration's transaction and put back at once.
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET
    actor = replace(actor, 'client:', 'newcomer:'),
    subject = replace(replace(subject, 'client:', 'newcomer:'), 'broadcast:', 'announcement:'),
    action = CASE
        WHEN action LIKE 'client.%' THEN 'newcomer.' || substr(action, 8)
        WHEN action LIKE 'broadcast.%' THEN 'announcement.' || substr(action, 11)
        ELSE action END
WHERE actor LIKE 'client:%' OR subject LIKE '%client:%' OR subject LIKE '%broadcast:%'
   OR action LIKE 'client.%' OR action LIKE 'broadcast.%';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
