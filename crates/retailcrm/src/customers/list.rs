//! The customer list and its filters.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter, ListQuery, PageRequest, TextMode};

use super::fields::{boolean, CONTRAGENT_TYPES};
pub use super::ranges::{date_range, day_range, flags};
use super::{public, CUSTOMER};
use crate::custom_fields::{typed, Definitions};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, Paging, RetailRequest};
use crate::sites;

/// A filter value given as a list (`filter[ids][]=1`), or one value as a list of one.
pub fn list_of(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// `filter[ids][]`: integers, else a problem per bad one.
pub fn ids(filter: &Value, problems: &mut BTreeMap<String, String>) -> Option<Filter> {
    integers(filter, "ids", "id", problems)
}

/// `filter[<name>][]` of integers, matched against the field `path`; a problem per bad one.
pub fn integers(
    filter: &Value,
    name: &str,
    path: &str,
    problems: &mut BTreeMap<String, String>,
) -> Option<Filter> {
    let given = list_of(&filter[name]);
    if given.is_empty() {
        return None;
    }
    let mut values = Vec::new();
    for (i, id) in given.iter().enumerate() {
        match id.as_str().and_then(|s| s.parse::<i64>().ok()) {
            Some(id) => values.push(Value::from(id)),
            None => {
                problems.insert(format!("filter[{name}][{i}]"), texts::INTEGER.to_owned());
            }
        }
    }
    Some(Filter::In {
        path: Filter::path(path),
        values,
    })
}

/// Text of at most 255 characters, else a problem.
pub fn short_text<'a>(
    filter: &'a Value,
    name: &str,
    problems: &mut BTreeMap<String, String>,
) -> Option<&'a str> {
    let text = filter[name].as_str().filter(|t| !t.is_empty())?;
    if text.chars().count() > 255 {
        problems.insert(format!("filter[{name}]"), texts::TOO_LONG.to_owned());
        return None;
    }
    Some(text)
}

/// `filter[<name>]` over the `_search` words (names and phones): the text anywhere,
/// case-insensitive, or its digits alone when it has other characters too.
pub fn search(
    filter: &Value,
    name: &str,
    problems: &mut BTreeMap<String, String>,
) -> Option<Filter> {
    let text = short_text(filter, name, problems)?;
    let mut any = vec![Filter::text(
        "_search",
        TextMode::Contains,
        &text.to_lowercase(),
        true,
    )];
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() != text.trim().len() {
        any.push(Filter::text("_search", TextMode::Contains, &digits, false));
    }
    Some(Filter::Or(any))
}

/// Text filters matching anywhere in a field, case-insensitive: `(filter name, body path)`.
pub fn containing(
    filter: &Value,
    fields: &[(&str, &str)],
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    fields
        .iter()
        .filter_map(|(name, path)| {
            short_text(filter, name, problems)
                .map(|text| Filter::text(path, TextMode::Contains, text, true))
        })
        .collect()
}

/// `filter[managers][]` (user ids) and `filter[managerGroups][]` (group codes: their
/// users): the customer's `managerId` is one of them. A group code no group has is a
/// problem (*Inferred*).
pub fn managers(filter: &Value, problems: &mut BTreeMap<String, String>) -> Vec<Filter> {
    let mut out = Vec::new();
    let ids = list_of(&filter["managers"]);
    if !ids.is_empty() {
        let mut values = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            match id.as_str().and_then(|s| s.parse::<i64>().ok()) {
                Some(id) => values.push(Value::from(id)),
                None => {
                    problems.insert(format!("filter[managers][{i}]"), texts::INTEGER.to_owned());
                }
            }
        }
        out.push(Filter::In {
            path: vec!["managerId".into()],
            values,
        });
    }
    let groups = list_of(&filter["managerGroups"]);
    if !groups.is_empty() {
        let mut values = Vec::new();
        for (i, code) in groups.iter().enumerate() {
            match code.as_str().and_then(crate::users::of_group) {
                Some(users) => values.extend(users.into_iter().map(Value::from)),
                None => {
                    problems.insert(
                        format!("filter[managerGroups][{i}]"),
                        texts::CHOICE.to_owned(),
                    );
                }
            }
        }
        out.push(Filter::In {
            path: vec!["managerId".into()],
            values,
        });
    }
    out
}

/// `filter[tags][]` (the customer has all of them) or `filter[attachedTags][]` (one of
/// them is attached to the customer). The seed's checks: no empty value (`This value
/// should not be blank.`), no duplicates (`filter[tags]`: Symfony's unique-collection
/// text), no more than two consecutive spaces (*Inferred* text).
fn tags(filter: &Value, name: &str, problems: &mut BTreeMap<String, String>) -> Option<Filter> {
    let given = list_of(&filter[name]);
    if given.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, tag) in given.iter().enumerate() {
        let key = format!("filter[{name}][{i}]");
        match tag.as_str().map(str::trim) {
            None | Some("") => {
                problems.insert(key, texts::BLANK.to_owned());
            }
            Some(tag) if tag.contains("   ") => {
                problems.insert(
                    key,
                    "The tag should not contain more than two consecutive spaces.".to_owned(),
                );
            }
            Some(tag) if names.contains(&tag) => {
                problems.insert(
                    format!("filter[{name}]"),
                    "This collection should contain only unique elements.".to_owned(),
                );
            }
            Some(tag) => names.push(tag),
        }
    }
    let path = if name == "tags" {
        "_tags"
    } else {
        "_attachedTags"
    };
    let holds: Vec<Filter> = names
        .into_iter()
        .map(|tag| Filter::Holds {
            path: vec![path.to_owned()],
            text: tag.to_owned(),
        })
        .collect();
    Some(if name == "tags" {
        Filter::And(holds)
    } else {
        Filter::Or(holds)
    })
}

/// A JSON number when the text is one (custom field values may be stored either way).
fn number(text: &str) -> Option<Value> {
    text.parse::<i64>()
        .map(Value::from)
        .ok()
        .or_else(|| text.parse::<f64>().ok().map(Value::from))
}

/// `filter[customFields][code]`: `[min]`/`[max]` ranges, a list (data book values: any
/// of them), or an exact value. A defined field's type chooses the comparison (the
/// bounds of a `datetime` field are dates: whole days); without a definition, the
/// bound's form does: numbers compare as numbers, anything else (dates `Y-m-d`) as text
/// (*Inferred*). A value its field's type cannot hold is a problem.
pub fn custom_field(
    code: &str,
    spec: &Value,
    kind: Option<&str>,
    filters: &mut Vec<Filter>,
    problems: &mut BTreeMap<String, String>,
) {
    let path = vec!["customFields".to_owned(), code.to_owned()];
    let cmp = |op: CmpOp, value: Value| Filter::Cmp {
        path: path.clone(),
        op,
        value,
    };
    let mut read = |text: &str, key: String, end: &str| -> Option<Value> {
        let text = match kind {
            Some("datetime") if text.len() == 10 => format!("{text} {end}"),
            _ => text.to_owned(),
        };
        match kind.map(|kind| typed(kind, &Value::String(text.clone()))) {
            None => Some(number(&text).unwrap_or(Value::String(text))),
            Some(Ok(value)) => Some(value),
            Some(Err(problem)) => {
                problems.insert(key, problem.to_owned());
                None
            }
        }
    };
    let key = format!("filter[customFields][{code}]");
    match spec {
        Value::Object(bounds) if bounds.contains_key("min") || bounds.contains_key("max") => {
            for (bound, op, end) in [
                ("min", CmpOp::Ge, "00:00:00"),
                ("max", CmpOp::Le, "23:59:59"),
            ] {
                if let Some(text) = bounds
                    .get(bound)
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                {
                    if let Some(value) = read(text, format!("{key}[{bound}]"), end) {
                        filters.push(cmp(op, value));
                    }
                }
            }
        }
        Value::Array(values) => {
            let values: Vec<Value> = values
                .iter()
                .filter_map(Value::as_str)
                .flat_map(|t| match kind {
                    Some(_) => vec![Value::String(t.to_owned())],
                    None => [Value::String(t.to_owned())]
                        .into_iter()
                        .chain(number(t))
                        .collect(),
                })
                .collect();
            filters.push(Filter::In {
                path: path.clone(),
                values,
            });
        }
        Value::String(text) if !text.is_empty() && kind.is_some() => {
            if let Some(value) = read(text, key, "00:00:00") {
                filters.push(cmp(CmpOp::Eq, value));
            }
        }
        Value::String(text) if !text.is_empty() => {
            let mut any = vec![cmp(CmpOp::Eq, Value::String(text.clone()))];
            any.extend(number(text).map(|n| cmp(CmpOp::Eq, n)));
            if let Some(flag) = boolean(spec) {
                any.push(cmp(CmpOp::Eq, Value::Bool(flag)));
            }
            filters.push(Filter::Or(any));
        }
        _ => {}
    }
}

/// `GET /api/v5/customers`: `limit`, `page` and `filter[...]`: `ids[]`, `externalIds[]`,
/// `name` (first, last or middle name or a phone, any part), `email` (any part), `city`
/// and `region` (of the address, any part), `contragentName` (the legal name, any part),
/// `sites[]`, `vip`, `bad`, `contragentTypes[]`, `dateFrom`/`dateTo` (creation date,
/// `Y-m-d`), `customFields[code]`, the source's tags (`sourceName`, ...: web
/// analytics) and the ones of `common`. Filters on data Twin does not keep (`notes`:
/// customers have no notes; attachments, tasks, chats, segments) are accepted and not
/// applied (docs/retailcrm/fidelity.md). In id order.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters = common(ctx, CUSTOMER, filter, &mut problems).await?;
    filters.extend(containing(
        filter,
        &[
            ("email", "email"),
            ("city", "address.city"),
            ("region", "address.region"),
            ("contragentName", "contragent.legalName"),
        ],
        &mut problems,
    ));
    filters.extend(contragent_types(filter, &mut problems));
    filters.extend(crate::web_analytics::source_filters(filter, &mut problems));
    page_of(ctx, CUSTOMER, "customers", paging, filters, problems).await
}

/// `filter[contragentTypes][]` (customers, orders): the contragent's type is one of
/// them; each must be a type (`filter[contragentTypes][i]`).
pub fn contragent_types(filter: &Value, problems: &mut BTreeMap<String, String>) -> Option<Filter> {
    let types = list_of(&filter["contragentTypes"]);
    if types.is_empty() {
        return None;
    }
    let mut values = Vec::new();
    for (i, kind) in types.iter().enumerate() {
        match kind.as_str().filter(|k| CONTRAGENT_TYPES.contains(k)) {
            // The two spellings of the entrepreneur are one type.
            Some("entrepreneur" | "enterpreneur") => {
                values.extend([json!("entrepreneur"), json!("enterpreneur")]);
            }
            Some(kind) => values.push(json!(kind)),
            None => {
                problems.insert(
                    format!("filter[contragentTypes][{i}]"),
                    texts::CHOICE.to_owned(),
                );
            }
        }
    }
    Some(Filter::In {
        path: Filter::path("contragent.contragentType"),
        values,
    })
}

/// The filters both kinds of customers take: `ids[]`, `externalIds[]`, `name` (the
/// `_search` words), `sites[]` (and the key's sites), `vip`, `bad`, `dateFrom`/`dateTo`,
/// `managers[]`, `managerGroups[]`, `discountCardNumber` (exact), `tags[]` (all of them),
/// `attachedTags[]` (any of them attached), `customFields[code]` (by the fields defined
/// for `kind`); `attachments` and `tasksCounts` are checked (1, 2 or 3) and not applied.
pub async fn common(
    ctx: &Ctx,
    kind: &str,
    filter: &Value,
    problems: &mut BTreeMap<String, String>,
) -> RetailResult<Vec<Filter>> {
    let mut filters = Vec::new();
    filters.extend(ids(filter, problems));
    let external = list_of(&filter["externalIds"]);
    if !external.is_empty() {
        let values = external.into_iter().cloned().collect();
        filters.push(Filter::In {
            path: vec!["externalId".into()],
            values,
        });
    }
    filters.extend(search(filter, "name", problems));
    filters.extend(site_filters(ctx, filter).await?);
    filters.extend(flags(filter, &[("vip", "vip"), ("bad", "bad")], problems));
    filters.extend(date_range(
        filter,
        ("dateFrom", "dateTo"),
        "createdAt",
        problems,
    ));
    filters.extend(managers(filter, problems));
    if let Some(card) = short_text(filter, "discountCardNumber", problems) {
        filters.push(Filter::eq("discountCardNumber", card));
    }
    filters.extend(tags(filter, "tags", problems));
    filters.extend(tags(filter, "attachedTags", problems));
    // Accepted and not applied: Twin keeps no files nor tasks (docs/retailcrm/fidelity.md).
    for name in ["attachments", "tasksCounts"] {
        let value = &filter[name];
        if !(value.is_null() || *value == "" || matches!(value.as_str(), Some("1" | "2" | "3"))) {
            problems.insert(format!("filter[{name}]"), texts::CHOICE.to_owned());
        }
    }
    custom_fields(ctx, (kind, filter), &mut filters, problems).await?;
    Ok(filters)
}

/// Adds to `filters` the `filter[customFields][code]` of an entity `kind` (`customer`,
/// `order`), read by the fields defined for it (see `custom_field`).
pub async fn custom_fields(
    ctx: &Ctx,
    (kind, filter): (&str, &Value),
    filters: &mut Vec<Filter>,
    problems: &mut BTreeMap<String, String>,
) -> RetailResult<()> {
    if let Value::Object(fields) = &filter["customFields"] {
        let defs = Definitions::load(ctx, kind).await?;
        for (code, spec) in fields {
            custom_field(code, spec, defs.kind(code), filters, problems);
        }
    }
    Ok(())
}

/// `filter[sites][]` (each checked like `site`) and the sites the key is limited to.
pub async fn site_filters(ctx: &Ctx, filter: &Value) -> RetailResult<Vec<Filter>> {
    let mut filters = Vec::new();
    let mut site_codes = Vec::new();
    for site in list_of(&filter["sites"]) {
        if let Some(code) = site.as_str() {
            site_codes.push(Value::String(sites::check(ctx, code).await?));
        }
    }
    if !site_codes.is_empty() {
        filters.push(Filter::In {
            path: vec!["site".into()],
            values: site_codes,
        });
    }
    if !ctx.key_sites().is_empty() {
        let reachable = ctx.key_sites().iter().cloned().map(Value::String).collect();
        filters.push(Filter::In {
            path: vec!["site".into()],
            values: reachable,
        });
    }
    Ok(filters)
}

/// One page of documents of `kind` under `filters` and its total; the problems found
/// reading the filters first, as a 400.
pub async fn page_docs(
    ctx: &Ctx,
    kind: &str,
    paging: Paging,
    filters: Vec<Filter>,
    problems: BTreeMap<String, String>,
) -> RetailResult<(Vec<twin_store::Document>, u64)> {
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let mut query = ListQuery::new(ctx.scope.clone(), kind).page(PageRequest::Offset {
        offset: paging.offset(),
        limit: paging.limit,
    });
    if !filters.is_empty() {
        query = query.filter(Filter::And(filters));
    }
    let page = ctx.core.entities.list(&query).await?;
    Ok((page.items, page.total.unwrap_or_default()))
}

/// One page of `kind` under `filters`, answered as `{pagination, <member>: [...]}`; the
/// problems found reading the filters first, as a 400.
pub async fn page_of(
    ctx: &Ctx,
    kind: &str,
    member: &str,
    paging: Paging,
    filters: Vec<Filter>,
    problems: BTreeMap<String, String>,
) -> RetailResult<Response> {
    let (docs, total) = page_docs(ctx, kind, paging, filters, problems).await?;
    let items: Vec<Value> = docs.iter().map(|doc| public(&doc.body)).collect();
    let mut answer = json!({ "pagination": paging.pagination(total) });
    answer[member] = Value::Array(items);
    Ok(ok(success(answer)))
}
