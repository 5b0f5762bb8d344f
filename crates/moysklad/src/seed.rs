//! What a new MoySklad account has before anyone writes: the main department, the
//! organization, the main warehouse, the accounting currency (rubles), and an employee
//! per login. Seeded on an account's first authenticated request, in one transaction.

use serde_json::{json, Value};
use twin_core::accounts::Account;
use twin_core::ids::seeded_uuid;
use twin_store::{Batch, Document, Expect, StoreError, Write};

use crate::error::{MsError, MsResult};
use crate::fields::stored_reference;
use crate::model::Ctx;
use crate::representation::external_code;

/// Price types live in company settings, not under `/entity`.
pub const PRICE_TYPE: &str = "pricetype";

/// Marks an account as seeded.
const MARKER: &str = "_seeded";

/// Stable ids of the seeded entities, derived from the account.
fn seeded_id(account: &Account, n: u64) -> String {
    seeded_uuid(account.number as u64, "moysklad-seed", n).to_string()
}

pub fn account_uuid(account: &Account) -> String {
    seeded_id(account, 0)
}

pub fn group_id(account: &Account) -> String {
    seeded_id(account, 1)
}

pub fn organization_id(account: &Account) -> String {
    seeded_id(account, 2)
}

pub fn store_id(account: &Account) -> String {
    seeded_id(account, 3)
}

pub fn rub_id(account: &Account) -> String {
    seeded_id(account, 4)
}

pub fn sale_price_id(account: &Account) -> String {
    seeded_id(account, 5)
}

/// The system unit "шт" has this id in every account, as the vendor's docs show.
pub const PIECE_UOM_ID: &str = "19f1edc0-fc42-4001-94cb-c9ec9c62ec10";

/// Fields of a seeded common entity.
fn common(ctx: &Ctx, id: &str) -> serde_json::Map<String, Value> {
    let mut body = serde_json::Map::new();
    body.insert("id".into(), json!(id));
    body.insert("accountId".into(), json!(account_uuid(&ctx.account)));
    body.insert("owner".into(), stored_reference("employee", &ctx.employee));
    body.insert(
        "group".into(),
        stored_reference("group", &group_id(&ctx.account)),
    );
    body.insert("shared".into(), json!(true));
    body.insert("archived".into(), json!(false));
    body.insert("updated".into(), json!(ctx.now_text()));
    body.insert("externalCode".into(), json!(external_code()));
    body
}

fn put(ctx: &Ctx, keyword: &str, id: &str, body: serde_json::Map<String, Value>) -> Write {
    Write::Put {
        doc: Document::new(ctx.scope.key(keyword, id), Value::Object(body)),
        expect: Expect::Absent,
    }
}

/// Seeds the account once, and the requesting employee once.
pub async fn ensure(ctx: &Ctx) -> MsResult<()> {
    let store = &ctx.core.store;
    if store
        .get(&ctx.scope.key(MARKER, "v1"))
        .await
        .map_err(twin_core::CoreError::from)?
        .is_none()
    {
        let account = &ctx.account;
        let mut organization = common(ctx, &organization_id(account));
        organization.insert("name".into(), json!(account.name));
        organization.insert("companyType".into(), json!("legal"));
        organization.insert("legalTitle".into(), json!(account.name));
        let mut warehouse = common(ctx, &store_id(account));
        warehouse.insert("name".into(), json!("Основной склад"));
        warehouse.insert("pathName".into(), json!(""));
        let group = serde_json::Map::from_iter([
            ("id".to_owned(), json!(group_id(account))),
            ("accountId".to_owned(), json!(account_uuid(account))),
            ("name".to_owned(), json!("Основной")),
            ("index".to_owned(), json!(0)),
        ]);
        let mut rub =
            crate::entities::currency::system_currency("RUB").expect("rubles are in the directory");
        rub.insert("id".into(), json!(rub_id(account)));
        rub.insert("default".into(), json!(true));
        rub.insert("rateUpdateType".into(), json!("manual"));
        let mut piece = common(ctx, PIECE_UOM_ID);
        piece.insert("name".into(), json!("шт"));
        piece.insert("code".into(), json!("796"));
        piece.insert("description".into(), json!("Штука"));
        let sale_price = serde_json::Map::from_iter([
            ("id".to_owned(), json!(sale_price_id(account))),
            ("name".to_owned(), json!("Цена продажи")),
            ("externalCode".to_owned(), json!(external_code())),
        ]);
        let batch = Batch::new()
            .write(put(ctx, "uom", PIECE_UOM_ID, piece))
            .write(put(ctx, PRICE_TYPE, &sale_price_id(account), sale_price))
            .write(put(ctx, MARKER, "v1", serde_json::Map::new()))
            .write(put(ctx, "group", &group_id(account), group))
            .write(put(
                ctx,
                "organization",
                &organization_id(account),
                organization,
            ))
            .write(put(ctx, "store", &store_id(account), warehouse))
            .write(put(ctx, "currency", &rub_id(account), rub));
        ignore_race(store.apply(batch).await)?;
    }
    if store
        .get(&ctx.scope.key("employee", ctx.employee.clone()))
        .await
        .map_err(twin_core::CoreError::from)?
        .is_none()
    {
        let mut employee = common(ctx, &ctx.employee);
        let name = ctx.uid.split('@').next().unwrap_or("admin").to_owned();
        employee.insert("uid".into(), json!(ctx.uid));
        employee.insert("name".into(), json!(name));
        employee.insert("fullName".into(), json!(name));
        employee.insert("shortFio".into(), json!(name));
        employee.insert("lastName".into(), json!(name));
        ignore_race(
            store
                .apply(Batch::new().write(put(ctx, "employee", &ctx.employee, employee)))
                .await,
        )?;
    }
    Ok(())
}

/// Another request seeding at the same moment is fine: its seed is the same.
fn ignore_race<T>(result: Result<T, StoreError>) -> MsResult<()> {
    match result {
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(error) => Err(MsError::from(twin_core::CoreError::from(error))),
    }
}
