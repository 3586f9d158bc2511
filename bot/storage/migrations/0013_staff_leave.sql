-- Issue 18: staff leave. `active` (since 0001) says whether a staff member may use
-- Schakel; this says since when they may not, for the admin's list (/medewerkers).
-- Who did it and what went with it (newcomers handed on, invites revoked) is in the
-- audit log. Reactivation sets it back to NULL.
ALTER TABLE staff ADD COLUMN deactivated_at TEXT;

-- A leaver's open invites are found by their maker.
CREATE INDEX newcomer_invites_by_maker ON newcomer_invites(created_by) WHERE used_at IS NULL;
CREATE INDEX staff_invites_by_maker ON staff_invites(created_by) WHERE used_at IS NULL;

-- Nothing more reaches a former staff member: whatever is still written to their chat
-- (an attendance question, a notice about a handover note or an announcement they
-- wrote, all naming newcomers) is skipped with a reason as it is stored. Two exceptions:
-- a reply (the door answers them only with "your access ended") and a chat that is also
-- a newcomer's (they keep their own messages as a newcomer).
CREATE TRIGGER outbox_not_to_former_staff AFTER INSERT ON outbox
WHEN NEW.status = 'pending' AND NEW.purpose <> 'reply'
     AND EXISTS (SELECT 1 FROM staff WHERE telegram_user_id = NEW.chat_id AND active = 0)
     AND NOT EXISTS (SELECT 1 FROM newcomers WHERE chat_id = NEW.chat_id)
BEGIN
    UPDATE outbox SET status = 'skipped', reason = 'staff access ended' WHERE id = NEW.id;
END;
