-- The console reads a time window of the request log (its charts) and one entity's
-- history (its data browser); without these both scan whole tables.
CREATE INDEX request_log_by_time ON request_log (at);
CREATE INDEX history_by_entity ON history (account, dialect, kind, entity_id, id);
CREATE INDEX deliveries_by_time ON deliveries (created_at);
