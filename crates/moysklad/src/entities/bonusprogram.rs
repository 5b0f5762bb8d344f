//! `bonusprogram`: the account's loyalty programs, at most one of them active. Unlike other
//! entities a program has no owner, department, sharing or `updated`. A program that
//! transactions use is not deleted (1028, the engine's usage table), rather than taking
//! the agents' points with it.

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use twin_store::Document;

use crate::error::{MsError, MsResult};
use crate::fields::{set_bool, set_count, set_enum, set_int_in, set_string, set_strings};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct BonusProgram;

pub const KEYWORD: &str = "bonusprogram";

/// The seed lists no filterable fields for programs, so only `id` filters.
static INFO: EntityInfo = EntityInfo {
    keyword: KEYWORD,
    fields: &[
        FieldSpec::new("name", FieldType::Str, false, false),
        FieldSpec::new("active", FieldType::Bool, false, false),
    ],
    search: &["name"],
    common: false,
    hides_archived: false,
    writable: true,
    attributes: false,
    states: false,
};

/// What a create must carry (3000 otherwise); none of them may be cleared later.
const REQUIRED: [&str; 7] = [
    "name",
    "active",
    "allProducts",
    "allAgents",
    "earnRateRoublesToPoint",
    "spendRatePointsToRouble",
    "maxPaidRatePercents",
];

const WELCOME_MODES: [&str; 2] = ["REGISTRATION", "FIRST_PURCHASE"];

/// The lookup the store keeps unique: the active program holds it.
const ACTIVE_KEY: &str = "active";

/// The account's active program, if any.
pub async fn active(ctx: &Ctx) -> MsResult<Option<Document>> {
    Ok(ctx
        .core
        .entities
        .find_by(&ctx.scope, KEYWORD, ACTIVE_KEY, "true")
        .await?)
}

fn is_true(body: &Map<String, Value>, field: &str) -> bool {
    body.get(field) == Some(&Value::Bool(true))
}

fn apply(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    for field in REQUIRED {
        if input.get(field).is_some_and(Value::is_null) {
            return Err(MsError::required(field));
        }
    }
    set_string(body, input, "name", 255, true)?;
    for field in [
        "active",
        "allAgents",
        "earnWhileRedeeming",
        "welcomeBonusesEnabled",
    ] {
        set_bool(body, input, field)?;
    }
    // The vendor documents `allProducts` as always true.
    set_bool(body, input, "allProducts")?;
    if !is_true(body, "allProducts") {
        return Err(MsError::bad_value(
            "allProducts",
            "бонусная программа действует на все товары: поле 'allProducts' может быть только true",
        ));
    }
    set_strings(body, input, "agentTags", 255)?;
    set_count(body, input, "earnRateRoublesToPoint", true)?;
    set_count(body, input, "spendRatePointsToRouble", true)?;
    set_int_in(
        body,
        input,
        "maxPaidRatePercents",
        0..=100,
        "максимальный процент оплаты баллами должен быть от 0 до 100",
    )?;
    set_count(body, input, "postponedBonusesDelayDays", false)?;
    set_count(body, input, "welcomeBonusesValue", false)?;
    set_enum(body, input, "welcomeBonusesMode", &WELCOME_MODES)
}

/// Welcome points need a condition and an amount.
fn check_welcome(body: &Map<String, Value>) -> MsResult<()> {
    if is_true(body, "welcomeBonusesEnabled") {
        for field in ["welcomeBonusesMode", "welcomeBonusesValue"] {
            if !body.contains_key(field) {
                return Err(MsError::required(field));
            }
        }
    }
    Ok(())
}

/// Only one program per account may be active (3020).
async fn check_single_active(ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
    if !is_true(body, "active") {
        return Ok(());
    }
    let Some(current) = active(ctx).await? else {
        return Ok(());
    };
    if body.get("id").and_then(Value::as_str) == Some(current.key.id.as_str()) {
        return Ok(());
    }
    Err(MsError::new(
        3020,
        "Ошибка валидации: Другая бонусная программа уже активна",
    )
    .on("active"))
}

#[async_trait]
impl Entity for BonusProgram {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        if let Some(field) = REQUIRED.iter().find(|f| !input.contains_key(**f)) {
            return Err(MsError::required(field));
        }
        let mut body = json!({
            "accountId": crate::seed::account_uuid(&ctx.account),
            "agentTags": [],
            "earnWhileRedeeming": false,
            "welcomeBonusesEnabled": false,
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        apply(&mut body, input)?;
        check_welcome(&body)?;
        check_single_active(ctx, &body).await?;
        Ok(body)
    }

    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        apply(&mut body, input)?;
        check_welcome(&body)?;
        check_single_active(ctx, &body).await?;
        Ok(body)
    }

    fn unique_keys(&self, body: &Map<String, Value>) -> Vec<(&'static str, String)> {
        if is_true(body, "active") {
            vec![(ACTIVE_KEY, "true".to_owned())]
        } else {
            Vec::new()
        }
    }
}
