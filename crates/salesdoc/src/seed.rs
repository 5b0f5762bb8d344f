//! Twin-only seeding of the reference kinds no SalesDoc method writes (regions, trade
//! directions, tags, return warehouses: path kind `defectWarehouse`): `POST /admin/api/accounts/{id}/salesdoc/references/{kind}` with
//! `{"filial_id"?: "...", "records": [{code_1C?, name, active?, ...}]}` stores the records
//! as a SET method would (found by `CS_id` → `SD_id` → `code_1C`, else created) in the
//! filial named (none: the head office's), and answers as a SET method does.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use twin_core::credentials::{Credential, Secret};
use twin_http::{AppState, Problem};

use crate::filials;
use crate::reference::{upsert, RefKind};
use crate::request::Ctx;
use crate::territory::REGION;
use crate::trade_direction::TRADE_DIRECTION;
use crate::warehouse::DEFECT_WAREHOUSE;
use crate::{tag, DIALECT};

/// The kinds seeded here, by the `{kind}` of the path.
const SEEDED: &[(&str, RefKind)] = &[
    (REGION.key, REGION),
    (TRADE_DIRECTION.key, TRADE_DIRECTION),
    (tag::TAG.key, tag::TAG),
    ("defectWarehouse", DEFECT_WAREHOUSE),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/accounts/{id}/salesdoc/references/{kind}", post(seed))
}

async fn seed(
    State(state): State<AppState>,
    Path((account, kind)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    let (_, kind) = SEEDED
        .iter()
        .find(|(path, _)| *path == kind)
        .ok_or_else(|| Problem::bad_request(format!("{kind}: no seeded SalesDoc reference")))?;
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("malformed body: {e}")))?;
    let records = body["records"]
        .as_array()
        .ok_or_else(|| Problem::bad_request("records: a list is required"))?;
    let account = state.core.accounts.get(&account).await?;
    let filial_id = body["filial_id"]
        .as_str()
        .filter(|id| !id.is_empty() && *id != "0");
    let filial =
        filials::resolve(&account, filial_id).map_err(|e| Problem::bad_request(e.message))?;
    // Admin writes have no SalesDoc user; the context names the admin instead.
    let credential = Credential {
        id: "admin".into(),
        account: account.id.clone(),
        dialect: DIALECT.into(),
        created_at: state.core.clock.now(),
        secret: Secret::Password {
            login: "admin".into(),
            password: String::new(),
        },
    };
    let ctx = Ctx::new(state.core.clone(), account, credential, filial);
    let outcome = upsert::store_group(&ctx, kind, records)
        .await
        .map_err(|e| Problem::bad_request(e.message))?;
    Ok(outcome.answer(kind.key))
}
