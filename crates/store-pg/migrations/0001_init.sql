-- The SQLite schema in PostgreSQL types: the shared query builders in `twin_store::sql`
-- rely on these table and column names. JSON columns are JSONB, timestamps are BIGINT
-- Unix milliseconds, and every text column is COLLATE "C" so comparisons, ORDER BY and
-- uniqueness are bytewise like SQLite's BINARY whatever the database's locale.
CREATE TABLE documents (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL,
    dialect TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    body JSONB NOT NULL,
    lookups JSONB NOT NULL DEFAULT '{}',
    UNIQUE (account, dialect, kind, id)
);
CREATE INDEX documents_by_kind ON documents (account, dialect, kind, seq);
-- Equality filters compile to `body @> '{"path":{"to":value}}'`, which this index serves.
CREATE INDEX documents_body ON documents USING GIN (body jsonb_path_ops);

CREATE TABLE lookups (
    account TEXT COLLATE "C" NOT NULL,
    dialect TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account, dialect, kind, name, value)
);
CREATE INDEX lookups_by_document ON lookups (account, dialect, kind, id);

CREATE TABLE sequences (
    account TEXT COLLATE "C" NOT NULL,
    dialect TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (account, dialect, name)
);

CREATE TABLE history (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL,
    dialect TEXT COLLATE "C" NOT NULL,
    id BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL,
    data JSONB NOT NULL,
    UNIQUE (account, dialect, id)
);

CREATE TABLE deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL,
    dialect TEXT COLLATE "C" NOT NULL,
    event TEXT COLLATE "C" NOT NULL,
    url TEXT COLLATE "C" NOT NULL,
    headers JSONB NOT NULL,
    body TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    leased_until BIGINT,
    max_attempts BIGINT NOT NULL,
    attempts JSONB NOT NULL DEFAULT '[]'
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_account ON deliveries (account, id);

CREATE TABLE request_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    request_id TEXT COLLATE "C" NOT NULL,
    account TEXT COLLATE "C",
    dialect TEXT COLLATE "C" NOT NULL,
    endpoint TEXT COLLATE "C" NOT NULL,
    method TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    query TEXT COLLATE "C",
    status INTEGER NOT NULL,
    latency_ms BIGINT NOT NULL,
    request_headers JSONB NOT NULL,
    request_body TEXT COLLATE "C",
    response_body TEXT COLLATE "C"
);
CREATE INDEX request_log_by_account ON request_log (account, id);
