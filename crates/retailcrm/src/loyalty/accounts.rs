//! Participations: a customer joins (`create`), is read (`get`, the `accounts` list), is
//! activated (`activate`) and changed (`edit`).

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use super::{document, find, of_customer, program, render, ACCOUNT};
use crate::customers::fields::Problems;
use crate::customers::list::{flags, ids, list_of, page_docs, short_text, site_filters};
use crate::customers::{self, CUSTOMER};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal;
use crate::render::{created, ok};
use crate::request::{success, timestamp, Ctx, RetailRequest};
use crate::sites;

/// The customer fields of `rules.required_fields` the customer leaves empty.
fn missing(customer: &Value, rules: &program::Rules) -> Vec<String> {
    rules
        .required_fields
        .iter()
        .filter(|field| customer[field.as_str()].as_str().is_none_or(str::is_empty))
        .cloned()
        .collect()
}

/// The warning of a missing required field (*Inferred* text).
fn warning(field: &str) -> String {
    format!("The customer field \"{field}\" required by the loyalty program is not filled in")
}

/// `phoneNumber`, `cardNumber` (text up to 255) and `customFields` (an object) of a
/// `loyaltyAccount` document into `into`.
fn read_fields(doc: &Map<String, Value>, into: &mut Map<String, Value>, problems: &mut Problems) {
    for field in ["phoneNumber", "cardNumber"] {
        match doc.get(field) {
            None => {}
            Some(Value::Null) => {
                into.remove(field);
            }
            Some(value) => {
                if let Some(text) = crate::customers::fields::checked_text(problems, field, value) {
                    into.insert(field.into(), text);
                }
            }
        }
    }
    match doc.get("customFields") {
        None | Some(Value::Null) => {}
        Some(Value::Object(fields)) => {
            into.insert("customFields".into(), Value::Object(fields.clone()));
        }
        Some(_) => {
            problems.insert("customFields".into(), texts::CHOICE.into());
        }
    }
    let has = |field: &str| {
        into.get(field)
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty())
    };
    if !has("phoneNumber") && !has("cardNumber") {
        problems.insert(
            "phoneNumber".into(),
            "One of the fields phoneNumber or cardNumber must be filled in".into(),
        );
    }
}

/// `POST /api/v5/loyalty/account/create`: `site`, `loyaltyAccount=<json>` with
/// `customer {id}` or `{externalId}` (in `site`), `phoneNumber` and/or `cardNumber`,
/// `customFields`; 201 `{loyaltyAccount, warnings}`. The customer joins the account's
/// program; the participation is active unless the program's required customer fields
/// are empty (a warning each). An unknown customer, or one already taking part, is a 400
/// (*Inferred* texts).
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = customers::entity(request, "loyaltyAccount")?;
    let site = sites::for_write(ctx, request).await?;
    let customer = super::named_customer(ctx, &doc, &site).await?;
    let customer_site = customer.body["site"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(loyalty) = program::for_site(ctx, &customer_site).await? else {
        return Err(RetailError::bad_request(
            "No active loyalty program for the customer's site",
        ));
    };
    let mut problems = Problems::new();
    let mut body = Map::new();
    read_fields(&doc, &mut body, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    if of_customer(ctx, customer.body["id"].as_i64().unwrap_or_default())
        .await?
        .is_some()
    {
        return Err(already());
    }
    let rules = program::Rules::of(&loyalty);
    let missing = missing(&customer.body, &rules);
    let now = timestamp(ctx.now);
    let id = super::next_id(ctx, ACCOUNT).await?;
    body.insert("id".into(), json!(id));
    body.insert("active".into(), json!(missing.is_empty()));
    body.insert(
        "loyalty".into(),
        json!({ "id": loyalty["id"], "currency": loyalty["currency"] }),
    );
    body.insert("customer".into(), customers::identity(&customer.body));
    body.insert("site".into(), json!(customer_site));
    body.entry("customFields").or_insert_with(|| json!({}));
    body.insert("createdAt".into(), json!(now));
    if missing.is_empty() {
        body.insert("activatedAt".into(), json!(now));
    }
    body.insert("_operations".into(), json!(0));
    let body = Value::Object(body);
    match journal::put(ctx, document(ctx, body.clone()), None).await {
        Ok(()) => {}
        // The lookup of the customer is taken: a concurrent create won.
        Err(_)
            if of_customer(ctx, customer.body["id"].as_i64().unwrap_or(0))
                .await?
                .is_some() =>
        {
            return Err(already())
        }
        Err(error) => return Err(error),
    }
    let warnings: Vec<String> = missing.iter().map(|f| warning(f)).collect();
    Ok(created(success(json!({
        "loyaltyAccount": render(ctx, &body, false).await?,
        "warnings": warnings,
    }))))
}

/// The customer already takes part (*Inferred* text).
fn already() -> RetailError {
    RetailError::entity(BTreeMap::from([(
        "customer".to_owned(),
        "The customer is already a participant of the loyalty program".to_owned(),
    )]))
}

/// `GET /api/v5/loyalty/account/{id}`: `{loyaltyAccount}` in full.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    Ok(ok(success(json!({
        "loyaltyAccount": render(ctx, &doc.body, true).await?,
    }))))
}

/// `POST /api/v5/loyalty/account/{id}/activate`: the participation becomes active
/// (`activatedAt` now) once the customer has the program's required fields; no SMS (the
/// default program asks for none). Already active, or a required field still empty, is a
/// 400 (*Inferred* texts).
pub async fn activate(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let before = find(ctx, request.arg()).await?;
    if before.body["active"] == true {
        return Err(RetailError::bad_request(
            "The participation in the loyalty program is already activated",
        ));
    }
    let loyalty = program::find(ctx, before.body["loyalty"]["id"].as_i64().unwrap_or(1)).await?;
    let id = before.body["customer"]["id"].to_string();
    let customer = ctx
        .core
        .entities
        .find(&ctx.scope, CUSTOMER, &id)
        .await?
        .map(|doc| doc.body)
        .unwrap_or(Value::Null);
    let missing = missing(&customer, &program::Rules::of(&loyalty));
    if !missing.is_empty() {
        let errors = missing.iter().map(|f| (f.clone(), warning(f))).collect();
        return Err(RetailError {
            errors,
            ..RetailError::bad_request("The participation cannot be activated")
        });
    }
    let mut doc = before.clone();
    doc.body["active"] = json!(true);
    doc.body["activatedAt"] = json!(timestamp(ctx.now));
    journal::put(ctx, doc.clone(), Some(&before)).await?;
    Ok(ok(success(json!({
        "loyaltyAccount": render(ctx, &doc.body, false).await?,
    }))))
}

/// `POST /api/v5/loyalty/account/{id}/edit` (the clients' companion): `loyaltyAccount=
/// <json>` with `phoneNumber`, `cardNumber`, `customFields` and `loyaltyLevelId` (a level
/// of the program, fixed from then on); `{loyaltyAccount}` in full.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let changes = customers::entity(request, "loyaltyAccount")?;
    let before = find(ctx, request.arg()).await?;
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    read_fields(&changes, &mut body, &mut problems);
    if let Some(level) = changes.get("loyaltyLevelId").filter(|v| !v.is_null()) {
        let loyalty = program::find(ctx, body["loyalty"]["id"].as_i64().unwrap_or(1)).await?;
        let id = level
            .as_i64()
            .or_else(|| level.as_str().and_then(|s| s.parse().ok()));
        let known = loyalty["levels"]
            .as_array()
            .is_some_and(|levels| levels.iter().any(|l| id.is_some_and(|id| l["id"] == id)));
        if known {
            body.insert("levelId".into(), json!(id));
        } else {
            problems.insert("loyaltyLevelId".into(), texts::CHOICE.into());
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let mut doc = before.clone();
    doc.body = Value::Object(body);
    journal::put(ctx, doc.clone(), Some(&before)).await?;
    Ok(ok(success(json!({
        "loyaltyAccount": render(ctx, &doc.body, true).await?,
    }))))
}

/// `GET /api/v5/loyalty/accounts` (the clients' companion): `limit`, `page`,
/// `filter[...]`: `ids[]`, `id`, `loyalties[]`, `sites[]`, `status` (`activated`,
/// `not_confirmed`), `phoneNumber`, `cardNumber`, `customerId`, `customerExternalId`,
/// `active`; `{pagination, loyaltyAccounts}` in id order, in full.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters: Vec<Filter> = ids(filter, &mut problems).into_iter().collect();
    for (name, path) in [("id", "id"), ("customerId", "customer.id")] {
        if let Some(text) = filter[name].as_str().filter(|t| !t.is_empty()) {
            match text.parse::<i64>() {
                Ok(id) => filters.push(Filter::eq(path, id)),
                Err(_) => {
                    problems.insert(format!("filter[{name}]"), texts::INTEGER.into());
                }
            }
        }
    }
    let loyalties: Vec<Value> = list_of(&filter["loyalties"])
        .into_iter()
        .filter_map(|v| v.as_str().and_then(|s| s.parse::<i64>().ok()))
        .map(Value::from)
        .collect();
    if !loyalties.is_empty() {
        filters.push(Filter::In {
            path: Filter::path("loyalty.id"),
            values: loyalties,
        });
    }
    for (name, path) in [
        ("phoneNumber", "phoneNumber"),
        ("cardNumber", "cardNumber"),
        ("customerExternalId", "customer.externalId"),
    ] {
        if let Some(text) = short_text(filter, name, &mut problems) {
            filters.push(Filter::eq(path, text));
        }
    }
    match filter["status"].as_str().filter(|t| !t.is_empty()) {
        None => {}
        Some("activated") => filters.push(Filter::eq("active", true)),
        Some("not_confirmed") => filters.push(Filter::eq("active", false)),
        Some(_) => {
            problems.insert("filter[status]".into(), texts::CHOICE.into());
        }
    }
    filters.extend(flags(filter, &[("active", "active")], &mut problems));
    filters.extend(site_filters(ctx, filter).await?);
    let (docs, total) = page_docs(ctx, ACCOUNT, paging, filters, problems).await?;
    let mut accounts = Vec::new();
    for doc in &docs {
        accounts.push(render(ctx, &doc.body, true).await?);
    }
    Ok(ok(success(json!({
        "pagination": paging.pagination(total),
        "loyaltyAccounts": accounts,
    }))))
}
