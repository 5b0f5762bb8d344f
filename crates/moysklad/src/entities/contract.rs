//! `contract`: agreements between one of your organizations and a counterparty, numbered
//! automatically, with a currency, a type, a reward and a state.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use crate::accounts;
use crate::error::{MsError, MsResult};
use crate::fields::{
    self, set_enum, set_int_in, set_string, stored_reference, stored_target, Given,
};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};
use crate::representation::format_minute;
use crate::representation::ACCOUNT;

pub struct Contract;

static INFO: EntityInfo = EntityInfo {
    keyword: "contract",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("moment", FieldType::Time, true, true),
        FieldSpec::new("ownAgent", FieldType::Ref("organization"), true, false),
        FieldSpec::new("agent", FieldType::Ref("counterparty"), true, false),
        FieldSpec::new("state", FieldType::Ref("state"), true, false),
        FieldSpec::new(
            "organizationAccount",
            FieldType::Ref("account"),
            false,
            false,
        ),
        FieldSpec::new("agentAccount", FieldType::Ref("account"), false, false),
    ],
    search: &["name", "description"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: true,
    states: true,
};

const CONTRACT_TYPES: [&str; 2] = ["Commission", "Sales"];
const REWARD_TYPES: [&str; 2] = ["PercentOfSales", "None"];

/// The counter behind automatic contract numbers.
const NUMBER_SEQUENCE: &str = "contract_number";

async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    set_string(body, input, "name", 255, true)?;
    set_string(body, input, "code", 255, false)?;
    set_string(body, input, "description", 4096, false)?;
    if let Given::Value(moment) = fields::time(input, "moment")? {
        body.insert("moment".into(), json!(format_minute(moment)));
    }
    if let Given::Value(target) = fields::reference(ctx, input, "ownAgent", "organization").await? {
        body.insert(
            "ownAgent".into(),
            stored_reference("organization", &target.id),
        );
    }
    if let Given::Value(target) =
        fields::reference_to(ctx, input, "agent", &["counterparty", "organization"]).await?
    {
        body.insert(
            "agent".into(),
            stored_reference(&target.keyword, &target.id),
        );
    }
    match fields::reference(ctx, input, "state", "state").await? {
        Given::Value(target) if target.owner.as_deref() != Some("contract") => {
            return Err(MsError::new(2024, "Статус должен принадлежать договорам").on("state"));
        }
        Given::Value(target) => {
            body.insert("state".into(), stored_target(&target));
        }
        Given::Null => {
            body.remove("state");
        }
        Given::Absent => {}
    }
    for (account_field, holder_field) in [
        ("organizationAccount", "ownAgent"),
        ("agentAccount", "agent"),
    ] {
        settle_account(ctx, body, input, account_field, holder_field).await?;
    }
    set_enum(body, input, "contractType", &CONTRACT_TYPES)?;
    set_enum(body, input, "rewardType", &REWARD_TYPES)?;
    set_int_in(
        body,
        input,
        "rewardPercent",
        0..=100,
        "процент вознаграждения должен быть от 0 до 100",
    )?;
    match fields::integer(input, "sum")? {
        Given::Value(sum) if sum < 0 => {
            return Err(MsError::new(
                3002,
                "Ошибка сохранения объекта: сумма не может быть отрицательной",
            )
            .on("sum"))
        }
        Given::Value(sum) => {
            body.insert("sum".into(), json!(sum));
        }
        _ => {}
    }
    if let Some(rate) = input.get("rate") {
        let Value::Object(rate) = rate else {
            return Err(MsError::wrong_type("rate"));
        };
        if let Given::Value(currency) = fields::reference(ctx, rate, "currency", "currency").await?
        {
            body.insert(
                "rate".into(),
                json!({ "currency": stored_reference("currency", &currency.id) }),
            );
        }
    }
    Ok(())
}

/// Keeps a contract's bank account consistent with its party: a given account must belong
/// to the party; a party given without an account gets the party's default account; a
/// party changed while the stored account belongs to the old one is refused, as the vendor
/// refuses it.
async fn settle_account(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    account_field: &str,
    holder_field: &str,
) -> MsResult<()> {
    let holder_id = body
        .get(holder_field)
        .and_then(|h| h.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mismatch = || {
        MsError::new(3004, format!("Ошибка сохранения объекта: поле '{account_field}' не соответствует полю '{holder_field}'"))
            .on(account_field)
    };
    match fields::reference(ctx, input, account_field, ACCOUNT).await? {
        Given::Value(target) => {
            if target.owner_id.as_deref() != Some(holder_id.as_str()) {
                return Err(mismatch());
            }
            body.insert(account_field.into(), stored_target(&target));
        }
        Given::Null => {
            body.remove(account_field);
        }
        Given::Absent => {
            let stored_holder = body
                .get(account_field)
                .and_then(|a| a.get("entityId"))
                .and_then(Value::as_str);
            match stored_holder {
                Some(owner) if owner != holder_id => return Err(mismatch()),
                Some(_) => {}
                None if input.contains_key(holder_field) => {
                    if let Some(default) = accounts::default_of(ctx, &holder_id).await? {
                        let holder = body[holder_field]["type"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned();
                        let id = default
                            .get("id")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let mut stored = stored_reference(ACCOUNT, id);
                        stored["entity"] = json!(holder);
                        stored["entityId"] = json!(holder_id);
                        body.insert(account_field.into(), stored);
                    }
                }
                None => {}
            }
        }
    }
    Ok(())
}

#[async_trait]
impl Entity for Contract {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        for field in ["ownAgent", "agent"] {
            if input.get(field).is_none_or(Value::is_null) {
                return Err(MsError::required(field));
            }
        }
        let number = ctx
            .core
            .store
            .next_sequence(&ctx.scope, NUMBER_SEQUENCE)
            .await
            .map_err(twin_core::CoreError::from)?;
        let mut body = json!({
            "name": format!("{number:05}"),
            "moment": format_minute(ctx.now),
            "contractType": "Sales",
            "rewardType": "None",
            "sum": 0,
            "printed": false,
            "published": false,
            "rate": { "currency": stored_reference("currency", &crate::seed::rub_id(&ctx.account)) },
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        apply(ctx, &mut body, input).await?;
        Ok(body)
    }

    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        for field in ["ownAgent", "agent"] {
            if input.get(field).is_some_and(Value::is_null) {
                return Err(MsError::required(field));
            }
        }
        apply(ctx, &mut body, input).await?;
        Ok(body)
    }

    fn nested_expands(&self) -> &'static [&'static str] {
        &["rate.currency"]
    }

    /// The stored `rate.currency` as a reference, or the whole currency when expanded.
    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        expand: &[String],
    ) -> MsResult<()> {
        let Some(id) = body
            .get("rate")
            .and_then(|r| r.get("currency"))
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return Ok(());
        };
        let mut currency = ctx.links.reference("currency", &id);
        if expand.iter().any(|p| p == "rate.currency") {
            if let Some(doc) = ctx.core.entities.find(&ctx.scope, "currency", &id).await? {
                let stored = doc.body.as_object().cloned().unwrap_or_default();
                currency =
                    crate::engine::render(ctx, &super::currency::Currency, stored, &[], 1).await?;
            }
        }
        body.insert("rate".into(), json!({ "currency": currency }));
        Ok(())
    }
}
