-- A run of a runbook for one problem: a ladder of guarded steps, one after another, until one is
-- verified or the ladder runs out. One run per runbook and problem: a retried start finds it.
CREATE TABLE runbook_run (
    id               VARCHAR(36) PRIMARY KEY,
    runbook          VARCHAR(100) NOT NULL,
    problem_id       VARCHAR(200) NOT NULL,
    reason           VARCHAR(1000),
    triggered_by     VARCHAR(200) NOT NULL,
    caller           VARCHAR(200) NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- RUNNING until VERIFIED, ESCALATED, SUPERSEDED or STOPPED.
    state            VARCHAR(20) NOT NULL,
    -- The step under way, from 0; a step's row says whether it has been applied.
    step             INTEGER NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE,
    outcome          VARCHAR(2000),
    ended_audit_id   VARCHAR(36) REFERENCES audit_entry (id),
    -- A verified run puts its changes back once its problem stayed closed; NULL until then.
    restored_at      TIMESTAMP WITH TIME ZONE,
    restored         VARCHAR(1000),
    CONSTRAINT runbook_run_one_per_problem UNIQUE (runbook, problem_id)
);
CREATE INDEX runbook_run_state ON runbook_run (state);
CREATE INDEX runbook_run_problem ON runbook_run (problem_id);

-- A step applied: its row is written in the transaction of its change, so a step is applied once.
CREATE TABLE runbook_step (
    run_id      VARCHAR(36) NOT NULL REFERENCES runbook_run (id),
    step        INTEGER NOT NULL,
    name        VARCHAR(100) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The guard of its change; NULL when the change changed nothing (the flags were so already).
    guard_id    VARCHAR(36) REFERENCES guard (id),
    PRIMARY KEY (run_id, step)
);

-- What a guard's verdict is about beyond its change, such as the run and step it belongs to: JSON
-- of strings, added to its event's properties.
ALTER TABLE guard ADD COLUMN labels VARCHAR(1000);
