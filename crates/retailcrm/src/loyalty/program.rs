//! Loyalty programs: each account has Twin's default program, seeded as a stored document
//! the first time it is read (like `crate::reference`), so a later change of one account's
//! program stays with that account. The program holds its levels and the rules the
//! participations, charges and calculations follow (`Rules`).

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Batch, Document, Expect, StoreError, Write};

use crate::customers::fields::boolean;
use crate::customers::list::list_of;
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, timestamp, Ctx, RetailRequest};
use crate::sites;

pub const LOYALTY: &str = "loyalty";
/// The id of the default program in every account.
pub const DEFAULT_ID: i64 = 1;

/// Twin's default program (*Inferred*: the seed documents the fields, not a new account's
/// program): "Бонусная программа" in RUB, 1 bonus = 1 RUB when charged, three
/// `bonus_percent` levels by the sum of the customer's completed orders (0, 10 000 and
/// 50 000: 5 %, 7 % and 10 % of regular-price goods as bonuses, 3 %, 5 % and 7 % of
/// promotional ones), no SMS confirmations. Its rules (`_rules`, Twin's own): bonuses
/// may pay at most 50 % of the goods, bonuses credited without dates are active at once
/// and expire after 365 days, bonuses credited for a completed order are active 14 days
/// later (`crate::loyalty::accrual`), and a participant's customer needs an e-mail (without it the
/// participation is created inactive, with a warning, until activated).
fn default_program(ctx: &Ctx) -> Value {
    let now = timestamp(ctx.now);
    let level = |id: i64, name: &str, sum: i64, size: f64, promo: f64| {
        json!({
            "type": "bonus_percent", "id": id, "name": name, "sum": sum,
            "privilegeSize": size, "privilegeSizePromo": promo,
        })
    };
    json!({
        "id": DEFAULT_ID,
        "name": "Бонусная программа",
        "active": true,
        "blocked": false,
        "currency": "RUB",
        "chargeRate": 1.0,
        "confirmSmsCharge": false,
        "confirmSmsRegistration": false,
        "createdAt": now,
        "activatedAt": now,
        "levels": [
            level(1, "Базовый уровень", 0, 5.0, 3.0),
            level(2, "Серебряный", 10000, 7.0, 5.0),
            level(3, "Золотой", 50000, 10.0, 7.0),
        ],
        "_rules": {
            "maxChargePercent": 50.0,
            "activationDays": 0,
            "orderActivationDays": 14,
            "lifetimeDays": 365,
            "requiredFields": ["email"],
        },
    })
}

/// The rules of a program, read from its `_rules`.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The most of the goods' sum bonuses may pay, in percent.
    pub max_charge_percent: f64,
    /// Days from a credit to its activation when the credit gives no date.
    pub activation_days: i64,
    /// Days from an order's completion to the activation of the bonuses it credits.
    pub order_activation_days: i64,
    /// Days from activation to expiry when the credit gives no date.
    pub lifetime_days: i64,
    /// Customer fields a participation needs to be active.
    pub required_fields: Vec<String>,
}

impl Rules {
    pub fn of(program: &Value) -> Self {
        let rules = &program["_rules"];
        Self {
            max_charge_percent: rules["maxChargePercent"].as_f64().unwrap_or(100.0),
            activation_days: rules["activationDays"].as_i64().unwrap_or_default(),
            order_activation_days: rules["orderActivationDays"].as_i64().unwrap_or_default(),
            lifetime_days: rules["lifetimeDays"].as_i64().unwrap_or(365),
            required_fields: rules["requiredFields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect(),
        }
    }
}

/// The account's programs, in id order; seeded on the first read.
pub async fn load(ctx: &Ctx) -> RetailResult<Vec<Value>> {
    let query = twin_store::ListQuery::new(ctx.scope.clone(), LOYALTY);
    let page = ctx.core.entities.list(&query).await?;
    if !page.items.is_empty() {
        return Ok(page.items.into_iter().map(|doc| doc.body).collect());
    }
    let program = default_program(ctx);
    let doc = Document::new(
        ctx.scope.key(LOYALTY, DEFAULT_ID.to_string()),
        program.clone(),
    );
    let batch = Batch::new().write(Write::Put {
        doc,
        expect: Expect::Absent,
    });
    match ctx.core.store.apply(batch).await {
        Ok(_) => Ok(vec![program]),
        // A concurrent first read seeded it.
        Err(StoreError::Conflict(_)) => Box::pin(load(ctx)).await,
        Err(error) => Err(twin_core::CoreError::from(error).into()),
    }
}

/// The program with this id.
pub async fn find(ctx: &Ctx, id: i64) -> RetailResult<Value> {
    load(ctx)
        .await?
        .into_iter()
        .find(|p| p["id"] == id)
        .ok_or_else(RetailError::not_found)
}

/// The program a participation of a customer of `site` joins: the first active one that
/// is not blocked (every program covers all the account's sites, *Inferred*).
pub async fn for_site(ctx: &Ctx, _site: &str) -> RetailResult<Option<Value>> {
    Ok(load(ctx)
        .await?
        .into_iter()
        .find(|p| p["active"] == true && p["blocked"] != true))
}

/// The program as the API shows it: its fields without Twin's rules, and `sites`, the
/// sites it covers that the key reaches.
pub async fn render(ctx: &Ctx, program: &Value) -> RetailResult<Value> {
    let mut out = crate::customers::public(program);
    out["sites"] = json!(sites::available(ctx).await?);
    Ok(out)
}

/// `GET /api/v5/loyalty/loyalties`: `limit`, `page`, `filter[ids][]`, `filter[sites][]`,
/// `filter[active]`, `filter[blocked]`; `{pagination, loyalties}` in id order.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = crate::customers::fields::Problems::new();
    let mut ids = Vec::new();
    for (i, id) in list_of(&filter["ids"]).into_iter().enumerate() {
        match id.as_str().and_then(|s| s.parse::<i64>().ok()) {
            Some(id) => ids.push(id),
            None => {
                problems.insert(format!("filter[ids][{i}]"), texts::INTEGER.into());
            }
        }
    }
    let mut flags = Vec::new();
    for name in ["active", "blocked"] {
        if filter[name].is_null() || filter[name] == "" {
            continue;
        }
        match boolean(&filter[name]) {
            Some(flag) => flags.push((name, flag)),
            None => {
                problems.insert(format!("filter[{name}]"), texts::BOOLEAN.into());
            }
        }
    }
    let mut wanted_sites = Vec::new();
    for site in list_of(&filter["sites"]) {
        if let Some(code) = site.as_str() {
            wanted_sites.push(sites::check(ctx, code).await?);
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let mut found = Vec::new();
    for program in load(ctx).await? {
        let rendered = render(ctx, &program).await?;
        let fits = (ids.is_empty() || ids.iter().any(|id| program["id"] == *id))
            && flags
                .iter()
                .all(|(name, flag)| program[*name].as_bool() == Some(*flag))
            && wanted_sites.iter().all(|site| {
                rendered["sites"]
                    .as_array()
                    .is_some_and(|s| s.contains(&json!(site)))
            });
        if fits {
            found.push(rendered);
        }
    }
    let (page, total) = paging.window(found);
    Ok(ok(success(json!({
        "pagination": paging.pagination(total),
        "loyalties": page,
    }))))
}

/// `GET /api/v5/loyalty/loyalties/{id}` (the clients' companion): `{loyalty,
/// requiredFields}`, the customer fields a participation needs (`{code, entity}`).
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let id = request
        .arg()
        .parse::<i64>()
        .map_err(|_| RetailError::not_found())?;
    let program = find(ctx, id).await?;
    let required: Vec<Value> = Rules::of(&program)
        .required_fields
        .iter()
        .map(|code| json!({ "code": code, "entity": "customer" }))
        .collect();
    Ok(ok(success(json!({
        "loyalty": render(ctx, &program).await?,
        "requiredFields": required,
    }))))
}
