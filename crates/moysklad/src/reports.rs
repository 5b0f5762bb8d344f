//! The short stock reports `GET /report/stock/all/current` and
//! `GET /report/stock/bystore/current`: current levels as bare `[{assortmentId, ...}]`
//! arrays, the form `webhookstock` notifications point receivers at (`reportUrl`).
//!
//! Where the documentation is silent: `include=zeroLines` adds the goods (or goods at a
//! warehouse) whose level was set and is now zero; goods never given a level are not
//! listed. `changedSince` keeps the goods whose levels were set at or after that time,
//! zero lines included.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::error::{MsError, MsResult};
use crate::model::Ctx;
use crate::params::query_pairs;
use crate::representation::{format_time, parse_time};
use crate::stock::{self, Levels, Stores};

/// Which level a report shows; the row's key is named after it.
#[derive(Debug, Clone, Copy)]
enum StockType {
    Stock,
    FreeStock,
    Quantity,
    Reserve,
    InTransit,
}

impl StockType {
    fn parse(text: &str) -> MsResult<Self> {
        Ok(match text {
            "stock" => Self::Stock,
            "freeStock" => Self::FreeStock,
            "quantity" => Self::Quantity,
            "reserve" => Self::Reserve,
            "inTransit" => Self::InTransit,
            _ => {
                return Err(MsError::bad_params(&format!(
                    "недопустимое значение stockType '{text}'"
                )))
            }
        })
    }

    fn key(self) -> &'static str {
        match self {
            Self::Stock => "stock",
            Self::FreeStock => "freeStock",
            Self::Quantity => "quantity",
            Self::Reserve => "reserve",
            Self::InTransit => "inTransit",
        }
    }

    fn of(self, levels: Levels) -> f64 {
        match self {
            Self::Stock => levels.stock,
            Self::FreeStock => levels.free_stock(),
            Self::Quantity => levels.quantity(),
            Self::Reserve => levels.reserve,
            Self::InTransit => levels.in_transit,
        }
    }
}

struct ReportParams {
    stock_type: StockType,
    zero_lines: bool,
    changed_since: Option<String>,
    goods: Option<BTreeSet<String>>,
    stores: Stores,
}

fn params(query: Option<&str>) -> MsResult<ReportParams> {
    let mut params = ReportParams {
        stock_type: StockType::Stock,
        zero_lines: false,
        changed_since: None,
        goods: None,
        stores: Stores::All,
    };
    for (name, value) in query_pairs(query) {
        match name.as_str() {
            "stockType" => params.stock_type = StockType::parse(&value)?,
            "include" => params.zero_lines = value.split(',').any(|v| v == "zeroLines"),
            "changedSince" => {
                let at = parse_time(&value)
                    .ok_or_else(|| MsError::new(1035, format!("Неверный формат даты '{value}'")))?;
                params.changed_since = Some(format_time(at));
            }
            "filter" => {
                for condition in value.split(';').filter(|c| !c.is_empty()) {
                    let (field, values) = condition.split_once('=').ok_or_else(|| {
                        MsError::filter(&format!("неверное условие '{condition}'"))
                    })?;
                    let ids: BTreeSet<String> = values
                        .split(',')
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .collect();
                    match field {
                        "assortmentId" => params.goods = Some(ids),
                        "storeId" => params.stores = Stores::Only(ids),
                        _ => {
                            return Err(MsError::filter(&format!(
                                "поле '{field}' не поддерживает фильтрацию"
                            )))
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(params)
}

/// `by_store`: one row per (good, warehouse), else one per good summed over warehouses.
pub async fn current(ctx: &Ctx, query: Option<&str>, by_store: bool) -> MsResult<Value> {
    let params = params(query)?;
    let now = format_time(ctx.now);
    let wanted = params
        .goods
        .as_ref()
        .map(|g| g.iter().cloned().collect::<Vec<_>>());
    let records = stock::records(ctx, wanted.as_deref()).await?;
    let mut rows: BTreeMap<(String, String), (Levels, bool)> = BTreeMap::new();
    for record in records.iter().filter(|r| params.stores.counts(&r.store)) {
        let changed = params
            .changed_since
            .as_deref()
            .is_none_or(|since| record.changed_since(since));
        let store = if by_store {
            record.store.clone()
        } else {
            String::new()
        };
        let row = rows
            .entry((record.assortment.clone(), store))
            .or_insert((Levels::default(), false));
        row.0.add(record.at(&now));
        row.1 |= changed;
    }
    let zero_lines = params.zero_lines || params.changed_since.is_some();
    let lines = rows
        .into_iter()
        .filter(|(_, (_, changed))| *changed)
        .filter_map(|((good, store), (levels, _))| {
            let value = params.stock_type.of(levels);
            if value == 0.0 && !zero_lines {
                return None;
            }
            let mut line = json!({ "assortmentId": good });
            if by_store {
                line["storeId"] = json!(store);
            }
            line[params.stock_type.key()] = json!(value);
            Some(line)
        })
        .collect();
    Ok(Value::Array(lines))
}
