//! Cost groups and cost items: the account's reference data of costs (`crate::reference`,
//! seeded on first read with the vendor's usual groups and items, *Inferred* codes and
//! names). A cost names its item; the item's group files it, `appliesToOrders` lets it
//! name an order, `appliesToUsers` a user, and its `source` gives the default tags of the
//! costs of customer attraction.

use axum::response::Response;
use serde_json::{json, Value};

use crate::customers::fields::object;
use crate::error::{texts, RetailResult};
use crate::reference::{self, Reference};
use crate::reference_edit::{self, flags, integer, text};
use crate::request::{Ctx, RetailRequest};

pub const COST_GROUPS: Reference = Reference {
    kind: "ref_cost_group",
    member: "costGroups",
    as_list: true,
    key: "code",
    defaults: groups,
};
pub const COST_ITEMS: Reference = Reference {
    kind: "ref_cost_item",
    member: "costItems",
    as_list: true,
    key: "code",
    defaults: items,
};

/// The group of customer attraction, whose items (and costs) carry `source` tags.
pub const ATTRACTION: &str = "customer-attraction";

/// The fields of a `source`.
pub const SOURCE_FIELDS: [&str; 5] = ["source", "medium", "campaign", "keyword", "content"];

/// The item types (*Inferred*: the seed's list of them is cut off; the vendor's clients
/// send `const`).
const TYPES: [&str; 2] = ["const", "var"];

fn groups() -> Vec<Value> {
    [
        (ATTRACTION, "Привлечение клиентов", "#19976e"),
        ("order-costs", "Расходы по заказам", "#da5c98"),
        ("fixed-costs", "Постоянные расходы", "#5c8dda"),
        ("taxes", "Налоги", "#dab25c"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name, color))| {
        json!({ "code": code, "name": name, "ordering": (i + 1) * 10, "active": true, "color": color })
    })
    .collect()
}

fn items() -> Vec<Value> {
    [
        ("advertising", "Реклама", ATTRACTION, "var", false, false),
        ("delivery", "Доставка", "order-costs", "var", true, false),
        ("packing", "Упаковка", "order-costs", "var", true, false),
        ("rent", "Аренда", "fixed-costs", "const", false, false),
        ("salary", "Зарплата", "fixed-costs", "const", false, true),
        ("tax", "Налоги", "taxes", "const", false, false),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name, group, kind, orders, users))| {
        json!({
            "code": code, "name": name, "group": group, "type": kind,
            "ordering": (i + 1) * 10, "active": true,
            "appliesToOrders": orders, "appliesToUsers": users,
        })
    })
    .collect()
}

/// The cost item with this code, if the account has it.
pub async fn item(ctx: &Ctx, code: &str) -> RetailResult<Option<Value>> {
    Ok(reference::find(ctx, COST_ITEMS, code)
        .await?
        .map(|d| d.body))
}

/// The codes of the items of these groups.
pub async fn items_of(ctx: &Ctx, groups: &[&str]) -> RetailResult<Vec<String>> {
    Ok(reference::load(ctx, COST_ITEMS)
        .await?
        .iter()
        .filter(|item| groups.iter().any(|g| item["group"] == *g))
        .filter_map(|item| item["code"].as_str().map(str::to_owned))
        .collect())
}

/// `POST /api/v5/reference/cost-groups/{code}/edit` (the Python client's companion):
/// `costGroup=<json>` `{name, ordering, active, color (#rrggbb)}`; a new group needs
/// `name` (`active` true unless given, *Inferred*).
pub async fn edit_group(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut edit = reference_edit::start(ctx, request, COST_GROUPS, "costGroup").await?;
    text(&mut edit, "name");
    integer(&mut edit, "ordering");
    flags(&mut edit, &["active"]);
    if let Some(color) = edit.doc.get("color").filter(|v| !v.is_null()) {
        let valid = color.as_str().filter(|c| {
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|d| d.is_ascii_hexdigit())
        });
        match valid {
            Some(c) => {
                edit.entry.insert("color".into(), json!(c.to_lowercase()));
            }
            None => {
                edit.problems
                    .insert("color".into(), "This value is not a valid color.".into());
            }
        }
    }
    if edit.is_new() {
        edit.entry.entry("active").or_insert(json!(true));
    }
    reference_edit::finish(ctx, COST_GROUPS, edit, &["name"]).await
}

/// `POST /api/v5/reference/cost-items/{code}/edit`: `costItem=<json>` `{name, group (a
/// group of the account), type (const|var), ordering, active, appliesToOrders,
/// appliesToUsers, source {source, medium, campaign, keyword, content}}`. A new item needs
/// `name` and `group` (`type` const, `active` true, the flags false unless given,
/// *Inferred*). `source` is only for items of the customer attraction group (the seed's
/// note); elsewhere it is a problem (*Inferred* text).
pub async fn edit_item(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut edit = reference_edit::start(ctx, request, COST_ITEMS, "costItem").await?;
    text(&mut edit, "name");
    integer(&mut edit, "ordering");
    flags(&mut edit, &["active", "appliesToOrders", "appliesToUsers"]);
    if let Some(group) = edit.doc.get("group").filter(|v| !v.is_null()) {
        // Any group of the account, active or not (*Inferred*).
        let known = reference::load(ctx, COST_GROUPS).await?;
        match group
            .as_str()
            .filter(|g| known.iter().any(|k| k["code"] == *g))
        {
            Some(g) => {
                edit.entry.insert("group".into(), json!(g));
            }
            None => {
                edit.problems.insert("group".into(), texts::CHOICE.into());
            }
        }
    }
    if let Some(kind) = edit.doc.get("type").filter(|v| !v.is_null()) {
        match kind.as_str().filter(|k| TYPES.contains(k)) {
            Some(k) => {
                edit.entry.insert("type".into(), json!(k));
            }
            None => {
                edit.problems.insert("type".into(), texts::CHOICE.into());
            }
        }
    }
    if edit.is_new() {
        for (field, value) in [
            ("type", json!("const")),
            ("active", json!(true)),
            ("appliesToOrders", json!(false)),
            ("appliesToUsers", json!(false)),
        ] {
            edit.entry.entry(field).or_insert(value);
        }
    }
    if let Some(source) = edit.doc.get("source").filter(|v| !v.is_null()).cloned() {
        if edit.entry.get("group").is_some_and(|g| g != ATTRACTION) {
            edit.problems.insert(
                "source".into(),
                "Source tags are only for items of the customer attraction group.".into(),
            );
        } else if let Some(read) = object(&mut edit.problems, "source", &source, &SOURCE_FIELDS) {
            edit.entry.insert("source".into(), read);
        }
    }
    reference_edit::finish(ctx, COST_ITEMS, edit, &["name", "group"]).await
}
