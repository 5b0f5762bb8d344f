//! An order's create and update body (seed "Создание заказа"; the fields of the vendor's
//! `Orders/CreateRequest`, `PositionModel`, `ClientModel`, `DeliveryModel` and
//! `AgentSchemeModel`), checked as a whole, and the order it makes.
//!
//! Positions answer with the fields they were sent with plus an `id` (what a return
//! names as `positionId`) and `amount` (quantity × price, in whole kopecks, half up):
//! the seed's samples show an empty list. *Inferred.*

use serde_json::{json, Map, Value};

use crate::enums::{AGENT_SIGNS, DELIVERY_STATUSES, VATS};
use crate::error::texts::NOT_VALID;
use crate::error::{texts, KassaResult};
use crate::fields::Fields;
use crate::money::amount;
use crate::records::{record, Kind, References};
use crate::request::{timestamp, Ctx, KassaRequest, Problems};
use crate::seed::{COUNTERPARTY, EMPLOYEE, PAYMENT_METHODS, PAYMENT_OBJECTS, TAXATION_SYSTEMS};

/// A checked order body: everything but the id, number and creation time.
pub struct OrderInput {
    created_by: String,
    external_id: String,
    taxation_system: String,
    client: Value,
    delivery: Value,
    /// Positions without their ids, and the sum of their amounts.
    positions: Vec<Map<String, Value>>,
    total: i64,
}

/// Reads the body, reporting every problem together (referenced employees and
/// counterparties included).
pub async fn read(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<OrderInput> {
    let body = request.json()?;
    let (input, mut problems, refs) = check(&body);
    refs.check(ctx, &mut problems).await?;
    problems.into_result()?;
    Ok(input)
}

/// Checks a body's fields, without looking up the records it references: the order it
/// makes (its unchecked fields empty), the problems found, and the references to check.
pub fn check(body: &Map<String, Value>) -> (OrderInput, Problems, References) {
    let fields = Fields::new(body);
    let mut problems = Problems::default();
    let mut refs = References::default();
    let mut positions = Vec::new();
    let mut total: i64 = 0;
    for item in fields
        .objects(&mut problems, "positions", true)
        .unwrap_or_default()
    {
        if let Some((position, sum)) = position(&item, &mut problems, &mut refs) {
            positions.push(position);
            total = total.saturating_add(sum);
        }
    }
    let created_by = fields.uuid(&mut problems, "createdById", true);
    if let Some(id) = &created_by {
        refs.expect("createdById".into(), EMPLOYEE, id, true);
    }
    let external_id = fields.text(&mut problems, "externalId", true, 255);
    let taxation_system = fields.choice(&mut problems, "taxationSystem", &TAXATION_SYSTEMS, true);
    let client = fields
        .object(&mut problems, "client")
        .map_or(Value::Null, |client| {
            record(
                &client,
                &mut problems,
                &[
                    ("name", Kind::Text(255)),
                    ("inn", Kind::Inn),
                    ("phone", Kind::Text(32)),
                    ("email", Kind::Email),
                ],
            )
        });
    let delivery = fields
        .object(&mut problems, "delivery")
        .map_or(Value::Null, |delivery| {
            self::delivery(&delivery, &mut problems, &mut refs)
        });
    let input = OrderInput {
        created_by: created_by.unwrap_or_default(),
        external_id: external_id.unwrap_or_default(),
        taxation_system: taxation_system.unwrap_or_default(),
        client,
        delivery,
        positions,
        total,
    };
    (input, problems, refs)
}

/// One position and its amount in kopecks; `None` when its quantity or price is wrong
/// (other problems fail the whole body later).
fn position(
    fields: &Fields<'_>,
    problems: &mut Problems,
    refs: &mut References,
) -> Option<(Map<String, Value>, i64)> {
    let name = fields.text(problems, "name", true, 128);
    let quantity = fields
        .number(problems, "quantity", true)
        .filter(|quantity| {
            let positive = !quantity.is_negative() && !quantity.is_zero();
            if !positive {
                problems.add(&fields.path("quantity"), texts::POSITIVE);
            }
            positive
        });
    let price = fields
        .number(problems, "price", true)
        .and_then(|price| match price.kopecks() {
            _ if price.is_negative() => {
                problems.add(&fields.path("price"), texts::NOT_NEGATIVE);
                None
            }
            None => {
                problems.add(&fields.path("price"), NOT_VALID);
                None
            }
            kopecks => kopecks,
        });
    let vat = fields.choice(problems, "paymentVat", &VATS, true);
    let object = fields.choice(problems, "paymentObject", &PAYMENT_OBJECTS, true);
    let method = fields.choice(problems, "paymentMethod", &PAYMENT_METHODS, true);
    let excisable = fields.flag(problems, "excisable").unwrap_or(false);
    let marks = fields
        .strings(problems, "marks", |_| None)
        .unwrap_or_default();
    let scheme = fields
        .object(problems, "agentScheme")
        .map_or(Value::Null, |scheme| agent_scheme(&scheme, problems, refs));
    let (Some(quantity), Some(price)) = (quantity, price) else {
        return None;
    };
    let sum = quantity.times_kopecks(price).or_else(|| {
        problems.add(&fields.path("quantity"), NOT_VALID);
        None
    })?;
    let position = json!({
        "name": name,
        "quantity": quantity.to_json(),
        "price": amount(price),
        "amount": amount(sum),
        "paymentVat": vat,
        "paymentObject": object,
        "paymentMethod": method,
        "excisable": excisable,
        "marks": marks,
        "agentScheme": scheme,
    });
    Some((position.as_object().cloned().unwrap_or_default(), sum))
}

/// A position's agent scheme: its sign and the parties of the agent's deal.
fn agent_scheme(fields: &Fields<'_>, problems: &mut Problems, refs: &mut References) -> Value {
    let sign = fields.choice(problems, "agentSign", &AGENT_SIGNS, true);
    let mut part = |name: &str, spec: &[(&str, Kind)]| {
        fields
            .object(problems, name)
            .map_or(Value::Null, |nested| record(&nested, problems, spec))
    };
    let payment_agent = part(
        "paymentAgent",
        &[("phone", Kind::Text(32)), ("operation", Kind::Text(24))],
    );
    let operator = part("receivePaymentsOperator", &[("phone", Kind::Text(32))]);
    let transfer = part(
        "transferOperator",
        &[
            ("name", Kind::Text(255)),
            ("inn", Kind::Inn),
            ("phone", Kind::Text(32)),
            ("address", Kind::Text(255)),
        ],
    );
    let supplier = part(
        "supplier",
        &[
            ("counterpartyId", Kind::Uuid),
            ("name", Kind::Text(255)),
            ("inn", Kind::Inn),
            ("phone", Kind::Text(32)),
        ],
    );
    if let Some(id) = supplier["counterpartyId"].as_str() {
        let path = format!("{}.counterpartyId", fields.path("supplier"));
        refs.expect(path, COUNTERPARTY, id, false);
    }
    json!({
        "agentSign": sign,
        "paymentAgent": payment_agent,
        "receivePaymentsOperator": operator,
        "transferOperator": transfer,
        "supplier": supplier,
    })
}

/// The delivery: its courier (an active employee), address, time window (sent as
/// `Y-m-d H:i`, answered as `2023-01-01T00:00:00+03:00`), status (`NEW` when not
/// given), comment and whether it is paid for.
fn delivery(fields: &Fields<'_>, problems: &mut Problems, refs: &mut References) -> Value {
    let courier = fields.uuid(problems, "courierId", false);
    if let Some(id) = &courier {
        refs.expect(fields.path("courierId"), EMPLOYEE, id, true);
    }
    let address = fields.text(problems, "address", false, 255);
    let from = fields.time(problems, "dateFrom", false);
    let to = fields.time(problems, "dateTo", false);
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            problems.add(
                &fields.path("dateTo"),
                "This value should be greater than or equal to dateFrom.",
            );
        }
    }
    let status = fields
        .choice(problems, "status", &DELIVERY_STATUSES, false)
        .unwrap_or_else(|| DELIVERY_STATUSES[0].to_owned());
    json!({
        "courierId": courier,
        "address": address,
        "dateFrom": from.map(timestamp),
        "dateTo": to.map(timestamp),
        "status": status,
        "comment": fields.text(problems, "comment", false, 255),
        "prepaid": fields.flag(problems, "prepaid").unwrap_or(false),
    })
}

impl OrderInput {
    /// The stored order (= the answer, plus `_totalKopecks` for the amount filters).
    /// Positions get fresh ids: an update replaces them all.
    pub async fn order(
        self,
        ctx: &Ctx,
        id: &str,
        number: i64,
        created_at: &str,
    ) -> KassaResult<Value> {
        let mut positions = Vec::with_capacity(self.positions.len());
        for mut position in self.positions {
            position.insert("id".into(), Value::String(ctx.new_id().await?));
            positions.push(Value::Object(position));
        }
        Ok(json!({
            "id": id,
            "createdById": self.created_by,
            "externalId": self.external_id,
            "createdAt": created_at,
            "number": number,
            "totalAmount": amount(self.total),
            "taxationSystem": self.taxation_system,
            "client": self.client,
            "delivery": self.delivery,
            "positions": positions,
            "_totalKopecks": self.total,
        }))
    }
}
