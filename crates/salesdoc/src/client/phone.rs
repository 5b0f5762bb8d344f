//! `setClientPhone` (10.18): a client's extra phone numbers, at most 2, replacing the
//! stored ones. It only updates: a client no identifier finds fails the record
//! (*Inferred*: the docs say "update"). getClient has no member for them; they are kept
//! with the client.

use serde_json::{Map, Value};

use super::CLIENT;
use crate::reference::rules::Rules;
use crate::reference::upsert::{identify, save, Refused, StoreRecord, Target};
use crate::reference::Record;
use crate::request::Ctx;
use crate::values::text;

/// The group and answer key.
pub const GROUP: &str = "client_phone";
/// The documented maximum.
pub const MAX_PHONES: usize = 2;
/// *Inferred* item text.
const NOT_FOUND: &str = "No record with these identifiers";

/// The stored client with the item's phones.
fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let phones = item
        .get("phone_numbers")
        .and_then(Value::as_array)
        .ok_or_else(|| vec!["phone_numbers is required".to_owned()])?;
    if phones.len() > MAX_PHONES {
        return Err(vec![format!("phone_numbers: at most {MAX_PHONES} numbers")]);
    }
    let phones: Option<Vec<String>> = phones.iter().map(text).collect();
    let phones = phones.ok_or_else(|| vec!["phone_numbers must be strings".to_owned()])?;
    let mut fields = stored.cloned().unwrap_or_default();
    fields.insert("phones".into(), Value::from(phones));
    Ok(fields)
}

/// How setClientPhone stores an item: over the client it names, never a new one.
pub struct Phones;

impl StoreRecord for Phones {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, &CLIENT, &Rules::PLAIN, record).await?;
        let Some(found) = existing else {
            return Err(Refused::Item(vec![NOT_FOUND.into()]));
        };
        let fields = read(item, Some(&found.fields)).map_err(Refused::Item)?;
        save(ctx, CLIENT.key, &ids, Target::Existing(&found), fields).await
    }
}
