//! The SET methods of movements between filials: setMovingToFilial (11.6, group
//! `moving`, create only, approved at once), setMovementBetweenFilial (11.7, group
//! `movement`, a draft created or updated while `draft` or `rejected`) and
//! setMovementFilialPending (11.8, group `movement`, `draft`/`rejected` → `pending`).
//!
//! *Inferred*: setMovingToFilial's `storeFrom` and `movingTo.storeTo` must give a
//! `CS_id` (as documented: "CS_id required"), found in the source resp. destination
//! filial; an identifier in its item is kept as the document's, and one that finds a
//! stored movement fails the item (the method creates only).

use axum::response::Response;
use serde_json::{Map, Value};
use twin_store::Write;

use super::{
    destination, detail_row, post, required_filial, MovedStock, APPROVED, DRAFT, KIND, PENDING,
    REJECTED,
};
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::rules::Rules;
use crate::reference::upsert::{prepare, save, set_with, Refused, StoreRecord, Target};
use crate::reference::{first_where, Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::{
    document_date, identified, linked, non_negative, optional, positive, product_lines,
};
use crate::{price, warehouse};

/// One kind of movement SET.
enum Movements {
    /// setMovingToFilial: approved at once.
    Immediate,
    /// setMovementBetweenFilial: a draft.
    Draft,
    /// setMovementFilialPending: a draft sent for approval.
    Pending,
}

/// `setMovingToFilial` (11.6).
pub async fn set_moving(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    required_filial(ctx)?;
    set_with(ctx, envelope, "moving", &Movements::Immediate).await
}

/// `setMovementBetweenFilial` (11.7).
pub async fn set_draft(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    required_filial(ctx)?;
    set_with(ctx, envelope, "movement", &Movements::Draft).await
}

/// `setMovementFilialPending` (11.8).
pub async fn set_pending(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    required_filial(ctx)?;
    set_with(ctx, envelope, "movement", &Movements::Pending).await
}

impl StoreRecord for Movements {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        match self {
            Movements::Pending => to_pending(ctx, record).await,
            Movements::Immediate | Movements::Draft => {
                let immediate = matches!(self, Movements::Immediate);
                write(ctx, record, immediate).await
            }
        }
    }
}

/// A store named by its `CS_id` only (setMovingToFilial): the record in `place`, or the
/// item's error.
async fn by_cs_id(
    place: &Ctx,
    item: &Map<String, Value>,
    member: &str,
    errors: &mut Vec<String>,
) -> Result<Option<Record>, Refused> {
    let cs_id = item.get(member).and_then(|named| named.get("CS_id"));
    if cs_id.and_then(crate::values::text).is_none() {
        errors.push(format!("{member}.CS_id is required"));
        return Ok(None);
    }
    linked(place, item, member, warehouse::KEY, true, errors).await
}

/// A movement's price type: as named, else (drafts) the filial's first one.
async fn price_type(
    ctx: &Ctx,
    item: &Map<String, Value>,
    required: bool,
    errors: &mut Vec<String>,
) -> Result<Option<Record>, Refused> {
    let named = linked(ctx, item, "priceType", "priceType", required, errors).await?;
    if named.is_some() || item.get("priceType").is_some_and(|v| !v.is_null()) {
        return Ok(named);
    }
    Ok(first_where(ctx, "priceType", Vec::new()).await?)
}

/// setMovingToFilial's and setMovementBetweenFilial's item: the movement stored (and,
/// when `immediate`, its stock moved).
async fn write(ctx: &Ctx, record: &Value, immediate: bool) -> Result<Record, Refused> {
    let (item, ids, existing) = identified(ctx, KIND, record).await?;
    let mut errors = Vec::new();
    if let Some(found) = &existing {
        let status = found.fields["status"].as_str().unwrap_or_default();
        if immediate {
            errors.push("The movement already exists: setMovingToFilial creates only".into());
        } else if found.fields["legacy"] == Value::Bool(true)
            || ![DRAFT, REJECTED].contains(&status)
        {
            errors.push(format!("The movement is {status}: it cannot be edited"));
        }
    }
    let date = document_date(item, &mut errors);
    let price_type = price_type(ctx, item, immediate, &mut errors).await?;
    let store_from = if immediate {
        by_cs_id(ctx, item, "storeFrom", &mut errors).await?
    } else {
        linked(ctx, item, "storeFrom", warehouse::KEY, true, &mut errors).await?
    };
    let moving_to = item.get("movingTo").and_then(Value::as_object);
    let to_filial = match moving_to {
        Some(moving_to) => destination(ctx, moving_to, &mut errors),
        None => {
            errors.push("movingTo is required".into());
            None
        }
    };
    let target = to_filial.clone().map(|f| ctx.with_filial(Some(f)));
    let store_to = match (immediate, &target, moving_to) {
        (true, Some(target), Some(moving_to)) => {
            by_cs_id(target, moving_to, "storeTo", &mut errors).await?
        }
        _ => None,
    };
    let lines = product_lines(ctx, item, &mut errors, |line, errors| {
        let quantity = positive(line.item, &line.at, "quantity", errors);
        let price = non_negative(line.item, &line.at, "price", false, errors);
        Some((quantity?, price))
    })
    .await?;
    let ready = errors.is_empty() && (!immediate || store_to.is_some());
    let (Some(date), Some(store_from), Some(to_filial), true) =
        (date, store_from, to_filial, ready)
    else {
        return Err(Refused::Item(errors));
    };
    let price_type_sd = price_type
        .as_ref()
        .map(|p| p.sd_id.clone())
        .unwrap_or_default();
    let mut detail = Vec::new();
    for (product, (quantity, given)) in lines {
        let price = price::given_or_listed(ctx, given, &price_type_sd, &product.sd_id).await?;
        detail.push(detail_row(&product, quantity, price));
    }
    let mut fields = Map::new();
    fields.insert("legacy".into(), Value::Bool(immediate));
    fields.insert(
        "status".into(),
        Value::from(if immediate { APPROVED } else { DRAFT }),
    );
    fields.insert("date".into(), Value::from(date.as_str()));
    fields.insert("comment".into(), optional(item, "comment"));
    let receiver_comment = item.get("commForRcvr").and_then(crate::values::active);
    fields.insert(
        "commForRcvr".into(),
        Value::Bool(receiver_comment.unwrap_or(false)),
    );
    let price_type = price_type.map(|p| Value::Object(p.ids(ctx)));
    fields.insert("priceType".into(), price_type.unwrap_or(Value::Null));
    fields.insert("storeFrom".into(), Value::Object(store_from.ids(ctx)));
    fields.insert("toFilial".into(), Value::from(to_filial.filial_id.as_str()));
    let shown_to = match (&store_to, &target) {
        (Some(store), Some(target)) => Value::Object(store.ids(target)),
        _ => Value::Null,
    };
    fields.insert("storeTo".into(), shown_to);
    fields.insert("detail".into(), Value::from(detail.clone()));
    let target_record = Target::of(ctx, KIND, &Rules::PLAIN, existing.as_ref()).await?;
    let (Some(store_to), Some(target)) = (store_to, target) else {
        return save(ctx, KIND, &ids, target_record, fields).await;
    };
    let read = target_record.read();
    let (doc, expect) = prepare(ctx, KIND, &ids, target_record, fields);
    let stored = Record::from_doc(doc.clone());
    let moved = MovedStock {
        sd_id: &stored.sd_id,
        date: &date,
        detail: &detail,
        store_from: &store_from.sd_id,
        store_to: &store_to.sd_id,
    };
    post(ctx, &target, &moved, Write::Put { doc, expect }, &read).await?;
    Ok(stored)
}

/// setMovementFilialPending's item: the draft or rejected movement it names, now pending.
async fn to_pending(ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
    let (_, ids, existing) = identified(ctx, KIND, record).await?;
    if ids.is_empty() {
        return Err(Refused::Item(vec![
            "One of CS_id, SD_id or code_1C is required".into(),
        ]));
    }
    let Some(found) = existing else {
        return Err(Refused::Item(vec![
            "Movement between filials not found".into()
        ]));
    };
    let status = found.fields["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if found.fields["legacy"] == Value::Bool(true) || ![DRAFT, REJECTED].contains(&status.as_str())
    {
        let error = format!("The movement is {status}: only draft or rejected ones go to pending");
        return Err(Refused::Item(vec![error]));
    }
    let mut fields = found.fields.clone();
    fields.insert("status".into(), Value::from(PENDING));
    save(ctx, KIND, &ids, Target::Existing(&found), fields).await
}

/// The write of a stored movement with `fields`, expecting the version read.
pub fn rewrite(ctx: &Ctx, found: &Record, fields: Map<String, Value>) -> Write {
    let (doc, expect) = prepare(ctx, KIND, &Ids::default(), Target::Existing(found), fields);
    Write::Put { doc, expect }
}
