//! Twin-only seeding of what no SalesDoc method writes, in admin. Every route takes
//! `{"filial_id"?: "...", "records": [...]}`, stores the records as a SET method would
//! (found by `CS_id` → `SD_id` → `code_1C`, else created) in the filial named (none: the
//! head office's), and answers as a SET method does, under the group's key:
//!
//! - `POST /admin/api/accounts/{id}/salesdoc/references/{kind}`: the reference kinds
//!   `region`, `tradeDirection`, `tag`, `prCategory`, `bonus`, return warehouses
//!   (`defectWarehouse`), `cashbox` and `consumptionCategory` (`{code_1C?, name,
//!   active?, parent?, ...}`);
//! - `POST /admin/api/accounts/{id}/salesdoc/photo-reports`: agents' photo reports
//!   (`{agent, client, category?, url?, date?, role?}`, see `photo_report`);
//! - `POST /admin/api/accounts/{id}/salesdoc/payment-confirmations`: payments sent for
//!   confirmation (see `payment_confirmation`);
//! - `POST /admin/api/accounts/{id}/salesdoc/client-pending`: client requests awaiting
//!   moderation (setClient items with `createdBy?`, see `client::pending`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use twin_core::credentials::{Credential, Secret};
use twin_http::{AppState, Problem};

use crate::bonus::{BONUS, BONUS_RULES};
use crate::cashbox::{CASHBOX, CASHBOX_RULES};
use crate::client::pending::{Pending, CLIENT_PENDING};
use crate::consumption::{CATEGORY, CATEGORY_RULES};
use crate::payment_confirmation::{Confirmations, KEY as PAYMENT_CONFIRMATION};
use crate::photo_report::{PhotoReports, PHOTO_REPORT, PR_CATEGORY, PR_CATEGORY_RULES};
use crate::reference::rules::Rules;
use crate::reference::upsert::{store_group, Ruled, StoreRecord};
use crate::reference::RefKind;
use crate::request::Ctx;
use crate::territory::REGION;
use crate::trade_direction::TRADE_DIRECTION;
use crate::warehouse::DEFECT_WAREHOUSE;
use crate::{filials, tag, DIALECT};

/// The reference kinds seeded here, by the `{kind}` of the path, with their rules.
const SEEDED: &[(&str, RefKind, Rules)] = &[
    (REGION.key, REGION, Rules::PLAIN),
    (TRADE_DIRECTION.key, TRADE_DIRECTION, Rules::PLAIN),
    (tag::TAG.key, tag::TAG, Rules::PLAIN),
    (PR_CATEGORY.key, PR_CATEGORY, PR_CATEGORY_RULES),
    (BONUS.key, BONUS, BONUS_RULES),
    ("defectWarehouse", DEFECT_WAREHOUSE, Rules::PLAIN),
    (CASHBOX.key, CASHBOX, CASHBOX_RULES),
    (CATEGORY.key, CATEGORY, CATEGORY_RULES),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/salesdoc/references/{kind}",
            post(references),
        )
        .route(
            "/accounts/{id}/salesdoc/photo-reports",
            post(|s, Path(account), body| seed(s, account, body, PHOTO_REPORT, &PhotoReports)),
        )
        .route(
            "/accounts/{id}/salesdoc/payment-confirmations",
            post(|s, Path(account), body| {
                seed(s, account, body, PAYMENT_CONFIRMATION, &Confirmations)
            }),
        )
        .route(
            "/accounts/{id}/salesdoc/client-pending",
            post(|s, Path(account), body| seed(s, account, body, CLIENT_PENDING.key, &Pending)),
        )
}

async fn references(
    state: State<AppState>,
    Path((account, kind)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    let (_, kind, rules) = SEEDED
        .iter()
        .find(|(path, _, _)| *path == kind)
        .ok_or_else(|| Problem::bad_request(format!("{kind}: no seeded SalesDoc reference")))?;
    seed(state, account, body, kind.key, &Ruled { kind, rules }).await
}

/// Stores the body's `records` in the account (and filial) through `storer`; the SET
/// answer under `key`.
async fn seed(
    State(state): State<AppState>,
    account: String,
    body: Bytes,
    key: &str,
    storer: &impl StoreRecord,
) -> Result<Response, Problem> {
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
    let outcome = store_group(&ctx, storer, records)
        .await
        .map_err(|e| Problem::bad_request(e.message))?;
    Ok(outcome.answer(key))
}
