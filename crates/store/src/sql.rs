//! Query building shared by the SQL backends. Both keep the same tables and columns, so
//! the list query's shape, the boolean structure of filters and the cursor rules live
//! here once; a backend supplies only the leaf expressions of its SQL flavour through
//! [`SqlFlavor`].

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{
    Applied, Batch, CmpOp, DeliveryQuery, DocKey, Document, Expect, Filter, HistoryQuery,
    ListQuery, LogQuery, NewChange, NewDelivery, PageRequest, Scope, StoreError, StoreResult,
    TextMode, Write,
};

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlArg {
    Text(String),
    Int(i64),
    Real(f64),
    Json(Value),
    TextList(Vec<String>),
}

/// A backend's leaf expressions over the `body` column.
pub trait SqlFlavor {
    /// The placeholder of the `n`-th parameter (1-based).
    fn placeholder(n: usize) -> String;
    /// How a field path is bound (a JSON path string or a text array).
    fn path_arg(path: &[String]) -> StoreResult<SqlArg>;
    /// A comparison of the field at `keys` with a scalar of the same JSON type; true or
    /// false, never NULL. The flavour binds the path itself ([`SqlWriter::bind_path`]) or
    /// spells it out, whichever lets its indexes serve the comparison.
    fn compare(
        w: &mut SqlWriter<Self>,
        keys: &[String],
        op: CmpOp,
        value: &Value,
    ) -> StoreResult<String>
    where
        Self: Sized;
    /// `In` over strings only, when the flavour has a form better than one equality per
    /// value (which long lists need: SQLite refuses expressions over 1000 levels deep).
    fn in_strings(
        _w: &mut SqlWriter<Self>,
        _keys: &[String],
        _values: &[String],
    ) -> Option<StoreResult<String>>
    where
        Self: Sized,
    {
        None
    }
    /// The field, a string, matches `text` by `mode`.
    fn text(w: &mut SqlWriter<Self>, path: &str, mode: TextMode, text: &str, ci: bool) -> String
    where
        Self: Sized;
    /// The field is missing, null or the empty string.
    fn is_empty(path: &str) -> String;
    /// The field at `path` is an array with an element equal to the bound text, or with
    /// an object element having a member equal to it.
    fn holds(path: &str, text: &str) -> String;
    /// The text column contains the bound text (case-sensitive).
    fn contains(column: &str, placeholder: &str) -> String;
    /// The text column equals one of a bound `SqlArg::TextList`: one parameter however
    /// long the list, so id sets of any size stay under the backends' parameter limits.
    fn in_list(column: &str, placeholder: &str) -> String;
    /// `ORDER BY` terms for one field.
    fn sort_terms(path: &str, descending: bool) -> String;
}

/// SQL text under construction with its parameters.
pub struct SqlWriter<F> {
    pub args: Vec<SqlArg>,
    flavor: std::marker::PhantomData<F>,
}

impl<F: SqlFlavor> Default for SqlWriter<F> {
    fn default() -> Self {
        Self {
            args: Vec::new(),
            flavor: std::marker::PhantomData,
        }
    }
}

impl<F: SqlFlavor> SqlWriter<F> {
    /// Binds a parameter and returns its placeholder.
    pub fn bind(&mut self, arg: SqlArg) -> String {
        self.args.push(arg);
        F::placeholder(self.args.len())
    }

    /// Binds a field path in the flavour's form and returns its placeholder.
    pub fn bind_path(&mut self, path: &[String]) -> StoreResult<String> {
        if path.is_empty() || path.iter().any(|key| key.is_empty()) {
            return Err(StoreError::Invalid("empty field path".into()));
        }
        let arg = F::path_arg(path)?;
        Ok(self.bind(arg))
    }

    /// A boolean SQL expression for the filter.
    pub fn filter(&mut self, filter: &Filter) -> StoreResult<String> {
        Ok(match filter {
            Filter::And(parts) | Filter::Or(parts) if parts.is_empty() => {
                let empty_and = matches!(filter, Filter::And(_));
                (if empty_and { "(1=1)" } else { "(1=0)" }).to_owned()
            }
            Filter::And(parts) => self.join(parts, " AND ")?,
            Filter::Or(parts) => self.join(parts, " OR ")?,
            Filter::Not(inner) => format!("(NOT {})", self.filter(inner)?),
            Filter::Cmp { path, op, value } => F::compare(self, path, *op, value)?,
            Filter::In { path, values } => {
                let strings: Option<Vec<String>> = values
                    .iter()
                    .map(|value| value.as_str().map(str::to_owned))
                    .collect();
                if let Some(strings) = strings.filter(|s| !s.is_empty()) {
                    if let Some(sql) = F::in_strings(self, path, &strings) {
                        return sql;
                    }
                }
                let alternatives = values
                    .iter()
                    .map(|value| Filter::Cmp {
                        path: path.clone(),
                        op: CmpOp::Eq,
                        value: value.clone(),
                    })
                    .collect::<Vec<_>>();
                self.filter(&Filter::Or(alternatives))?
            }
            Filter::Text {
                path,
                mode,
                text,
                case_insensitive,
            } => {
                let path = self.bind_path(path)?;
                F::text(self, &path, *mode, text, *case_insensitive)
            }
            Filter::IsEmpty { path, empty } => {
                let path = self.bind_path(path)?;
                let test = F::is_empty(&path);
                if *empty {
                    test
                } else {
                    format!("(NOT {test})")
                }
            }
            Filter::Holds { path, text } => {
                let path = self.bind_path(path)?;
                let text = self.bind(SqlArg::Text(text.clone()));
                F::holds(&path, &text)
            }
            Filter::IdIn(ids) if ids.is_empty() => "(1=0)".to_owned(),
            Filter::IdIn(ids) => {
                let list = self.bind(SqlArg::TextList(ids.clone()));
                format!("({})", F::in_list("id", &list))
            }
        })
    }

    fn join(&mut self, parts: &[Filter], separator: &str) -> StoreResult<String> {
        let parts = parts
            .iter()
            .map(|part| self.filter(part))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(format!("({})", parts.join(separator)))
    }
}

/// The SQL of a list query: the page's select, and the count when asked for.
pub struct ListSql {
    pub select: String,
    pub count: Option<String>,
    /// The count binds only the first `count_args` of `args`.
    pub count_args: usize,
    pub args: Vec<SqlArg>,
    /// One more row than the page is fetched to learn whether a next page exists.
    pub limit: u32,
    pub cursor: bool,
}

/// Columns every list select returns, in this order.
pub const DOCUMENT_COLUMNS: &str = "seq, account, dialect, kind, id, version, body, lookups";

/// The SQL of a list query. `indexed` names the body fields (dotted paths) the backend has
/// indexes on, which decide how pages tie-break (see [`seq_order`]).
pub fn list_sql<F: SqlFlavor>(query: &ListQuery, indexed: &[String]) -> StoreResult<ListSql> {
    let mut w = SqlWriter::<F>::default();
    let account = w.bind(SqlArg::Text(query.scope.account.clone()));
    let dialect = w.bind(SqlArg::Text(query.scope.dialect.clone()));
    let kind = if query.other_kinds.is_empty() {
        format!("kind = {}", w.bind(SqlArg::Text(query.kind.clone())))
    } else {
        let mut kinds = vec![query.kind.clone()];
        kinds.extend(query.other_kinds.iter().cloned());
        F::in_list("kind", &w.bind(SqlArg::TextList(kinds)))
    };
    let mut conditions = format!("account = {account} AND dialect = {dialect} AND {kind}");
    if let Some(filter) = &query.filter {
        conditions.push_str(" AND ");
        conditions.push_str(&w.filter(filter)?);
    }
    let count = query
        .count_total
        .then(|| format!("SELECT count(*) FROM documents WHERE {conditions}"));
    let count_args = w.args.len();
    let (order, tail, limit, cursor) = match &query.page {
        PageRequest::Offset { offset, limit } => {
            let mut terms = query
                .sort
                .iter()
                .map(|key| Ok(F::sort_terms(&w.bind_path(&key.path)?, key.descending)))
                .collect::<StoreResult<Vec<_>>>()?;
            terms.push(format!("{} ASC", seq_order(query.filter.as_ref(), indexed)));
            let offset = i64::try_from(*offset)
                .map_err(|_| StoreError::Invalid("offset too large".into()))?;
            let tail = format!(
                " LIMIT {} OFFSET {}",
                w.bind(SqlArg::Int(i64::from(*limit))),
                w.bind(SqlArg::Int(offset))
            );
            (terms.join(", "), tail, *limit, false)
        }
        PageRequest::Cursor {
            after,
            limit,
            descending,
        } => {
            let (direction, comparison) = if *descending {
                ("DESC", "<")
            } else {
                ("ASC", ">")
            };
            if let Some(after) = after {
                let seq = parse_cursor(after)?;
                let placeholder = w.bind(SqlArg::Int(seq));
                conditions.push_str(&format!(" AND seq {comparison} {placeholder}"));
            }
            let tail = format!(" LIMIT {}", w.bind(SqlArg::Int(i64::from(*limit) + 1)));
            (format!("seq {direction}"), tail, *limit, true)
        }
        PageRequest::StartingAt { id, limit } => {
            let id = w.bind(SqlArg::Text(id.clone()));
            conditions.push_str(&format!(
                " AND seq >= (SELECT seq FROM documents WHERE account = {account} \
                 AND dialect = {dialect} AND {kind} AND id = {id})"
            ));
            let tail = format!(" LIMIT {}", w.bind(SqlArg::Int(i64::from(*limit) + 1)));
            ("seq ASC".to_owned(), tail, *limit, true)
        }
    };
    let select = format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE {conditions} ORDER BY {order}{tail}"
    );
    Ok(ListSql {
        select,
        count,
        count_args,
        args: w.args,
        limit,
        cursor,
    })
}

impl ListSql {
    /// Whether the page can hold rows at all: an offset page of limit 0 only counts.
    pub fn wants_rows(&self) -> bool {
        self.cursor || self.limit > 0
    }
}

/// How offset pages tie-break on insertion order. A filter that names its rows (`IdIn`,
/// `In` a list of values, equality on an indexed field) is best served by an index on
/// those values, but SQLite's planner prefers walking the kind in `seq` order, which spares
/// it a sort, and then visits every document of the kind; `+seq` orders the same without
/// being an index's order, so the planner picks the selective index and sorts the few
/// matches.
fn seq_order(filter: Option<&Filter>, indexed: &[String]) -> &'static str {
    let names_rows = |filter: &Filter| match filter {
        Filter::IdIn(_) | Filter::In { .. } => true,
        Filter::Cmp {
            path,
            op: CmpOp::Eq,
            value,
        } => !value.is_null() && indexed.iter().any(|field| *field == path.join(".")),
        _ => false,
    };
    let selective = match filter {
        Some(Filter::And(parts)) => parts.iter().any(names_rows),
        Some(filter) => names_rows(filter),
        None => false,
    };
    if selective {
        "+seq"
    } else {
        "seq"
    }
}

/// Cursors are the insertion sequence of the last row, in text.
pub fn parse_cursor(cursor: &str) -> StoreResult<i64> {
    cursor
        .parse::<i64>()
        .ok()
        .filter(|seq| *seq >= 0)
        .ok_or_else(|| StoreError::Invalid(format!("malformed cursor {cursor:?}")))
}

/// How many rows a page shows, and its next cursor, given the rows fetched (each with its
/// insertion sequence).
pub fn finish_page<T>(mut rows: Vec<(i64, T)>, sql: &ListSql) -> (Vec<T>, Option<String>) {
    let mut next = None;
    if sql.cursor && rows.len() > sql.limit as usize {
        rows.truncate(sql.limit as usize);
        next = rows.last().map(|(seq, _)| seq.to_string());
    }
    (rows.into_iter().map(|(_, row)| row).collect(), next)
}

/// The `WHERE` conditions of a history query, over the `history` table.
pub fn history_conditions<F: SqlFlavor>(w: &mut SqlWriter<F>, query: &HistoryQuery) -> String {
    let mut conditions = vec![
        format!(
            "account = {}",
            w.bind(SqlArg::Text(query.scope.account.clone()))
        ),
        format!(
            "dialect = {}",
            w.bind(SqlArg::Text(query.scope.dialect.clone()))
        ),
    ];
    if let Some(kind) = &query.kind {
        conditions.push(format!("kind = {}", w.bind(SqlArg::Text(kind.clone()))));
    }
    if let Some(entity) = &query.entity_id {
        conditions.push(format!(
            "entity_id = {}",
            w.bind(SqlArg::Text(entity.clone()))
        ));
    }
    if let Some(since) = query.since_id {
        conditions.push(format!("id > {}", w.bind(SqlArg::Int(since))));
    }
    if let Some(from) = query.from {
        conditions.push(format!(
            "at >= {}",
            w.bind(SqlArg::Int(from.timestamp_millis()))
        ));
    }
    if let Some(to) = query.to {
        conditions.push(format!(
            "at <= {}",
            w.bind(SqlArg::Int(to.timestamp_millis()))
        ));
    }
    conditions.join(" AND ")
}

/// The `WHERE` conditions of a delivery listing, over the `deliveries` table.
pub fn delivery_conditions<F: SqlFlavor>(w: &mut SqlWriter<F>, query: &DeliveryQuery) -> String {
    let mut conditions = vec!["1 = 1".to_owned()];
    if let Some(account) = &query.account {
        conditions.push(format!(
            "account = {}",
            w.bind(SqlArg::Text(account.clone()))
        ));
    }
    if let Some(dialect) = &query.dialect {
        conditions.push(format!(
            "dialect = {}",
            w.bind(SqlArg::Text(dialect.clone()))
        ));
    }
    if let Some(status) = query.status {
        conditions.push(format!(
            "status = {}",
            w.bind(SqlArg::Text(status.as_str().into()))
        ));
    }
    if let Some(event) = &query.event {
        conditions.push(format!("event = {}", w.bind(SqlArg::Text(event.clone()))));
    }
    if let Some(from) = query.created_from {
        conditions.push(format!(
            "created_at >= {}",
            w.bind(SqlArg::Int(from.timestamp_millis()))
        ));
    }
    conditions.join(" AND ")
}

/// The `WHERE` conditions of a request-log query, over the `request_log` table.
pub fn log_conditions<F: SqlFlavor>(w: &mut SqlWriter<F>, query: &LogQuery) -> String {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut text = |w: &mut SqlWriter<F>, column: &str, value: &Option<String>| {
        if let Some(value) = value {
            conditions.push(format!(
                "{column} = {}",
                w.bind(SqlArg::Text(value.clone()))
            ));
        }
    };
    text(w, "account", &query.account);
    text(w, "dialect", &query.dialect);
    text(w, "endpoint", &query.endpoint);
    if let Some(min) = query.status_min {
        conditions.push(format!("status >= {}", w.bind(SqlArg::Int(i64::from(min)))));
    }
    if let Some(max) = query.status_max {
        conditions.push(format!("status <= {}", w.bind(SqlArg::Int(i64::from(max)))));
    }
    if let Some(from) = query.from {
        conditions.push(format!(
            "at >= {}",
            w.bind(SqlArg::Int(from.timestamp_millis()))
        ));
    }
    if let Some(to) = query.to {
        conditions.push(format!(
            "at <= {}",
            w.bind(SqlArg::Int(to.timestamp_millis()))
        ));
    }
    if let Some(before) = query.before_id {
        conditions.push(format!("id < {}", w.bind(SqlArg::Int(before))));
    }
    if let Some(needle) = &query.text {
        let placeholder = w.bind(SqlArg::Text(needle.clone()));
        let columns = ["path", "query", "request_body", "response_body"]
            .map(|column| F::contains(&format!("COALESCE({column}, '')"), &placeholder));
        conditions.push(format!("({})", columns.join(" OR ")));
    }
    conditions.join(" AND ")
}

/// Binds `LIMIT` and `OFFSET` after the conditions.
pub fn limit_offset<F: SqlFlavor>(w: &mut SqlWriter<F>, limit: u32, offset: u64) -> String {
    let limit = w.bind(SqlArg::Int(i64::from(limit)));
    let offset = w.bind(SqlArg::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
    format!(" LIMIT {limit} OFFSET {offset}")
}

/// What a SQL backend does inside the transaction of [`apply_batch`].
#[async_trait::async_trait]
pub trait BatchTx: Send {
    /// New documents without lookups, in batch order; a taken key is a `Conflict` on the
    /// first such document in batch order.
    async fn insert_fresh(&mut self, docs: &[Document]) -> StoreResult<()>;
    async fn put(&mut self, doc: Document, expect: Expect) -> StoreResult<Document>;
    async fn delete(&mut self, key: &DocKey, expect: Expect) -> StoreResult<()>;
    /// Held until commit, before the history of these scopes is numbered; always called
    /// with the scopes in one order, so two batches never wait for each other.
    async fn lock_history(&mut self, scopes: &BTreeSet<&Scope>) -> StoreResult<()>;
    /// The first of `count` consecutive history ids of the scope.
    async fn reserve_history(&mut self, scope: &Scope, count: u32) -> StoreResult<i64>;
    /// History entries of one scope numbered from `first_id`, at most `HISTORY_ROWS`.
    async fn insert_history(&mut self, changes: &[NewChange], first_id: i64) -> StoreResult<()>;
    async fn insert_delivery(&mut self, delivery: &NewDelivery) -> StoreResult<i64>;
}

/// History rows per statement.
pub const HISTORY_ROWS: usize = 100;

/// Applies a batch in an open transaction, the same way on every SQL backend: runs of new
/// documents many per statement between the other writes, in batch order; then each run
/// of one scope's history numbered from one reserved block; then the deliveries.
pub async fn apply_batch(tx: &mut impl BatchTx, batch: Batch) -> StoreResult<Applied> {
    let mut applied = Applied::default();
    for step in write_steps(batch.writes) {
        match step {
            WriteStep::Fresh(docs) => {
                tx.insert_fresh(&docs).await?;
                applied.documents.extend(docs.into_iter().map(Some));
            }
            WriteStep::One(Write::Put { doc, expect }) => {
                applied.documents.push(Some(tx.put(doc, expect).await?));
            }
            WriteStep::One(Write::Delete { key, expect }) => {
                tx.delete(&key, expect).await?;
                applied.documents.push(None);
            }
        }
    }
    let scopes: BTreeSet<&Scope> = batch.changes.iter().map(|change| &change.scope).collect();
    if !scopes.is_empty() {
        tx.lock_history(&scopes).await?;
    }
    for run in history_runs(&batch.changes) {
        let start = tx.reserve_history(&run[0].scope, run.len() as u32).await?;
        for (n, chunk) in run.chunks(HISTORY_ROWS).enumerate() {
            let first_id = start + (n * HISTORY_ROWS) as i64;
            tx.insert_history(chunk, first_id).await?;
            applied
                .change_ids
                .extend(first_id..first_id + chunk.len() as i64);
        }
    }
    for delivery in &batch.deliveries {
        applied
            .delivery_ids
            .push(tx.insert_delivery(delivery).await?);
    }
    Ok(applied)
}

/// One step of applying a batch's writes: a run of new documents without lookups (which
/// a backend stores many per statement), or any other write on its own. Steps keep the
/// batch's order.
enum WriteStep {
    Fresh(Vec<Document>),
    One(Write),
}

/// The batch's writes as steps; new documents get version 1.
fn write_steps(writes: Vec<Write>) -> Vec<WriteStep> {
    let mut steps = Vec::new();
    let mut fresh = Vec::new();
    for write in writes {
        match write {
            Write::Put {
                mut doc,
                expect: Expect::Absent,
            } if doc.lookups.is_empty() => {
                doc.version = 1;
                fresh.push(doc);
            }
            other => {
                if !fresh.is_empty() {
                    steps.push(WriteStep::Fresh(std::mem::take(&mut fresh)));
                }
                steps.push(WriteStep::One(other));
            }
        }
    }
    if !fresh.is_empty() {
        steps.push(WriteStep::Fresh(fresh));
    }
    steps
}

/// The batch's history entries in runs of consecutive entries of one scope: each run is
/// numbered from one block of the scope's history sequence.
fn history_runs(changes: &[NewChange]) -> Vec<&[NewChange]> {
    let mut runs = Vec::new();
    let mut rest = changes;
    while let Some(first) = rest.first() {
        let same_scope = rest
            .iter()
            .take_while(|change| change.scope == first.scope)
            .count();
        let (run, after) = rest.split_at(same_scope);
        runs.push(run);
        rest = after;
    }
    runs
}
