-- Append one decision to the audit log of the contributions database (never updated or
-- deleted): contributions and import submissions alike.
-- Params: $kind ('contribution' | 'import'), $id, $status, $previous, $by, $at, $note.
INSERT INTO review_log VALUES ($kind, $id, $status, $previous, $by, $at, $note)
