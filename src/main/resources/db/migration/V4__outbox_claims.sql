-- An event is sent only by the replica that holds its claim: claimed_by names the replica's
-- sender, lease_until (database time) bounds the claim, and claim_token rises with every claim;
-- it is the fencing token: an outcome is recorded only under the token the event was sent with,
-- so a sender whose claim was taken over records nothing and the event is not lost either.
ALTER TABLE event_outbox ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE event_outbox ADD COLUMN claim_token BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE event_outbox ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
