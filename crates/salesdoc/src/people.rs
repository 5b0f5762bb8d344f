//! What agents (9.11 / 10.15) and expeditors (9.12 / 10.16) share: people of the
//! request's filial, each created with a SalesDoc user of its role ("a user is created
//! automatically", ROLE=4 for agents, 10 for expeditors) that the GET lists as `user[]`.
//! The user is numbered with the account's users (the `userId`s of `login`), so ids never
//! clash; it has no password and cannot log in (*Inferred*: the docs say nothing of its
//! password). It is made once, when the person is created, and kept on updates.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::auth::USER_KIND;
use crate::reference::named::{render_members, Flag};
use crate::reference::rules::{d0, Rules};
use crate::reference::upsert::{allocate, identify, save, Refused, StoreRecord, Target};
use crate::reference::{cs_id, Record, RefKind};
use crate::request::Ctx;
use crate::supervisor;

/// A kind of people: how its records are read and shown, and the user made with each.
pub struct People {
    pub kind: RefKind,
    /// The role of the user created with a new person.
    pub role: u8,
    /// That user's login, from the person's number and the moment (the examples'
    /// `tp-3-1700000000` and `exp-5`).
    pub login: fn(i64, DateTime<Utc>) -> String,
    /// Whether an item may name the person's supervisor (agents).
    pub supervised: bool,
}

impl StoreRecord for People {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, &self.kind, &Rules::PLAIN, record).await?;
        let stored = existing.as_ref().map(|r| &r.fields);
        let mut fields = (self.kind.read)(item, stored).map_err(Refused::Item)?;
        if self.supervised {
            let link = supervisor::link(ctx, item, stored).await?;
            fields.insert(supervisor::LINK.into(), link);
        }
        let target = Target::of(ctx, self.kind.key, &Rules::PLAIN, existing.as_ref()).await?;
        let user = match &target {
            Target::Existing(found) => found.fields.get("user").cloned().unwrap_or(Value::Null),
            Target::New { n, .. } => self.new_user(ctx, *n).await?,
        };
        fields.insert("user".into(), user);
        save(ctx, self.kind.key, &ids, target, fields).await
    }
}

impl People {
    /// The user of the person numbered `n`: `{CS_id, SD_id, code_1C: null, login, role}`.
    async fn new_user(&self, ctx: &Ctx, n: i64) -> Result<Value, Refused> {
        let sd_id = d0(allocate(ctx, USER_KIND).await?);
        Ok(json!({
            "CS_id": cs_id(ctx, &sd_id),
            "SD_id": sd_id,
            "code_1C": null,
            "login": (self.login)(n, ctx.now),
            "role": self.role,
        }))
    }
}

/// `user[]` as a GET shows it: the person's user, without its role.
pub fn users(fields: &Map<String, Value>) -> Value {
    let shown: Vec<Value> = fields
        .get("user")
        .and_then(Value::as_object)
        .map(|user| {
            let member = |name: &str| user.get(name).cloned().unwrap_or(Value::Null);
            json!({
                "CS_id": member("CS_id"),
                "SD_id": member("SD_id"),
                "code_1C": member("code_1C"),
                "login": member("login"),
            })
        })
        .into_iter()
        .collect();
    Value::Array(shown)
}

/// `{name, active}`: the `read` of agents and supervisors.
pub use crate::reference::named::read_named;

/// `{name, active: "Y"|"N"}` and the stored `members` as a GET shows them.
pub fn render_person(fields: &Map<String, Value>, members: &[&str]) -> Map<String, Value> {
    render_members(fields, members, Flag::Active)
}
