//! The order list and its filters.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter, TextMode};

use super::{render, ORDER};
use crate::customers::list::{
    containing, contragent_types, custom_fields, date_range, day_range, flags, ids, list_of,
    managers, page_docs, search, short_text, site_filters,
};
use crate::customers::{CORPORATE, CUSTOMER};
use crate::error::{texts, RetailResult};
use crate::reference;
use crate::render::ok;
use crate::request::{every, success, Ctx, RetailRequest};

/// A list filter of codes (`filter[orderTypes][]`) on the field `path`.
pub fn codes(filter: &Value, name: &str, path: &str) -> Option<Filter> {
    let values: Vec<Value> = list_of(&filter[name]).into_iter().cloned().collect();
    (!values.is_empty()).then(|| Filter::In {
        path: Filter::path(path),
        values,
    })
}

/// Numeric bounds `(min filter, max filter, path)`: `filter[minPrice]` ≤ `totalSumm` ≤
/// `filter[maxPrice]`, ...; a bound that is no number is a problem.
pub fn bounds(
    filter: &Value,
    names: &[(&str, &str, &str)],
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    let mut filters = Vec::new();
    for (min, max, path) in names {
        for (name, op) in [(min, CmpOp::Ge), (max, CmpOp::Le)] {
            let Some(text) = filter[*name].as_str().filter(|t| !t.is_empty()) else {
                continue;
            };
            match text.parse::<f64>() {
                Ok(bound) => filters.push(Filter::cmp(path, op, bound)),
                Err(_) => {
                    problems.insert(format!("filter[{name}]"), texts::NUMBER.into());
                }
            }
        }
    }
    filters
}

/// The contragent's requisites `(filter name, member)`: digits (the seed's `/\d+/`, else
/// "This value is not valid."), matched exactly (*Inferred*: requisites are
/// identifiers, not text to search).
fn requisites(
    filter: &Value,
    names: &[(&str, &str)],
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    let mut filters = Vec::new();
    for (name, member) in names {
        let Some(text) = filter[*name].as_str().filter(|t| !t.is_empty()) else {
            continue;
        };
        if text.chars().any(|c| c.is_ascii_digit()) {
            filters.push(Filter::eq(&format!("contragent.{member}"), text));
        } else {
            problems.insert(format!("filter[{name}]"), "This value is not valid.".into());
        }
    }
    filters
}

/// `filter[vip]` and `filter[bad]`: of the order's customer. Orders keep only a link to
/// their customer, so the flag picks the customers first (of either kind, at most
/// 10 000, *Inferred* bound) and then their orders.
async fn customer_flags(
    ctx: &Ctx,
    filter: &Value,
    problems: &mut BTreeMap<String, String>,
) -> RetailResult<Vec<Filter>> {
    let mut out = Vec::new();
    for wanted in flags(filter, &[("vip", "vip"), ("bad", "bad")], problems) {
        let mut values = Vec::new();
        for kind in [CUSTOMER, CORPORATE] {
            let found = every(ctx, kind, wanted.clone()).await?;
            values.extend(found.into_iter().map(|doc| doc.body["id"].clone()));
        }
        out.push(Filter::In {
            path: Filter::path("customer.id"),
            values,
        });
    }
    Ok(out)
}

/// `filter[product]`: any part of an item's product name or its offer's article.
fn product(filter: &Value, problems: &mut BTreeMap<String, String>) -> Option<Filter> {
    let text = short_text(filter, "product", problems)?;
    Some(Filter::text(
        "_products",
        TextMode::Contains,
        &text.to_lowercase(),
        true,
    ))
}

/// `filter[paymentStatuses][]`, `filter[paymentTypes][]` (an order with a payment of one
/// of the codes), `filter[paidAtFrom]`/`[paidAtTo]` (days, inclusive: an order with a
/// payment paid within them, one payment meeting both bounds) and
/// `filter[fullPaidAtFrom]`/`[fullPaidAtTo]` (the order's `fullPaidAt`). A payment's
/// `paidAt` is one of several in the order, so the paid orders are picked first (at most
/// 10 000, *Inferred* bound, as `vip`/`bad` do) and then matched by id.
async fn payments(
    ctx: &Ctx,
    filter: &Value,
    problems: &mut BTreeMap<String, String>,
) -> RetailResult<Vec<Filter>> {
    let mut out = Vec::new();
    for (name, path) in [
        ("paymentStatuses", "_paymentStatuses"),
        ("paymentTypes", "_paymentTypes"),
    ] {
        let codes = list_of(&filter[name]);
        if !codes.is_empty() {
            out.push(Filter::Or(
                codes
                    .iter()
                    .filter_map(|code| code.as_str())
                    .map(|code| Filter::Holds {
                        path: vec![path.into()],
                        text: code.into(),
                    })
                    .collect(),
            ));
        }
    }
    out.extend(date_range(
        filter,
        ("fullPaidAtFrom", "fullPaidAtTo"),
        "fullPaidAt",
        problems,
    ));
    let bounds = date_range(filter, ("paidAtFrom", "paidAtTo"), "paidAt", problems);
    if bounds.is_empty() {
        return Ok(out);
    }
    let within = |at: &str| {
        bounds.iter().all(|bound| match bound {
            Filter::Cmp { op, value, .. } => {
                let bound = value.as_str().unwrap_or_default();
                match op {
                    CmpOp::Ge => at >= bound,
                    _ => at <= bound,
                }
            }
            _ => true,
        })
    };
    let has_paid = Filter::IsEmpty {
        path: vec!["_paidAt".into()],
        empty: false,
    };
    let paid = every(ctx, ORDER, has_paid).await?;
    let values = paid
        .iter()
        .filter(|doc| {
            doc.body["_paidAt"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|at| at.as_str().is_some_and(within))
        })
        .map(|doc| doc.body["id"].clone())
        .collect();
    out.push(Filter::In {
        path: vec!["id".into()],
        values,
    });
    Ok(out)
}

/// `GET /api/v5/orders`: `limit`, `page` and `filter[...]`: `ids[]`, `externalIds[]`,
/// `numbers[]` (at most 100), `customerId`, `customerExternalId`, `customer` (the
/// contact's names or phone, any part), `customerType`, `email` (any part), `managers[]`,
/// `managerGroups[]`, `statuses[]`, `extendedStatus[]` (status or status group codes),
/// `orderTypes[]`, `orderMethods[]`, `deliveryTypes[]`, `sites[]`, `countries[]`,
/// `call`, `expired`, `shipped`, `vip`/`bad` (of the customer), `createdAtFrom`/`To`,
/// `statusUpdatedAtFrom`/`To`, `deliveryDateFrom`/`To` (days), `city`, `region`,
/// `index`, `metro`, `deliveryAddressNotes` (of the delivery address), `managerComment`,
/// `customerComment`, `statusComment`, `contragentName` (any part), `contragentTypes[]`,
/// the contragent's requisites (`contragentInn`, `Kpp`, `Bik`, `CorrAccount`,
/// `BankAccount`: exact), `product` (an item's name or article, any part), the bounds
/// of `totalSumm` (`minPrice`/`maxPrice`), `purchaseSumm`, `prepaySum`, delivery cost
/// and net cost, `customFields[code]`, the payments' (`payments` above) and the source's
/// tags (`sourceName`, ...: web analytics). The others of the seed's table are filters on
/// data Twin does not keep yet (shipments, fiscal receipts, tasks) and are not applied. In
/// id order.
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
            ("statusComment", "statusComment"),
            ("index", "delivery.address.index"),
            ("metro", "delivery.address.metro"),
            ("deliveryAddressNotes", "delivery.address.notes"),
        ],
        &mut problems,
    ));
    filters.extend(managers(filter, &mut problems));
    filters.extend(crate::web_analytics::source_filters(filter, &mut problems));
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
    filters.extend(bounds(
        filter,
        &[
            ("minPrice", "maxPrice", "totalSumm"),
            ("minPurchaseSumm", "maxPurchaseSumm", "purchaseSumm"),
            ("minPrepaySumm", "maxPrepaySumm", "prepaySum"),
            ("minDeliveryCost", "maxDeliveryCost", "delivery.cost"),
            (
                "minDeliveryNetCost",
                "maxDeliveryNetCost",
                "delivery.netCost",
            ),
        ],
        &mut problems,
    ));
    filters.extend(day_range(
        filter,
        ("deliveryDateFrom", "deliveryDateTo"),
        "delivery.date",
        &mut problems,
    ));
    filters.extend(contragent_types(filter, &mut problems));
    filters.extend(requisites(
        filter,
        &[
            ("contragentInn", "INN"),
            ("contragentKpp", "KPP"),
            ("contragentBik", "BIK"),
            ("contragentCorrAccount", "corrAccount"),
            ("contragentBankAccount", "bankAccount"),
        ],
        &mut problems,
    ));
    filters.extend(codes(filter, "countries", "countryIso"));
    filters.extend(product(filter, &mut problems));
    filters.extend(customer_flags(ctx, filter, &mut problems).await?);
    filters.extend(payments(ctx, filter, &mut problems).await?);
    custom_fields(ctx, (ORDER, filter), &mut filters, &mut problems).await?;
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
