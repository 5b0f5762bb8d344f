//! `setClientPhone` (10.18): a client's extra phone numbers, at most 2, replacing the
//! stored ones. It only updates: a client no identifier finds fails the record
//! (*Inferred*: the docs say "update"). getClient has no member for them; they are kept
//! with the client.

use axum::response::Response;
use serde_json::{Map, Value};

use super::CLIENT;
use crate::batch::{group, Outcome};
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::upsert::{self, Create};
use crate::request::Ctx;
use crate::values::text;

/// The group and answer key.
pub const GROUP: &str = "client_phone";
/// The documented maximum.
pub const MAX_PHONES: usize = 2;

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

pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let records = group(&envelope.data, GROUP)?;
    let mut outcome = Outcome::default();
    for (index, record) in records.iter().enumerate() {
        let stored = upsert::store(ctx, &CLIENT, record, Create::No, read).await;
        upsert::settle(ctx, &mut outcome, index, record, stored)?;
    }
    Ok(outcome.answer(GROUP))
}
