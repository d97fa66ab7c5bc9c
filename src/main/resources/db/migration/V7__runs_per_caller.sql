-- The runs a caller started lately are counted at every start (remediation.runs.max-starts-per-minute).
CREATE INDEX runbook_run_caller ON runbook_run (caller, created_at);
