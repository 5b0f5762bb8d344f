//! Expeditors, who deliver orders (`getExpeditor` 9.12 / `setExpeditor` 10.16), in the
//! request's filial: `{name, active, address, tel, email, date_birth}` and the user
//! created with each (ROLE=10, login `exp-<expeditor number>`, see `people`). The GET
//! shows `name, tel, address, active, user[]` as documented; `email` and `date_birth`
//! are kept but not shown (the docs list them for SET only).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::people::{render_person, users, People};
use crate::reference::named::{self, Flag};
use crate::reference::RefKind;

pub const EXPEDITOR: People = People {
    kind: RefKind {
        key: "expeditor",
        read,
        render,
    },
    role: 10,
    login,
    supervised: false,
};

/// *Inferred* item text.
const BAD_BIRTH_DATE: &str = "date_birth must be a date YYYY-MM-DD";

fn login(n: i64, _now: DateTime<Utc>) -> String {
    format!("exp-{n}")
}

/// The item's fields over the stored ones: `name` required, the texts optional (`null`
/// or `""` clear them), `date_birth` a date (*Inferred* check).
fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let texts = ["address", "tel", "email", "date_birth"];
    let fields = named::read_fields(item, stored, &texts, Flag::Active, &mut errors);
    if let Some(birth) = fields["date_birth"].as_str() {
        if NaiveDate::parse_from_str(birth, "%Y-%m-%d").is_err() {
            errors.push(BAD_BIRTH_DATE.into());
        }
    }
    named::finish(fields, errors)
}

/// `{name, tel, address, active, user[]}` as getExpeditor shows them.
fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_person(fields, &["tel", "address"]);
    shown.insert("user".into(), users(fields));
    shown
}
