//! GET of a reference kind and the list parameters every GET method shares (01-general
//! §5–6): `limit` (default and most 1000, the documented `response_limit_1c`) and `page`
//! (`offset = (page − 1) · limit`), `period {from, to, by: create|update}`, `sort {by:
//! create|update, order: ASC|DESC}` (default: creation order) and, on the methods that
//! honour it, `filter.include` (`sd`: no 1C code, `1c`: with one, `all`).

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{CmpOp, Filter, ListQuery, PageRequest, SortKey};

use super::rules::Rules;
use super::{in_filial, Record, RefKind};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::render::{ok, page};
use crate::request::Ctx;
use crate::values::{period_bound, text, Bound};

/// The documented default and ceiling of a page.
pub const RESPONSE_LIMIT: u32 = 1000;

/// The shared list parameters of a GET request, read and checked.
#[derive(Debug, Clone)]
pub struct Listing {
    pub limit: u32,
    pub page: u64,
    /// Filters on the dates and the source.
    pub filters: Vec<Filter>,
    pub sort: Vec<SortKey>,
}

/// A positive integer parameter (a number or a numeric string); `None` when absent,
/// 400 when it is something else (*Inferred*).
fn positive(envelope: &Envelope, name: &str) -> SdResult<Option<u64>> {
    let Some(value) = envelope.params.get(name).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let number = value
        .as_i64()
        .or_else(|| text(value).and_then(|t| t.parse().ok()))
        .ok_or_else(|| SdError::bad_request(format!("params.{name} must be a number")))?;
    Ok(u64::try_from(number).ok().filter(|n| *n > 0))
}

/// The stored date a `by` names.
fn date_field(by: Option<&Value>, member: &str) -> SdResult<&'static str> {
    match by
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("create") => Ok("created"),
        Some("update") => Ok("updated"),
        Some(_) => Err(SdError::bad_request(format!(
            "{member}.by must be create or update"
        ))),
    }
}

/// The filters of a `{from, to}` date range on a stored date-time `field`, both ends
/// inclusive (a bare date: its whole day); 400 naming `name.<end>` when a bound is no
/// date. Shared by `period` and the methods' own date filters (`filter.period.date`).
pub fn date_range(range: &Value, field: &str, name: &str) -> SdResult<Vec<Filter>> {
    let mut filters = Vec::new();
    for (member, op, bound) in [
        ("from", CmpOp::Ge, Bound::Start),
        ("to", CmpOp::Le, Bound::End),
    ] {
        let Some(raw) = range.get(member).and_then(text) else {
            continue;
        };
        let at = period_bound(&raw, bound)
            .ok_or_else(|| SdError::bad_request(format!("{name}.{member} is not a valid date")))?;
        filters.push(Filter::cmp(field, op, at));
    }
    Ok(filters)
}

impl Listing {
    pub fn read(envelope: &Envelope, include: Include) -> SdResult<Self> {
        let limit = positive(envelope, "limit")?
            .map_or(RESPONSE_LIMIT, |n| n.min(u64::from(RESPONSE_LIMIT)) as u32);
        let page = positive(envelope, "page")?.unwrap_or(1);
        let mut filters = Vec::new();
        if let Some(period) = envelope.params.get("period").filter(|p| p.is_object()) {
            // A period without `by` filters by creation (*Inferred*, as `sort`).
            let field = date_field(period.get("by"), "params.period")?;
            filters.extend(date_range(period, field, "params.period")?);
        }
        let mut sort = Vec::new();
        if let Some(order) = envelope.params.get("sort").and_then(Value::as_object) {
            let field = date_field(order.get("by"), "params.sort")?;
            let descending = match order.get("order").and_then(Value::as_str) {
                None => false,
                Some(o) if o.eq_ignore_ascii_case("asc") => false,
                Some(o) if o.eq_ignore_ascii_case("desc") => true,
                Some(_) => {
                    return Err(SdError::bad_request(
                        "params.sort.order must be ASC or DESC",
                    ))
                }
            };
            sort.push(if descending {
                SortKey::desc(field)
            } else {
                SortKey::asc(field)
            });
            sort.push(if descending {
                SortKey::desc("n")
            } else {
                SortKey::asc("n")
            });
        } else {
            sort.push(SortKey::asc("n"));
        }
        if include == Include::Honoured {
            let filter = envelope.filter();
            match filter.get("include").and_then(Value::as_str) {
                None | Some("all") => {}
                Some("sd") => filters.push(Filter::IsEmpty {
                    path: Filter::path("code_1C"),
                    empty: true,
                }),
                Some("1c") => filters.push(Filter::IsEmpty {
                    path: Filter::path("code_1C"),
                    empty: false,
                }),
                Some(_) => {
                    return Err(SdError::bad_request(
                        "params.filter.include must be sd, 1c or all",
                    ))
                }
            }
        }
        Ok(Self {
            limit,
            page,
            filters,
            sort,
        })
    }

    /// The answer of this page: `items` under `key`, with the pagination of `total`.
    pub fn answer(&self, key: &str, items: Vec<Value>, total: u64) -> Response {
        page(key, items, self.limit, total, self.page)
    }

    /// The page of a kind's records in the request's filial, with `extra` filters; the
    /// records and the count of all matches.
    pub async fn fetch(
        &self,
        ctx: &Ctx,
        kind: &str,
        extra: Vec<Filter>,
    ) -> SdResult<(Vec<Record>, u64)> {
        let offset = (self.page - 1).saturating_mul(u64::from(self.limit));
        self.fetch_range(ctx, kind, extra, offset, self.limit).await
    }

    /// Like `fetch`, from any offset: for the answers that page over two kinds at once
    /// (getTerritory's regions, then cities).
    pub async fn fetch_range(
        &self,
        ctx: &Ctx,
        kind: &str,
        extra: Vec<Filter>,
        offset: u64,
        limit: u32,
    ) -> SdResult<(Vec<Record>, u64)> {
        let mut filters = vec![in_filial(ctx)];
        filters.extend(self.filters.iter().cloned());
        filters.extend(extra);
        let mut query = ListQuery::new(ctx.scope.clone(), kind)
            .filter(Filter::And(filters))
            .page(PageRequest::Offset { offset, limit });
        for key in &self.sort {
            query = query.sort(key.clone());
        }
        let page = ctx.core.store.list(&query).await?;
        let total = page.total.unwrap_or_default();
        Ok((
            page.items.into_iter().map(Record::from_doc).collect(),
            total,
        ))
    }
}

/// What sets one GET apart from the plain `get<Kind>`.
pub struct Options<'a> {
    /// The answer's member when it is not the kind's key (getPaymentType's `currency`).
    pub answer_key: Option<&'a str>,
    /// The kind's rules: whether records show `code_1C`.
    pub rules: &'a Rules,
    /// The method's own filters (getProduct's `filter.products`, ...).
    pub extra: Vec<Filter>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Self {
            answer_key: None,
            rules: &Rules::PLAIN,
            extra: Vec::new(),
        }
    }
}

impl<'a> Options<'a> {
    /// A kind's rules, nothing else.
    pub fn ruled(rules: &'a Rules) -> Self {
        Self {
            rules,
            ..Self::default()
        }
    }

    /// The plain GET answering under `answer_key`.
    pub fn answering(answer_key: &'a str) -> Self {
        Self {
            answer_key: Some(answer_key),
            ..Self::default()
        }
    }
}

/// `get<Kind>`: a page of the kind's records.
pub async fn get(
    ctx: &Ctx,
    envelope: &Envelope,
    kind: &RefKind,
    include: Include,
) -> SdResult<Response> {
    get_with(ctx, envelope, kind, include, Options::default()).await
}

/// `get<Kind>` with its [`Options`]: the one way every reference GET is answered.
pub async fn get_with(
    ctx: &Ctx,
    envelope: &Envelope,
    kind: &RefKind,
    include: Include,
    options: Options<'_>,
) -> SdResult<Response> {
    let listing = Listing::read(envelope, include)?;
    let (records, total) = listing.fetch(ctx, kind.key, options.extra).await?;
    let items = records
        .iter()
        .map(|record| {
            let mut shown = record.render(ctx, kind);
            if !options.rules.shows_code {
                if let Some(map) = shown.as_object_mut() {
                    map.remove("code_1C");
                }
            }
            shown
        })
        .collect();
    let key = options.answer_key.unwrap_or(kind.key);
    Ok(page(key, items, listing.limit, total, listing.page))
}

/// A GET whose `result` is the bare array of the kind's records (getClientChannel,
/// getClientType).
pub async fn get_bare(ctx: &Ctx, envelope: &Envelope, kind: &RefKind) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (records, _) = listing.fetch(ctx, kind.key, Vec::new()).await?;
    let items: Vec<Value> = records.iter().map(|r| r.render(ctx, kind)).collect();
    Ok(ok(json!({ "status": true, "result": items })))
}

/// The filters of a GET's `filter.CS_id` / `filter.SD_id` / `filter.code_1C` (one record
/// of the method's own kind); several must all match (*Inferred*).
pub fn identifier_filters(ctx: &Ctx, filter: &Map<String, Value>) -> Vec<Filter> {
    let mut filters = Vec::new();
    if let Some(cs) = filter.get("CS_id").and_then(text) {
        let sd = super::sd_of_cs(ctx, &cs);
        filters.push(Filter::IdIn(sd.into_iter().collect()));
    }
    if let Some(sd) = filter.get("SD_id").and_then(text) {
        filters.push(Filter::IdIn(vec![sd]));
    }
    if let Some(code) = filter.get("code_1C").and_then(text) {
        filters.push(Filter::eq("code_1C", code));
    }
    filters
}

/// The filter of a GET's `filter.<member>` naming a record of the kind stored as `key`
/// (`{CS_id | SD_id | code_1C}`): the stored `path` equal to its `SD_id`; one that names
/// nothing matches nothing (an empty page, *Inferred*). `None` when the member is absent.
pub async fn named_filter(
    ctx: &Ctx,
    filter: &Map<String, Value>,
    member: &str,
    key: &str,
    path: &str,
) -> SdResult<Option<Filter>> {
    let Some(named) = filter.get(member).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let ids = named.as_object().map(super::Ids::of).unwrap_or_default();
    let found = if ids.is_empty() {
        None
    } else {
        super::find_in(ctx, key, &ids).await?
    };
    Ok(Some(match found {
        Some(record) => Filter::eq(path, record.sd_id),
        None => Filter::IdIn(Vec::new()),
    }))
}
