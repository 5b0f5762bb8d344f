//! Nomenclature categories (seed "Список категорий номенклатуры" .. "Удаление категории
//! номенклатуры"), on `/v1/product-categories`: a tree of named groups with a default
//! taxation system and VAT rate, available at some of the account's cash registers
//! (`settlementPointScope`; `null` means everywhere).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Filter, ListQuery, PageRequest};

use crate::crud;
use crate::enums::VATS;
use crate::error::{texts, KassaError, KassaResult};
use crate::fields::Fields;
use crate::pages;
use crate::products::PRODUCT;
use crate::records::References;
use crate::references;
use crate::request::{Ctx, KassaRequest, Problems};
use crate::seed::{CASHBOX, TAXATION_SYSTEMS};

/// The stored kind of categories.
pub const CATEGORY: &str = "product_category";

/// The deepest category tree Twin walks looking for a cycle.
const MAX_DEPTH: usize = 1000;

/// `GET /v1/product-categories`.
pub async fn list(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let query = ListQuery::new(ctx.scope.clone(), CATEGORY);
    pages::list(ctx, request, query, Problems::default()).await
}

/// `POST /v1/product-categories`: 201.
pub async fn create(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let id = ctx.new_id().await?;
    let category = read(ctx, request, &id).await?;
    let stored = crud::create(ctx, CATEGORY, &id, category).await?;
    Ok(crud::answer(StatusCode::CREATED, stored.body))
}

/// `GET /v1/product-categories/{id}`.
pub async fn get(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, CATEGORY, request).await?;
    Ok(crud::answer(StatusCode::OK, stored.body))
}

/// `PUT /v1/product-categories/{id}`: overwrites every field, as the create checks them;
/// the parent may not be the category itself or one of its descendants.
pub async fn update(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let old = crud::stored(ctx, CATEGORY, request).await?;
    let category = read(ctx, request, &old.key.id).await?;
    let stored = crud::replace(ctx, old, category).await?;
    Ok(crud::answer(StatusCode::OK, stored.body))
}

/// `DELETE /v1/product-categories/{id}`: 204; a category that still has products or
/// child categories is a validation error on `id` (*inferred*: the vendor's cabinet
/// refuses it too, and the seed lists 400).
pub async fn delete(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, CATEGORY, request).await?;
    let id = stored.key.id.as_str();
    if any(ctx, PRODUCT, Filter::eq("categoryId", id)).await?
        || any(ctx, CATEGORY, Filter::eq("parentCategoryId", id)).await?
    {
        return Err(KassaError::field(
            "id",
            "This category has products or child categories and cannot be deleted.",
        ));
    }
    crud::remove(ctx, stored).await
}

/// Whether any record of `kind` matches `filter`.
async fn any(ctx: &Ctx, kind: &str, filter: Filter) -> KassaResult<bool> {
    let mut query =
        ListQuery::new(ctx.scope.clone(), kind)
            .filter(filter)
            .page(PageRequest::Offset {
                offset: 0,
                limit: 1,
            });
    query.count_total = false;
    Ok(!ctx.core.entities.list(&query).await?.items.is_empty())
}

/// The body of category `id`, checked whole.
async fn read(ctx: &Ctx, request: &KassaRequest<'_>, id: &str) -> KassaResult<Value> {
    let body = request.json()?;
    let fields = Fields::new(&body);
    let mut problems = Problems::default();
    let mut refs = References::default();
    let name = fields.text(&mut problems, "name", true, 64);
    let taxation = fields.choice(&mut problems, "taxationSystem", &TAXATION_SYSTEMS, false);
    let vat = fields.choice(&mut problems, "vat", &VATS, false);
    let parent = fields.uuid(&mut problems, "parentCategoryId", false);
    let scope = fields.strings(&mut problems, "settlementPointScope", |text| {
        uuid::Uuid::parse_str(text).err().map(|_| texts::UUID)
    });
    let sent = fields.get("settlementPointScope").and_then(Value::as_array);
    for (index, cashbox) in sent.into_iter().flatten().enumerate() {
        if let Some(cashbox) = cashbox
            .as_str()
            .filter(|c| uuid::Uuid::parse_str(c).is_ok())
        {
            let path = format!("settlementPointScope[{index}]");
            refs.expect(path, CASHBOX, cashbox, false);
        }
    }
    if let Some(parent) = &parent {
        match ancestry_holds(ctx, parent, id).await? {
            None => problems.add("parentCategoryId", texts::NOT_FOUND),
            Some(true) => problems.add(
                "parentCategoryId",
                "A category cannot be placed inside itself or its descendants.",
            ),
            Some(false) => {}
        }
    }
    refs.check(ctx, &mut problems).await?;
    problems.into_result()?;
    Ok(json!({
        "id": id,
        "name": name,
        "parentCategoryId": parent,
        "taxationSystem": taxation,
        "vat": vat,
        "settlementPointScope": scope,
    }))
}

/// Whether `id` is `parent` or one of its ancestors (the new parent would make a cycle);
/// `None` when `parent` names no category.
async fn ancestry_holds(ctx: &Ctx, parent: &str, id: &str) -> KassaResult<Option<bool>> {
    let mut current = parent.to_owned();
    for depth in 0..MAX_DEPTH {
        if current == id {
            return Ok(Some(true));
        }
        let Some(body) = references::find(ctx, CATEGORY, &current).await? else {
            return Ok((depth > 0).then_some(false));
        };
        match body["parentCategoryId"].as_str() {
            Some(next) => current = next.to_owned(),
            None => return Ok(Some(false)),
        }
    }
    Ok(Some(true))
}
