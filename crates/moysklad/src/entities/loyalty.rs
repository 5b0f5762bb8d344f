//! What agents (counterparties and organizations) carry of the loyalty program: a
//! reference to the active program and their points under it, computed on every read from
//! the bonus transactions (never stored, so never stale); and the welcome bonus a
//! counterparty gets when it is created while a program grants one on registration.

use serde_json::{json, Map, Value};

use super::bonusprogram;
use super::bonustransaction::BonusTransaction;
use crate::engine;
use crate::error::MsResult;
use crate::fields::stored_reference;
use crate::model::Ctx;

/// The types that hold bonus points.
pub const AGENTS: [&str; 2] = ["counterparty", "organization"];

/// `bonusProgram` (the active program; absent without one) and `bonusPoints` (0 without
/// one). Twin's counterparties have no tags yet, so the active program applies to every
/// agent whatever its `allAgents` and `agentTags`.
pub async fn decorate_agent(ctx: &Ctx, id: &str, body: &mut Map<String, Value>) -> MsResult<()> {
    let points = match bonusprogram::active(ctx).await? {
        Some(program) => {
            body.insert(
                "bonusProgram".into(),
                stored_reference(bonusprogram::KEYWORD, &program.key.id),
            );
            super::bonustransaction::balance(ctx, id, &program.key.id).await?
        }
        None => 0,
    };
    body.insert("bonusPoints".into(), json!(points));
    Ok(())
}

/// A `WELCOME` earning of `welcomeBonusesValue` for a new agent, when the active program
/// has welcome points on `REGISTRATION`. `FIRST_PURCHASE` never grants them here: Twin
/// has no sales documents.
pub async fn welcome(ctx: &Ctx, keyword: &str, id: &str) -> MsResult<()> {
    let Some(program) = bonusprogram::active(ctx).await? else {
        return Ok(());
    };
    let rules = &program.body;
    let value = rules
        .get("welcomeBonusesValue")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if rules.get("welcomeBonusesEnabled") != Some(&Value::Bool(true))
        || rules.get("welcomeBonusesMode").and_then(Value::as_str) != Some("REGISTRATION")
        || value <= 0
    {
        return Ok(());
    }
    let input = json!({
        "agent": ctx.links.reference(keyword, id),
        "bonusProgram": ctx.links.reference(bonusprogram::KEYWORD, &program.key.id),
        "transactionType": "EARNING",
        "bonusValue": value,
    });
    let input = input.as_object().cloned().unwrap_or_default();
    engine::create(ctx, &BonusTransaction::Welcome, &input).await?;
    Ok(())
}
