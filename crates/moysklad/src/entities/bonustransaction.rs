//! `bonustransaction`: points a counterparty or organization earns or spends under a bonus
//! program. Nothing about an agent's points is stored besides the transactions: a
//! transaction's status and every balance are derived from them and the account's clock
//! when read, so they cannot drift and a postponed earning completes when its date comes.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery, PageRequest};

use super::bonusprogram;
use crate::error::{MsError, MsResult};
use crate::fields::{self, set_bool, set_count, set_enum, set_string, stored_reference, Given};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};
use crate::representation::{format_minute, format_time, parse_reference};

/// Transactions a client writes are `REGULAR`; the welcome bonus a new counterparty gets
/// is created as `WELCOME` (the category is read-only to clients).
pub enum BonusTransaction {
    Regular,
    Welcome,
}

const KEYWORD: &str = "bonustransaction";

static INFO: EntityInfo = EntityInfo {
    keyword: KEYWORD,
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("moment", FieldType::Time, true, true),
        FieldSpec::new("created", FieldType::Time, true, true),
        FieldSpec::new("updatedBy", FieldType::Str, true, false),
        FieldSpec::new("bonusValue", FieldType::Int, true, true),
        FieldSpec::new("applicable", FieldType::Bool, true, true),
        FieldSpec::new("agent", FieldType::Ref("counterparty"), true, false),
        FieldSpec::new("bonusProgram", FieldType::Ref("bonusprogram"), true, false),
        FieldSpec::new("organization", FieldType::Ref("organization"), true, false),
        FieldSpec::new(
            "parentDocument",
            FieldType::Ref("retaildemand"),
            false,
            false,
        ),
    ],
    search: &["name", "description"],
    common: true,
    hides_archived: false,
    writable: true,
    attributes: false,
    states: false,
};

const EARNING: &str = "EARNING";
const SPENDING: &str = "SPENDING";
const TRANSACTION_TYPES: [&str; 2] = [EARNING, SPENDING];

const WAIT_PROCESSING: &str = "WAIT_PROCESSING";
const COMPLETED: &str = "COMPLETED";
const CANCELED: &str = "CANCELED";

/// Documents a transaction may come from. Twin keeps no documents, so a reference to one
/// is stored as given, unchecked.
const PARENT_DOCUMENTS: [&str; 6] = [
    "retaildemand",
    "retailsalesreturn",
    "customerorder",
    "demand",
    "salesreturn",
    "invoiceout",
];

/// The counter behind automatic transaction names.
const NUMBER_SEQUENCE: &str = "bonustransaction_number";

/// A balance is an Int; an earning that would take it further is 62004.
const MAX_BALANCE: i64 = i32::MAX as i64;

/// The tariff option "Расширенная бонусная программа" (future execution dates and
/// program delays): the account setting `moysklad.extendedBonusProgram`, on unless `false`.
fn extended_program(ctx: &Ctx) -> bool {
    ctx.account
        .setting(crate::DIALECT, "extendedBonusProgram")
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

fn text<'a>(body: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    body.get(field).and_then(Value::as_str)
}

fn reference_id<'a>(body: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    body.get(field)?.get("id")?.as_str()
}

/// A transaction's status at `now` (formatted like stored times): an un-posted one
/// (`applicable: false`) is canceled and counts for nothing; a posted one waits until its
/// execution date, then is completed.
fn status(body: &Map<String, Value>, now: &str) -> &'static str {
    if body.get("applicable") == Some(&Value::Bool(false)) {
        return CANCELED;
    }
    match text(body, "executionDate") {
        Some(date) if date > now => WAIT_PROCESSING,
        _ => COMPLETED,
    }
}

/// What the transaction adds to its agent's points: earnings add, spendings take away.
fn points(body: &Map<String, Value>) -> i64 {
    let value = body.get("bonusValue").and_then(Value::as_i64).unwrap_or(0);
    if text(body, "transactionType") == Some(SPENDING) {
        -value
    } else {
        value
    }
}

/// An agent's points under one program: completed, and still waiting for their date.
#[derive(Debug, Default)]
struct Ledger {
    completed: i64,
    waiting: i64,
}

/// How many transactions one page of a balance reads.
const LEDGER_PAGE: u32 = 1000;

/// Sums the agent's transactions under the program, leaving out `except` (the one being
/// written).
async fn ledger(ctx: &Ctx, agent: &str, program: &str, except: Option<&str>) -> MsResult<Ledger> {
    let now = ctx.now_text();
    let mut ledger = Ledger::default();
    let mut after = None;
    loop {
        let mut query = ListQuery::new(ctx.scope.clone(), KEYWORD)
            .filter(Filter::And(vec![
                Filter::eq("agent.id", agent),
                Filter::eq("bonusProgram.id", program),
            ]))
            .page(PageRequest::Cursor {
                after,
                limit: LEDGER_PAGE,
                descending: false,
            });
        query.count_total = false;
        let page = ctx.core.entities.list(&query).await?;
        for doc in page.items {
            let Some(body) = doc.body.as_object() else {
                continue;
            };
            if Some(doc.key.id.as_str()) == except {
                continue;
            }
            match status(body, &now) {
                COMPLETED => ledger.completed += points(body),
                WAIT_PROCESSING => ledger.waiting += points(body),
                _ => {}
            }
        }
        match page.next_cursor {
            Some(cursor) => after = Some(cursor),
            None => return Ok(ledger),
        }
    }
}

/// An agent's points under a program now: completed earnings less completed spendings.
pub async fn balance(ctx: &Ctx, agent: &str, program: &str) -> MsResult<i64> {
    Ok(ledger(ctx, agent, program, None).await?.completed)
}

/// A spending may not take more than the agent has now (3002, the digest's choice); an
/// earning may not take the balance, counting waiting earnings, past an Int (62004).
async fn check_balance(ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
    let (Some(agent), Some(program)) = (
        reference_id(body, "agent"),
        reference_id(body, "bonusProgram"),
    ) else {
        return Ok(());
    };
    if status(body, &ctx.now_text()) == CANCELED {
        return Ok(());
    }
    let ledger = ledger(ctx, agent, program, text(body, "id")).await?;
    let change = points(body);
    if change < 0 && ledger.completed + change < 0 {
        return Err(MsError::new(
            3002,
            format!(
                "Ошибка сохранения объекта: недостаточно бонусных баллов для списания (доступно {})",
                ledger.completed.max(0)
            ),
        )
        .on("bonusValue"));
    }
    if change > 0 && ledger.completed + ledger.waiting + change > MAX_BALANCE {
        return Err(MsError::new(
            62004,
            format!("Ошибка валидации: бонусный баланс не может превышать {MAX_BALANCE} баллов"),
        )
        .on("bonusValue"));
    }
    Ok(())
}

fn spending_field(field: &str) -> MsError {
    MsError::new(
        62002,
        format!(
            "Ошибка валидации: поле '{field}' не может быть указано для бонусной операции списания"
        ),
    )
    .on(field)
}

/// Fields a client may set on create and update, and who wrote them (`updatedBy`).
async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    set_string(body, input, "name", 255, false)?;
    set_string(body, input, "code", 255, false)?;
    set_string(body, input, "description", 4096, false)?;
    if let Given::Value(moment) = fields::time(input, "moment")? {
        body.insert("moment".into(), json!(format_minute(moment)));
    }
    match fields::reference_to(ctx, input, "agent", &["counterparty", "organization"]).await? {
        Given::Value(target) => {
            body.insert(
                "agent".into(),
                stored_reference(&target.keyword, &target.id),
            );
        }
        Given::Null => return Err(MsError::required("agent")),
        Given::Absent => {}
    }
    match fields::reference(ctx, input, "bonusProgram", bonusprogram::KEYWORD).await? {
        Given::Value(target) => {
            body.insert(
                "bonusProgram".into(),
                stored_reference(bonusprogram::KEYWORD, &target.id),
            );
        }
        Given::Null => return Err(MsError::required("bonusProgram")),
        Given::Absent => {}
    }
    match fields::reference(ctx, input, "organization", "organization").await? {
        Given::Value(target) => {
            body.insert(
                "organization".into(),
                stored_reference("organization", &target.id),
            );
        }
        Given::Null => {
            body.remove("organization");
        }
        Given::Absent => {}
    }
    match input.get("parentDocument") {
        Some(Value::Null) => {
            body.remove("parentDocument");
        }
        Some(value) => {
            let target = parse_reference(&ctx.links, value, "parentDocument", &PARENT_DOCUMENTS)?;
            body.insert(
                "parentDocument".into(),
                stored_reference(&target.keyword, &target.id),
            );
        }
        None => {}
    }
    set_bool(body, input, "applicable")?;
    set_count(body, input, "bonusValue", false)?;
    body.insert("updatedBy".into(), json!(ctx.uid));
    Ok(())
}

/// When a new transaction is processed: the given date (a future one needs the tariff
/// option, 62000; a spending takes none, 62002), or now, or for a regular earning under a
/// program with `postponedBonusesDelayDays` (and the option) that many days from now.
async fn execution_date(
    transaction: &BonusTransaction,
    ctx: &Ctx,
    body: &Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<DateTime<Utc>> {
    let spending = text(body, "transactionType") == Some(SPENDING);
    if let Given::Value(at) = fields::time(input, "executionDate")? {
        if spending {
            return Err(spending_field("executionDate"));
        }
        if at > ctx.now && !extended_program(ctx) {
            return Err(MsError::new(
                62000,
                "Ошибка: вы не можете создавать бонусные операции с отложенным начислением, т.к. в вашем тарифном плане отсутствует опция расширенной бонусной программы",
            )
            .on("executionDate"));
        }
        return Ok(at);
    }
    if spending || !matches!(transaction, BonusTransaction::Regular) || !extended_program(ctx) {
        return Ok(ctx.now);
    }
    let program = match reference_id(body, "bonusProgram") {
        Some(id) => {
            ctx.core
                .entities
                .find(&ctx.scope, bonusprogram::KEYWORD, id)
                .await?
        }
        None => None,
    };
    let delay = program
        .and_then(|doc| {
            doc.body
                .get("postponedBonusesDelayDays")
                .and_then(Value::as_i64)
        })
        .unwrap_or(0);
    Ok(ctx.now + Duration::days(delay))
}

/// A new execution date on update: only for an earning (62002), with the tariff option
/// (62001), and only while it still waits (62003). Giving the stored date changes nothing.
fn change_execution_date(
    ctx: &Ctx,
    stored: &Map<String, Value>,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    let Given::Value(at) = fields::time(input, "executionDate")? else {
        return Ok(());
    };
    let date = format_time(at);
    if text(stored, "executionDate") == Some(date.as_str()) {
        return Ok(());
    }
    if text(stored, "transactionType") == Some(SPENDING) {
        return Err(spending_field("executionDate"));
    }
    if !extended_program(ctx) {
        return Err(MsError::new(
            62001,
            "Ошибка: вы не можете редактировать дату начисления бонусной операции, т.к. в вашем тарифном плане отсутствует опция расширенной бонусной программы",
        )
        .on("executionDate"));
    }
    if status(stored, &ctx.now_text()) != WAIT_PROCESSING {
        return Err(MsError::new(
            62003,
            "Ошибка валидации: поле 'executionDate' может быть изменено только для отложенной бонусной операции",
        )
        .on("executionDate"));
    }
    body.insert("executionDate".into(), json!(date));
    Ok(())
}

#[async_trait]
impl Entity for BonusTransaction {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        for field in ["agent", "bonusProgram", "transactionType"] {
            if input.get(field).is_none_or(Value::is_null) {
                return Err(MsError::required(field));
            }
        }
        let category = match self {
            BonusTransaction::Regular => "REGULAR",
            BonusTransaction::Welcome => "WELCOME",
        };
        let mut body = json!({
            "moment": format_minute(ctx.now),
            "created": ctx.now_text(),
            "applicable": true,
            "categoryType": category,
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        set_enum(&mut body, input, "transactionType", &TRANSACTION_TYPES)?;
        apply(ctx, &mut body, input).await?;
        let execution = execution_date(self, ctx, &body, input).await?;
        body.insert("executionDate".into(), json!(format_time(execution)));
        check_balance(ctx, &body).await?;
        if !body.contains_key("name") {
            let number = ctx
                .core
                .store
                .next_sequence(&ctx.scope, NUMBER_SEQUENCE)
                .await
                .map_err(twin_core::CoreError::from)?;
            body.insert("name".into(), json!(format!("{number:05}")));
        }
        Ok(body)
    }

    /// `transactionType` cannot change (3001); `agent` and `bonusProgram` cannot be cleared.
    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        if input
            .get("transactionType")
            .is_some_and(|given| stored.get("transactionType") != Some(given))
        {
            return Err(MsError::immutable("transactionType"));
        }
        let mut body = stored.clone();
        apply(ctx, &mut body, input).await?;
        change_execution_date(ctx, stored, &mut body, input)?;
        check_balance(ctx, &body).await?;
        Ok(body)
    }

    /// The status at the account's time; bonus transactions have no archived flag.
    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        body.remove("archived");
        let status = status(body, &ctx.now_text());
        body.insert("transactionStatus".into(), json!(status));
        Ok(())
    }
}
