-- Deadline kind 'unset' (时限待定): a measure whose source states no deadline. deadline_kind is a plain
-- text column (no CHECK constraint in 0000_init), so the new kind needs no schema change; this only
-- re-labels the measures that were stored as 长期坚持 because their source stated nothing.
-- Safe: every importer stored a stated 长期坚持 (or 持续推进/常态化/立行立改…) with its words in
-- deadline_text and a stated date with due_date; only "nothing stated" was stored as 'ongoing' with
-- no text and no date. Those, and only those, change; version moves so cards showing them refresh.
UPDATE `measures` SET `deadline_kind` = 'unset', `version` = `version` + 1
WHERE `deadline_kind` = 'ongoing' AND (`deadline_text` IS NULL OR trim(`deadline_text`) = '') AND `due_date` IS NULL;
