//! Cash operations, expense and income: `setConsumption` (13.4) and `getConsumption`
//! (9.30), per filial. An operation takes `summa` (above zero) out of or into a
//! `cashbox` in a `paymentType`, under a category named by `name`; it does not move any
//! client's balance (DIGEST §3.5). Found by `CS_id` / `SD_id` / `code_1C` it is updated
//! (as a whole), else created; identifiers are optional. `type` `income` makes an income,
//! anything else (the docs' `debt`, or none) an expense. `date` defaults to now.
//!
//! Categories have two levels (`category_parent`, `category_child`), numbered plainly as
//! documented, seeded in admin (kind `consumptionCategory`, `{name, parent?}`). `name`
//! finds the first child category so named; when none is, a child so named is created
//! under the parent `Integration consumption` (made when absent), DIGEST §2.10's reading
//! of the docs' "a new subcategory 'Integration consumption' is created" (*Inferred*).
//!
//! getConsumption filters: `filter.include`, `filter.type` (`income` / `expense`; 400
//! otherwise, *Inferred*) and `filter.paymentType` (one that names nothing gives an empty
//! page, *Inferred*). `date` is shown as the day (`YYYY-MM-DD`), `created_at` with time.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use crate::cashbox::{self, CASHBOX};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::link::{self, Home, Link, Missing};
use crate::reference::list::{named_filter, Listing};
use crate::reference::named::{finish, read_fields, render_members, Flag};
use crate::reference::rules::{plain, Rules};
use crate::reference::upsert::{save, set_with, Refused, StoreRecord, Target};
use crate::reference::{by_sd_in, first_where, Ids, Record, RefKind};
use crate::request::Ctx;
use crate::stock_doc::{date_or_now, identified, linked, non_negative, optional};
use crate::values::{number, text};

/// The SET group, the stored kind and the GET answer's member.
pub const KEY: &str = "consumption";
/// The parent of the categories setConsumption makes (*Inferred*).
const INTEGRATION: &str = "Integration consumption";
const NOT_POSITIVE: &str = "summa must be greater than zero";

const PARENT_LINK: &[Link] = &[Link {
    member: "parent",
    key: "consumptionCategory",
    home: Home::Filial,
    required: false,
    missing: Missing::Refuse,
}];

/// Expense and income categories: `{name, parent}` (`parent` the parent's identifiers,
/// `null` on the first level).
pub const CATEGORY: RefKind = RefKind {
    key: "consumptionCategory",
    read: |item, stored| {
        let mut errors = Vec::new();
        let mut fields = read_fields(item, stored, &[], Flag::None, &mut errors);
        fields.insert("parent".into(), link::field(item, stored, "parent"));
        finish(fields, errors)
    },
    render: |fields| render_members(fields, &["parent"], Flag::None),
};

/// Numbered plainly, each optionally under a parent.
pub const CATEGORY_RULES: Rules = Rules {
    numbering: plain,
    links: PARENT_LINK,
    ..Rules::PLAIN
};

/// setConsumption's way of storing one operation.
struct Consumptions;

/// `setConsumption` (13.4).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, KEY, &Consumptions).await
}

impl StoreRecord for Consumptions {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, KEY, record).await?;
        let mut errors = Vec::new();
        let name = item.get("name").and_then(text);
        if name.is_none() {
            errors.push("name is required".into());
        }
        let summa = non_negative(item, "", "summa", true, &mut errors);
        if summa == Some(0.0) {
            errors.push(NOT_POSITIVE.into());
        }
        let date = date_or_now(ctx, item, &mut errors);
        let payment_type =
            linked(ctx, item, "paymentType", "paymentType", true, &mut errors).await?;
        cashbox::main(ctx).await?;
        let cashbox = linked(ctx, item, "cashbox", CASHBOX.key, true, &mut errors).await?;
        let (Some(name), Some(summa), Some(date), Some(payment_type), Some(cashbox), true) =
            (name, summa, date, payment_type, cashbox, errors.is_empty())
        else {
            return Err(Refused::Item(errors));
        };
        let category = category_named(ctx, &name).await?;
        let income = item
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("income"));
        let mut fields = Map::new();
        fields.insert("summa".into(), number(summa));
        fields.insert("date".into(), Value::from(date));
        fields.insert("type".into(), Value::from(kind(income)));
        fields.insert("comment".into(), optional(item, "comment"));
        fields.insert("cashbox".into(), cashbox.named_ids(ctx));
        fields.insert("paymentType".into(), Value::Object(payment_type.ids(ctx)));
        fields.insert("category".into(), Value::from(category.sd_id));
        let target = Target::of(ctx, KEY, &Rules::PLAIN, existing.as_ref()).await?;
        save(ctx, KEY, &ids, target, fields).await
    }
}

fn kind(income: bool) -> &'static str {
    if income {
        "income"
    } else {
        "expense"
    }
}

/// The first child category named `name`, else a new one under `Integration consumption`.
async fn category_named(ctx: &Ctx, name: &str) -> Result<Record, Refused> {
    let child = vec![
        Filter::eq("fields.name", name),
        Filter::IsEmpty {
            path: Filter::path("fields.parent.SD_id"),
            empty: false,
        },
    ];
    if let Some(found) = first_where(ctx, CATEGORY.key, child).await? {
        return Ok(found);
    }
    let top = vec![
        Filter::eq("fields.name", INTEGRATION),
        Filter::IsEmpty {
            path: Filter::path("fields.parent.SD_id"),
            empty: true,
        },
    ];
    let parent = match first_where(ctx, CATEGORY.key, top).await? {
        Some(found) => found,
        None => new_category(ctx, INTEGRATION, Value::Null).await?,
    };
    new_category(ctx, name, Value::Object(parent.ids(ctx))).await
}

async fn new_category(ctx: &Ctx, name: &str, parent: Value) -> Result<Record, Refused> {
    let mut fields = Map::new();
    fields.insert("name".into(), Value::from(name));
    fields.insert("parent".into(), parent);
    let target = Target::of(ctx, CATEGORY.key, &CATEGORY_RULES, None).await?;
    save(ctx, CATEGORY.key, &Ids::default(), target, fields).await
}

/// `getConsumption` (9.30): a page of the filial's operations.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let mut listing = Listing::read(envelope, Include::Honoured)?;
    let filter = envelope.filter();
    match filter.get("type").filter(|t| !t.is_null()) {
        None => {}
        Some(Value::String(t)) if t == "income" || t == "expense" => {
            listing.filters.push(Filter::eq("fields.type", t.as_str()));
        }
        Some(_) => {
            return Err(SdError::bad_request(
                "params.filter.type must be income or expense",
            ))
        }
    }
    let path = "fields.paymentType.SD_id";
    if let Some(found) = named_filter(ctx, &filter, "paymentType", "paymentType", path).await? {
        listing.filters.push(found);
    }
    let (records, total) = listing.fetch(ctx, KEY, Vec::new()).await?;
    let mut items = Vec::with_capacity(records.len());
    for record in &records {
        items.push(shown(ctx, record).await?);
    }
    Ok(listing.answer(KEY, items, total))
}

/// An operation as getConsumption shows it.
async fn shown(ctx: &Ctx, record: &Record) -> SdResult<Value> {
    let fields = &record.fields;
    let mut shown = record.ids(ctx);
    shown.insert("summa".into(), fields["summa"].clone());
    let day = fields["date"].as_str().map(|d| d.get(..10).unwrap_or(d));
    shown.insert("date".into(), day.map_or(Value::Null, Value::from));
    shown.insert("created_at".into(), record.doc.body["created"].clone());
    for member in ["type", "comment", "cashbox", "paymentType"] {
        shown.insert(member.into(), fields[member].clone());
    }
    let child_id = fields["category"].as_str().unwrap_or_default();
    let child = by_sd_in(ctx, CATEGORY.key, child_id).await?;
    let parent_id = child
        .as_ref()
        .and_then(|c| c.fields["parent"]["SD_id"].as_str());
    let parent = match parent_id {
        Some(sd) => by_sd_in(ctx, CATEGORY.key, sd).await?,
        None => None,
    };
    shown.insert("category_parent".into(), category(ctx, parent.as_ref()));
    shown.insert("category_child".into(), category(ctx, child.as_ref()));
    Ok(Value::Object(shown))
}

/// A category's identifiers and name (all `null` when there is none).
fn category(ctx: &Ctx, record: Option<&Record>) -> Value {
    match record {
        Some(record) => record.named_ids(ctx),
        None => json!({ "CS_id": null, "SD_id": null, "code_1C": null, "name": null }),
    }
}
