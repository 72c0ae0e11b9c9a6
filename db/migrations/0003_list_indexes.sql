-- Indexes for the lists and /status on large ledgers (db/queries/measures-read.ts has the queries they serve).
-- Counts per department and status, a department's measures, the departments of a campaign:
CREATE INDEX `measures_campaign_department_idx` ON `measures` (`campaign_id`,`missing_from_source`,`lead_department_id`,`status`,`deadline_kind`,`due_date`);--> statement-breakpoint
-- /overdue and /due: a range of due dates already in list order (date, then code as codeOrderOf in db/schema.ts
-- orders it), so a page is read off the index without sorting; the filters are read from it too:
CREATE INDEX `measures_campaign_due_idx` ON `measures` (`campaign_id`,`missing_from_source`,`due_date`,case when `code` not glob '*[^0-9.]*' then cast(json_extract('["' || replace(`code`, '.', '","') || '"]', '$[0]') as integer) end, case when `code` not glob '*[^0-9.]*' then cast(json_extract('["' || replace(`code`, '.', '","') || '"]', '$[1]') as integer) end, case when `code` not glob '*[^0-9.]*' then cast(json_extract('["' || replace(`code`, '.', '","') || '"]', '$[2]') as integer) end, case when `code` not glob '*[^0-9.]*' then cast(json_extract('["' || replace(`code`, '.', '","') || '"]', '$[3]') as integer) end, case when `code` not glob '*[^0-9.]*' then cast(json_extract('["' || replace(`code`, '.', '","') || '"]', '$[4]') as integer) end, case when `code` not glob '*[^0-9.]*' then cast(json_extract('["' || replace(`code`, '.', '","') || '"]', '$[5]') as integer) end,`code`,`status`,`deadline_kind`);--> statement-breakpoint
-- /mine and an owner's /due: the measures assigned to a person in a campaign:
CREATE INDEX `measures_campaign_owner_idx` ON `measures` (`campaign_id`,`missing_from_source`,`owner_person_id`);--> statement-breakpoint
-- /status <类别>: the measures of a category's problems:
CREATE INDEX `measures_campaign_problem_idx` ON `measures` (`campaign_id`,`missing_from_source`,`problem_id`);
