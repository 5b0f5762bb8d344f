//! The account's reference data of orders: statuses (with their groups), order types,
//! payment types, delivery types and stores. Like the sites, each account has them as
//! stored documents: a kind is seeded with Twin's defaults (the vendor's usual ones) the
//! first time it is read, so later edits (`delivery-types/{code}/edit`) change one
//! account's data only. Orders check their codes against these.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Batch, Document, Expect, ListQuery, PageRequest, StoreError, Write};

use crate::error::RetailResult;
use crate::render::ok;
use crate::request::{success, Ctx};

/// One kind of reference data: its stored kind, the answer's member, whether the answer
/// is a list (stores) rather than a map by code, the field its entries are kept by (`code`;
/// currencies, whose code may change, by `id`) and its defaults.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub kind: &'static str,
    pub member: &'static str,
    pub as_list: bool,
    pub key: &'static str,
    pub defaults: fn() -> Vec<Value>,
}

pub const STATUSES: Reference = Reference {
    kind: "ref_status",
    member: "statuses",
    as_list: false,
    key: "code",
    defaults: statuses,
};
pub const ORDER_TYPES: Reference = Reference {
    kind: "ref_order_type",
    member: "orderTypes",
    as_list: false,
    key: "code",
    defaults: order_types,
};
pub const PAYMENT_TYPES: Reference = Reference {
    kind: "ref_payment_type",
    member: "paymentTypes",
    as_list: false,
    key: "code",
    defaults: payment_types,
};
pub const PAYMENT_STATUSES: Reference = Reference {
    kind: "ref_payment_status",
    member: "paymentStatuses",
    as_list: false,
    key: "code",
    defaults: payment_statuses,
};
pub const DELIVERY_TYPES: Reference = Reference {
    kind: "ref_delivery_type",
    member: "deliveryTypes",
    as_list: false,
    key: "code",
    defaults: delivery_types,
};
pub const STORES: Reference = Reference {
    kind: "ref_store",
    member: "stores",
    as_list: true,
    key: "code",
    defaults: stores,
};

pub const ORDER_METHODS: Reference = Reference {
    kind: "ref_order_method",
    member: "orderMethods",
    as_list: false,
    key: "code",
    defaults: order_methods,
};
pub const PRODUCT_STATUSES: Reference = Reference {
    kind: "ref_product_status",
    member: "productStatuses",
    as_list: false,
    key: "code",
    defaults: product_statuses,
};

/// The account's printed forms of orders (`orders/{externalId}/plates/{plateId}/print`).
pub const PLATES: Reference = Reference {
    kind: "ref_plate",
    member: "plates",
    as_list: true,
    key: "code",
    defaults: crate::delivery::plates::defaults,
};

/// The vendor's usual order statuses by group (the codes a new account has; *Inferred*
/// names): `(group, [(code, name)])`.
const STATUS_GROUPS: [(&str, &[(&str, &str)]); 6] = [
    ("new", &[("new", "Новый")]),
    (
        "approval",
        &[
            ("availability-confirmed", "Наличие подтверждено"),
            ("offer-analog", "Предложить замену"),
            ("client-confirmed", "Согласовано с клиентом"),
            ("prepayed", "Предоплата поступила"),
        ],
    ),
    (
        "assembling",
        &[
            ("send-to-assembling", "Передано в комплектацию"),
            ("assembling", "Комплектуется"),
            ("assembling-complete", "Укомплектован"),
        ],
    ),
    (
        "delivery",
        &[
            ("send-to-delivery", "Передан в доставку"),
            ("delivering", "Доставляется"),
            ("redirect", "Доставка перенесена"),
        ],
    ),
    ("complete", &[("complete", "Выполнен")]),
    (
        "cancel",
        &[
            ("no-call", "Недозвон"),
            ("no-product", "Нет в наличии"),
            ("already-buyed", "Купил в другом месте"),
            ("delyvery-did-not-suit", "Не устроила доставка"),
            ("prices-did-not-suit", "Не устроила цена"),
            ("cancel-other", "Отменен"),
        ],
    ),
];

/// The status every new order has unless its document names one.
pub const DEFAULT_STATUS: &str = "new";

fn statuses() -> Vec<Value> {
    let mut out = Vec::new();
    for (group, list) in STATUS_GROUPS {
        for (code, name) in list {
            out.push(json!({
                "name": name,
                "code": code,
                "active": true,
                "ordering": (out.len() + 1) * 10,
                "group": group,
            }));
        }
    }
    out
}

/// The codes of a status group.
pub fn group_statuses(group: &str) -> Option<Vec<&'static str>> {
    STATUS_GROUPS
        .iter()
        .find(|(g, _)| *g == group)
        .map(|(_, list)| list.iter().map(|(code, _)| *code).collect())
}

fn order_types() -> Vec<Value> {
    vec![
        json!({ "name": "Интернет-магазин (физ. лицо)", "code": "eshop-individual",
                "active": true, "defaultForCrm": true, "defaultForApi": true, "ordering": 10 }),
        json!({ "name": "Интернет-магазин (юр. лицо)", "code": "eshop-legal",
                "active": true, "defaultForCrm": false, "defaultForApi": false, "ordering": 20 }),
    ]
}

fn payment_types() -> Vec<Value> {
    [
        ("cash", "Наличные"),
        ("bank-card", "Банковская карта"),
        ("bank-transfer", "Безналичный расчет"),
        ("credit", "В кредит"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name))| {
        json!({
            "name": name, "code": code, "active": true,
            "defaultForCrm": i == 0, "defaultForApi": i == 0,
            "deliveryTypes": ["courier", "self-delivery", "russian-post"],
            "paymentStatuses": ["not-paid", "paid"],
            "ordering": (i + 1) * 10,
        })
    })
    .collect()
}

/// The vendor's usual ways orders come in (*Inferred* codes and names); the API's
/// default is the cart.
fn order_methods() -> Vec<Value> {
    [
        ("shopping-cart", "Через корзину"),
        ("phone", "По телефону"),
        ("one-click", "В один клик"),
        ("landing-page", "Лендинг"),
        ("offline", "Офлайн"),
        ("app", "Мобильное приложение"),
        ("live-chat", "Онлайн-консультант"),
        ("messenger", "Мессенджер"),
        ("missed-call", "Пропущенный звонок"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name))| {
        json!({ "name": name, "code": code, "active": true,
                "defaultForCrm": *code == "phone", "defaultForApi": i == 0 })
    })
    .collect()
}

/// The statuses an order's items pass through (*Inferred* codes and names);
/// `cancelStatus` marks the ones that cancel the item.
fn product_statuses() -> Vec<Value> {
    [
        ("new", "Новый", false),
        ("in-reserve", "В резерве", false),
        ("ordered", "Заказан у поставщика", false),
        ("shipped", "Отгружен", false),
        ("returned", "Возвращен", true),
        ("canceled", "Отменен", true),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name, cancel))| {
        json!({ "name": name, "code": code, "active": true, "ordering": (i + 1) * 10,
                "cancelStatus": cancel, "createdAt": "2024-01-01 00:00:00" })
    })
    .collect()
}

/// The vendor's usual payment statuses (*Inferred* codes and names): `paymentComplete`
/// marks the ones whose payments count as paid (the order's `prepaySum`).
fn payment_statuses() -> Vec<Value> {
    [
        ("not-paid", "Не оплачен", false),
        ("invoice", "Выставлен счет", false),
        ("wait-approved", "Ожидает подтверждения", false),
        ("paid", "Оплачен", true),
        ("fail", "Ошибка оплаты", false),
        ("canceled", "Отменен", false),
        ("returned", "Возврат", false),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name, complete))| {
        json!({
            "name": name, "code": code, "active": true,
            "defaultForCrm": i == 0, "defaultForApi": i == 0,
            "paymentComplete": complete,
            "ordering": (i + 1) * 10,
            "paymentTypes": ["cash", "bank-card", "bank-transfer", "credit"],
        })
    })
    .collect()
}

fn delivery_types() -> Vec<Value> {
    [
        ("courier", "Доставка курьером", 300),
        ("self-delivery", "Самовывоз", 0),
        ("russian-post", "Почта России", 250),
    ]
    .iter()
    .enumerate()
    .map(|(i, (code, name, cost))| {
        json!({
            "name": name, "code": code, "active": true,
            "defaultForCrm": i == 0,
            "defaultCost": cost, "defaultNetCost": 0,
            "paymentTypes": ["cash", "bank-card", "bank-transfer", "credit"],
            "deliveryServices": [],
            "ordering": (i + 1) * 10,
        })
    })
    .collect()
}

fn stores() -> Vec<Value> {
    vec![json!({
        "code": "main-warehouse",
        "name": "Основной склад",
        "type": "store-type-warehouse",
        "active": true,
        "inventoryType": "integer",
        "externalId": "main-warehouse",
    })]
}

/// The account's entries of `reference`, in their order; seeded on the first read.
pub async fn load(ctx: &Ctx, reference: Reference) -> RetailResult<Vec<Value>> {
    let query = ListQuery::new(ctx.scope.clone(), reference.kind).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    });
    let page = ctx.core.entities.list(&query).await?;
    if !page.items.is_empty() {
        return Ok(page.items.into_iter().map(|doc| doc.body).collect());
    }
    let defaults = (reference.defaults)();
    add_absent(ctx, reference, &defaults).await?;
    Ok(defaults)
}

/// Stores new entries of `reference` unless they exist: a concurrent request that made
/// them first (a first read seeding the defaults) leaves nothing to do.
pub async fn add_absent(ctx: &Ctx, reference: Reference, bodies: &[Value]) -> RetailResult<()> {
    let mut batch = Batch::new();
    for body in bodies {
        batch.writes.push(Write::Put {
            doc: reference.document(ctx, body.clone()),
            expect: Expect::Absent,
        });
    }
    match ctx.core.store.apply(batch).await {
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(error) => Err(twin_core::CoreError::from(error).into()),
    }
}

impl Reference {
    /// The key an entry is kept by: its `code` (or `id`) as text.
    pub fn key_of(&self, body: &Value) -> String {
        match &body[self.key] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }

    /// The stored document of an entry.
    pub fn document(&self, ctx: &Ctx, body: Value) -> Document {
        Document::new(ctx.scope.key(self.kind, self.key_of(&body)), body)
    }
}

/// The stored entry of `reference` kept by `key` (the kind seeded first).
pub async fn find(ctx: &Ctx, reference: Reference, key: &str) -> RetailResult<Option<Document>> {
    load(ctx, reference).await?;
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, reference.kind, key)
        .await?)
}

/// Stores an entry, new (`before` none) or changed; a concurrent change is a 400.
pub async fn save(
    ctx: &Ctx,
    reference: Reference,
    body: Value,
    before: Option<&Document>,
) -> RetailResult<()> {
    crate::journal::put(ctx, reference.document(ctx, body), before).await
}

/// The active codes of `reference`.
pub async fn codes(ctx: &Ctx, reference: Reference) -> RetailResult<Vec<String>> {
    Ok(load(ctx, reference)
        .await?
        .iter()
        .filter(|entry| entry["active"] != false)
        .filter_map(|entry| entry["code"].as_str().map(str::to_owned))
        .collect())
}

/// The code marked `defaultForApi` (the first entry when none is).
pub async fn default_for_api(ctx: &Ctx, reference: Reference) -> RetailResult<Option<String>> {
    let entries = load(ctx, reference).await?;
    let chosen = entries
        .iter()
        .find(|entry| entry["defaultForApi"] == true)
        .or(entries.first());
    Ok(chosen.and_then(|entry| entry["code"].as_str().map(str::to_owned)))
}

/// `GET /api/v5/reference/<name>`: `{"<member>": {code: entry}}` (stores: a list).
pub async fn list(ctx: &Ctx, reference: Reference) -> RetailResult<Response> {
    let entries = load(ctx, reference).await?;
    let value = if reference.as_list {
        Value::Array(entries)
    } else {
        Value::Object(
            entries
                .into_iter()
                .map(|entry| (entry["code"].as_str().unwrap_or_default().to_owned(), entry))
                .collect::<Map<String, Value>>(),
        )
    };
    let mut answer = json!({});
    answer[reference.member] = value;
    Ok(ok(success(answer)))
}
