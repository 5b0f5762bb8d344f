//! Shipments to delivery services: a batch of orders of one delivery type handed over
//! from one store on a date (`deliveryShipments`). Kept by their integer id, from a
//! per-account sequence. `write` reads and checks a shipment document.

pub mod write;

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter};

use crate::customers::list::{ids, list_of, managers, page_docs, short_text};
use crate::customers::public;
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::list::codes;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// The stored kind, also the sequence of their ids.
pub const SHIPMENT: &str = "delivery_shipment";

/// The statuses a shipment may have (the seed's list).
pub const STATUSES: [&str; 4] = ["created", "processing", "shipped", "cancelled"];

/// The shipment a path names; 404 when the account has none of that id.
pub async fn find(ctx: &Ctx, id: &str) -> RetailResult<twin_store::Document> {
    let id = id.parse::<i64>().map_err(|_| RetailError::not_found())?;
    ctx.core
        .entities
        .find(&ctx.scope, SHIPMENT, &id.to_string())
        .await?
        .ok_or_else(RetailError::not_found)
}

/// `GET /api/v5/delivery/shipments/{id}`: `{"deliveryShipment"}`.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    Ok(ok(success(
        json!({ "deliveryShipment": public(&doc.body) }),
    )))
}

/// `GET /api/v5/delivery/shipments`: `limit`, `page` and `filter[...]`: `ids[]`,
/// `externalId`, `orderNumber` (a shipment holding the order of that number),
/// `deliveryTypes[]`, `managers[]`, `stores[]`, `statuses[]`, `dateFrom`/`dateTo` (the
/// shipment date, `Y-m-d`, inclusive); `{pagination, deliveryShipments}` in id order.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let mut problems = BTreeMap::new();
    let filters = filters(request.filter(), &mut problems);
    let (docs, total) = page_docs(ctx, SHIPMENT, paging, filters, problems).await?;
    let shipments: Vec<Value> = docs.iter().map(|doc| public(&doc.body)).collect();
    Ok(ok(success(json!({
        "pagination": paging.pagination(total),
        "deliveryShipments": shipments,
    }))))
}

/// The list's filters, problems recorded.
fn filters(filter: &Value, problems: &mut BTreeMap<String, String>) -> Vec<Filter> {
    let mut filters: Vec<Filter> = ids(filter, problems).into_iter().collect();
    if let Some(external) = short_text(filter, "externalId", problems) {
        filters.push(Filter::eq("externalId", external));
    }
    if let Some(number) = short_text(filter, "orderNumber", problems) {
        filters.push(Filter::Holds {
            path: Filter::path("orders"),
            text: number.to_owned(),
        });
    }
    filters.extend(codes(filter, "deliveryTypes", "deliveryType"));
    filters.extend(codes(filter, "stores", "store"));
    filters.extend(codes(filter, "statuses", "status"));
    filters.extend(managers(filter, problems));
    for (name, op) in [("dateFrom", CmpOp::Ge), ("dateTo", CmpOp::Le)] {
        let Some(date) = filter[name].as_str().filter(|d| !d.is_empty()) else {
            continue;
        };
        match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(_) => filters.push(Filter::cmp("date", op, date)),
            Err(_) => {
                problems.insert(format!("filter[{name}]"), texts::DATE.to_owned());
            }
        }
    }
    for (i, status) in list_of(&filter["statuses"]).into_iter().enumerate() {
        if !status.as_str().is_some_and(|s| STATUSES.contains(&s)) {
            problems.insert(format!("filter[statuses][{i}]"), texts::CHOICE.to_owned());
        }
    }
    filters
}
