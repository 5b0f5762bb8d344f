//! `GET /api/v5/tasks`: the task list and its filters.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::Value;
use twin_store::{Filter, ListQuery, PageRequest, TextMode};

use super::TASK;
use crate::customers::list::{containing, date_range, ids, integers, page_of, search, short_text};
use crate::customers::{CORPORATE, CUSTOMER};
use crate::error::{texts, RetailResult};
use crate::request::{Ctx, RetailRequest};

/// The most customers `filter[customer]` looks at (*Inferred*: Twin's accounts are small).
const CUSTOMER_SEARCH_LIMIT: u32 = 1000;

/// `filter[customer]`: tasks about a customer (of either kind) whose name or phone
/// (as `filter[name]` of customers finds them) or e-mail holds the text.
async fn about_customer(
    ctx: &Ctx,
    filter: &Value,
    problems: &mut BTreeMap<String, String>,
) -> RetailResult<Option<Filter>> {
    let Some(names) = search(filter, "customer", problems) else {
        return Ok(None);
    };
    let text = short_text(filter, "customer", problems).unwrap_or_default();
    let email = Filter::text("email", TextMode::Contains, text, true);
    let query = ListQuery::new(ctx.scope.clone(), CUSTOMER)
        .with_kinds(&[CORPORATE])
        .filter(Filter::Or(vec![names, email]))
        .page(PageRequest::Offset {
            offset: 0,
            limit: CUSTOMER_SEARCH_LIMIT,
        });
    let found = ctx.core.entities.list(&query).await?;
    let values = found
        .items
        .iter()
        .map(|doc| doc.body["id"].clone())
        .collect();
    Ok(Some(Filter::In {
        path: Filter::path("customer.id"),
        values,
    }))
}

/// `limit`, `page` and the filters of the vendor's clients: `ids[]`, `creators[]`,
/// `performers[]` (users or groups), `status` (`completed` or `performing`),
/// `customer` (name, phone or e-mail of the task's customer), `orderNumber`, `text`
/// (anywhere, case-insensitive), `dateFrom`/`dateTo` (the task's date),
/// `createdAtFrom`/`To`, `completedAtFrom`/`To` (days, `Y-m-d`, inclusive). In id order;
/// `{pagination, tasks}`. A key limited to some sites sees the tasks about them and the
/// tasks about nothing.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters: Vec<Filter> = [
        ids(filter, &mut problems),
        integers(filter, "creators", "creator", &mut problems),
        integers(filter, "performers", "performer", &mut problems),
    ]
    .into_iter()
    .flatten()
    .collect();
    match filter["status"].as_str().filter(|s| !s.is_empty()) {
        None => {}
        Some("completed") => filters.push(Filter::eq("complete", true)),
        Some("performing") => filters.push(Filter::eq("complete", false)),
        Some(_) => {
            problems.insert("filter[status]".into(), texts::CHOICE.into());
        }
    }
    if let Some(number) = short_text(filter, "orderNumber", &mut problems) {
        filters.push(Filter::eq("order.number", number));
    }
    filters.extend(containing(filter, &[("text", "text")], &mut problems));
    for (names, path) in [
        (("dateFrom", "dateTo"), "datetime"),
        (("createdAtFrom", "createdAtTo"), "createdAt"),
        (("completedAtFrom", "completedAtTo"), "completedAt"),
    ] {
        filters.extend(date_range(filter, names, path, &mut problems));
    }
    filters.extend(about_customer(ctx, filter, &mut problems).await?);
    if !ctx.key_sites().is_empty() {
        let reachable = ctx.key_sites().iter().cloned().map(Value::String).collect();
        filters.push(Filter::Or(vec![
            Filter::IsEmpty {
                path: Filter::path("_site"),
                empty: true,
            },
            Filter::In {
                path: Filter::path("_site"),
                values: reachable,
            },
        ]));
    }
    page_of(ctx, TASK, "tasks", paging, filters, problems).await
}
