-- "Forget me": the client row stays as an anonymous count (kind of appointments,
-- answers, dates); the name, Telegram ids and level are erased and this is set.
ALTER TABLE clients ADD COLUMN forgotten_at TEXT;
