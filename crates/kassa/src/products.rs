//! Nomenclature items (seed "Список позиций номенклатуры" .. "Удаление позиции
//! номенклатуры"), on `/v1/products`. The request and the answer name some things
//! differently, as the seed's samples do: `markType` answers inside `markMtDetails`,
//! `productEgais {egaisCode, ethanolVolume, unitVolume, codes}` as `markEgaisDetails
//! {egaisProductType, alcoholStrength, volume, egaisCodes}`, the integer `paymentObject`
//! as its name, and the supplier of an agent scheme gets an `id`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Filter, ListQuery, PageRequest};

use crate::categories::CATEGORY;
use crate::crud;
use crate::enums::{AGENT_SIGNS, MARK_TYPES, PRODUCT_TYPES, PRODUCT_VATS, UOMS};
use crate::error::texts::NOT_VALID;
use crate::error::{texts, KassaResult};
use crate::fields::Fields;
use crate::money::amount;
use crate::pages;
use crate::records::{record, Kind, References};
use crate::request::{Ctx, KassaRequest, Problems};
use crate::seed::{COUNTERPARTY, PAYMENT_OBJECTS, TAXATION_SYSTEMS};

/// The stored kind of products.
pub const PRODUCT: &str = "product";

/// `GET /v1/products`: `type` (`PRODUCT`, `SERVICE`) and `categoryId` narrow the list.
pub async fn list(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let mut filters = Vec::new();
    if let Some(kind) = problems.choice(request, "type", &PRODUCT_TYPES) {
        filters.push(Filter::eq("type", kind));
    }
    if let Some(category) = problems.uuid(request, "categoryId") {
        filters.push(Filter::eq("categoryId", category));
    }
    let mut query = ListQuery::new(ctx.scope.clone(), PRODUCT);
    if !filters.is_empty() {
        query = query.filter(Filter::And(filters));
    }
    pages::list(ctx, request, query, problems).await
}

/// `POST /v1/products`: 201; the item's `code` is the account's next one.
pub async fn create(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut product = read(ctx, request, None).await?;
    let id = ctx.new_id().await?;
    product["id"] = json!(id);
    product["code"] = json!(crud::next_number(ctx, "product_code").await?);
    let stored = crud::create(ctx, PRODUCT, &id, product).await?;
    Ok(crud::answer(StatusCode::CREATED, stored.body))
}

/// `GET /v1/products/{id}`.
pub async fn get(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, PRODUCT, request).await?;
    Ok(crud::answer(StatusCode::OK, stored.body))
}

/// `PUT /v1/products/{id}`: overwrites every field, as the create checks them; the id
/// and code stay.
pub async fn update(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let old = crud::stored(ctx, PRODUCT, request).await?;
    let mut product = read(ctx, request, Some(&old.body)).await?;
    product["id"] = json!(old.key.id);
    product["code"] = old.body["code"].clone();
    let stored = crud::replace(ctx, old, product).await?;
    Ok(crud::answer(StatusCode::OK, stored.body))
}

/// `DELETE /v1/products/{id}`: 204.
pub async fn delete(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, PRODUCT, request).await?;
    crud::remove(ctx, stored).await
}

/// The product a body describes (without `id` and `code`), checked whole. `old` is the
/// product an update overwrites.
async fn read(ctx: &Ctx, request: &KassaRequest<'_>, old: Option<&Value>) -> KassaResult<Value> {
    let body = request.json()?;
    let fields = Fields::new(&body);
    let mut problems = Problems::default();
    let mut refs = References::default();
    let name = fields.text(&mut problems, "name", true, 128);
    let category = fields.uuid(&mut problems, "categoryId", true);
    if let Some(category) = &category {
        refs.expect("categoryId".into(), CATEGORY, category, false);
    }
    let kind = fields.choice(&mut problems, "type", &PRODUCT_TYPES, true);
    let article = fields.text(&mut problems, "article", false, 64);
    let price = fields
        .number(&mut problems, "price", true)
        .and_then(|price| {
            let kopecks = price.kopecks().filter(|_| !price.is_negative());
            if kopecks.is_none() {
                let text = if price.is_negative() {
                    texts::NOT_NEGATIVE
                } else {
                    NOT_VALID
                };
                problems.add("price", text);
            }
            kopecks
        });
    let vat = fields.choice(&mut problems, "paymentVat", &PRODUCT_VATS, false);
    let uom = fields.integer(&mut problems, "uom", true, Some(&UOMS));
    let objects: Vec<i64> = (0..PAYMENT_OBJECTS.len() as i64).collect();
    let object = fields
        .integer(&mut problems, "paymentObject", true, Some(&objects))
        .and_then(|index| PAYMENT_OBJECTS.get(usize::try_from(index).ok()?));
    let mut flag = |name: &str| fields.flag(&mut problems, name).unwrap_or(false);
    let (excisable, archived, fractional) =
        (flag("excisable"), flag("archived"), flag("fractional"));
    let (mark_mt, mark_mdlp, mark_dmdk) = (flag("markMt"), flag("markMdlp"), flag("markDmdk"));
    let (mark_egais, agent_sign) = (flag("markEgais"), flag("agentSign"));
    let mark_type = fields.integer(&mut problems, "markType", false, Some(&MARK_TYPES));
    let taxation = fields.choice(&mut problems, "taxationSystem", &TAXATION_SYSTEMS, false);
    let barcodes = fields
        .strings(&mut problems, "barcodes", |code| {
            (code.is_empty() || code.chars().count() > 64).then_some(NOT_VALID)
        })
        .unwrap_or_default();
    let egais = fields
        .object(&mut problems, "productEgais")
        .map(|egais| egais_details(&egais, &mut problems));
    let scheme = fields
        .object(&mut problems, "agentScheme")
        .map(|scheme| agent_scheme(&scheme, &mut problems));
    // What the flags promise must be described (a description that is there but wrong
    // has its own problem already).
    for (promised, given, field) in [
        (mark_mt, mark_type.is_some(), "markType"),
        (mark_egais, egais.is_some(), "productEgais"),
        (agent_sign, scheme.is_some(), "agentScheme"),
    ] {
        if promised && !given && fields.get(field).is_none() {
            problems.add(field, texts::BLANK);
        }
    }
    refs.check(ctx, &mut problems).await?;
    problems.into_result()?;
    let scheme = match scheme {
        Some(scheme) => with_supplier_id(ctx, scheme, old).await?,
        None => Value::Null,
    };
    Ok(json!({
        "name": name,
        "categoryId": category,
        "type": kind,
        "article": article,
        "archived": archived,
        "paymentVat": vat,
        "price": price.map(amount),
        "taxationSystem": taxation,
        "uom": uom,
        "fractional": fractional,
        "agentScheme": scheme,
        "excisable": excisable,
        "markMt": mark_mt,
        "markMtDetails": mark_type.map(|mark_type| json!({ "markType": mark_type })),
        "markMdlp": mark_mdlp,
        "markDmdk": mark_dmdk,
        "barcodes": barcodes,
        "markEgais": mark_egais,
        "markEgaisDetails": egais,
        "paymentObject": object,
    }))
}

/// `productEgais` as the answer's `markEgaisDetails`: the EGAIS product type, alcohol
/// strength and unit volume as sent, and the EGAIS codes. *Inferred* (the seed's sample
/// values do not correspond).
fn egais_details(fields: &Fields<'_>, problems: &mut Problems) -> Value {
    let code = fields.integer(problems, "egaisCode", true, None);
    let mut measure = |name: &str| {
        fields.number(problems, name, false).map(|value| {
            if value.is_negative() {
                problems.add(&fields.path(name), texts::NOT_NEGATIVE);
            }
            value.to_json()
        })
    };
    let (strength, volume) = (measure("ethanolVolume"), measure("unitVolume"));
    let codes = fields
        .strings(problems, "codes", |_| None)
        .unwrap_or_default();
    json!({
        "egaisProductType": code,
        "alcoholStrength": strength,
        "volume": volume,
        "egaisCodes": codes,
    })
}

/// The agent scheme: the agent's type and the supplier (principal).
fn agent_scheme(fields: &Fields<'_>, problems: &mut Problems) -> Value {
    let agent_type = fields.choice(problems, "agentType", &AGENT_SIGNS, true);
    let supplier = fields.object(problems, "supplier").map(|supplier| {
        record(
            &supplier,
            problems,
            &[
                ("name", Kind::Text(255)),
                ("inn", Kind::Inn),
                ("phone", Kind::Text(32)),
            ],
        )
    });
    json!({ "agentType": agent_type, "supplier": supplier })
}

/// Gives the scheme's supplier its `id`: the account's counterparty with the supplier's
/// INN, else the id the product's supplier had with the same INN, else a new one.
/// *Inferred.*
async fn with_supplier_id(ctx: &Ctx, mut scheme: Value, old: Option<&Value>) -> KassaResult<Value> {
    let Some(supplier) = scheme["supplier"].as_object_mut() else {
        return Ok(scheme);
    };
    let inn = supplier.get("inn").cloned().unwrap_or(Value::Null);
    let mut id = None;
    if let Some(inn) = inn.as_str() {
        let mut query = ListQuery::new(ctx.scope.clone(), COUNTERPARTY)
            .filter(Filter::eq("inn", inn))
            .page(PageRequest::Offset {
                offset: 0,
                limit: 1,
            });
        query.count_total = false;
        id = ctx
            .core
            .entities
            .list(&query)
            .await?
            .items
            .pop()
            .map(|doc| doc.key.id);
    }
    let previous = old.map(|old| &old["agentScheme"]["supplier"]);
    if id.is_none() && previous.is_some_and(|p| !inn.is_null() && p["inn"] == inn) {
        id = previous.and_then(|p| p["id"].as_str()).map(str::to_owned);
    }
    let id = match id {
        Some(id) => id,
        None => ctx.new_id().await?,
    };
    let mut with_id = serde_json::Map::from_iter([("id".to_owned(), Value::String(id))]);
    with_id.extend(std::mem::take(supplier));
    *supplier = with_id;
    Ok(scheme)
}
