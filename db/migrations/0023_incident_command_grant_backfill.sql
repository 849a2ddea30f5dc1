-- Incidents declared before command grants were recorded: a command the system handed to the on-call rotation keeps
-- its rollback rights; a command a person took by declaring by hand gets none (they are on call or admin, or ask).
UPDATE "incidents" SET "commander_grant" = 'rotation' WHERE "declared_by" IS NULL AND "commander_id" IS NOT NULL AND "commander_grant" IS NULL;
