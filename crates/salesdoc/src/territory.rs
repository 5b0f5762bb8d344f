//! Territories (`getTerritory` 9.16 / `setTerritory` 10.19), per filial: regions (no SET
//! method: seeded in admin, see `seed`) and their cities (`setTerritory`'s group
//! `city`: `{name, active, lat, lng}`). A city may name its region with `region`
//! (`{CS_id|SD_id|code_1C}`, *Inferred*: the docs show the link only in the GET; an
//! unknown one fails the record). `sort` is 500 unless seeded (*Inferred*). One page
//! runs over the regions, then the cities: `total` counts both (*Inferred*).

use std::collections::HashMap;

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::Listing;
use crate::reference::named::{
    finish, kept, kept_sort, optional_number, read_sorted, render_members, Flag, DEFAULT_SORT,
};
use crate::reference::rules::Rules;
use crate::reference::upsert::{identify, save, Refused, StoreRecord, Target};
use crate::reference::{by_sd_in, nested, Record, RefKind};
use crate::render::ok;
use crate::request::Ctx;

/// Regions: `{name, active, sort}`.
pub const REGION: RefKind = RefKind {
    key: "region",
    read: read_region,
    render: render_region,
};

/// Cities (`city` in requests and answers); clients link one as `territory` and show it
/// as `city`.
pub const CITY: RefKind = RefKind {
    key: "city",
    read: read_city,
    render: render_region,
};

fn read_region(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let fields = read_sorted(item, stored, Value::from(DEFAULT_SORT), &mut errors);
    finish(fields, errors)
}

/// A city's fields; its `region` is kept as `Cities` linked it.
fn read_city(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = read_sorted(item, stored, Value::from(DEFAULT_SORT), &mut errors);
    for member in ["lat", "lng"] {
        let value = optional_number(item, stored, member, &mut errors);
        fields.insert(member.into(), value);
    }
    fields.insert("region".into(), kept(stored, "region"));
    finish(fields, errors)
}

fn render_region(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_members(fields, &[], Flag::Active);
    shown.insert("sort".into(), kept_sort(Some(fields)));
    shown
}

/// How `setTerritory` (10.19) stores a city of `data.city`: its region found first.
pub struct Cities;

impl StoreRecord for Cities {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, &CITY, &Rules::PLAIN, record).await?;
        let region = match nested(ctx, REGION.key, item, "region").await? {
            None => None,
            Some(Ok(found)) => Some(found.sd_id),
            Some(Err(error)) => return Err(Refused::Item(vec![error])),
        };
        let stored = existing.as_ref().map(|r| &r.fields);
        let mut fields = read_city(item, stored).map_err(Refused::Item)?;
        if let Some(region) = region {
            fields.insert("region".into(), Value::from(region));
        }
        let target = Target::of(ctx, CITY.key, &Rules::PLAIN, existing.as_ref()).await?;
        save(ctx, CITY.key, &ids, target, fields).await
    }
}

/// `getTerritory` (9.16): `result {region: [...], city: [...]}`, a city with its region
/// (`{CS_id, SD_id, code_1C}`, `null` when it has none).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let offset = (listing.page - 1).saturating_mul(u64::from(listing.limit));
    let (regions, region_total) = listing
        .fetch_range(ctx, REGION.key, Vec::new(), offset, listing.limit)
        .await?;
    let city_offset = offset.saturating_sub(region_total);
    let room = listing.limit.saturating_sub(regions.len() as u32);
    let (cities, city_total) = listing
        .fetch_range(ctx, CITY.key, Vec::new(), city_offset, room.max(1))
        .await?;
    let cities = if room == 0 { Vec::new() } else { cities };
    let mut region_ids = HashMap::new();
    let mut shown_cities = Vec::new();
    for city in &cities {
        let mut shown = city.render(ctx, &CITY);
        let region = match city.fields.get("region").and_then(Value::as_str) {
            None => Value::Null,
            Some(sd) => {
                if !region_ids.contains_key(sd) {
                    let found = by_sd_in(ctx, REGION.key, sd).await?;
                    let ids = found.map_or(Value::Null, |r| Value::Object(r.ids(ctx)));
                    region_ids.insert(sd.to_owned(), ids);
                }
                region_ids[sd].clone()
            }
        };
        shown["region"] = region;
        shown_cities.push(shown);
    }
    let shown_regions: Vec<Value> = regions.iter().map(|r| r.render(ctx, &REGION)).collect();
    Ok(ok(json!({
        "status": true,
        "result": { "region": shown_regions, "city": shown_cities },
        "pagination": { "limit": listing.limit, "total": region_total + city_total, "page": listing.page },
    })))
}
