//! `getMovementBetweenFilial` (9.46): the movements leaving the request's filial (it is
//! required), both kinds and every status, under `movement`: `{CS_id, SD_id, code_1C,
//! date, count, amount, comment, from_store, to_filial, to_store, shipper, priceType,
//! detail}`. `count` is the sum of the quantities, `amount` of quantity × price;
//! `to_filial` is `{CS_id, SD_id, name, domain}` with the filial's id as both ids;
//! `detail[]` is `{CS_id, SD_id, code_1C, quantity, price}`. Filter:
//! `filter.period.date`.
//!
//! *Inferred*: the answer carries no status, as documented; a movement not yet
//! approved has no destination warehouse (`to_store`'s members `null`), and movements
//! between filials name no supplier (`shipper`'s members `null`).

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::{required_filial, stored_destination, KIND};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger;
use crate::reference::by_sd_in;
use crate::reference::list::Listing;
use crate::request::Ctx;
use crate::stock_doc::{document_filters, shown_detail, shown_store};
use crate::values::number;

/// A record a movement names, as `{CS_id, SD_id, code_1C, name}` (all `null`: none).
async fn named(place: &Ctx, key: &str, linked: &Value) -> SdResult<Value> {
    if linked.is_null() {
        return Ok(json!({ "CS_id": null, "SD_id": null, "code_1C": null, "name": null }));
    }
    let mut shown = linked.as_object().cloned().unwrap_or_default();
    let sd_id = linked["SD_id"].as_str().unwrap_or_default();
    let record = by_sd_in(place, key, sd_id).await?;
    let name = record.and_then(|r| r.fields.get("name").cloned());
    shown.insert("name".into(), name.unwrap_or(Value::Null));
    Ok(Value::Object(shown))
}

/// `getMovementBetweenFilial` (9.46).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    required_filial(ctx)?;
    let listing = Listing::read(envelope, Include::Ignored)?;
    let filters = document_filters(ctx, envelope, &[])
        .await?
        .unwrap_or_default();
    let (documents, total) = listing.fetch(ctx, KIND, filters).await?;
    let mut items = Vec::new();
    for document in documents {
        let fields = &document.fields;
        let mut shown = document.ids(ctx);
        let mut detail = shown_detail(ctx, &fields["detail"], false).await?;
        let (mut count, mut amount) = (0.0, 0.0);
        for row in &mut detail {
            count += row["quantity"].as_f64().unwrap_or_default();
            amount += row["amount"].as_f64().unwrap_or_default();
            if let Some(row) = row.as_object_mut() {
                row.remove("amount");
            }
        }
        shown.insert("date".into(), fields["date"].clone());
        shown.insert("count".into(), number(ledger::round(count)));
        shown.insert("amount".into(), number(ledger::round(amount)));
        shown.insert("comment".into(), fields["comment"].clone());
        let from = shown_store(ctx, &fields["storeFrom"]).await?;
        shown.insert("from_store".into(), Value::Object(from));
        let to = stored_destination(ctx, fields);
        let mut to_filial = Map::new();
        for (member, value) in [
            ("CS_id", to.as_ref().map(|f| f.filial_id.clone())),
            ("SD_id", to.as_ref().map(|f| f.filial_id.clone())),
            ("name", to.as_ref().map(|f| f.name.clone())),
            ("domain", to.as_ref().map(|f| f.domain.clone())),
        ] {
            to_filial.insert(member.into(), value.map_or(Value::Null, Value::from));
        }
        shown.insert("to_filial".into(), Value::Object(to_filial));
        let target = ctx.with_filial(to);
        let to_store = named(&target, crate::warehouse::KEY, &fields["storeTo"]).await?;
        shown.insert("to_store".into(), to_store);
        shown.insert("shipper".into(), named(ctx, "shipper", &Value::Null).await?);
        let price_type = named(ctx, "priceType", &fields["priceType"]).await?;
        shown.insert("priceType".into(), price_type);
        shown.insert("detail".into(), Value::from(detail));
        items.push(Value::Object(shown));
    }
    Ok(listing.answer("movement", items, total))
}
