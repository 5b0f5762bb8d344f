//! Writing costs: `create`, `{id}/edit` and `upload`, one reading of the cost document
//! (`read`) for all three.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Batch, Expect, Filter, ListQuery, PageRequest, Write};

use super::{find, COST};
use crate::cost_refs::{self, ATTRACTION, SOURCE_FIELDS};
use crate::currencies;
use crate::customers::fields::{object, Problems};
use crate::customers::{self, entity};
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::ORDER;
use crate::render::{created, ok};
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};
use crate::{sites, users};

/// At most this many costs in one upload (the seed).
const UPLOAD_LIMIT: usize = 50;

/// A date (`Y-m-d`, or a time of which the date is kept).
fn date(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| d.to_string())
        .or_else(|| parse_time(text).map(|at| timestamp(at)[..10].to_owned()))
}

/// The order `link` names: by `id`, else `externalId`, else `number` (the seed's order),
/// the last two within `site` when given. `None` when it names none or none is found;
/// costs and tasks link orders this way.
pub async fn order_doc(
    ctx: &Ctx,
    link: &Value,
    site: Option<&str>,
) -> RetailResult<Option<twin_store::Document>> {
    let found = if let Some(id) = link["id"].as_i64() {
        customers::find_in(ctx, ORDER, true, None, &id.to_string()).await
    } else if let Some(external) = link["externalId"].as_str() {
        customers::find_in(ctx, ORDER, false, site, external).await
    } else if let Some(number) = link["number"].as_str() {
        let mut filters = vec![Filter::eq("number", number)];
        if let Some(site) = site {
            filters.push(Filter::eq("site", site));
        }
        let query = ListQuery::new(ctx.scope.clone(), ORDER)
            .filter(Filter::And(filters))
            .page(PageRequest::Offset {
                offset: 0,
                limit: 100,
            });
        let page = ctx.core.entities.list(&query).await?;
        page.items
            .into_iter()
            .find(|d| ctx.may_reach(d.body["site"].as_str().unwrap_or_default()))
            .ok_or_else(RetailError::not_found)
    } else {
        return Ok(None);
    };
    match found {
        Ok(doc) => Ok(Some(doc)),
        Err(error) if error.status == axum::http::StatusCode::NOT_FOUND => Ok(None),
        Err(error) => Err(error),
    }
}

/// How a cost names the order `cost[order]` names: `{id, number, externalId}`.
async fn order(ctx: &Ctx, link: &Value, site: Option<&str>) -> RetailResult<Option<Value>> {
    Ok(order_doc(ctx, link, site)
        .await?
        .map(|doc| customers::pick(&doc.body, &["id", "number", "externalId"])))
}

/// Reads the fields of `doc` over `cost` (a stored cost, or an empty object), recording
/// problems by field. Required: `dateFrom`, `dateTo` (not before `dateFrom`), `summ` (≥ 0),
/// `costItem` (an active item of the account); a cost names an order only when its item
/// applies to orders, a user only when it applies to users (*Inferred*, the same rule),
/// `source` only when it is of customer attraction (whose item gives the default tags).
/// `sites` are checked like `site` (400/403 at once); a new cost without them is for
/// every site the key reaches.
async fn read(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    cost: &mut Map<String, Value>,
    site: Option<&str>,
    problems: &mut Problems,
) -> RetailResult<()> {
    for field in ["dateFrom", "dateTo"] {
        if let Some(value) = doc.get(field) {
            match date(value) {
                Some(d) => {
                    cost.insert(field.into(), json!(d));
                }
                None => {
                    problems.insert(field.into(), texts::DATE.into());
                }
            }
        }
    }
    if let Some(value) = doc.get("summ") {
        let summ = value
            .as_f64()
            .or_else(|| value.as_str().and_then(|t| t.parse().ok()));
        match summ {
            Some(s) if s >= 0.0 => {
                cost.insert("summ".into(), json!(s));
            }
            Some(_) => {
                problems.insert("summ".into(), texts::POSITIVE_OR_ZERO.into());
            }
            None => {
                problems.insert("summ".into(), texts::NUMBER.into());
            }
        }
    }
    match doc.get("comment") {
        None => {}
        Some(Value::Null) => {
            cost.remove("comment");
        }
        Some(Value::String(text)) if text.chars().count() <= 1000 => {
            cost.insert("comment".into(), json!(text));
        }
        Some(_) => {
            problems.insert(
                "comment".into(),
                "This value is too long. It should have 1000 characters or less.".into(),
            );
        }
    }
    if let Some(code) = doc.get("costItem") {
        let item = match code.as_str() {
            Some(code) => cost_refs::item(ctx, code).await?,
            None => None,
        };
        match item.filter(|i| i["active"] != false) {
            Some(item) => {
                cost.insert("costItem".into(), item["code"].clone());
            }
            None => {
                problems.insert("costItem".into(), texts::CHOICE.into());
            }
        }
    }
    match doc.get("order") {
        None => {}
        Some(Value::Null) => {
            cost.remove("order");
        }
        Some(link) => match order(ctx, link, site).await? {
            Some(found) => {
                cost.insert("order".into(), found);
            }
            None => {
                problems.insert("order".into(), "Order not found.".into());
            }
        },
    }
    match doc.get("userId") {
        None => {}
        Some(Value::Null) => {
            cost.remove("userId");
        }
        Some(id) => match id.as_i64().filter(|id| users::by_id(*id).is_some()) {
            Some(id) => {
                cost.insert("userId".into(), json!(id));
            }
            None => {
                problems.insert("userId".into(), "User not found.".into());
            }
        },
    }
    if let Some(list) = doc.get("sites").and_then(Value::as_array) {
        let mut codes = Vec::new();
        for code in list {
            match code.as_str() {
                Some(code) => codes.push(json!(sites::check(ctx, code).await?)),
                None => {
                    problems.insert("sites".into(), texts::CHOICE.into());
                }
            }
        }
        if !codes.is_empty() {
            cost.insert("sites".into(), Value::Array(codes));
        }
    }
    if !cost.contains_key("sites") {
        let all = sites::available(ctx).await?;
        cost.insert("sites".into(), json!(all));
    }
    for field in ["dateFrom", "dateTo", "summ", "costItem"] {
        if !cost.contains_key(field) && !problems.contains_key(field) {
            problems.insert(field.into(), texts::BLANK.into());
        }
    }
    if let (Some(from), Some(to)) = (cost.get("dateFrom"), cost.get("dateTo")) {
        if from.as_str() > to.as_str() {
            problems.insert(
                "dateTo".into(),
                "The end of the period must not be before its start.".into(),
            );
        }
    }
    let item = match cost.get("costItem").and_then(Value::as_str) {
        Some(code) => cost_refs::item(ctx, code).await?.unwrap_or_default(),
        None => Value::Null,
    };
    if cost.contains_key("order") && item["appliesToOrders"] != true {
        problems.insert(
            "order".into(),
            "The cost item does not refer to the costs on orders.".into(),
        );
    }
    if cost.contains_key("userId") && item["appliesToUsers"] != true {
        problems.insert(
            "userId".into(),
            "The cost item does not refer to the costs on users.".into(),
        );
    }
    let given = doc.get("source").filter(|v| !v.is_null());
    if !item.is_null() && item["group"] != ATTRACTION {
        if given.is_some() {
            problems.insert(
                "source".into(),
                "Source tags are only for costs of customer attraction.".into(),
            );
        }
        cost.remove("source");
    } else if !item.is_null() {
        let mut source = cost
            .get("source")
            .or(item.get("source"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(given) = given {
            if let Some(Value::Object(read)) = object(problems, "source", given, &SOURCE_FIELDS) {
                source.extend(read);
            }
        }
        if !source.is_empty() {
            cost.insert("source".into(), Value::Object(source));
        }
    }
    Ok(())
}

/// A new cost: its id, the base currency and the time.
async fn fresh(ctx: &Ctx) -> RetailResult<Map<String, Value>> {
    let id = ctx.next_id(COST).await?;
    let mut cost = Map::new();
    cost.insert("id".into(), json!(id));
    cost.insert("currency".into(), json!(currencies::base_code(ctx).await?));
    cost.insert("createdAt".into(), json!(timestamp(ctx.now)));
    Ok(cost)
}

fn document(ctx: &Ctx, cost: Map<String, Value>) -> twin_store::Document {
    let id = cost["id"].to_string();
    twin_store::Document::new(ctx.scope.key(COST, id), Value::Object(cost))
}

/// `POST /api/v5/costs/create` (the Python client's companion): `cost=<json>`, `site`
/// (for an order named by external id or number). 201 `{"success": true, "id"}`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "cost")?;
    let site = sites::resolve(ctx, request).await?;
    let mut cost = Map::new();
    let mut problems = Problems::new();
    read(ctx, &doc, &mut cost, site.as_deref(), &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let mut stored = fresh(ctx).await?;
    stored.extend(cost);
    let id = stored["id"].clone();
    crate::journal::put(ctx, document(ctx, stored), None).await?;
    Ok(created(success(json!({ "id": id }))))
}

/// `POST /api/v5/costs/{id}/edit` (companion): `cost=<json>`, `site`. Changes the fields
/// given (`null` clears `comment`, `order`, `userId`); the result must still be a valid
/// cost. 200 `{"success": true, "id"}`; 404/403 as `get`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let before = find(ctx, request.arg()).await?;
    let doc = entity(request, "cost")?;
    let site = sites::resolve(ctx, request).await?;
    let mut cost = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    read(ctx, &doc, &mut cost, site.as_deref(), &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = cost["id"].clone();
    crate::journal::put(ctx, document(ctx, cost), Some(&before)).await?;
    Ok(ok(success(json!({ "id": id }))))
}

/// `POST /api/v5/costs/upload` (companion): `costs=<json list>` of at most 50, `site`.
/// All or none (*Inferred*): any problem is 400 `Errors in the entity format` with
/// `costs[i][field]` keys. 201 `{"success": true, "uploadedCosts": [ids]}`.
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let list = request.batch("costs", UPLOAD_LIMIT)?;
    let site = sites::resolve(ctx, request).await?;
    let mut problems = Problems::new();
    let mut costs = Vec::new();
    for (i, doc) in list.iter().enumerate() {
        let Some(doc) = doc.as_object() else {
            problems.insert(format!("costs[{i}]"), texts::CHOICE.into());
            continue;
        };
        let mut cost = Map::new();
        let mut own = Problems::new();
        read(ctx, doc, &mut cost, site.as_deref(), &mut own).await?;
        problems.extend(
            own.into_iter()
                .map(|(field, text)| (format!("costs[{i}][{field}]"), text)),
        );
        costs.push(cost);
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let mut batch = Batch::new();
    let mut ids = Vec::new();
    for cost in costs {
        let mut stored = fresh(ctx).await?;
        stored.extend(cost);
        ids.push(stored["id"].clone());
        batch.writes.push(Write::Put {
            doc: document(ctx, stored),
            expect: Expect::Absent,
        });
    }
    ctx.core
        .store
        .apply(batch)
        .await
        .map_err(twin_core::CoreError::from)?;
    Ok(created(success(json!({ "uploadedCosts": ids }))))
}
