-- A guarded change: what it expects, by when, what was seen, and the verdict. Watched by the leader
-- from the row alone, so a restart, a kill -9 or a leader move resumes it where it was.
CREATE TABLE guard (
    id                    VARCHAR(36) PRIMARY KEY,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    version               BIGINT NOT NULL,
    problem_id            VARCHAR(200),
    reason                VARCHAR(1000),
    triggered_by          VARCHAR(200) NOT NULL,
    caller                VARCHAR(200) NOT NULL,
    expectation           VARCHAR(2000) NOT NULL,
    baseline              VARCHAR(1000),
    settle_until          TIMESTAMP WITH TIME ZONE NOT NULL,
    deadline              TIMESTAMP WITH TIME ZONE NOT NULL,
    -- WATCHING until the verdict; HOLDING while a verified change waits for its revert; ENDED.
    state                 VARCHAR(20) NOT NULL,
    samples               INTEGER DEFAULT 0 NOT NULL,
    samples_with_data     INTEGER DEFAULT 0 NOT NULL,
    good_in_a_row         INTEGER DEFAULT 0 NOT NULL,
    worse_in_a_row        INTEGER DEFAULT 0 NOT NULL,
    last_sample           VARCHAR(1000),
    verdict               VARCHAR(20),
    verdict_at            TIMESTAMP WITH TIME ZONE,
    evidence              VARCHAR(4000),
    action                VARCHAR(1000),
    verdict_audit_id      VARCHAR(36) REFERENCES audit_entry (id),
    revert_after_seconds  BIGINT,
    revert_at             TIMESTAMP WITH TIME ZONE,
    ended_at              TIMESTAMP WITH TIME ZONE
);
CREATE INDEX guard_state ON guard (state);
CREATE INDEX guard_created_at ON guard (created_at);

-- The flags a guard watches. `watched` is TRUE while its guard has not ended and NULL after, and
-- a unique constraint allows one TRUE per flag: at most one guard watches a flag, in the whole
-- cluster (a partial unique index would say the same, but H2 has none).
CREATE TABLE guard_flag (
    guard_id        VARCHAR(36) NOT NULL REFERENCES guard (id),
    flag            VARCHAR(200) NOT NULL,
    audit_id        VARCHAR(36) NOT NULL REFERENCES audit_entry (id),
    previous_value  VARCHAR(100) NOT NULL,
    new_value       VARCHAR(100) NOT NULL,
    watched         BOOLEAN,
    PRIMARY KEY (guard_id, flag),
    CONSTRAINT guard_flag_one_watched UNIQUE (flag, watched)
);
CREATE INDEX guard_flag_audit_id ON guard_flag (audit_id);

-- A comment on a Dynatrace problem goes through the outbox like an event, in its own row: the
-- row names the audit entry it comments in comment_of, and has no audit_id of its own.
ALTER TABLE event_outbox ALTER COLUMN audit_id DROP NOT NULL;
ALTER TABLE event_outbox ADD COLUMN comment_of VARCHAR(36) REFERENCES audit_entry (id);
ALTER TABLE audit_entry ADD COLUMN comment_status VARCHAR(20);
ALTER TABLE audit_entry ADD COLUMN comment_error VARCHAR(2000);
