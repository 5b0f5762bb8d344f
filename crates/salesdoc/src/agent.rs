//! Agents, the sales representatives (`getAgent` 9.11 / `setAgent` 10.15), in the
//! request's filial: `{name, active}` and the user created with each (ROLE=4, login
//! `tp-<agent number>-<unix time>`, see `people`). An item may also name the agent's
//! supervisor (see `supervisor`: Twin's way to make supervisors, *Inferred*).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::people::{read_named, render_person, users, People};
use crate::reference::RefKind;

pub const AGENT: People = People {
    kind: RefKind {
        key: "agent",
        read: read_named,
        render,
    },
    role: 4,
    login,
    supervised: true,
};

fn login(n: i64, now: DateTime<Utc>) -> String {
    format!("tp-{n}-{}", now.timestamp())
}

/// `{name, active, user[]}` as getAgent shows them.
fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_person(fields, &[]);
    shown.insert("user".into(), users(fields));
    shown
}
