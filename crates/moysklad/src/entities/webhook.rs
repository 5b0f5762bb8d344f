//! `webhook`: subscriptions to entity events (`crate::webhooks` sends them), and the rules
//! `webhookstock` shares: a valid http(s) url of at most 255 characters, one subscription
//! per url and kind of event (30003), at most five per kind of event (30007).

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery, PageRequest};

use crate::error::{MsError, MsResult};
use crate::fields::{self, set_bool, Given};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};
use crate::seed;

pub const KEYWORD: &str = "webhook";

pub struct Webhook;

static INFO: EntityInfo = EntityInfo {
    keyword: KEYWORD,
    fields: &[
        FieldSpec::new("accountId", FieldType::Id, true, false),
        FieldSpec::new("entityType", FieldType::Str, true, true),
        FieldSpec::new("action", FieldType::Str, true, true),
        FieldSpec::new("url", FieldType::Str, true, true),
        FieldSpec::new("method", FieldType::Str, true, false),
        FieldSpec::new("enabled", FieldType::Bool, true, false),
        FieldSpec::new("diffType", FieldType::Str, true, false),
    ],
    search: &["url", "entityType"],
    common: false,
    hides_archived: false,
    writable: true,
    attributes: false,
    states: false,
};

/// The entity and document types one can subscribe to (digest, appendix A), besides
/// `async`. The vendor refuses `webhook`, discounts, nested resources and reports.
const ENTITY_TYPES: [&str; 59] = [
    "bonustransaction",
    "bundle",
    "cashin",
    "cashout",
    "commissionreportin",
    "commissionreportout",
    "consignment",
    "contract",
    "counterparty",
    "counterpartyadjustment",
    "country",
    "currency",
    "customentity",
    "customerorder",
    "demand",
    "emissionorder",
    "employee",
    "enter",
    "expenseitem",
    "facturein",
    "factureout",
    "group",
    "internalorder",
    "inventory",
    "invoicein",
    "invoiceout",
    "loss",
    "move",
    "organization",
    "paymentin",
    "paymentout",
    "payroll",
    "prepayment",
    "prepaymentreturn",
    "pricelist",
    "processing",
    "processingorder",
    "processingplan",
    "processingplanfolder",
    "processingprocess",
    "processingstage",
    "product",
    "productfolder",
    "productionstagecompletion",
    "productiontask",
    "project",
    "purchaseorder",
    "purchasereturn",
    "retaildemand",
    "retaildrawercashin",
    "retaildrawercashout",
    "retailsalesreturn",
    "retailshift",
    "retailstore",
    "saleschannel",
    "salesreturn",
    "service",
    "store",
    "supply",
];

/// Asynchronous tasks: subscribed to for status changes and completion only.
const ASYNC: &str = "async";
const ACTIONS: [&str; 3] = ["CREATE", "UPDATE", "DELETE"];
const ASYNC_ACTIONS: [&str; 2] = ["UPDATE", "PROCESSED"];
const UPDATE: &str = "UPDATE";
const DIFF_NONE: &str = "NONE";
/// `diffType` that lists the changed fields in UPDATE events.
pub const DIFF_FIELDS: &str = "FIELDS";

/// Whether changes of entities of this type can be subscribed to.
pub fn is_subscribable(keyword: &str) -> bool {
    ENTITY_TYPES.contains(&keyword)
}

/// The most subscriptions per kind of event.
const MAX_PER_KIND: usize = 5;
/// The longest url.
const MAX_URL: usize = 255;

fn error(code: u32, message: String) -> MsError {
    MsError::new(code, format!("Ошибка сохранения webhook: {message}"))
}

/// Refuses a required field left out on create, or cleared (`null` or empty).
pub(super) fn require(input: &Map<String, Value>, name: &str, creating: bool) -> MsResult<()> {
    match input.get(name) {
        None if creating => Err(MsError::required(name)),
        Some(Value::Null) => Err(MsError::required(name)),
        Some(Value::String(text)) if text.trim().is_empty() => Err(MsError::required(name)),
        _ => Ok(()),
    }
}

/// Copies a given `url` and checks the result: at most 255 characters (30010), an
/// absolute http or https address (30005) that the deployment's webhook allow-list
/// admits (30005 too: the vendor has no such list, so its nearest error).
pub(super) fn apply_url(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<String> {
    require(input, "url", creating)?;
    if let Given::Value(url) = fields::string(input, "url", usize::MAX)? {
        body.insert("url".into(), json!(url));
    }
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if url.chars().count() > MAX_URL {
        return Err(error(30010, "длина url адреса больше 255 символов".into()).on("url"));
    }
    if !twin_http::is_http_url(&url) {
        return Err(error(
            30005,
            "значение поля url не является корректным адресом запроса".into(),
        )
        .on("url"));
    }
    if !ctx.core.destinations.allows(&url) {
        return Err(error(
            30005,
            "адрес url не входит в список разрешённых адресов вебхуков".into(),
        )
        .on("url"));
    }
    Ok(url)
}

/// Refuses a subscription of `kind` whose `key` fields and url another one already has
/// (30003), or that would be a sixth with the same `key` fields (30007). `own_id` is the
/// subscription being updated.
pub(super) async fn check_slots(
    ctx: &Ctx,
    kind: &str,
    key: [(&str, &Value); 2],
    url: &str,
    own_id: Option<&str>,
) -> MsResult<()> {
    let mut query = ListQuery::new(ctx.scope.clone(), kind)
        .filter(Filter::And(
            key.iter()
                .map(|(field, value)| Filter::eq(field, (*value).clone()))
                .collect(),
        ))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    query.count_total = false;
    let others: Vec<_> = ctx
        .core
        .entities
        .list(&query)
        .await?
        .items
        .into_iter()
        .filter(|doc| Some(doc.key.id.as_str()) != own_id)
        .collect();
    if others
        .iter()
        .any(|doc| doc.body.get("url").and_then(Value::as_str) == Some(url))
    {
        return Err(error(
            30003,
            "webhook с данным набором параметров уже существует".into(),
        ));
    }
    if others.len() >= MAX_PER_KIND {
        return Err(MsError::new(
            30007,
            format!("Нельзя создать больше '{MAX_PER_KIND}' веб-хуков одинакового типа на одну сущность"),
        ));
    }
    Ok(())
}

/// Copies a given required text field.
fn apply_text(
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
    creating: bool,
) -> MsResult<String> {
    require(input, name, creating)?;
    if let Given::Value(text) = fields::string(input, name, usize::MAX)? {
        body.insert(name.into(), json!(text));
    }
    Ok(body
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned())
}

/// `entityType`, `action` and `method`, each checked alone and together.
fn apply_event(
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<(String, String)> {
    let entity_type = apply_text(body, input, "entityType", creating)?.to_ascii_lowercase();
    if entity_type != ASYNC && !is_subscribable(&entity_type) {
        return Err(error(
            30000,
            format!("неподдерживаемый тип сущности '{entity_type}'"),
        )
        .on("entityType"));
    }
    body.insert("entityType".into(), json!(entity_type));
    let action = apply_text(body, input, "action", creating)?;
    if !ACTIONS.contains(&action.as_str()) && !ASYNC_ACTIONS.contains(&action.as_str()) {
        return Err(error(
            30002,
            format!(
                "неизвестное действие '{action}'. Допустимые: {}",
                ACTIONS.join(", ")
            ),
        )
        .on("action"));
    }
    let allowed: &[&str] = if entity_type == ASYNC {
        &ASYNC_ACTIONS
    } else {
        &ACTIONS
    };
    if !allowed.contains(&action.as_str()) {
        return Err(error(
            30008,
            format!(
                "тип сущности '{entity_type}' не поддерживает действие '{action}'. Допустимые: {}",
                allowed.join(", ")
            ),
        )
        .on("action"));
    }
    if let Given::Value(method) = fields::string(input, "method", usize::MAX)? {
        if method != "POST" {
            return Err(error(
                30001,
                format!("неизвестный HTTP-метод '{method}'. Допустимый: POST"),
            )
            .on("method"));
        }
    }
    Ok((entity_type, action))
}

/// `diffType` belongs to UPDATE subscriptions only (30009): they have it (`NONE` unless
/// given), others do not, so changing the action away from UPDATE drops it.
fn apply_diff_type(
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    action: &str,
) -> MsResult<()> {
    match fields::string(input, "diffType", usize::MAX)? {
        Given::Value(_) if action != UPDATE => {
            return Err(error(
                30009,
                format!(
                    "указание значения поля 'diffType' не поддерживается для действия '{action}'. Допустимые: {UPDATE}"
                ),
            )
            .on("diffType"))
        }
        Given::Value(diff) if diff != DIFF_NONE && diff != DIFF_FIELDS => {
            return Err(MsError::bad_value(
                "diffType",
                &format!("допустимые значения поля 'diffType': {DIFF_NONE}, {DIFF_FIELDS}"),
            ))
        }
        Given::Value(diff) => {
            body.insert("diffType".into(), json!(diff));
        }
        Given::Null => {
            body.remove("diffType");
        }
        Given::Absent => {}
    }
    if action == UPDATE {
        body.entry("diffType").or_insert_with(|| json!(DIFF_NONE));
    } else {
        body.remove("diffType");
    }
    Ok(())
}

async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    own_id: Option<&str>,
) -> MsResult<()> {
    let creating = own_id.is_none();
    let (entity_type, action) = apply_event(body, input, creating)?;
    let url = apply_url(ctx, body, input, creating)?;
    apply_diff_type(body, input, &action)?;
    set_bool(body, input, "enabled")?;
    check_slots(
        ctx,
        KEYWORD,
        [
            ("entityType", &json!(entity_type)),
            ("action", &json!(action)),
        ],
        &url,
        own_id,
    )
    .await
}

#[async_trait]
impl Entity for Webhook {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    /// `entityType` is taken in any case and kept in lower case, as keywords in paths are.
    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let mut body = Map::new();
        body.insert("accountId".into(), json!(seed::account_uuid(&ctx.account)));
        body.insert("method".into(), json!("POST"));
        body.insert("enabled".into(), json!(true));
        apply(ctx, &mut body, input, None).await?;
        Ok(body)
    }

    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        let id = stored.get("id").and_then(Value::as_str).unwrap_or_default();
        apply(ctx, &mut body, input, Some(id)).await?;
        Ok(body)
    }
}
