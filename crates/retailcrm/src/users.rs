//! The CRM's users (managers) and their groups: reference data every account has, the
//! same few people in each (*Inferred*: a real account has the users its owner invited;
//! Twin seeds these so that `managerId`, the user filters and `telephony/manager` have
//! someone to name). Ids are fixed, so tests and integrations can rely on them.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};

use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// The seed's user statuses.
const STATUSES: [&str; 4] = ["free", "busy", "dinner", "break"];

/// `(code, name, isManager, isDeliveryMen)` of each group; ids from 1 in this order.
const GROUPS: [(&str, &str, bool, bool); 3] = [
    ("director", "Руководители", false, false),
    ("manager", "Менеджеры", true, false),
    ("courier", "Курьеры", false, true),
];

/// One seeded user.
struct User {
    id: i64,
    first: &'static str,
    last: &'static str,
    patronymic: &'static str,
    email: &'static str,
    phone: &'static str,
    group: usize,
    online: bool,
    status: &'static str,
    admin: bool,
}

const USERS: [User; 5] = [
    User {
        id: 1,
        first: "Иван",
        last: "Петров",
        patronymic: "Сергеевич",
        email: "ivan.petrov@example.ru",
        phone: "+79990000001",
        group: 0,
        online: true,
        status: "free",
        admin: true,
    },
    User {
        id: 2,
        first: "Анна",
        last: "Смирнова",
        patronymic: "Олеговна",
        email: "anna.smirnova@example.ru",
        phone: "+79990000002",
        group: 1,
        online: true,
        status: "free",
        admin: false,
    },
    User {
        id: 3,
        first: "Сергей",
        last: "Кузнецов",
        patronymic: "Павлович",
        email: "sergey.kuznetsov@example.ru",
        phone: "+79990000003",
        group: 1,
        online: true,
        status: "busy",
        admin: false,
    },
    User {
        id: 4,
        first: "Ольга",
        last: "Иванова",
        patronymic: "Николаевна",
        email: "olga.ivanova@example.ru",
        phone: "+79990000004",
        group: 1,
        online: false,
        status: "free",
        admin: false,
    },
    User {
        id: 5,
        first: "Дмитрий",
        last: "Соколов",
        patronymic: "Андреевич",
        email: "dmitry.sokolov@example.ru",
        phone: "+79990000005",
        group: 2,
        online: true,
        status: "dinner",
        admin: false,
    },
];

/// When the seeded users and groups were created (*Inferred*).
const CREATED_AT: &str = "2024-01-10 09:00:00";

fn group(index: usize) -> Value {
    let (code, name, is_manager, is_delivery) = GROUPS[index];
    json!({
        "id": index + 1,
        "name": name,
        "code": code,
        "signatureTemplate": format!("<p>{name}</p>"),
        "isManager": is_manager,
        "isDeliveryMen": is_delivery,
        "deliveryTypes": [],
        "breakdownOrderTypes": [],
        "breakdownSites": [],
        "breakdownOrderMethods": [],
        "grantedOrderTypes": [],
        "grantedSites": [],
    })
}

fn user(user: &User) -> Value {
    let (code, name, is_manager, _) = GROUPS[user.group];
    json!({
        "id": user.id,
        "createdAt": CREATED_AT,
        "active": true,
        "email": user.email,
        "firstName": user.first,
        "lastName": user.last,
        "patronymic": user.patronymic,
        "phone": user.phone,
        "status": user.status,
        "online": user.online,
        "isAdmin": user.admin,
        "isManager": is_manager,
        "groups": [{ "id": user.group + 1, "name": name, "code": code }],
    })
}

/// A user as the API shows it, by id.
pub fn by_id(id: i64) -> Option<Value> {
    USERS.iter().find(|u| u.id == id).map(user)
}

/// Whether a group has this id (a task's performer may be a group).
pub fn is_group(id: i64) -> bool {
    usize::try_from(id).is_ok_and(|id| (1..=GROUPS.len()).contains(&id))
}

/// The ids of the users of the group with this code; `None` when no group has it.
pub fn of_group(code: &str) -> Option<Vec<i64>> {
    let group = GROUPS.iter().position(|g| g.0 == code)?;
    Some(
        USERS
            .iter()
            .filter(|u| u.group == group)
            .map(|u| u.id)
            .collect(),
    )
}

/// The ids of the administrators (the vendor's `superadmins` group).
pub fn admins() -> Vec<i64> {
    USERS.iter().filter(|u| u.admin).map(|u| u.id).collect()
}

/// Whether a user works now: online and `free` (what `telephony/manager` asks of the
/// responsible manager unless `ignoreStatus`).
pub fn available(id: i64) -> bool {
    USERS
        .iter()
        .any(|u| u.id == id && u.online && u.status == "free")
}

/// `GET /api/v5/user-groups`: `limit`, `page`; `{pagination, groups}`.
pub async fn groups(_: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let all: Vec<Value> = (0..GROUPS.len()).map(group).collect();
    let page = page_of(&all, paging);
    Ok(ok(success(json!({
        "pagination": paging.pagination(all.len() as u64),
        "groups": page,
    }))))
}

fn page_of(all: &[Value], paging: crate::request::Paging) -> Vec<Value> {
    let offset = usize::try_from(paging.offset()).unwrap_or(usize::MAX);
    all.iter()
        .skip(offset)
        .take(paging.limit as usize)
        .cloned()
        .collect()
}

/// `GET /api/v5/users`: `limit`, `page`, `filter[email]` (exact, case-insensitive:
/// *Inferred*) and `filter[status]` (only users online, as the seed says); in id order.
pub async fn list(_: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let email = filter["email"].as_str().filter(|t| !t.is_empty());
    if email.is_some_and(|e| e.chars().count() > 255) {
        problems.insert("filter[email]".to_owned(), texts::TOO_LONG.to_owned());
    }
    let status = filter["status"].as_str().filter(|t| !t.is_empty());
    if status.is_some_and(|s| !STATUSES.contains(&s)) {
        problems.insert("filter[status]".to_owned(), texts::CHOICE.to_owned());
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let all: Vec<Value> = USERS
        .iter()
        .filter(|u| email.is_none_or(|e| u.email.eq_ignore_ascii_case(e)))
        .filter(|u| status.is_none_or(|s| u.online && u.status == s))
        .map(user)
        .collect();
    Ok(ok(success(json!({
        "pagination": paging.pagination(all.len() as u64),
        "users": page_of(&all, paging),
    }))))
}

/// `GET /api/v5/users/{id}`: `{"user": {...}}`; 404 for an id that names no user.
pub async fn get(_: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let found = request.arg().parse::<i64>().ok().and_then(by_id);
    let user = found.ok_or_else(RetailError::not_found)?;
    Ok(ok(success(json!({ "user": user }))))
}
