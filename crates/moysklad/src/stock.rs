//! Stock of goods per warehouse over time. No document that moves stock exists yet, so
//! levels are set through Twin's admin API (`PUT /admin/api/accounts/{id}/moysklad/stock`);
//! the assortment, the short stock reports and `webhookstock` read them.
//!
//! One stored record per (good, warehouse) keeps the levels set at each moment. The level
//! at a moment is the latest one set at or before it: a warehouse with nothing set holds
//! nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use twin_core::entities::EntityWrite;
use twin_store::{Document, Filter, ListQuery};

use crate::error::{MsError, MsResult};
use crate::model::Ctx;
use crate::representation::{format_time, parse_time};

/// The store kind of the per-(good, warehouse) records; not an entity clients can reach.
const KIND: &str = "stock";

/// The goods that hold stock; services and bundles have none.
pub const STOCKED: [&str; 3] = ["product", "variant", "consignment"];

/// Levels of one good (at one warehouse, or summed over several).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Levels {
    pub stock: f64,
    pub reserve: f64,
    pub in_transit: f64,
}

impl Levels {
    /// "Доступно": what can still be sold, counting what is on its way.
    pub fn quantity(&self) -> f64 {
        self.stock - self.reserve + self.in_transit
    }

    /// Stock not reserved.
    pub fn free_stock(&self) -> f64 {
        self.stock - self.reserve
    }

    pub fn add(&mut self, other: Levels) {
        self.stock += other.stock;
        self.reserve += other.reserve;
        self.in_transit += other.in_transit;
    }

    fn of(point: &Value) -> Self {
        let number = |name: &str| point.get(name).and_then(Value::as_f64).unwrap_or(0.0);
        Self {
            stock: number("stock"),
            reserve: number("reserve"),
            in_transit: number("inTransit"),
        }
    }
}

/// Which warehouses count: all, only some, or all but some (`stockStore=` / `!=`).
#[derive(Debug, Clone, Default)]
pub enum Stores {
    #[default]
    All,
    Only(BTreeSet<String>),
    Except(BTreeSet<String>),
}

impl Stores {
    pub fn counts(&self, store: &str) -> bool {
        match self {
            Stores::All => true,
            Stores::Only(ids) => ids.contains(store),
            Stores::Except(ids) => !ids.contains(store),
        }
    }
}

/// One stored record, read.
pub struct Record {
    pub assortment: String,
    pub kind: String,
    pub store: String,
    body: Map<String, Value>,
}

impl Record {
    fn of(doc: Document) -> Self {
        let body = doc.body.as_object().cloned().unwrap_or_default();
        let id = |field: &str, key: &str| {
            body.get(field)
                .and_then(|r| r.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        Self {
            assortment: id("assortment", "id"),
            kind: id("assortment", "type"),
            store: id("store", "id"),
            body,
        }
    }

    fn points(&self) -> &[Value] {
        self.body
            .get("points")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The levels in force at `moment`.
    pub fn at(&self, moment: &str) -> Levels {
        self.points()
            .iter()
            .rev()
            .find(|p| p.get("moment").and_then(Value::as_str) <= Some(moment))
            .map(Levels::of)
            .unwrap_or_default()
    }

    /// Whether a level was set at or after `since` (Twin's time of the write).
    pub fn changed_since(&self, since: &str) -> bool {
        self.points()
            .iter()
            .any(|p| p.get("changed").and_then(Value::as_str) >= Some(since))
    }
}

/// Every record of the account, or those of the given goods.
pub async fn records(ctx: &Ctx, goods: Option<&[String]>) -> MsResult<Vec<Record>> {
    let mut query = ListQuery::new(ctx.scope.clone(), KIND);
    if let Some(goods) = goods {
        let ids = goods
            .iter()
            .map(|id| Value::String(id.clone()))
            .collect::<Vec<_>>();
        query.filter = Some(Filter::In {
            path: Filter::path("assortment.id"),
            values: ids,
        });
    }
    let docs = crate::engine::all(ctx, query).await?;
    Ok(docs.into_iter().map(Record::of).collect())
}

/// Levels per good at `moment` over `stores` (goods with no record are absent).
pub fn totals(
    records: &[Record],
    moment: DateTime<Utc>,
    stores: &Stores,
) -> HashMap<String, Levels> {
    let moment = format_time(moment);
    let mut totals: HashMap<String, Levels> = HashMap::new();
    for record in records.iter().filter(|r| stores.counts(&r.store)) {
        totals
            .entry(record.assortment.clone())
            .or_default()
            .add(record.at(&moment));
    }
    totals
}

/// One level to set, as the admin API takes it.
#[derive(Debug, Clone)]
pub struct Setting {
    pub assortment: String,
    pub store: String,
    pub moment: DateTime<Utc>,
    /// Levels left out keep their value at that moment.
    pub stock: Option<f64>,
    pub reserve: Option<f64>,
    pub in_transit: Option<f64>,
}

impl Setting {
    /// Reads `{"assortment", "store", "stock", "reserve", "inTransit", "moment"}`; the
    /// goods and warehouse as ids or hrefs, the moment as MoySklad time (now if absent).
    pub fn parse(input: &Value, now: DateTime<Utc>) -> Result<Self, String> {
        let id = |name: &str| -> Result<String, String> {
            let text = match input.get(name) {
                Some(Value::String(text)) => text.as_str(),
                Some(reference) => reference
                    .pointer("/meta/href")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("`{name}` must be an id, an href or a meta object"))?,
                None => return Err(format!("`{name}` is required")),
            };
            let id = text.rsplit('/').next().unwrap_or_default();
            uuid::Uuid::parse_str(id)
                .map(|_| id.to_owned())
                .map_err(|_| format!("`{name}` does not name an id: {text:?}"))
        };
        let level = |name: &str| -> Result<Option<f64>, String> {
            match input.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value
                    .as_f64()
                    .map(Some)
                    .ok_or_else(|| format!("`{name}` must be a number")),
            }
        };
        let moment = match input.get("moment") {
            None | Some(Value::Null) => now,
            Some(Value::String(text)) => {
                parse_time(text).ok_or_else(|| format!("`moment` is not a time: {text:?}"))?
            }
            Some(_) => return Err("`moment` must be a string".into()),
        };
        Ok(Self {
            assortment: id("assortment")?,
            store: id("store")?,
            moment,
            stock: level("stock")?,
            reserve: level("reserve")?,
            in_transit: level("inTransit")?,
        })
    }
}

/// The stocked goods among `ids`, by id: their kind.
async fn stocked_kinds(ctx: &Ctx, ids: Vec<String>) -> MsResult<BTreeMap<String, String>> {
    let query = ListQuery::new(ctx.scope.clone(), STOCKED[0])
        .with_kinds(&STOCKED[1..])
        .filter(Filter::IdIn(ids));
    Ok(crate::engine::all(ctx, query)
        .await?
        .into_iter()
        .map(|doc| (doc.key.id, doc.key.kind))
        .collect())
}

/// The stored documents of `kind` among `ids`, by id.
async fn found(ctx: &Ctx, kind: &str, ids: Vec<String>) -> MsResult<BTreeMap<String, Document>> {
    let query = ListQuery::new(ctx.scope.clone(), kind).filter(Filter::IdIn(ids));
    Ok(crate::engine::all(ctx, query)
        .await?
        .into_iter()
        .map(|doc| (doc.key.id.clone(), doc))
        .collect())
}

/// A record about to be written: the stored one it replaces (none when new) and its body.
type Pending = (Option<Document>, Map<String, Value>);

/// Sets levels, each at its moment, all or none: the goods, warehouses and records are
/// read in three queries and the records written in one transaction. Returns the levels
/// now in force for each (good, warehouse) set.
pub async fn set(ctx: &Ctx, settings: &[Setting]) -> MsResult<Vec<Value>> {
    let goods = stocked_kinds(ctx, settings.iter().map(|s| s.assortment.clone()).collect()).await?;
    let stores = found(
        ctx,
        "store",
        settings.iter().map(|s| s.store.clone()).collect(),
    )
    .await?;
    let record_ids = settings
        .iter()
        .map(|s| record_id(&s.assortment, &s.store))
        .collect();
    let mut stored = found(ctx, KIND, record_ids).await?;
    let mut records: BTreeMap<(String, String), Pending> = BTreeMap::new();
    for setting in settings {
        let key = (setting.assortment.clone(), setting.store.clone());
        if records.contains_key(&key) {
            continue;
        }
        let kind = goods
            .get(&setting.assortment)
            .ok_or_else(|| MsError::not_found("assortment", &setting.assortment))?;
        if !stores.contains_key(&setting.store) {
            return Err(MsError::not_found("store", &setting.store));
        }
        let record = match stored.remove(&record_id(&key.0, &key.1)) {
            Some(doc) => {
                let body = doc.body.as_object().cloned().unwrap_or_default();
                (Some(doc), body)
            }
            None => (
                None,
                Map::from_iter([
                    ("assortment".into(), json!({"type": kind, "id": key.0})),
                    ("store".into(), json!({"type": "store", "id": key.1})),
                ]),
            ),
        };
        records.insert(key, record);
    }
    let changed = format_time(ctx.now);
    for setting in settings {
        let key = (setting.assortment.clone(), setting.store.clone());
        let (_, body) = records.get_mut(&key).expect("read above");
        set_point(body, setting, &changed);
    }
    let now = format_time(ctx.now);
    // `webhookstock` notifications go with the write, so they exist exactly when the
    // change does.
    let mut deliveries = crate::webhooks::stock::stock_deliveries(ctx, ctx.now).await?;
    let mut puts = Vec::with_capacity(records.len());
    for (key, (before, body)) in records {
        let doc_key = ctx.scope.key(KIND, record_id(&key.0, &key.1));
        let mut write = EntityWrite::new(Document::new(doc_key, Value::Object(body)), ctx.now);
        write.deliveries = std::mem::take(&mut deliveries);
        if let Some(before) = &before {
            write.doc.version = before.version;
        }
        puts.push((write, before));
    }
    let mut answer = Vec::with_capacity(puts.len());
    for stored in ctx.core.entities.put_many(puts).await? {
        let record = Record::of(stored);
        answer.push(line(&record, record.at(&now)));
    }
    Ok(answer)
}

fn record_id(assortment: &str, store: &str) -> String {
    format!("{assortment}.{store}")
}

/// Writes the setting's levels at its moment, keeping points in time order.
fn set_point(body: &mut Map<String, Value>, setting: &Setting, changed: &str) {
    let moment = format_time(setting.moment);
    let points = body
        .entry("points")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("points are an array");
    let before = points
        .iter()
        .rev()
        .find(|p| p.get("moment").and_then(Value::as_str) <= Some(moment.as_str()))
        .map(Levels::of)
        .unwrap_or_default();
    let point = json!({
        "moment": moment,
        "stock": setting.stock.unwrap_or(before.stock),
        "reserve": setting.reserve.unwrap_or(before.reserve),
        "inTransit": setting.in_transit.unwrap_or(before.in_transit),
        "changed": changed,
    });
    points.retain(|p| p.get("moment").and_then(Value::as_str) != Some(moment.as_str()));
    let at = points
        .iter()
        .position(|p| p.get("moment").and_then(Value::as_str) > Some(moment.as_str()))
        .unwrap_or(points.len());
    points.insert(at, point);
}

/// How the admin API shows a (good, warehouse) level.
pub fn line(record: &Record, levels: Levels) -> Value {
    json!({
        "assortment": {"type": record.kind, "id": record.assortment},
        "store": record.store,
        "stock": levels.stock,
        "reserve": levels.reserve,
        "inTransit": levels.in_transit,
        "quantity": levels.quantity(),
    })
}
