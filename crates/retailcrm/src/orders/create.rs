//! New orders, one (`orders/create`) or up to 50 at once (`orders/upload`), and the
//! customer each is linked to: the one the order names, else the site's customer with
//! its phone or e-mail (`matching`), else a new one made from the order's contact
//! fields, as the vendor does.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_core::CoreError;
use twin_store::Document;

use super::fields::{self, Allowed};
use super::{document, taken, ORDER};
use crate::custom_fields::Definitions;
use crate::customers::{self, fields::Problems, public, CORPORATE, CUSTOMER};
use crate::error::texts;
use crate::error::{RetailError, RetailResult};
use crate::journal::Journal;
use crate::loyalty;
use crate::payments;
use crate::reference::{
    self, DELIVERY_TYPES, ORDER_METHODS, ORDER_TYPES, PRODUCT_STATUSES, STATUSES,
};
use crate::render::created;
use crate::request::{timestamp, Ctx, RetailRequest};
use crate::sites;

/// The most orders one upload takes.
const UPLOAD_MAX: usize = 50;
/// The sequence of order items' ids.
const ITEM: &str = "order_item";

/// The account's codes an order may use.
pub async fn allowed(ctx: &Ctx) -> RetailResult<Allowed> {
    Ok(Allowed {
        statuses: reference::codes(ctx, STATUSES).await?,
        order_types: reference::codes(ctx, ORDER_TYPES).await?,
        order_methods: reference::codes(ctx, ORDER_METHODS).await?,
        delivery_types: reference::codes(ctx, DELIVERY_TYPES).await?,
        item_statuses: reference::codes(ctx, PRODUCT_STATUSES).await?,
        custom_fields: Definitions::load(ctx, ORDER).await?,
    })
}

/// Items' statuses must be codes of the account's item statuses (`items[i][status]`).
pub fn check_item_statuses(items: &[Value], allowed: &Allowed, problems: &mut Problems) {
    for (i, item) in items.iter().enumerate() {
        if let Some(status) = item.get("status").filter(|s| !s.is_null()) {
            if !status
                .as_str()
                .is_some_and(|code| allowed.item_statuses.iter().any(|known| known == code))
            {
                problems.insert(format!("items[{i}][status]"), texts::CHOICE.to_owned());
            }
        }
    }
}

/// `count` new ids of order items.
pub async fn item_ids(ctx: &Ctx, count: u32) -> RetailResult<i64> {
    reserve(ctx, ITEM, count).await
}

/// `count` new ids of the sequence `name` (items, payments): the first (0 for none).
pub async fn reserve(ctx: &Ctx, name: &str, count: u32) -> RetailResult<i64> {
    if count == 0 {
        return Ok(0);
    }
    ctx.core
        .store
        .reserve_sequence(&ctx.scope, name, count)
        .await
        .map_err(|e| CoreError::from(e).into())
}

/// The number of items a document gives without an id (new ones).
pub fn new_items(doc: &Map<String, Value>) -> u32 {
    doc.get("items")
        .and_then(Value::as_array)
        .map_or(0, |items| {
            items.iter().filter(|i| i.get("id").is_none()).count() as u32
        })
}

/// The customer an order document names (`customer {id}`, `{externalId}` in the
/// order's site unless it says another, or `{browserId}`; `type` `customer_corporate`
/// for a corporate one), or `None` when it names none. One not found is a problem
/// `customer`.
pub async fn linked(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    site: &str,
    problems: &mut Problems,
) -> RetailResult<Option<Document>> {
    let Some(given) = doc.get("customer").filter(|c| !c.is_null()) else {
        return Ok(None);
    };
    let kind = if given["type"] == CORPORATE {
        CORPORATE
    } else {
        CUSTOMER
    };
    let site = given["site"].as_str().unwrap_or(site);
    let found = if let Some(id) = given["id"]
        .as_i64()
        .or_else(|| given["id"].as_str().and_then(|s| s.parse().ok()))
    {
        customers::find_in(ctx, kind, true, None, &id.to_string()).await
    } else if let Some(external) = given["externalId"].as_str() {
        customers::find_in(ctx, kind, false, Some(site), external).await
    } else if let Some(browser) = given["browserId"].as_str().filter(|_| kind == CUSTOMER) {
        super::matching::by_browser_id(ctx, browser)
            .await?
            .ok_or_else(RetailError::not_found)
    } else {
        problems.insert("customer".into(), crate::error::texts::BLANK.into());
        return Ok(None);
    };
    found_or_problem(found, problems, "customer", "Customer not found")
}

/// A document a write's document names: one not found (404) is the problem `field` with
/// `text` instead.
pub fn found_or_problem(
    found: RetailResult<Document>,
    problems: &mut Problems,
    field: &str,
    text: &str,
) -> RetailResult<Option<Document>> {
    match found {
        Ok(doc) => Ok(Some(doc)),
        Err(error) if error.status == axum::http::StatusCode::NOT_FOUND => {
            problems.insert(field.into(), text.into());
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// How an order names its customer: `{type, id, externalId?, site}`.
pub fn customer_link(customer: &Value) -> Value {
    let mut link = customers::identity(customer);
    link["type"] = customer["type"].clone();
    link
}

/// The order's contact fields, from its customer where the order leaves them out
/// (*Inferred*).
pub fn contact_from(body: &mut Map<String, Value>, customer: &Value) {
    for field in ["firstName", "lastName", "patronymic", "email"] {
        if !body.contains_key(field) && customer[field].is_string() {
            body.insert(field.into(), customer[field].clone());
        }
    }
    if !body.contains_key("phone") {
        if let Some(number) = customer["phones"][0]["number"].as_str() {
            body.insert("phone".into(), json!(number));
        }
    }
}

/// A new order's body: the defaults (status `new` unless given, the API's default order
/// type, `RUB`, `call`/`expired`/`shipped` false, no discounts, an individual
/// contragent), then the document's fields and items. `id`, `number` and the customer
/// come later.
async fn new_body(
    ctx: &Ctx,
    site: &str,
    doc: &Map<String, Value>,
    allowed: &Allowed,
    problems: &mut Problems,
) -> RetailResult<Map<String, Value>> {
    let now = timestamp(ctx.now);
    let mut body = Map::new();
    body.insert("site".into(), json!(site));
    body.insert("createdAt".into(), json!(now));
    body.insert("status".into(), json!(reference::DEFAULT_STATUS));
    for (field, defaults) in [("orderType", ORDER_TYPES), ("orderMethod", ORDER_METHODS)] {
        if let Some(code) = reference::default_for_api(ctx, defaults).await? {
            body.insert(field.into(), json!(code));
        }
    }
    body.insert("currency".into(), json!("RUB"));
    for flag in ["call", "expired", "shipped"] {
        body.insert(flag.into(), json!(false));
    }
    body.insert("discountManualAmount".into(), json!(0.0));
    body.insert("discountManualPercent".into(), json!(0.0));
    body.insert("prepaySum".into(), json!(0.0));
    body.insert(
        "contragent".into(),
        json!({ "contragentType": "individual" }),
    );
    body.insert("customFields".into(), json!({}));
    fields::apply(doc, &mut body, allowed, problems);
    let mut first = item_ids(ctx, new_items(doc)).await?;
    let mut next = || {
        first += 1;
        first - 1
    };
    let items = match doc.get("items") {
        Some(value) if !value.is_null() => fields::items(value, &[], &now, &mut next, problems),
        _ => Vec::new(),
    };
    check_item_statuses(&items, allowed, problems);
    body.insert("items".into(), Value::Array(items));
    body.insert("statusUpdatedAt".into(), body["createdAt"].clone());
    Ok(body)
}

/// A new customer from the order's contact fields, in the order's site.
async fn customer_from(
    ctx: &Ctx,
    site: &str,
    order: &Map<String, Value>,
) -> RetailResult<Document> {
    let mut doc = Map::new();
    for field in ["firstName", "lastName", "patronymic", "email"] {
        if let Some(value) = order.get(field) {
            doc.insert(field.into(), value.clone());
        }
    }
    if let Some(phone) = order.get("phone") {
        doc.insert("phones".into(), json!([{ "number": phone }]));
    }
    let defs = Definitions::load(ctx, CUSTOMER).await?;
    let mut problems = Problems::new();
    let mut body = customers::create::new_body(ctx, site, &doc, &defs, &mut problems);
    let id = customers::create::next_ids(ctx, 1).await?;
    body.insert("id".into(), json!(id));
    Ok(customers::document(ctx, Value::Object(body)))
}

/// One order ready to write: its document, and a new customer when it made one.
struct Prepared {
    order: Document,
    customer: Option<Document>,
}

/// Reads an order document into a new order of `site` with the id `id`; its problems,
/// when any, instead.
async fn prepare(
    ctx: &Ctx,
    site: &str,
    doc: &Map<String, Value>,
    allowed: &Allowed,
) -> RetailResult<Result<Prepared, Problems>> {
    let mut problems = Problems::new();
    let mut body = new_body(ctx, site, doc, allowed, &mut problems).await?;
    let customer = linked(ctx, doc, site, &mut problems).await?;
    let rules = payments::read::order_payments(ctx, doc, &mut body, &mut problems).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    if let Some(external) = body.get("externalId").and_then(Value::as_str) {
        if customers::by_external_id(ctx, ORDER, Some(site), external)
            .await?
            .is_some()
        {
            return Ok(Err(taken(external).errors));
        }
    }
    let (customer, new_customer) = match customer {
        Some(found) => (found.body, None),
        None => match super::matching::existing(ctx, site, &body).await? {
            Some(found) => (found, None),
            None => {
                let made = customer_from(ctx, site, &body).await?;
                (made.body.clone(), Some(made))
            }
        },
    };
    contact_from(&mut body, &customer);
    body.insert("customer".into(), customer_link(&customer));
    let id = next_ids(ctx).await?;
    body.insert("id".into(), json!(id));
    if !body.contains_key("number") {
        // *Inferred*: the vendor's default numbering, the id and `A`.
        body.insert("number".into(), json!(format!("{id}A")));
    }
    fields::totals(&mut body);
    payments::settle_with(&mut body, rules.as_ref());
    Ok(Ok(Prepared {
        order: document(ctx, Value::Object(body)),
        customer: new_customer,
    }))
}

async fn next_ids(ctx: &Ctx) -> RetailResult<i64> {
    ctx.core
        .store
        .reserve_sequence(&ctx.scope, ORDER, 1)
        .await
        .map_err(|e| CoreError::from(e).into())
}

/// Adds a prepared order (and its new customer, in the customers' history, and its
/// payments' index) to a journal.
fn write(ctx: &Ctx, journal: &mut Journal<'_>, prepared: Prepared) {
    payments::sync(journal, ctx, None, &prepared.order.body);
    if let Some(customer) = prepared.customer {
        let snapshot = public(&customer.body);
        journal.create(customer, "customer", snapshot);
    }
    let snapshot = public(&prepared.order.body);
    journal.create(prepared.order, "order", snapshot);
}

/// `POST /api/v5/orders/create`: `order=<json>` and `site`; 201 `{"id": N, "order"}`.
/// An order of a participant created in a complete status credits its bonuses
/// (`crate::loyalty::accrual`), in the same commit.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = customers::entity(request, "order")?;
    let site = sites::for_write(ctx, request).await?;
    let allowed = allowed(ctx).await?;
    let mut prepared = match prepare(ctx, &site, &doc, &allowed).await? {
        Ok(prepared) => prepared,
        Err(problems) => return Err(RetailError::entity(problems)),
    };
    let accrual = match prepared.customer {
        None => loyalty::accrual::on_create(ctx, &mut prepared.order).await?,
        Some(_) => None,
    };
    let id = prepared.order.body["id"].clone();
    let order = super::render(ctx, &prepared.order.body).await;
    let mut journal = Journal::new(ctx).await?;
    let customer = prepared.customer.as_ref().map(|c| public(&c.body));
    write(ctx, &mut journal, prepared);
    if let Some(accrual) = accrual {
        loyalty::ledger::record(ctx, &mut journal, &accrual.account, accrual.operations).await?;
    }
    journal.commit(taken).await?;
    let mut order = order?;
    if let Some(customer) = customer {
        order["customer"] = customer;
    }
    Ok(created(crate::request::success(
        json!({ "id": id, "order": order }),
    )))
}

/// `POST /api/v5/orders/upload`: `orders=<json list>` (at most 50) and `site`; the valid
/// ones are created together: 201 `{"uploadedOrders": [{id, externalId}]}`, or 460 with
/// `errors` (one line per order left out).
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let list = match request.document("orders")? {
        Value::Array(list) => list,
        _ => {
            return Err(RetailError::parameter(
                "orders",
                "This value should be of type array.",
            ))
        }
    };
    if list.is_empty() || list.len() > UPLOAD_MAX {
        return Err(RetailError::parameter(
            "orders",
            "This collection should contain 1 element or more and 50 elements or less.",
        ));
    }
    let site = sites::for_write(ctx, request).await?;
    let allowed = allowed(ctx).await?;
    let mut ready = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, item) in list.iter().enumerate() {
        let Some(doc) = item.as_object() else {
            errors.push(format!("orders[{i}]: This value should be of type object."));
            continue;
        };
        if let Some(external) = doc.get("externalId").and_then(Value::as_str) {
            if !seen.insert(external.to_owned()) {
                errors.push(format!(
                    "orders[{i}][externalId]: Order with the same externalId already exists."
                ));
                continue;
            }
        }
        match prepare(ctx, &site, doc, &allowed).await? {
            Ok(prepared) if !payments::read::claim(&prepared.order.body, &mut seen) => {
                errors.push(format!("orders[{i}][payments]: {}", payments::TAKEN));
            }
            Ok(prepared) => ready.push(prepared),
            Err(problems) => {
                if let Some((field, text)) = problems.into_iter().next() {
                    errors.push(format!("orders[{i}][{field}]: {text}"));
                }
            }
        }
    }
    let mut uploaded = Vec::new();
    if !ready.is_empty() {
        let mut journal = Journal::new(ctx).await?;
        for prepared in ready {
            let mut entry = json!({ "id": prepared.order.body["id"] });
            if let Some(external) = prepared.order.body.get("externalId") {
                entry["externalId"] = external.clone();
            }
            uploaded.push(entry);
            write(ctx, &mut journal, prepared);
        }
        journal.commit(taken).await?;
    }
    Ok(customers::create::uploaded_answer_of(
        "uploadedOrders",
        "Orders are loaded with errors",
        uploaded,
        errors,
    ))
}
