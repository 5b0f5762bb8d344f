//! Product groups: `store/product-groups` (list), `create` and `{externalId}/edit`. A
//! group belongs to one site's catalog and may have a parent group of the same catalog;
//! products name groups by `id` or `externalId` within their catalog.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, TextMode};

use super::{all, GROUP};
use crate::customers::fields::{boolean, checked_text, Problems};
use crate::customers::list::{flags, ids, integers, page_of, short_text, site_filters};
use crate::customers::{self, entity, keyed};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::{created, ok};
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

/// The group of `site` a link names: by `id`, else by `externalId` (the seed's order),
/// only within that site's catalog.
pub async fn linked(ctx: &Ctx, site: &str, link: &Value) -> RetailResult<Option<Document>> {
    let found = if let Some(id) = link["id"].as_i64() {
        ctx.core
            .entities
            .find(&ctx.scope, GROUP, &id.to_string())
            .await?
    } else if let Some(external) = link["externalId"].as_str() {
        customers::by_external_id(ctx, GROUP, Some(site), external).await?
    } else {
        None
    };
    Ok(found.filter(|doc| doc.body["site"] == site))
}

/// These group ids and the ids of all their subgroups (filters on groups take both).
pub async fn with_subgroups(ctx: &Ctx, roots: &[i64]) -> RetailResult<Vec<i64>> {
    let groups = all(ctx, GROUP, None).await?;
    let mut found: Vec<i64> = roots.to_vec();
    let mut grew = true;
    while grew {
        grew = false;
        for doc in &groups {
            let id = doc.body["id"].as_i64().unwrap_or_default();
            let parent = doc.body["parentId"].as_i64();
            if parent.is_some_and(|p| found.contains(&p)) && !found.contains(&id) {
                found.push(id);
                grew = true;
            }
        }
    }
    Ok(found)
}

/// `GET /api/v5/store/product-groups`: `limit`, `page`, `filter[ids][]`, `filter[sites][]`
/// (checked like `site`), `filter[active]`, `filter[parentGroupId]`, `filter[name]` (any
/// part, case-insensitive) and `filter[externalId]` (*Inferred*: the seed's filter table
/// is cut short). Groups of sites the key does not reach are left out. The answer's list
/// is `productGroup`, the vendor's name.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters: Vec<Filter> = ids(filter, &mut problems).into_iter().collect();
    filters.extend(site_filters(ctx, filter).await?);
    filters.extend(flags(filter, &[("active", "active")], &mut problems));
    filters.extend(integers(filter, "parentGroupId", "parentId", &mut problems));
    if let Some(name) = short_text(filter, "name", &mut problems) {
        filters.push(Filter::text("name", TextMode::Contains, name, true));
    }
    if let Some(external) = short_text(filter, "externalId", &mut problems) {
        filters.push(Filter::eq("externalId", external));
    }
    page_of(ctx, GROUP, "productGroup", paging, filters, problems).await
}

/// Reads `doc` over `group` (the stored group, or one with its `site`), with the seed's
/// rules: `name` required, `active` true unless given, the parent by `parentId`, else
/// `parentExternalId`, an active group of the same site that is not the group itself nor
/// below it; `parentId: null` makes it a root group.
async fn read(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    group: &mut Map<String, Value>,
    problems: &mut Problems,
) -> RetailResult<()> {
    for field in ["name", "externalId"] {
        if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
            if let Some(text) = checked_text(problems, field, value) {
                group.insert(field.into(), text);
            }
        }
    }
    if let Some(value) = doc.get("description").filter(|v| !v.is_null()) {
        group.insert(
            "description".into(),
            json!(value.as_str().unwrap_or_default()),
        );
    }
    if let Some(value) = doc.get("active").filter(|v| !v.is_null()) {
        match boolean(value) {
            Some(flag) => {
                group.insert("active".into(), json!(flag));
            }
            None => {
                problems.insert("active".into(), texts::BOOLEAN.into());
            }
        }
    }
    group.entry("active").or_insert(json!(true));
    let link = match (doc.get("parentId"), doc.get("parentExternalId")) {
        (Some(id), _) if !id.is_null() => Some(("parentId", json!({ "id": id.as_i64() }))),
        (_, Some(external)) if !external.is_null() => {
            Some(("parentExternalId", json!({ "externalId": external })))
        }
        (Some(_), None) => {
            group.remove("parentId");
            None
        }
        _ => None,
    };
    if let Some((field, link)) = link {
        let site = group["site"].as_str().unwrap_or_default().to_owned();
        let parent = linked(ctx, &site, &link)
            .await?
            .filter(|p| p.body["active"] != false);
        let own = group.get("id").and_then(Value::as_i64);
        match parent {
            Some(parent) => {
                let parent_id = parent.body["id"].as_i64().unwrap_or_default();
                let below = match own {
                    Some(own) => with_subgroups(ctx, &[own]).await?.contains(&parent_id),
                    None => false,
                };
                if below {
                    problems.insert(
                        field.into(),
                        "A group cannot be its own parent nor be placed below itself.".into(),
                    );
                } else {
                    group.insert("parentId".into(), json!(parent_id));
                }
            }
            None => {
                problems.insert(field.into(), "Parent product group not found.".into());
            }
        }
    }
    if !group.contains_key("name") && !problems.contains_key("name") {
        problems.insert("name".into(), texts::BLANK.into());
    }
    Ok(())
}

/// An external id already taken in the site. *Inferred* text.
fn taken(_: &str) -> RetailError {
    RetailError::entity(BTreeMap::from([(
        "externalId".to_owned(),
        "Product group with the same externalId already exists.".to_owned(),
    )]))
}

/// Stores the group; a taken external id is `taken`.
async fn store(
    ctx: &Ctx,
    group: Map<String, Value>,
    before: Option<&Document>,
) -> RetailResult<()> {
    let write = super::put(keyed(ctx, GROUP, Value::Object(group)), before);
    super::commit(ctx, vec![write], taken).await
}

/// `POST /api/v5/store/product-groups/create`: `productGroup=<json>` with `site` (an
/// active site of the account the key reaches: 400/403 like `site`), `name`, and
/// optionally `externalId` (unique within the site), `parentId`/`parentExternalId`,
/// `description`, `active`. 201 `{"success": true, "id"}`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "productGroup")?;
    let Some(site) = doc.get("site").and_then(Value::as_str) else {
        return Err(RetailError::entity(BTreeMap::from([(
            "site".to_owned(),
            texts::BLANK.to_owned(),
        )])));
    };
    let site = sites::check(ctx, site).await?;
    let mut group = Map::from_iter([("site".to_owned(), json!(site))]);
    let mut problems = Problems::new();
    read(ctx, &doc, &mut group, &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = ctx.next_id(GROUP).await?;
    let mut stored = Map::from_iter([("id".to_owned(), json!(id))]);
    stored.extend(group);
    store(ctx, stored, None).await?;
    Ok(created(success(json!({ "id": id }))))
}

/// `POST /api/v5/store/product-groups/{externalId}/edit`: `by` (`externalId`, the default,
/// or `id`), `site` (where the external id is looked up), `productGroup=<json>` with the
/// fields to change (as `create`; the group stays in its site, *Inferred*). 200
/// `{"success": true, "id"}`; 404 for a group the key cannot find.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let by_id = request.by_id()?;
    let site = sites::resolve(ctx, request).await?;
    let before = customers::find_in(ctx, GROUP, by_id, site.as_deref(), request.arg()).await?;
    let doc = entity(request, "productGroup")?;
    let mut group = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    read(ctx, &doc, &mut group, &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = group["id"].clone();
    store(ctx, group, Some(&before)).await?;
    Ok(ok(success(json!({ "id": id }))))
}
