-- A copy of a workshop keeps its source's title and records the source's
-- join code as a fact, which pages put into words ("Copy of K7QF-M2XD");
-- until now the English words "Copy of " were written into the title.
-- The code, not a reference: it stays true when the source is deleted.
-- Existing titles stay as they are: they may have been edited since.
ALTER TABLE workshops ADD COLUMN copied_from TEXT CHECK (copied_from IS NULL OR length(copied_from) = 8);
