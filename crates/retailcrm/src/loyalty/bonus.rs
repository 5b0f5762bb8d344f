//! A participation's bonus account through the API: credits and charges by hand, the
//! operations of one participation or of all, and the bonuses waiting for activation or
//! soon to burn.

use std::collections::BTreeMap;

use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery, PageRequest, SortKey};

use super::ledger::{self, amount_of, cents, NewOperation};
use super::{find, program};
use crate::customers::list::list_of;
use crate::customers::public;
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::ok;
use crate::request::{parse_time, success, Ctx, RetailRequest};

/// `amount`: a number above 0, in hundredths.
fn positive_amount(request: &RetailRequest<'_>) -> RetailResult<i64> {
    let Some(text) = request.text("amount") else {
        return Err(RetailError::parameter("amount", texts::BLANK));
    };
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() && cents(n) > 0 => Ok(cents(n)),
        Ok(_) => Err(RetailError::parameter(
            "amount",
            "This value should be greater than 0.",
        )),
        Err(_) => Err(RetailError::parameter("amount", texts::NUMBER)),
    }
}

/// A `Y-m-d` parameter.
fn date_param(request: &RetailRequest<'_>, name: &str) -> RetailResult<Option<NaiveDate>> {
    match request.text(name) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| RetailError::parameter(name, texts::DATE)),
    }
}

/// `comment`, when given.
fn comment(request: &RetailRequest<'_>) -> Map<String, Value> {
    let mut extra = Map::new();
    if let Some(text) = request.text("comment") {
        extra.insert("comment".into(), json!(text));
    }
    extra
}

/// `POST /api/v5/loyalty/account/{id}/bonus/credit`: `amount`, `activationDate`,
/// `expireDate` (`Y-m-d`), `comment`; `{loyaltyBonus {amount, activationDate,
/// expireDate}}`. Without dates, the program's: active at once, expiring after 365 days
/// (*Inferred*). An expiry not after the activation is a 400.
pub async fn credit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let amount = positive_amount(request)?;
    let given_activation = date_param(request, "activationDate")?;
    let given_expiry = date_param(request, "expireDate")?;
    let account = find(ctx, request.arg()).await?;
    let loyalty = program::find(ctx, account.body["loyalty"]["id"].as_i64().unwrap_or(1)).await?;
    let rules = program::Rules::of(&loyalty);
    let (activation, _) = ledger::default_dates(ledger::today(ctx), &rules);
    let activation = given_activation.unwrap_or(activation);
    let expiry = given_expiry.unwrap_or(activation + chrono::Duration::days(rules.lifetime_days));
    if expiry <= activation {
        return Err(RetailError::parameter(
            "expireDate",
            "The expiration date must be later than the activation date.",
        ));
    }
    let bonus = json!({
        "activationDate": activation.format("%Y-%m-%d").to_string(),
        "expireDate": expiry.format("%Y-%m-%d").to_string(),
    });
    let mut extra = comment(request);
    extra.insert("bonus".into(), bonus.clone());
    let mut journal = Journal::new(ctx).await?;
    let operation = NewOperation {
        kind: "credit_manual",
        amount,
        extra,
    };
    ledger::record(ctx, &mut journal, &account, vec![operation]).await?;
    journal.commit(|_| RetailError::internal()).await?;
    let mut answer = bonus;
    answer["amount"] = amount_of(amount);
    Ok(ok(success(json!({ "loyaltyBonus": answer }))))
}

/// `POST /api/v5/loyalty/account/{id}/bonus/charge`: `amount`, `comment`; `{}`. Only an
/// active participation's active bonuses can be charged; more than those is a 400.
pub async fn charge(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let amount = positive_amount(request)?;
    let account = find(ctx, request.arg()).await?;
    if account.body["active"] != true {
        return Err(inactive());
    }
    let active = ledger::ledger(ctx, account.body["id"].as_i64().unwrap_or_default())
        .await?
        .active(ledger::today(ctx));
    ledger::check_covers(active, amount)?;
    let mut journal = Journal::new(ctx).await?;
    let operation = NewOperation {
        kind: "charge_manual",
        amount: -amount,
        extra: comment(request),
    };
    ledger::record(ctx, &mut journal, &account, vec![operation]).await?;
    journal.commit(|_| RetailError::internal()).await?;
    Ok(ok(success(json!({}))))
}

/// Bonuses of an inactive participation cannot be charged (*Inferred* text).
pub fn inactive() -> RetailError {
    RetailError::bad_request("The participation in the loyalty program is not active")
}

/// `filter[createdAtFrom]`/`[createdAtTo]`: `Y-m-d H:i:s`, or a day (from its start, to
/// its end).
fn created_range(filter: &Value, problems: &mut BTreeMap<String, String>) -> Vec<Filter> {
    let mut out = Vec::new();
    for (name, op, time) in [
        ("createdAtFrom", twin_store::CmpOp::Ge, "00:00:00"),
        ("createdAtTo", twin_store::CmpOp::Le, "23:59:59"),
    ] {
        let Some(text) = filter[name].as_str().filter(|t| !t.is_empty()) else {
            continue;
        };
        let bound = if text.len() == 10 {
            format!("{text} {time}")
        } else {
            text.to_owned()
        };
        if parse_time(&bound).is_none() {
            problems.insert(format!("filter[{name}]"), texts::DATETIME.into());
            continue;
        }
        out.push(Filter::cmp("createdAt", op, bound));
    }
    out
}

/// `GET /api/v5/loyalty/account/{id}/bonus/operations`: `limit`, `page`,
/// `filter[createdAtFrom]`/`[createdAtTo]`; `{pagination, bonusOperations}`, the newest
/// (the last written) first. Credits are positive, charges negative; the burns due are
/// written first (`ledger::settle`), so the operations sum to the bonuses.
pub async fn account_operations(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let account = find(ctx, request.arg()).await?;
    ledger::settle(ctx, &account).await?;
    let mut problems = BTreeMap::new();
    let mut filters = created_range(request.filter(), &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    filters.push(Filter::eq("loyaltyAccount.id", account.body["id"].clone()));
    let query = ListQuery::new(ctx.scope.clone(), ledger::OPERATION)
        .filter(Filter::And(filters))
        .sort(SortKey::desc("id"))
        .page(PageRequest::Offset {
            offset: paging.offset(),
            limit: paging.limit,
        });
    let page = ctx.core.entities.list(&query).await?;
    let operations: Vec<Value> = page.items.iter().map(|doc| public(&doc.body)).collect();
    Ok(ok(success(json!({
        "pagination": paging.pagination(page.total.unwrap_or_default()),
        "bonusOperations": operations,
    }))))
}

/// `GET /api/v5/loyalty/bonus/operations`: `limit`, `cursor`, `filter[loyalties][]`;
/// `{pagination {nextCursor}, bonusOperations}` of every participation the key reaches,
/// oldest first. `cursor` is the `nextCursor` of the previous page (Twin's opaque
/// value); the last page has no `nextCursor`. The burns due of every participation the
/// key reaches are written first (appended, so a cursor stays valid).
pub async fn all_operations(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let after = match request.text("cursor") {
        None => None,
        Some(text) if text.parse::<u64>().is_ok() => Some(text.to_owned()),
        Some(_) => return Err(RetailError::parameter("cursor", "This value is not valid.")),
    };
    let filter = request.filter();
    let mut filters = Vec::new();
    let mut loyalties = Vec::new();
    for (i, id) in list_of(&filter["loyalties"]).into_iter().enumerate() {
        match id.as_str().and_then(|s| s.parse::<i64>().ok()) {
            Some(id) => loyalties.push(Value::from(id)),
            None => {
                return Err(RetailError::parameter(
                    &format!("filter[loyalties][{i}]"),
                    texts::INTEGER,
                ))
            }
        }
    }
    if !loyalties.is_empty() {
        filters.push(Filter::In {
            path: Filter::path("loyalty.id"),
            values: loyalties,
        });
    }
    if !ctx.key_sites().is_empty() {
        filters.push(Filter::In {
            path: vec!["_site".into()],
            values: ctx.key_sites().iter().cloned().map(Value::String).collect(),
        });
    }
    settle_all(ctx).await?;
    let mut query =
        ListQuery::new(ctx.scope.clone(), ledger::OPERATION).page(PageRequest::Cursor {
            after,
            limit: paging.limit,
            descending: false,
        });
    if !filters.is_empty() {
        query = query.filter(Filter::And(filters));
    }
    let page = ctx.core.entities.list(&query).await?;
    let operations: Vec<Value> = page.items.iter().map(|doc| public(&doc.body)).collect();
    let pagination = match page.next_cursor {
        Some(cursor) => json!({ "nextCursor": cursor }),
        None => json!({}),
    };
    Ok(ok(success(json!({
        "pagination": pagination,
        "bonusOperations": operations,
    }))))
}

/// Writes the burns due of every participation the key reaches.
async fn settle_all(ctx: &Ctx) -> RetailResult<()> {
    let mut query = ListQuery::new(ctx.scope.clone(), super::ACCOUNT).page(PageRequest::Offset {
        offset: 0,
        limit: 10_000,
    });
    if !ctx.key_sites().is_empty() {
        query = query.filter(Filter::In {
            path: vec!["site".into()],
            values: ctx.key_sites().iter().cloned().map(Value::String).collect(),
        });
    }
    for account in ctx.core.entities.list(&query).await?.items {
        ledger::settle(ctx, &account).await?;
    }
    Ok(())
}

/// `GET /api/v5/loyalty/account/{id}/bonus/{status}/details`: `status`
/// `waiting_activation` (bonuses not active yet, by activation date) or `burn_soon`
/// (active bonuses with an expiry, by expiry date); `filter[date]` keeps those dated up to
/// it, inclusive; `limit`, `page`. `{pagination, statistic {totalAmount}, bonuses [{date,
/// amount}]}`: the bonuses summed per date, earliest first; `totalAmount` over all pages.
/// Another status is a 400.
pub async fn details(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let status = request.args.get(1).copied().unwrap_or_default();
    let waiting = match status {
        "waiting_activation" => true,
        "burn_soon" => false,
        _ => return Err(RetailError::parameter("status", texts::CHOICE)),
    };
    let until = match request.filter()["date"].as_str().filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => Some(
            ledger::day(text)
                .filter(|_| text.len() == 10 || parse_time(text).is_some())
                .ok_or_else(|| RetailError::parameter("filter[date]", texts::DATE))?,
        ),
    };
    let account = find(ctx, request.arg()).await?;
    let today = ledger::today(ctx);
    let ledger = ledger::ledger(ctx, account.body["id"].as_i64().unwrap_or_default()).await?;
    let mut by_date: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for lot in ledger.lots.iter().filter(|lot| lot.remaining > 0) {
        let date = if waiting {
            (lot.activation > today).then_some(lot.activation)
        } else {
            lot.expire.filter(|e| lot.activation <= today && today < *e)
        };
        if let Some(date) = date.filter(|d| until.is_none_or(|u| *d <= u)) {
            *by_date.entry(date).or_default() += lot.remaining;
        }
    }
    let total: i64 = by_date.values().sum();
    let bonuses: Vec<Value> = by_date
        .iter()
        .skip(paging.offset() as usize)
        .take(paging.limit as usize)
        .map(|(date, amount)| {
            json!({ "date": format!("{} 00:00:00", date.format("%Y-%m-%d")), "amount": amount_of(*amount) })
        })
        .collect();
    Ok(ok(success(json!({
        "pagination": paging.pagination(by_date.len() as u64),
        "statistic": { "totalAmount": amount_of(total) },
        "bonuses": bonuses,
    }))))
}
