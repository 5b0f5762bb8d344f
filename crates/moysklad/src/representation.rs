//! How MoySklad writes things: `meta` objects with absolute hrefs from the public base
//! URL, Moscow-time timestamps `YYYY-MM-DD HH:MM:SS.mmm`, generated `externalCode`s, and
//! incoming hrefs read by their path whatever their host.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::error::{MsError, MsResult};
use crate::BASE_PATH;

/// Moscow time, UTC+3 without daylight saving: the zone of every MoySklad timestamp.
fn msk() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("a valid offset")
}

pub fn format_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&msk())
        .format("%Y-%m-%d %H:%M:%S%.3f")
        .to_string()
}

/// A time kept to the minute, as the vendor keeps `moment` fields (`...:00.000`).
pub fn format_minute(at: DateTime<Utc>) -> String {
    format!("{}:00.000", &format_time(at)[..16])
}

/// `YYYY-MM-DD HH:MM:SS` in Moscow time, as webhook notifications write times.
pub fn format_time_to_seconds(at: DateTime<Utc>) -> String {
    at.with_timezone(&msk())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Reads `YYYY-MM-DD HH:MM[:SS[.mmm]]` in Moscow time.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .and_then(|naive| msk().from_local_datetime(&naive).single())
    .map(|at| at.with_timezone(&Utc))
}

/// A 22-character code over `[0-9A-Za-z_-]`, like the ones the vendor generates.
pub fn external_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let bits = Uuid::new_v4().as_u128();
    (0..22)
        .map(|i| {
            let index = if i == 21 {
                (bits >> 126) & 0b11
            } else {
                (bits >> (i * 6)) & 0x3f
            };
            ALPHABET[index as usize] as char
        })
        .collect()
}

/// Builds absolute hrefs from the public base URL.
#[derive(Debug, Clone)]
pub struct Links {
    /// e.g. `http://127.0.0.1:8080/api/remap/1.2`
    pub root: String,
}

impl Links {
    pub fn new(public_url: &str) -> Self {
        Self {
            root: format!("{public_url}{BASE_PATH}"),
        }
    }

    pub fn entity(&self, keyword: &str, id: &str) -> String {
        format!("{}/entity/{keyword}/{id}", self.root)
    }

    pub fn metadata(&self, keyword: &str) -> String {
        format!("{}/entity/{keyword}/metadata", self.root)
    }

    /// The `meta` of an entity.
    pub fn meta(&self, keyword: &str, id: &str) -> Value {
        json!({
            "href": self.entity(keyword, id),
            "metadataHref": self.metadata(metadata_owner(keyword)),
            "type": keyword,
            "mediaType": "application/json",
        })
    }

    /// A reference: `{"meta": ...}`.
    pub fn reference(&self, keyword: &str, id: &str) -> Value {
        json!({ "meta": self.meta(keyword, id) })
    }

    /// The `meta` of something defined in a type's metadata: an attribute definition
    /// (`attributemetadata`) or a state (`state`). Neither has a `metadataHref`.
    pub fn metadata_item(&self, owner: &str, keyword: &str, id: &str) -> Value {
        let collection = if keyword == STATE {
            "states"
        } else {
            "attributes"
        };
        json!({
            "href": format!("{}/{collection}/{id}", self.metadata(owner)),
            "type": keyword,
            "mediaType": "application/json",
        })
    }

    /// The `meta` of a bank account of an organization or counterparty.
    pub fn account_meta(&self, holder: &str, holder_id: &str, id: &str) -> Value {
        json!({
            "href": format!("{}/{ACCOUNT}s/{id}", self.entity(holder, holder_id)),
            "type": ACCOUNT,
            "mediaType": "application/json",
        })
    }

    /// The `meta` of a collection, as lists and collection references carry it.
    pub fn collection_meta(
        &self,
        href: String,
        keyword: &str,
        size: u64,
        limit: u64,
        offset: u64,
    ) -> Map<String, Value> {
        let mut meta = Map::new();
        meta.insert("href".into(), json!(href));
        meta.insert("type".into(), json!(keyword));
        meta.insert("mediaType".into(), json!("application/json"));
        meta.insert("size".into(), json!(size));
        meta.insert("limit".into(), json!(limit));
        meta.insert("offset".into(), json!(offset));
        meta
    }

    /// The `context` every list carries: the requesting employee.
    pub fn context(&self) -> Value {
        json!({ "employee": { "meta": {
            "href": format!("{}/context/employee", self.root),
            "metadataHref": self.metadata("employee"),
            "type": "employee",
            "mediaType": "application/json",
        }}})
    }
}

/// The keywords of what lives inside a type's metadata.
pub const STATE: &str = "state";
pub const ATTRIBUTE: &str = "attributemetadata";
pub const ACCOUNT: &str = "account";
/// Variant characteristics, stored under this kind; on the wire they are `attributemetadata`
/// under `/entity/variant/metadata/characteristics`.
pub const CHARACTERISTIC: &str = "characteristic";
/// A component of a bundle, under `/entity/bundle/{id}/components`.
pub const BUNDLE_COMPONENT: &str = "bundlecomponent";

/// Whose metadata (and attribute definitions) a type uses: services and bundles use the
/// product's, as the vendor's `metadataHref` of both shows.
pub fn metadata_owner(keyword: &str) -> &str {
    match keyword {
        "service" | "bundle" => "product",
        other => other,
    }
}

/// An entity an incoming href points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub keyword: String,
    pub id: String,
    /// For states and attribute definitions: the type whose metadata holds them; for bank
    /// accounts and bundle components: the type of the entity holding them.
    pub owner: Option<String>,
    /// For bank accounts and bundle components: the id of their holder.
    pub owner_id: Option<String>,
}

/// Hosts accepted in incoming hrefs besides Twin's own: the vendor's, so payloads copied
/// from real responses work unchanged.
const VENDOR_ROOT: &str = "https://api.moysklad.ru/api/remap/1.2";

/// Reads `<root>/entity/<keyword>/<id>` (and the nested hrefs of bank accounts, bundle
/// components, metadata items and price types) from an href given by a client.
pub fn parse_href(links: &Links, href: &str) -> MsResult<Target> {
    let rest = href
        .strip_prefix(links.root.as_str())
        .or_else(|| href.strip_prefix(VENDOR_ROOT))
        .ok_or_else(|| MsError::foreign_host(href))?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    let id_of = |id: &str| Uuid::parse_str(id).is_ok().then(|| id.to_ascii_lowercase());
    match segments.as_slice() {
        ["entity", keyword, id] if id_of(id).is_some() => Ok(Target {
            keyword: keyword.to_ascii_lowercase(),
            id: id.to_ascii_lowercase(),
            owner: None,
            owner_id: None,
        }),
        ["entity", owner, owner_id, "accounts", id]
            if id_of(id).is_some() && id_of(owner_id).is_some() =>
        {
            Ok(Target {
                keyword: ACCOUNT.to_owned(),
                id: id.to_ascii_lowercase(),
                owner: Some(owner.to_ascii_lowercase()),
                owner_id: Some(owner_id.to_ascii_lowercase()),
            })
        }
        ["entity", "bundle", bundle_id, "components", id]
            if id_of(id).is_some() && id_of(bundle_id).is_some() =>
        {
            Ok(Target {
                keyword: BUNDLE_COMPONENT.to_owned(),
                id: id.to_ascii_lowercase(),
                owner: Some("bundle".to_owned()),
                owner_id: Some(bundle_id.to_ascii_lowercase()),
            })
        }
        ["entity", "variant", "metadata", "characteristics", id] if id_of(id).is_some() => {
            Ok(Target {
                keyword: CHARACTERISTIC.to_owned(),
                id: id.to_ascii_lowercase(),
                owner: None,
                owner_id: None,
            })
        }
        ["context", "companysettings", "pricetype", id] if id_of(id).is_some() => Ok(Target {
            keyword: crate::seed::PRICE_TYPE.to_owned(),
            id: id.to_ascii_lowercase(),
            owner: None,
            owner_id: None,
        }),
        ["entity", owner, "metadata", collection @ ("states" | "attributes"), id]
            if id_of(id).is_some() =>
        {
            Ok(Target {
                keyword: if *collection == "states" {
                    STATE
                } else {
                    ATTRIBUTE
                }
                .to_owned(),
                id: id.to_ascii_lowercase(),
                owner: Some(owner.to_ascii_lowercase()),
                owner_id: None,
            })
        }
        _ => Err(MsError::new(
            2013,
            format!("Неверный адрес объекта: {href}"),
        )),
    }
}

/// The target of `{"meta": {"href": ...}}`, checked to be of one of the `allowed` types.
pub fn parse_reference(
    links: &Links,
    value: &Value,
    field: &str,
    allowed: &[&str],
) -> MsResult<Target> {
    let meta = value.get("meta").ok_or_else(|| {
        MsError::new(2014, format!("Не указан объект meta в поле '{field}'")).on(field)
    })?;
    let href = meta
        .get("href")
        .and_then(Value::as_str)
        .ok_or_else(|| MsError::new(2010, format!("Не указан href в поле '{field}'")).on(field))?;
    let target = parse_href(links, href)?;
    let declared = meta
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or(&target.keyword);
    if declared != target.keyword || !allowed.contains(&target.keyword.as_str()) {
        return Err(MsError::new(
            1060,
            format!(
                "Неверный тип '{declared}' в поле '{field}', ожидается '{}'",
                allowed.join("' или '")
            ),
        )
        .on(field));
    }
    Ok(target)
}
