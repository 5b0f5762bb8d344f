//! `GET /api/v5/costs` and its filters.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter, TextMode};

use super::COST;
use crate::cost_refs;
use crate::customers::list::{date_range, ids, integers, list_of, page_docs, short_text};
use crate::customers::public;
use crate::error::{texts, RetailResult};
use crate::orders::list::codes;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

/// Any of these site codes among the cost's `sites`.
fn any_site(codes: Vec<String>) -> Filter {
    Filter::Or(
        codes
            .into_iter()
            .map(|code| Filter::Holds {
                path: vec!["sites".into()],
                text: code,
            })
            .collect(),
    )
}

/// `GET /api/v5/costs`: `limit`, `page` and `filter[...]`: `ids[]`, `costItems[]`,
/// `costGroups[]` (the items of these groups, as they are now), `sites[]` (checked like
/// `site`; a cost of any of them), `createdBy[]`, `users[]` (`userId`), `orderNumber`,
/// `orderIds[]`, `orderExternalIds[]`, `comment` (any part, case-insensitive, *Inferred*),
/// `createdAtFrom`/`createdAtTo` (days), `dateFrom`/`dateTo` (the cost's period within
/// them, *Inferred*), `minSumm`/`maxSumm`. Costs of sites the key does not reach are left
/// out. In id order. Costs made through the API have no `createdBy` (no user made them).
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters: Vec<Filter> = [
        ids(filter, &mut problems),
        codes(filter, "costItems", "costItem"),
        codes(filter, "orderExternalIds", "order.externalId"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let groups: Vec<&str> = list_of(&filter["costGroups"])
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    if !groups.is_empty() {
        let items = cost_refs::items_of(ctx, &groups).await?;
        filters.push(Filter::In {
            path: vec!["costItem".into()],
            values: items.into_iter().map(Value::String).collect(),
        });
    }
    let wanted = sites::check_all(ctx, &filter["sites"]).await?;
    if !wanted.is_empty() {
        filters.push(any_site(wanted));
    }
    if !ctx.key_sites().is_empty() {
        filters.push(any_site(ctx.key_sites().to_vec()));
    }
    if let Some(Filter::In { path, values }) =
        integers(filter, "createdBy", "createdBy", &mut problems)
    {
        // The seed gives `createdBy` as text.
        let values = values.iter().map(|v| json!(v.to_string())).collect();
        filters.push(Filter::In { path, values });
    }
    filters.extend(integers(filter, "users", "userId", &mut problems));
    filters.extend(integers(filter, "orderIds", "order.id", &mut problems));
    if let Some(number) = short_text(filter, "orderNumber", &mut problems) {
        filters.push(Filter::eq("order.number", number));
    }
    if let Some(comment) = filter["comment"].as_str().filter(|t| !t.is_empty()) {
        if comment.chars().count() > 1000 {
            problems.insert(
                "filter[comment]".into(),
                "This value is too long. It should have 1000 characters or less.".into(),
            );
        } else {
            filters.push(Filter::text("comment", TextMode::Contains, comment, true));
        }
    }
    filters.extend(date_range(
        filter,
        ("createdAtFrom", "createdAtTo"),
        "createdAt",
        &mut problems,
    ));
    for (name, path, op) in [
        ("dateFrom", "dateFrom", CmpOp::Ge),
        ("dateTo", "dateTo", CmpOp::Le),
    ] {
        let Some(day) = filter[name].as_str().filter(|t| !t.is_empty()) else {
            continue;
        };
        match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(day) => filters.push(Filter::cmp(path, op, day.to_string())),
            Err(_) => {
                problems.insert(format!("filter[{name}]"), texts::DATE.into());
            }
        }
    }
    for (name, op) in [("minSumm", CmpOp::Ge), ("maxSumm", CmpOp::Le)] {
        if let Some(text) = filter[name].as_str().filter(|t| !t.is_empty()) {
            match text.parse::<i64>() {
                Ok(summ) => filters.push(Filter::cmp("summ", op, summ as f64)),
                Err(_) => {
                    problems.insert(format!("filter[{name}]"), texts::INTEGER.into());
                }
            }
        }
    }
    let (docs, total) = page_docs(ctx, COST, paging, filters, problems).await?;
    let costs: Vec<Value> = docs.iter().map(|doc| public(&doc.body)).collect();
    Ok(ok(success(json!({
        "pagination": paging.pagination(total),
        "costs": costs,
    }))))
}
