//! References from a record to records of other kinds (a product's `unit`, a price
//! type's `paymentType`, ...): a SET item names them by `{CS_id | SD_id | code_1C}`,
//! found in that order as the record itself is (07 "Record identification"). A found
//! record is kept as its `{CS_id, SD_id, code_1C}` at the time of linking and shown so in
//! GET answers. The linked kind is named by its key only, so kinds built in different
//! modules meet by name. A kind's links are data in its [`Rules`], resolved by
//! [`super::upsert::Ruled`] before the kind reads the item; kinds with their own storer
//! follow one link with [`nested`]. The texts of a failed link are *Inferred*.

use serde_json::{Map, Value};
use twin_store::Filter;

use super::rules::Rules;
use super::upsert::{Refused, Ruled};
use super::{find_in, first_where, Ids, Record, RefKind};
use crate::error::SdResult;
use crate::request::Ctx;
use crate::values::text;

/// Where the linked kind's records live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// In the request's filial, as the linking record.
    Filial,
    /// Without filial (the kinds 01-general §3 lists: units, currencies, products,
    /// product categories, client categories), whatever filial the request names.
    HeadOffice,
}

impl Home {
    /// Where to look: the request itself, or `head_office` (the same request without
    /// its filial, [`Ctx::head_office`]) for the kinds without filial.
    pub fn place<'a>(self, ctx: &'a Ctx, head_office: &'a Ctx) -> &'a Ctx {
        match self {
            Home::Filial => ctx,
            Home::HeadOffice => head_office,
        }
    }
}

/// What a link that finds nothing does.
#[derive(Clone, Copy)]
pub enum Missing {
    /// The item fails with `<member> not found` (*Inferred* text).
    Refuse,
    /// A record of the kind is created from the link's identifiers and `name`; a link
    /// without `name` goes to the kind's record named `other` (found by that name,
    /// created when absent): setProduct's `category` (10.6).
    Create {
        kind: &'static RefKind,
        other: &'static str,
    },
}

/// One member of an item that names a record of another kind.
#[derive(Clone, Copy)]
pub struct Link {
    pub member: &'static str,
    /// The linked kind's key.
    pub key: &'static str,
    pub home: Home,
    /// Required in every item (a missing one fails the item); an optional link absent
    /// from an item keeps the stored one, and `null` clears it.
    pub required: bool,
    pub missing: Missing,
}

/// *Inferred* item texts.
fn not_found(member: &str) -> String {
    format!("{member} not found")
}

fn required(member: &str) -> String {
    format!("{member} is required")
}

fn not_object(member: &str) -> String {
    format!("{member} must be an object with CS_id, SD_id or code_1C")
}

/// The item with each of the kind's links replaced by the linked record's `{CS_id,
/// SD_id, code_1C}` (or `null`, cleared); the item's errors when a link fails.
pub async fn resolve(
    ctx: &Ctx,
    links: &[Link],
    item: &Map<String, Value>,
) -> Result<Map<String, Value>, Refused> {
    let mut resolved = item.clone();
    let mut errors = Vec::new();
    for link in links {
        match item.get(link.member) {
            None | Some(Value::Null) if link.required => errors.push(required(link.member)),
            None => {}
            Some(Value::Null) => {
                resolved.insert(link.member.into(), Value::Null);
            }
            Some(given) => match follow(ctx, link, given).await? {
                Ok((_, ids)) => {
                    resolved.insert(link.member.into(), Value::Object(ids));
                }
                Err(error) => errors.push(error),
            },
        }
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(Refused::Item(errors))
    }
}

/// A nested reference of a SET item (`"agent": {"code_1C": "..."}`) to a record of the
/// kind stored as `key` in the request's filial: the record, or the item's error; never
/// created. `None` when the member is absent or `null`.
pub async fn nested(
    ctx: &Ctx,
    key: &'static str,
    item: &Map<String, Value>,
    member: &'static str,
) -> SdResult<Option<Result<Record, String>>> {
    let link = Link {
        member,
        key,
        home: Home::Filial,
        required: false,
        missing: Missing::Refuse,
    };
    lookup(ctx, &link, item).await
}

/// The record the item's `link.member` names where the linked kind lives (created as
/// the link says), or the item's error; `None` when the member is absent or `null`.
/// For storers that keep more than the linked identifiers (clients keep the `SD_id`).
pub async fn lookup(
    ctx: &Ctx,
    link: &Link,
    item: &Map<String, Value>,
) -> SdResult<Option<Result<Record, String>>> {
    let Some(given) = item.get(link.member).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    match follow(ctx, link, given).await {
        Ok(found) => Ok(Some(found.map(|(record, _)| record))),
        Err(Refused::Request(error)) => Err(error),
        Err(Refused::Item(errors)) => Ok(Some(Err(errors.join("; ")))),
    }
}

/// The record a link's value names, found or (for `Missing::Create`) made, and its
/// identifiers where it lives (the head office for its kinds); the item's error when it
/// names none.
async fn follow(
    ctx: &Ctx,
    link: &Link,
    given: &Value,
) -> Result<Result<(Record, Map<String, Value>), String>, Refused> {
    let head_office = ctx.head_office();
    let place = link.home.place(ctx, &head_office);
    let Some(named) = given.as_object() else {
        return Ok(Err(not_object(link.member)));
    };
    let ids = Ids::of(named);
    if !ids.is_empty() {
        if let Some(found) = find_in(place, link.key, &ids).await? {
            let shown = found.ids(place);
            return Ok(Ok((found, shown)));
        }
    }
    let Missing::Create { kind, other } = link.missing else {
        let error = if ids.is_empty() {
            not_object(link.member)
        } else {
            not_found(link.member)
        };
        return Ok(Err(error));
    };
    let created = Ruled {
        kind,
        rules: &Rules {
            unnamed: true,
            ..Rules::PLAIN
        },
    };
    let made = if named.get("name").and_then(text).is_some() {
        created.write(place, named, &ids, None).await?
    } else {
        let named_other = vec![Filter::eq("fields.name", other)];
        match first_where(place, kind.key, named_other).await? {
            Some(found) => found,
            None => {
                let item = Map::from_iter([("name".to_owned(), Value::from(other))]);
                created.write(place, &item, &Ids::default(), None).await?
            }
        }
    };
    let shown = made.ids(place);
    Ok(Ok((made, shown)))
}

/// A link member of a resolved item over the stored fields: as given (`null` clears),
/// else as stored, else none.
pub fn field(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
) -> Value {
    match item.get(member) {
        Some(given) => given.clone(),
        None => super::named::kept(stored, member),
    }
}

/// A link as GET answers show it: the linked identifiers, or all three `null` when the
/// record links none (*Inferred*: the docs show every link as an object).
pub fn show(fields: &Map<String, Value>, member: &str) -> Value {
    shown(fields.get(member))
}

/// [`show`] for a link already taken out of its record (`None` when it has none).
pub fn shown(stored: Option<&Value>) -> Value {
    match stored {
        Some(Value::Object(ids)) => Value::Object(ids.clone()),
        _ => Value::Object(crate::batch::ids(None, None, None)),
    }
}
