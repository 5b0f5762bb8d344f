-- Documents of every dialect, keyed by (account, dialect, kind, id). `seq` is insertion
-- order (cursor pages and stable tie-breaks); timestamps elsewhere are Unix milliseconds.
CREATE TABLE documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    dialect TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    lookups TEXT NOT NULL DEFAULT '{}',
    UNIQUE (account, dialect, kind, id)
);
CREATE INDEX documents_by_kind ON documents (account, dialect, kind, seq);

CREATE TABLE lookups (
    account TEXT NOT NULL,
    dialect TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (account, dialect, kind, name, value)
) WITHOUT ROWID;
CREATE INDEX lookups_by_document ON lookups (account, dialect, kind, id);

CREATE TABLE sequences (
    account TEXT NOT NULL,
    dialect TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (account, dialect, name)
) WITHOUT ROWID;

CREATE TABLE history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    dialect TEXT NOT NULL,
    id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    at INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (account, dialect, id)
);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    dialect TEXT NOT NULL,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    leased_until INTEGER,
    max_attempts INTEGER NOT NULL,
    attempts TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_account ON deliveries (account, id);

CREATE TABLE request_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    account TEXT,
    dialect TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT,
    status INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    request_headers TEXT NOT NULL,
    request_body TEXT,
    response_body TEXT
);
CREATE INDEX request_log_by_account ON request_log (account, id);
