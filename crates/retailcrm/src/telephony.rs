//! `telephony/manager`: whom a telephony module routes an incoming call to. The caller is
//! the customer one of whose phones is the number; the responsible manager is that
//! customer's `managerId`, named when they are online and free (or always with
//! `ignoreStatus=1`).

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery, PageRequest, TextMode};

use crate::customers::fields::boolean;
use crate::customers::CUSTOMER;
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::users;

pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether two numbers are one phone: equal digits, or equal last ten digits when both
/// have ten or more (`+7 999 ...` and `8 999 ...`; *Inferred*: the vendor's matching
/// depends on the account's phone settings).
fn same_phone(a: &str, b: &str) -> bool {
    let tail = |d: &str| d[d.len().saturating_sub(10)..].to_owned();
    a == b || (a.len() >= 10 && b.len() >= 10 && tail(a) == tail(b))
}

/// A flag parameter: `1`/`0`/`true`/`false` (the Python client sends `True`/`False`).
fn flag(request: &RetailRequest<'_>, name: &str, problems: &mut BTreeMap<String, String>) -> bool {
    let Some(text) = request.text(name) else {
        return false;
    };
    boolean(&Value::String(text.to_lowercase())).unwrap_or_else(|| {
        problems.insert(name.to_owned(), texts::BOOLEAN.to_owned());
        false
    })
}

/// The first customer (in id order) with this phone (`wanted`: its digits), of `site`
/// when given, else of any site the key reaches.
pub async fn customer_by_phone(
    ctx: &Ctx,
    wanted: &str,
    site: Option<&str>,
) -> RetailResult<Option<Value>> {
    let tail = &wanted[wanted.len().saturating_sub(10)..];
    let query = ListQuery::new(ctx.scope.clone(), CUSTOMER)
        .filter(Filter::text("_search", TextMode::Contains, tail, false))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page.items.into_iter().map(|doc| doc.body).find(|body| {
        let of = body["site"].as_str().unwrap_or_default();
        ctx.may_reach(of)
            && site.is_none_or(|site| site == of)
            && body["phones"].as_array().into_iter().flatten().any(|p| {
                p["number"]
                    .as_str()
                    .is_some_and(|n| same_phone(&digits(n), wanted))
            })
    }))
}

/// `GET /api/v5/telephony/manager`: `phone` (required), `details`, `ignoreStatus`. The
/// answer has `manager` when there is a responsible one to name and, with `details=1`,
/// `customer` and `links` (paths in the CRM, *Inferred*: Twin has no interface to link
/// to; `lastOrderLink` is absent until orders are built).
pub async fn manager(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut problems = BTreeMap::new();
    let phone = request.text("phone").map(digits).unwrap_or_default();
    if phone.is_empty() {
        problems.insert("phone".to_owned(), texts::BLANK.to_owned());
    }
    let details = flag(request, "details", &mut problems);
    let ignore_status = flag(request, "ignoreStatus", &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let customer = customer_by_phone(ctx, &phone, None).await?;
    let mut answer = Map::new();
    let responsible = customer
        .as_ref()
        .and_then(|c| c["managerId"].as_i64())
        .filter(|id| ignore_status || users::available(*id))
        .and_then(users::by_id);
    if let Some(user) = responsible {
        let mut manager = Map::new();
        for field in ["id", "firstName", "lastName", "patronymic", "email"] {
            manager.insert(field.to_owned(), user[field].clone());
        }
        answer.insert("manager".into(), Value::Object(manager));
    }
    if details {
        let links = match &customer {
            Some(found) => {
                let mut shown = Map::new();
                for field in [
                    "id",
                    "externalId",
                    "firstName",
                    "lastName",
                    "patronymic",
                    "email",
                    "phones",
                ] {
                    if !found[field].is_null() {
                        shown.insert(field.to_owned(), found[field].clone());
                    }
                }
                answer.insert("customer".into(), Value::Object(shown));
                json!({ "customerLink": format!("/customers/{}", found["id"]) })
            }
            None => json!({
                "newCustomerLink": format!("/customers/add?phone={phone}"),
                "newOrderLink": format!("/orders/add?phone={phone}"),
            }),
        };
        answer.insert("links".into(), links);
    }
    Ok(ok(success(Value::Object(answer))))
}
