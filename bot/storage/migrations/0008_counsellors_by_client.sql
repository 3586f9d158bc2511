-- Issue 9 (scale): the contact card, the reminder's "who to call" and the attendance
-- question look up a newcomer's counsellors by client. Without this index each look read
-- the whole table (250,000 rows for 100,000 newcomers: about 15 ms a look).
CREATE INDEX counsellors_by_client ON counsellors(client_id);
