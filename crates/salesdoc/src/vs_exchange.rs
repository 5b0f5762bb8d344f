//! Van-sale exchanges: `setVsExchange` (11.5) and `getVsExchange` (9.45). An exchange
//! takes its `products` out of a warehouse (`store`) and into the van warehouse of a
//! van-selling `agent` at its `date`: both lines of every product in one posting, named
//! `Exchange` in getStoreLog (DIGEST §3.2) and checked on the source as transfers are.
//! Exchanges are van-sale transfers (type 2) of the transfers' kind, so getMovement
//! with `filter.type: "vansel"` lists them too. Create or update: an identifier that
//! finds an exchange replaces its lines; one that finds a regular transfer fails the item.
//!
//! *Inferred* (the docs name the rule, not how an agent gets its type): an agent is a
//! van seller when a van warehouse is assigned to it, which admin seeds (`seed`, path
//! kind `vanWarehouse`: `{code_1C?, name, agent: {CS_id|SD_id|code_1C}}`, a warehouse of
//! type `van`, not listed by getWarehouse); its first such warehouse receives the goods.
//! An exchange naming an agent without one fails the item. A line's `price` is the one
//! it gives, else the price type's listed price, else 0; the van warehouse as source
//! fails the item; a product listed twice fails it.
//!
//! getVsExchange lists `{CS_id, SD_id, code_1C, total_count, total_summa, comment, date,
//! date_load, from_store, to_store, agent, price_type, detail}` under `vsExchange`,
//! `detail[]` as `{CS_id, SD_id, code_1C, quantity, price, summa}`; filters
//! `filter.period.date` and `filter.include`.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger;
use crate::movement::{KEY, MOVEMENT, VANSEL};
use crate::reference::link::{resolve, Home, Link, Missing};
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{identify, save, set_with, Refused, StoreRecord, Target};
use crate::reference::{first_where, Record};
use crate::request::Ctx;
use crate::stock_doc::{
    document_date, document_filters, identified, linked, moved_lines, non_negative, optional,
    positive, product_lines, save_posted, shown_detail,
};
use crate::values::number;
use crate::{price, warehouse};

/// The SET group and the GET answer's member.
const GROUP: &str = "vsExchange";
/// The admin path kind that seeds van warehouses.
pub const VAN_WAREHOUSE: &str = "vanWarehouse";
const AGENT: &str = "agent";

/// A van warehouse names its agent.
const VAN_RULES: Rules = Rules::linked(&[Link {
    member: AGENT,
    key: AGENT,
    home: Home::Filial,
    required: true,
    missing: Missing::Refuse,
}]);

/// The admin seeding's way of storing a van warehouse.
pub struct VanWarehouses;

impl StoreRecord for VanWarehouses {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) =
            identify(ctx, &warehouse::WAREHOUSE, &VAN_RULES, record).await?;
        let item = resolve(ctx, VAN_RULES.links, item).await?;
        let stored = existing.as_ref().map(|r| &r.fields);
        let mut fields =
            warehouse::read_typed(&item, stored, warehouse::VAN).map_err(Refused::Item)?;
        fields.insert(AGENT.into(), item[AGENT].clone());
        let target = Target::of(ctx, warehouse::KEY, &VAN_RULES, existing.as_ref()).await?;
        save(ctx, warehouse::KEY, &ids, target, fields).await
    }
}

/// The van warehouse of an agent: the first warehouse assigned to it.
async fn van_of(ctx: &Ctx, agent: &Record) -> SdResult<Option<Record>> {
    let assigned = vec![Filter::eq("fields.agent.SD_id", agent.sd_id.as_str())];
    first_where(ctx, warehouse::KEY, assigned).await
}

/// setVsExchange's way of storing one exchange.
struct Exchanges;

/// `setVsExchange` (11.5).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, GROUP, &Exchanges).await
}

impl StoreRecord for Exchanges {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, KEY, record).await?;
        let mut errors = Vec::new();
        if existing
            .as_ref()
            .is_some_and(|found| found.fields["type"] != json!(VANSEL))
        {
            errors.push("The document found is a transfer, not a van-sale exchange".into());
        }
        let date = document_date(item, &mut errors);
        let price_type = linked(ctx, item, "priceType", "priceType", true, &mut errors).await?;
        let store = linked(ctx, item, "store", warehouse::KEY, true, &mut errors).await?;
        let agent = linked(ctx, item, AGENT, AGENT, true, &mut errors).await?;
        let van = match &agent {
            Some(agent) => van_of(ctx, agent).await?,
            None => None,
        };
        if agent.is_some() && van.is_none() {
            errors.push("The agent is not a van seller (VanSelling): no van warehouse".into());
        }
        if let (Some(store), Some(van)) = (&store, &van) {
            if store.sd_id == van.sd_id {
                errors.push("store must not be the agent's van warehouse".into());
            }
        }
        let given = product_lines(ctx, item, &mut errors, |line, errors| {
            let quantity = positive(line.item, &line.at, "quantity", errors);
            let price = non_negative(line.item, &line.at, "price", false, errors);
            Some((quantity?, price))
        })
        .await?;
        let (Some(date), Some(price_type), Some(store), Some(agent), Some(van), true) =
            (date, price_type, store, agent, van, errors.is_empty())
        else {
            return Err(Refused::Item(errors));
        };
        let mut lines = Vec::new();
        let mut detail = Vec::new();
        for (product, (quantity, given_price)) in given {
            let price =
                price::given_or_listed(ctx, given_price, &price_type.sd_id, &product.sd_id).await?;
            detail.push(json!({
                "product": product.sd_id,
                "quantity": number(quantity),
                "price": number(price),
            }));
            lines.extend(moved_lines(
                &store.sd_id,
                &van.sd_id,
                &product.sd_id,
                &date,
                quantity,
            ));
        }
        let mut fields = Map::new();
        fields.insert("type".into(), Value::from(VANSEL));
        fields.insert("date".into(), Value::from(date.as_str()));
        fields.insert("comment".into(), optional(item, "comment"));
        fields.insert("storeFrom".into(), Value::Object(store.ids(ctx)));
        fields.insert("storeTo".into(), Value::Object(van.ids(ctx)));
        fields.insert(AGENT.into(), Value::Object(agent.ids(ctx)));
        fields.insert("priceType".into(), Value::Object(price_type.ids(ctx)));
        fields.insert("detail".into(), Value::from(detail));
        let target = Target::of(ctx, KEY, &Rules::PLAIN, existing.as_ref()).await?;
        save_posted(ctx, &MOVEMENT, &ids, target, fields, lines).await
    }
}

/// `getVsExchange` (9.45).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Honoured)?;
    let mut filters = document_filters(ctx, envelope, &[])
        .await?
        .unwrap_or_default();
    filters.push(Filter::eq("fields.type", VANSEL));
    let (documents, total) = listing.fetch(ctx, KEY, filters).await?;
    let mut items = Vec::new();
    for document in documents {
        let fields = &document.fields;
        let mut shown = document.ids(ctx);
        let mut count = 0.0;
        let mut summa = 0.0;
        let mut detail = shown_detail(ctx, &fields["detail"], false).await?;
        for row in &mut detail {
            let quantity = row["quantity"].as_f64().unwrap_or_default();
            let amount = row["amount"].as_f64().unwrap_or_default();
            count += quantity;
            summa += amount;
            if let Some(row) = row.as_object_mut() {
                let amount = row.remove("amount").unwrap_or(Value::Null);
                row.insert("summa".into(), amount);
            }
        }
        shown.insert("total_count".into(), number(ledger::round(count)));
        shown.insert("total_summa".into(), number(ledger::round(summa)));
        shown.insert("comment".into(), fields["comment"].clone());
        let date = fields["date"].as_str().unwrap_or_default();
        shown.insert("date".into(), Value::from(date));
        shown.insert(
            "date_load".into(),
            Value::from(date.get(..10).unwrap_or(date)),
        );
        for (member, stored) in [
            ("from_store", "storeFrom"),
            ("to_store", "storeTo"),
            ("agent", AGENT),
            ("price_type", "priceType"),
        ] {
            shown.insert(member.into(), fields[stored].clone());
        }
        shown.insert("detail".into(), Value::from(detail));
        items.push(Value::Object(shown));
    }
    Ok(listing.answer(GROUP, items, total))
}
