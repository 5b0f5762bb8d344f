//! Twin-only seeding of what no SalesDoc method writes, in admin. Every route takes
//! `{"filial_id"?: "...", "records": [...]}`, stores the records as a SET method would
//! (found by `CS_id` → `SD_id` → `code_1C`, else created) in the filial named (none: the
//! head office's), and answers as a SET method does, under the group's key:
//!
//! - `POST /admin/api/accounts/{id}/salesdoc/references/{kind}`: the reference kinds
//!   `region`, `tradeDirection`, `tag`, `prCategory`, `bonus`, return warehouses
//!   (`defectWarehouse`), `cashbox` and `consumptionCategory` (`{code_1C?, name,
//!   active?, parent?, ...}`), suppliers (`shipper`, `{name, phone_number?,
//!   address?}`), equipment at clients (`inventory`, see `inventory`) and agents' van
//!   warehouses (`vanWarehouse`, see `vs_exchange`);
//! - `POST /admin/api/accounts/{id}/salesdoc/photo-reports`: agents' photo reports
//!   (`{agent, client, category?, url?, date?, role?}`, see `photo_report`);
//! - `POST /admin/api/accounts/{id}/salesdoc/payment-confirmations`: payments sent for
//!   confirmation (see `payment_confirmation`);
//! - `POST /admin/api/accounts/{id}/salesdoc/client-pending`: client requests awaiting
//!   moderation (setClient items with `createdBy?`, see `client::pending`).
//! - `POST /admin/api/accounts/{id}/salesdoc/orders`: orders made in SalesDoc by agents
//!   (setOrder items, no identifier needed, no `code_1C` unless given: see `order`);
//! - `POST /admin/api/accounts/{id}/salesdoc/exchanges`: exchanges (setOrderDefect items
//!   with `replaceWarehouse` and `replaceProducts`, see `order::defect`).

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
use crate::inventory::{self, Equipment};
use crate::payment_confirmation::{Confirmations, KEY as PAYMENT_CONFIRMATION};
use crate::photo_report::{PhotoReports, PHOTO_REPORT, PR_CATEGORY, PR_CATEGORY_RULES};
use crate::reference::rules::Rules;
use crate::reference::upsert::{store_group, Ruled, StoreRecord};
use crate::reference::RefKind;
use crate::request::Ctx;
use crate::territory::REGION;
use crate::trade_direction::{self, TRADE_DIRECTION};
use crate::warehouse::DEFECT_WAREHOUSE;
use crate::{filials, order, shipper, tag, vs_exchange, warehouse, DIALECT};

/// Orders as agents make them in the mobile app.
const SD_BORN: order::Orders = order::Orders { seeded: true };
/// Exchanges: no SET method makes them.
const EXCHANGES: order::Returns = order::Returns {
    family: order::Family::Replace,
    seeded: true,
};

/// The reference kinds seeded here, by the `{kind}` of the path, with their rules.
const SEEDED: &[(&str, RefKind, Rules)] = &[
    (REGION.key, REGION, Rules::PLAIN),
    (TRADE_DIRECTION.key, TRADE_DIRECTION, trade_direction::RULES),
    (tag::TAG.key, tag::TAG, Rules::PLAIN),
    (PR_CATEGORY.key, PR_CATEGORY, PR_CATEGORY_RULES),
    (BONUS.key, BONUS, BONUS_RULES),
    ("defectWarehouse", DEFECT_WAREHOUSE, Rules::PLAIN),
    (shipper::KEY, shipper::SHIPPER, shipper::SHIPPER_RULES),
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
        .route(
            "/accounts/{id}/salesdoc/orders",
            post(|s, Path(account), body| seed(s, account, body, order::ORDER, &SD_BORN)),
        )
        .route(
            "/accounts/{id}/salesdoc/exchanges",
            post(|s, Path(account), body| seed(s, account, body, order::REPLACE, &EXCHANGES)),
        )
}

async fn references(
    state: State<AppState>,
    Path((account, kind)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    match kind.as_str() {
        inventory::KEY => return seed(state, account, body, inventory::KEY, &Equipment).await,
        vs_exchange::VAN_WAREHOUSE => {
            return seed(
                state,
                account,
                body,
                warehouse::KEY,
                &vs_exchange::VanWarehouses,
            )
            .await
        }
        _ => {}
    }
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
    let filial_id = body["filial_id"].as_str();
    let ctx = admin_ctx(&state, &account, filial_id).await?;
    let outcome = store_group(&ctx, storer, records)
        .await
        .map_err(|e| Problem::bad_request(e.message))?;
    Ok(outcome.answer(key))
}

/// The context of an admin write in the account and the filial named (none, `""` or
/// `"0"`: the head office). Admin writes have no SalesDoc user; the context names the
/// admin instead.
pub async fn admin_ctx(
    state: &AppState,
    account: &str,
    filial_id: Option<&str>,
) -> Result<Ctx, Problem> {
    let account = state.core.accounts.get(account).await?;
    let filial_id = filial_id.filter(|id| !id.is_empty() && *id != "0");
    let filial =
        filials::resolve(&account, filial_id).map_err(|e| Problem::bad_request(e.message))?;
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
    Ok(Ctx::new(state.core.clone(), account, credential, filial))
}
