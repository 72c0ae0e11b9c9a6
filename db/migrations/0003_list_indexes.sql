-- Indexes for the lists and /status on large ledgers (db/queries/measures-read.ts has the queries they serve).
-- Counts per department and status, a department's measures, the departments of a campaign:
CREATE INDEX `measures_campaign_department_idx` ON `measures` (`campaign_id`,`missing_from_source`,`lead_department_id`,`status`,`deadline_kind`,`due_date`);--> statement-breakpoint
-- /overdue and /due: a range of due dates in date order, the filters and the code tie-break read from the index:
CREATE INDEX `measures_campaign_due_idx` ON `measures` (`campaign_id`,`missing_from_source`,`due_date`,`status`,`deadline_kind`,`code`);--> statement-breakpoint
-- /mine: the measures assigned to a person in a campaign:
CREATE INDEX `measures_campaign_owner_idx` ON `measures` (`campaign_id`,`missing_from_source`,`owner_person_id`);--> statement-breakpoint
-- /status <类别>: the measures of a category's problems:
CREATE INDEX `measures_campaign_problem_idx` ON `measures` (`campaign_id`,`missing_from_source`,`problem_id`);
