//! The data browser under `/accounts/{id}/data`: what an account holds per dialect and
//! kind, pages of stored documents, one document with the references in it, and its
//! change history. Documents are shown as the store keeps them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use twin_core::{CoreError, DIALECTS};
use twin_store::{Change, Document, HistoryQuery, KindCount, ListQuery, PageRequest, Scope};

use crate::links::{self, Link};
use crate::problem::{Params, PathParams};
use crate::{Admin, Listing, Paging, Problem};

#[derive(Serialize)]
pub struct Overview {
    dialects: Vec<DialectKinds>,
}

#[derive(Serialize)]
struct DialectKinds {
    dialect: &'static str,
    kinds: Vec<KindTotal>,
}

#[derive(Serialize)]
struct KindTotal {
    kind: String,
    count: u64,
}

/// Every dialect, with the kinds holding documents and how many, by kind name.
pub async fn overview(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Overview>, Problem> {
    let counts = kind_counts(&admin, &id).await?;
    let dialects = DIALECTS
        .iter()
        .map(|&dialect| DialectKinds {
            dialect,
            kinds: counts
                .iter()
                .filter(|c| c.dialect == dialect)
                .map(|c| KindTotal {
                    kind: c.kind.clone(),
                    count: c.count,
                })
                .collect(),
        })
        .collect();
    Ok(Json(Overview { dialects }))
}

/// The account's documents per kind; 404 for an unknown account.
async fn kind_counts(admin: &Admin, account: &str) -> Result<Vec<KindCount>, Problem> {
    let core = &admin.app.core;
    core.accounts.get(account).await?;
    Ok(core
        .store
        .count_kinds(account, None)
        .await
        .map_err(CoreError::from)?)
}

/// The scope of an existing account's dialect; 404 for an unknown account or dialect.
async fn scope(admin: &Admin, account: &str, dialect: &str) -> Result<Scope, Problem> {
    if !DIALECTS.contains(&dialect) {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("no dialect {dialect:?}: one of {DIALECTS:?}"),
        ));
    }
    admin.app.core.accounts.get(account).await?;
    Ok(Scope::new(account, dialect))
}

/// A page of one kind's documents in insertion order.
pub async fn list(
    State(admin): State<Admin>,
    PathParams((id, dialect, kind)): PathParams<(String, String, String)>,
    Params(paging): Params<Paging>,
) -> Result<Json<Listing<Document>>, Problem> {
    let scope = scope(&admin, &id, &dialect).await?;
    let query = ListQuery::new(scope, kind).page(PageRequest::Offset {
        offset: paging.offset,
        limit: paging.limit()?,
    });
    let page = admin.app.core.entities.list(&query).await?;
    Ok(Json(page.into()))
}

#[derive(Serialize)]
pub struct Entity {
    #[serde(flatten)]
    document: Document,
    links: Vec<Link>,
}

/// One document and the stored documents its body refers to.
pub async fn entity(
    State(admin): State<Admin>,
    PathParams((id, dialect, kind, entity)): PathParams<(String, String, String, String)>,
) -> Result<Json<Entity>, Problem> {
    let scope = scope(&admin, &id, &dialect).await?;
    let core = &admin.app.core;
    let document = core.entities.get(&scope, &kind, &entity).await?;
    let link_keys = admin.dialect(&dialect).link_keys;
    let links = links::resolve(core, &document, link_keys).await?;
    Ok(Json(Entity { document, links }))
}

/// The entity's changes, oldest first; a deleted entity keeps its history.
pub async fn history(
    State(admin): State<Admin>,
    PathParams((id, dialect, kind, entity)): PathParams<(String, String, String, String)>,
    Params(paging): Params<Paging>,
) -> Result<Json<Listing<Change>>, Problem> {
    let scope = scope(&admin, &id, &dialect).await?;
    let query = HistoryQuery {
        kind: Some(kind),
        entity_id: Some(entity),
        offset: paging.offset,
        limit: paging.limit()?,
        ..HistoryQuery::new(scope)
    };
    let page = admin.app.core.entities.history(&query).await?;
    Ok(Json(page.into()))
}
