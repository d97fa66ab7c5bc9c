-- The loop guard counts a flag's recent changes from the audit; a ramp's end is recorded but
-- not counted, since the ramp counts as one change.
ALTER TABLE audit_entry ADD COLUMN counts_for_guard BOOLEAN NOT NULL DEFAULT TRUE;
-- Extra event properties of an entry as a JSON object of strings, e.g. a ramp's id and phase.
ALTER TABLE audit_entry ADD COLUMN details VARCHAR(2000);
CREATE INDEX audit_entry_flag_created_at ON audit_entry (flag, created_at);

-- At most one pending revert per flag: any newer change of the flag replaces or drops it.
CREATE TABLE pending_revert (
    flag        VARCHAR(200) PRIMARY KEY,
    revert_to   VARCHAR(100) NOT NULL,
    revert_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    audit_id    VARCHAR(36) NOT NULL REFERENCES audit_entry (id)
);

CREATE TABLE error_rate_ramp (
    id              VARCHAR(36) PRIMARY KEY,
    from_rate       DOUBLE PRECISION NOT NULL,
    to_rate         DOUBLE PRECISION NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    status          VARCHAR(20) NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    final_rate      DOUBLE PRECISION,
    reason          VARCHAR(1000),
    problem_id      VARCHAR(200),
    triggered_by    VARCHAR(200) NOT NULL,
    caller          VARCHAR(200) NOT NULL,
    remote_address  VARCHAR(100)
);
CREATE INDEX error_rate_ramp_status ON error_rate_ramp (status);

-- A ramp's intermediate steps change errorRate without an audit entry of their own.
ALTER TABLE flag_value ALTER COLUMN audit_id DROP NOT NULL;
