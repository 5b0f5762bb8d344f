//! Sites (the CRM's stores): reference data of each account. A new account gets Twin's
//! default site `main-shop`, and every site an API key of the account is limited to
//! exists from that key's first request on (the demo's `demo-shop`). Requests name a
//! site by its code in `site`; a key limited to one site may leave it out.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Batch, Document, Expect, ListQuery, PageRequest, StoreError, Write};

use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

pub const SITE: &str = "site";
/// Twin's site of every account. *Inferred* (a real account starts with the one its
/// owner created).
pub const DEFAULT_SITE: &str = "main-shop";

fn site_body(code: &str, ctx: &Ctx) -> Value {
    json!({
        "code": code,
        "name": code,
        "url": format!("https://{code}.example"),
        "defaultForCrm": code == DEFAULT_SITE,
        "currency": "RUB",
        "createdAt": crate::request::timestamp(ctx.now),
    })
}

/// Whether the account has a site with this code.
async fn exists(ctx: &Ctx, code: &str) -> RetailResult<bool> {
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, SITE, code)
        .await?
        .is_some())
}

/// Creates the default site and the key's sites that are missing.
pub async fn ensure(ctx: &Ctx) -> RetailResult<()> {
    let mut wanted: Vec<&str> = vec![DEFAULT_SITE];
    wanted.extend(ctx.key_sites().iter().map(String::as_str));
    let mut batch = Batch::new();
    for code in wanted {
        if !exists(ctx, code).await? {
            let mut body = site_body(code, ctx);
            // The id `siteBy=id` names the site by.
            body["id"] = json!(ctx
                .core
                .store
                .next_sequence(&ctx.scope, SITE)
                .await
                .map_err(twin_core::CoreError::from)?);
            let doc = Document::new(ctx.scope.key(SITE, code), body);
            batch.writes.push(Write::Put {
                doc,
                expect: Expect::Absent,
            });
        }
    }
    if batch.writes.is_empty() {
        return Ok(());
    }
    match ctx.core.store.apply(batch).await {
        // A concurrent first request created them.
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(error) => Err(twin_core::CoreError::from(error).into()),
    }
}

/// The codes of every site of the account.
pub async fn codes(ctx: &Ctx) -> RetailResult<Vec<String>> {
    Ok(codes_with_ids(ctx)
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .collect())
}

/// The sites the key reaches (`sitesAvailable`).
pub async fn available(ctx: &Ctx) -> RetailResult<Vec<String>> {
    Ok(codes(ctx)
        .await?
        .into_iter()
        .filter(|code| ctx.may_reach(code))
        .collect())
}

/// The `site` parameter, checked: 400 for a site the account does not have, 403 for one
/// the key may not reach. Without it, the key's only site when it is limited to one.
pub async fn resolve(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Option<String>> {
    match request.text("site") {
        Some(code) => Ok(Some(check(ctx, code).await?)),
        None => Ok(match ctx.key_sites() {
            [only] => Some(only.clone()),
            _ => None,
        }),
    }
}

/// A site code a request names: it must exist and be reachable by the key.
pub async fn check(ctx: &Ctx, code: &str) -> RetailResult<String> {
    if !exists(ctx, code).await? {
        return Err(RetailError::bad_request(format!(
            "Site with code \"{code}\" not found"
        )));
    }
    if !ctx.may_reach(code) {
        return Err(RetailError::site_denied(code));
    }
    Ok(code.to_owned())
}

/// The entity of `kind` under the integer `id`, if the key reaches one of its sites (the
/// codes listed in its `field`): 404 when there is none, 403 naming its first site when
/// the key reaches none. An entity of no site is reached when `open` (a file attached to
/// nothing), else only by a key reaching every site.
pub async fn numbered_within(
    ctx: &Ctx,
    kind: &str,
    id: &str,
    (field, open): (&str, bool),
) -> RetailResult<twin_store::Document> {
    let doc = ctx
        .numbered(kind, id)
        .await?
        .ok_or_else(RetailError::not_found)?;
    let sites: Vec<&str> = doc.body[field]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let reached = ctx.key_sites().is_empty()
        || (open && sites.is_empty())
        || sites.iter().any(|site| ctx.may_reach(site));
    if !reached {
        let site = sites.first().copied().unwrap_or_default();
        return Err(RetailError::site_denied(site));
    }
    Ok(doc)
}

/// The codes of a list filter (`filter[sites][]`), each checked like `site`.
pub async fn check_all(ctx: &Ctx, codes: &Value) -> RetailResult<Vec<String>> {
    let mut checked = Vec::new();
    for code in crate::customers::list::list_of(codes)
        .into_iter()
        .filter_map(Value::as_str)
    {
        checked.push(check(ctx, code).await?);
    }
    Ok(checked)
}

/// The site a path names (`customer-interaction/{site}/...`): its code, or its id with
/// `siteBy=id`; checked like `site`. `siteBy` other than `code`/`id` is a 400.
pub async fn in_path(ctx: &Ctx, request: &RetailRequest<'_>, site: &str) -> RetailResult<String> {
    match request.text("siteBy") {
        None | Some("code") => check(ctx, site).await,
        Some("id") => {
            let found = codes_with_ids(ctx)
                .await?
                .into_iter()
                .find(|(_, id)| id.to_string() == site);
            match found {
                Some((code, _)) => check(ctx, &code).await,
                None => Err(RetailError::bad_request(format!(
                    "Site with id \"{site}\" not found"
                ))),
            }
        }
        Some(_) => Err(RetailError::parameter(
            "siteBy",
            crate::error::texts::CHOICE,
        )),
    }
}

/// The codes of the account's sites with their ids (a catalog's id is its site's).
pub async fn codes_with_ids(ctx: &Ctx) -> RetailResult<Vec<(String, i64)>> {
    let query = ListQuery::new(ctx.scope.clone(), SITE).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page
        .items
        .into_iter()
        .map(|doc| (doc.key.id, doc.body["id"].as_i64().unwrap_or_default()))
        .collect())
}

/// The site a new entity goes to: `site`, else the key's only site, else the account's
/// only reachable site; 400 when that leaves a choice. *Inferred* text.
pub async fn for_write(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<String> {
    if let Some(site) = resolve(ctx, request).await? {
        return Ok(site);
    }
    match available(ctx).await?.as_slice() {
        [only] => Ok(only.clone()),
        _ => Err(RetailError::bad_request(
            "The \"site\" parameter is required: the API key reaches several sites",
        )),
    }
}

/// `GET /api/v5/reference/sites`: `{"sites": {code: site}}`, the sites the key reaches.
pub async fn list(ctx: &Ctx) -> RetailResult<Response> {
    let query = ListQuery::new(ctx.scope.clone(), SITE).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    });
    let page = ctx.core.entities.list(&query).await?;
    let sites: Map<String, Value> = page
        .items
        .into_iter()
        .filter(|doc| ctx.may_reach(&doc.key.id))
        .map(|doc| (doc.key.id, doc.body))
        .collect();
    Ok(ok(success(json!({ "sites": sites }))))
}
