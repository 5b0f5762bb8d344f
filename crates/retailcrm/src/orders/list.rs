//! The order list and its main filters.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter};

use super::{render, ORDER};
use crate::customers::list::{
    containing, date_range, flags, ids, list_of, managers, page_docs, search, short_text,
    site_filters,
};
use crate::error::{texts, RetailResult};
use crate::reference;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// A list filter of codes (`filter[orderTypes][]`) on the field `path`.
pub fn codes(filter: &Value, name: &str, path: &str) -> Option<Filter> {
    let values: Vec<Value> = list_of(&filter[name]).into_iter().cloned().collect();
    (!values.is_empty()).then(|| Filter::In {
        path: Filter::path(path),
        values,
    })
}

/// `GET /api/v5/orders`: `limit`, `page` and `filter[...]`: `ids[]`, `externalIds[]`,
/// `numbers[]` (at most 100), `customerId`, `customerExternalId`, `customer` (the
/// contact's names or phone, any part), `customerType`, `email` (any part), `managers[]`,
/// `statuses[]`, `extendedStatus[]` (status or status group codes), `orderTypes[]`,
/// `orderMethods[]`, `deliveryTypes[]`, `sites[]`, `call`, `expired`, `shipped`,
/// `createdAtFrom`/`createdAtTo`, `statusUpdatedAtFrom`/`To` (days), `city`, `region`
/// (of the delivery address), `managerComment`, `customerComment`, `contragentName`
/// (any part), `minPrice`/`maxPrice` (of `totalSumm`). In id order.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters = Vec::new();
    filters.extend(ids(filter, &mut problems));
    filters.extend(codes(filter, "externalIds", "externalId"));
    let numbers = list_of(&filter["numbers"]);
    if numbers.len() > 100 {
        problems.insert(
            "filter[numbers]".into(),
            "This collection should contain 100 elements or less.".into(),
        );
    }
    filters.extend(codes(filter, "numbers", "number"));
    if let Some(id) = filter["customerId"].as_str().filter(|t| !t.is_empty()) {
        match id.parse::<i64>() {
            Ok(id) => filters.push(Filter::eq("customer.id", id)),
            Err(_) => {
                problems.insert("filter[customerId]".into(), texts::INTEGER.into());
            }
        }
    }
    if let Some(external) = short_text(filter, "customerExternalId", &mut problems) {
        filters.push(Filter::eq("customer.externalId", external));
    }
    match filter["customerType"].as_str().filter(|t| !t.is_empty()) {
        None => {}
        Some(kind @ ("customer" | "customer_corporate")) => {
            filters.push(Filter::eq("customer.type", kind));
        }
        Some(_) => {
            problems.insert("filter[customerType]".into(), texts::CHOICE.into());
        }
    }
    filters.extend(search(filter, "customer", &mut problems));
    filters.extend(containing(
        filter,
        &[
            ("email", "email"),
            ("city", "delivery.address.city"),
            ("region", "delivery.address.region"),
            ("managerComment", "managerComment"),
            ("customerComment", "customerComment"),
            ("contragentName", "contragent.legalName"),
        ],
        &mut problems,
    ));
    filters.extend(managers(filter, &mut problems));
    filters.extend(codes(filter, "statuses", "status"));
    let extended = list_of(&filter["extendedStatus"]);
    if !extended.is_empty() {
        let mut values = Vec::new();
        for code in extended.iter().filter_map(|c| c.as_str()) {
            match reference::group_statuses(code) {
                Some(statuses) => values.extend(statuses.into_iter().map(|s| json!(s))),
                None => values.push(json!(code)),
            }
        }
        filters.push(Filter::In {
            path: vec!["status".into()],
            values,
        });
    }
    filters.extend(codes(filter, "orderTypes", "orderType"));
    filters.extend(codes(filter, "orderMethods", "orderMethod"));
    filters.extend(codes(filter, "deliveryTypes", "delivery.code"));
    filters.extend(site_filters(ctx, filter).await?);
    filters.extend(flags(
        filter,
        &[
            ("call", "call"),
            ("expired", "expired"),
            ("shipped", "shipped"),
        ],
        &mut problems,
    ));
    filters.extend(date_range(
        filter,
        ("createdAtFrom", "createdAtTo"),
        "createdAt",
        &mut problems,
    ));
    filters.extend(date_range(
        filter,
        ("statusUpdatedAtFrom", "statusUpdatedAtTo"),
        "statusUpdatedAt",
        &mut problems,
    ));
    for (name, op) in [("minPrice", CmpOp::Ge), ("maxPrice", CmpOp::Le)] {
        if let Some(text) = filter[name].as_str().filter(|t| !t.is_empty()) {
            match text.parse::<f64>() {
                Ok(price) => filters.push(Filter::cmp("totalSumm", op, price)),
                Err(_) => {
                    problems.insert(format!("filter[{name}]"), texts::NUMBER.into());
                }
            }
        }
    }
    let (docs, total) = page_docs(ctx, ORDER, paging, filters, problems).await?;
    let mut orders = Vec::new();
    for doc in &docs {
        orders.push(render(ctx, &doc.body).await?);
    }
    Ok(ok(success(json!({
        "pagination": paging.pagination(total),
        "orders": orders,
    }))))
}
