//! Small nested records the bodies share (a client, a supplier, an agent's details): flat
//! objects of optional fields, answered with every field present (`null` when not given).
//! Also the check that ids a body names exist in the account.

use serde_json::{Map, Value};

use crate::error::{texts, KassaResult};
use crate::fields::Fields;
use crate::references;
use crate::request::{Ctx, Problems};

/// How one field of a record is read.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A string of at most this many characters.
    Text(usize),
    Inn,
    Email,
    Uuid,
}

/// Reads the record's fields (all optional) into an object holding each of them.
pub fn record(fields: &Fields<'_>, problems: &mut Problems, spec: &[(&str, Kind)]) -> Value {
    let mut record = Map::new();
    for (name, kind) in spec {
        let value = match kind {
            Kind::Text(max) => fields.text(problems, name, false, *max),
            Kind::Inn => fields.inn(problems, name, false),
            Kind::Uuid => fields.uuid(problems, name, false),
            Kind::Email => fields.text(problems, name, false, 255).filter(|email| {
                let valid = twin_http::is_email(email);
                if !valid {
                    problems.add(&fields.path(name), texts::EMAIL);
                }
                valid
            }),
        };
        record.insert((*name).to_owned(), value.map_or(Value::Null, Value::String));
    }
    Value::Object(record)
}

/// Ids a body names, to look up once the body itself is valid.
#[derive(Default)]
pub struct References(Vec<Reference>);

struct Reference {
    path: String,
    kind: &'static str,
    id: String,
    active: bool,
}

impl References {
    /// `id` (at `path`) must name a stored `kind`; with `active`, one whose status is ACTIVE.
    pub fn expect(&mut self, path: String, kind: &'static str, id: &str, active: bool) {
        self.0.push(Reference {
            path,
            kind,
            id: id.to_owned(),
            active,
        });
    }

    /// Adds a problem for each id that names nothing usable.
    pub async fn check(self, ctx: &Ctx, problems: &mut Problems) -> KassaResult<()> {
        for reference in self.0 {
            let found = references::find(ctx, reference.kind, &reference.id).await?;
            let usable = found.is_some_and(|body| !reference.active || body["status"] == "ACTIVE");
            if !usable {
                problems.add(&reference.path, texts::NOT_FOUND);
            }
        }
        Ok(())
    }
}
