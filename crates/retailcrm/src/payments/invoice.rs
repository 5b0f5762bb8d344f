//! Invoices of order payments, as a payment module works with them: `create-invoice`
//! asks for a checkout link for a payment, `update-invoice` reports what happened to it
//! (waiting, paid, canceled, refunded), `invoice/import` brings in one paid elsewhere.
//! An invoice is stored under its payment's id (kind `payment_invoice`, one per payment,
//! its UUID a unique lookup); what it reports changes the payment in its order, with the
//! order's history, through `super::save`.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Expect, Write};

use super::{find, save, Rules};
use crate::customers::{self, fields::checked_text, fields::Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::fields::amount;
use crate::render::ok;
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};

const INVOICE: &str = "payment_invoice";
const UUID: &str = "invoiceUuid";
/// The seed's range of `createInvoice[paymentId]`.
const MAX_ID: i64 = 2_147_483_647;
/// The invoice statuses of payment modules, and the payment status each gives the
/// payment (*Inferred*: the account's statuses of the same meaning).
const STATUSES: [(&str, &str); 4] = [
    ("pending", "invoice"),
    ("waitingForCapture", "wait-approved"),
    ("succeeded", "paid"),
    ("canceled", "canceled"),
];
/// The statuses with which an amount may come with a discount (the seed's rule).
const DISCOUNTABLE: [&str; 2] = ["waitingForCapture", "succeeded"];

/// The checkout link of an invoice. *Inferred*: the vendor's link leads to the payment
/// system's page, which Twin does not have; `.invalid` never resolves.
fn link(uuid: &str) -> String {
    format!("https://checkout.twin.invalid/invoice/{uuid}")
}

/// A number given as a number or as text (the modules send both).
fn number(value: &Value) -> Option<f64> {
    value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

fn blank(problems: &mut Problems, field: &str) {
    problems.insert(field.to_owned(), texts::BLANK.to_owned());
}

/// A payment id of the CRM: an integer in the seed's range, else a problem.
fn payment_id(problems: &mut Problems, value: &Value) -> Option<i64> {
    let id = value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()));
    match id {
        _ if value.is_null() => blank(problems, "paymentId"),
        Some(id) if (1..=MAX_ID).contains(&id) => return Some(id),
        Some(_) => {
            problems.insert(
                "paymentId".into(),
                format!("This value should be less than or equal to {MAX_ID}."),
            );
        }
        None => {
            problems.insert("paymentId".into(), texts::INTEGER.into());
        }
    }
    None
}

/// The document `name` of a request naming a payment (`paymentId`): the document, its
/// problems so far and the payment id when it is one.
fn opened(
    request: &RetailRequest<'_>,
    name: &str,
) -> RetailResult<(Map<String, Value>, Problems, Option<i64>)> {
    let given = customers::entity(request, name)?;
    let mut problems = Problems::new();
    let id = payment_id(
        &mut problems,
        given.get("paymentId").unwrap_or(&Value::Null),
    );
    Ok((given, problems, id))
}

/// A date-time field `Y-m-d H:i:s` of `given` into `into`, else a problem.
fn time_into(problems: &mut Problems, given: &Map<String, Value>, name: &str, into: &mut Value) {
    match given.get(name).filter(|v| !v.is_null()) {
        None => {}
        Some(value) if value.as_str().and_then(parse_time).is_some() => {
            into[name] = value.clone();
        }
        Some(_) => {
            problems.insert(name.to_owned(), texts::DATETIME.to_owned());
        }
    }
}

async fn stored(ctx: &Ctx, payment: i64) -> RetailResult<Option<Document>> {
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, INVOICE, &payment.to_string())
        .await?)
}

/// The payment `id` (in its order) changed by an invoice status: its status follows
/// (`STATUSES`, when the account has that status), a paid one gets `paidAt` (given, or
/// now) and `amount` when given; a refund that succeeded makes it `returned`. Written
/// with the invoice (`invoice`, its version checked) in one transaction.
async fn apply_to_payment(
    ctx: &Ctx,
    id: i64,
    change: &Value,
    invoice: (Document, Option<&Document>),
) -> RetailResult<()> {
    let (order, key) = find(ctx, true, None, &id.to_string()).await?;
    let rules = Rules::load(ctx).await?;
    let mut body = order.body.as_object().cloned().unwrap_or_default();
    let mut payment = body["payments"][&key].clone();
    let mapped = STATUSES
        .iter()
        .find(|(status, _)| change["status"] == *status)
        .map(|(_, code)| *code);
    let refunded = change["refund"]["status"] == "succeeded";
    let code = if refunded { Some("returned") } else { mapped };
    if let Some(code) = code.filter(|c| rules.statuses.iter().any(|s| s == c)) {
        payment["status"] = json!(code);
    }
    if let Some(amount) = number(&change["amount"]) {
        payment["amount"] = json!(amount);
    }
    if change["status"] == "succeeded" && !refunded {
        let at = change["paidAt"]
            .as_str()
            .map_or_else(|| timestamp(ctx.now), str::to_owned);
        payment["paidAt"] = json!(at);
    }
    let discount = number(&change["discountAmount"]).unwrap_or_default();
    if discount > 0.0 {
        let before = body
            .get("discountManualAmount")
            .and_then(Value::as_f64)
            .unwrap_or_default();
        body.insert("discountManualAmount".into(), json!(before + discount));
    }
    body["payments"][&key] = payment;
    let (doc, before) = invoice;
    let expect = before.map_or(Expect::Absent, |d| Expect::Version(d.version));
    let write = Write::Put { doc, expect };
    save(ctx, &order, body, &rules, vec![write]).await
}

/// `POST /api/v5/payment/create-invoice`: `createInvoice=<json>` `{paymentId, returnUrl?}`;
/// `{"result": {"link"}}`. The payment's invoice is made (`pending`, the payment's amount
/// and the order's currency) and the payment becomes `invoice`; asked again while the
/// invoice waits, the same link (*Inferred*). A paid payment takes no invoice (400
/// `errors.paymentId`, *Inferred* text); an unknown one is 404.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (given, mut problems, id) = opened(request, "createInvoice")?;
    let return_url = given.get("returnUrl").filter(|v| !v.is_null());
    if return_url.is_some_and(|url| !url.as_str().is_some_and(twin_http::is_http_url)) {
        problems.insert("returnUrl".into(), "This value is not a valid URL.".into());
    }
    let Some(id) = id.filter(|_| problems.is_empty()) else {
        return Err(RetailError::entity(problems));
    };
    let (order, key) = find(ctx, true, None, &id.to_string()).await?;
    let payment = &order.body["payments"][&key];
    if Rules::load(ctx).await?.is_complete(payment) {
        problems.insert("paymentId".into(), "The payment is already paid.".into());
        return Err(RetailError::entity(problems));
    }
    let before = stored(ctx, id).await?;
    if let Some(open) = before.as_ref().filter(|d| d.body["status"] == "pending") {
        return Ok(ok(success(
            json!({ "result": { "link": open.body["link"] } }),
        )));
    }
    let uuid = uuid::Uuid::new_v4().to_string();
    let mut body = json!({
        "invoiceUuid": uuid, "invoiceType": "link", "paymentId": id,
        "orderId": order.body["id"], "amount": payment["amount"],
        "currency": order.body["currency"], "status": "pending", "link": link(&uuid),
        "createdAt": timestamp(ctx.now),
    });
    if let Some(url) = return_url {
        body["returnUrl"] = url.clone();
    }
    let doc = Document::new(ctx.scope.key(INVOICE, id.to_string()), body).with_lookup(UUID, &uuid);
    let pending = json!({ "status": "pending" });
    apply_to_payment(ctx, id, &pending, (doc, before.as_ref())).await?;
    Ok(ok(success(json!({ "result": { "link": link(&uuid) } }))))
}

/// Reads the invoice fields an update or import gives over `into` (the stored invoice):
/// `amount`, `discountAmount` (numbers ≥ 0), `paidAt`, `expiredAt`, `createdAt`,
/// texts of at most 255 characters, `refundable`/`cancellable`.
fn read_fields(given: &Map<String, Value>, into: &mut Value, problems: &mut Problems) {
    for name in ["amount", "discountAmount"] {
        if let Some(value) = given.get(name).filter(|v| !v.is_null()) {
            if let Some(read) = amount(problems, name, value) {
                into[name] = read;
            }
        }
    }
    for name in ["paidAt", "expiredAt", "createdAt"] {
        time_into(problems, given, name, into);
    }
    for name in ["cancellationDetails", "currency"] {
        if let Some(value) = given.get(name).filter(|v| !v.is_null()) {
            if let Some(read) = checked_text(problems, name, value) {
                into[name] = read;
            }
        }
    }
    for name in ["refundable", "cancellable"] {
        if let Some(flag) = given.get(name).and_then(Value::as_bool) {
            into[name] = json!(flag);
        }
    }
}

/// `POST /api/v5/payment/update-invoice`: `updateInvoice=<json>` `{invoiceUuid, paymentId?
/// (the module's), amount?, status?, cancellationDetails?, invoiceUrl?, paidAt?,
/// expiredAt?, refund?, discountAmount?}`; `{"success": true}`. `status` is one of the
/// modules' `pending`, `waitingForCapture`, `succeeded`, `canceled` (400 `errors.status`
/// otherwise, *Inferred*) and moves the payment (`STATUSES`); `amount` becomes the
/// payment's; `discountAmount`, only with `waitingForCapture` or `succeeded` (the seed's
/// rule), is added to the order's one-time discount; a `refund` that `succeeded`
/// returns the payment. An unknown invoice is 404.
pub async fn update(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let given = customers::entity(request, "updateInvoice")?;
    let mut problems = Problems::new();
    let Some(uuid) = given
        .get(UUID)
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
    else {
        blank(&mut problems, UUID);
        return Err(RetailError::entity(problems));
    };
    let before = ctx
        .core
        .entities
        .find_by(&ctx.scope, INVOICE, UUID, uuid)
        .await?
        .ok_or_else(RetailError::not_found)?;
    let mut body = before.body.clone();
    read_fields(&given, &mut body, &mut problems);
    let status = given.get("status").filter(|v| !v.is_null());
    if let Some(status) = status {
        if STATUSES.iter().any(|(s, _)| status == s) {
            body["status"] = status.clone();
        } else {
            problems.insert("status".into(), texts::CHOICE.into());
        }
    }
    if given.get("discountAmount").and_then(number) > Some(0.0)
        && !status.is_some_and(|s| DISCOUNTABLE.iter().any(|d| s == d))
    {
        problems.insert(
            "discountAmount".into(),
            "A discount needs the status waitingForCapture or succeeded.".into(),
        );
    }
    if let Some(url) = given.get("invoiceUrl").filter(|v| !v.is_null()) {
        match url.as_str().filter(|u| twin_http::is_http_url(u)) {
            Some(_) => body["link"] = url.clone(),
            None => {
                problems.insert("invoiceUrl".into(), "This value is not a valid URL.".into());
            }
        }
    }
    if let Some(module_id) = given.get("paymentId").filter(|v| !v.is_null()) {
        if let Some(read) = checked_text(&mut problems, "paymentId", module_id) {
            body["externalId"] = read;
        }
    }
    let refund = given.get("refund").filter(|v| !v.is_null()).cloned();
    if let Some(refund) = &refund {
        if !["pending", "succeeded", "canceled"]
            .iter()
            .any(|s| refund["status"] == *s)
        {
            problems.insert("refund[status]".into(), texts::CHOICE.into());
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    if let Some(refund) = &refund {
        refunds_of(&mut body).push(refund.clone());
    }
    let payment = body["paymentId"].as_i64().unwrap_or_default();
    let doc = Document {
        body,
        ..before.clone()
    };
    let change = Value::Object(given);
    apply_to_payment(ctx, payment, &change, (doc, Some(&before))).await?;
    Ok(ok(success(json!({}))))
}

fn refunds_of(body: &mut Value) -> &mut Vec<Value> {
    if !body["refunds"].is_array() {
        body["refunds"] = json!([]);
    }
    body["refunds"].as_array_mut().expect("an array")
}

/// `POST /api/v5/payment/invoice/import`: `invoice=<json>` `{paymentId, externalId?,
/// amount?, currency?, status, createdAt?, paidAt?, discountAmount?, refunds?,
/// refundable?}`, an invoice paid outside the CRM; `{"invoice": {"invoiceUuid"}}`.
/// `status` and each `refunds[][status]` may only be `succeeded`, and a refund needs all
/// of `externalId`, `status`, `amount`, `createdAt` (the seed's rules; texts
/// *Inferred*). The payment becomes paid (returned with a refund); a payment that
/// already has an invoice has it replaced.
pub async fn import(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (given, mut problems, id) = opened(request, "invoice")?;
    if given.get("status").and_then(Value::as_str) != Some("succeeded") {
        problems.insert("status".into(), texts::CHOICE.into());
    }
    let uuid = uuid::Uuid::new_v4().to_string();
    let mut body = json!({ "invoiceUuid": uuid, "invoiceType": "link", "status": "succeeded",
                           "createdAt": timestamp(ctx.now) });
    read_fields(&given, &mut body, &mut problems);
    if let Some(external) = given.get("externalId").filter(|v| !v.is_null()) {
        if let Some(read) = checked_text(&mut problems, "externalId", external) {
            body["externalId"] = read;
        }
    }
    let refunds = given
        .get("refunds")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, refund) in refunds.iter().enumerate() {
        for field in ["externalId", "status", "amount", "createdAt"] {
            if refund[field].is_null() {
                blank(&mut problems, &format!("refunds[{i}][{field}]"));
            }
        }
        if !refund["status"].is_null() && refund["status"] != "succeeded" {
            problems.insert(format!("refunds[{i}][status]"), texts::CHOICE.into());
        }
    }
    let Some(id) = id.filter(|_| problems.is_empty()) else {
        return Err(RetailError::entity(problems));
    };
    let (order, key) = find(ctx, true, None, &id.to_string()).await?;
    body["paymentId"] = json!(id);
    body["orderId"] = order.body["id"].clone();
    if body["amount"].is_null() {
        body["amount"] = order.body["payments"][&key]["amount"].clone();
    }
    if !refunds.is_empty() {
        body["refunds"] = json!(refunds);
    }
    let before = stored(ctx, id).await?;
    let doc = Document::new(ctx.scope.key(INVOICE, id.to_string()), body).with_lookup(UUID, &uuid);
    let mut change = Value::Object(given);
    if !refunds.is_empty() {
        change["refund"] = json!({ "status": "succeeded" });
    }
    apply_to_payment(ctx, id, &change, (doc, before.as_ref())).await?;
    Ok(ok(success(json!({ "invoice": { "invoiceUuid": uuid } }))))
}
