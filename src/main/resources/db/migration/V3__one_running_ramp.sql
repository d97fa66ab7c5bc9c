-- At most one running ramp in the whole cluster, enforced by the database: `running` is TRUE
-- exactly while the ramp runs and NULL otherwise, and a unique constraint allows one TRUE (and
-- any number of NULLs). A partial unique index would say the same, but H2 has none.
-- Ramps that run side by side from before (two replicas could each start one) end here, all
-- but the latest, as if the latest had replaced them.
UPDATE error_rate_ramp SET status = 'REPLACED', finished_at = CURRENT_TIMESTAMP
WHERE status = 'RUNNING'
  AND id <> (SELECT id FROM error_rate_ramp WHERE status = 'RUNNING' ORDER BY started_at DESC, id DESC LIMIT 1);
ALTER TABLE error_rate_ramp ADD COLUMN running BOOLEAN;
UPDATE error_rate_ramp SET running = TRUE WHERE status = 'RUNNING';
ALTER TABLE error_rate_ramp ADD CONSTRAINT error_rate_ramp_one_running UNIQUE (running);
ALTER TABLE error_rate_ramp ADD CONSTRAINT error_rate_ramp_running_status
    CHECK ((status = 'RUNNING' AND running = TRUE) OR (status <> 'RUNNING' AND running IS NULL));
