-- Failed webhook deliveries used to keep up to 200 characters of the receiver's answer, which has
-- leaked secrets (error pages); keep only the status. The text is gone, so no hash can be computed.
UPDATE "webhook_attempts" SET "error" = substring("error" from '^HTTP [0-9]+') || '; response body not kept'
  WHERE "error" ~ '^HTTP [0-9]+: ';--> statement-breakpoint
UPDATE "webhook_deliveries" SET "last_error" = substring("last_error" from '^HTTP [0-9]+') || '; response body not kept'
  WHERE "last_error" ~ '^HTTP [0-9]+: ';
