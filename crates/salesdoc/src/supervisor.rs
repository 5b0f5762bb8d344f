//! Supervisors and the agents attached to them (`getSupervisor` 9.13), in the request's
//! filial. The API has no method that makes supervisors (the vendor keeps them in its web
//! interface), so Twin makes them through the agents' link, a Twin extension
//! (*Inferred*): a setAgent item may carry `"supervisor": {CS_id|SD_id|code_1C, name,
//! active}`. The supervisor it names is found CS_id → SD_id → code_1C, or created from
//! the object (one identifier and `name` required); `"supervisor": null` detaches the
//! agent, and an item without the member keeps its supervisor. getSupervisor answers
//! without `pagination`, as documented; `limit`, `page`, `period` and `sort` still apply.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery, PageRequest, SortKey};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::people::{read_named, render_person};
use crate::reference::list::{Listing, RESPONSE_LIMIT};
use crate::reference::upsert::{save, Refused, Target};
use crate::reference::{find_in, in_filial, Ids, Record, RefKind};
use crate::render::ok;
use crate::request::Ctx;

/// The agent's field holding its supervisor's `SD_id` (`null`: none).
pub const LINK: &str = "supervisor";

/// Supervisors: `{name, active}`.
pub const SUPERVISOR: RefKind = RefKind {
    key: "supervisor",
    read: read_named,
    render,
};

/// *Inferred* item texts.
const NOT_A_REFERENCE: &str =
    "supervisor must be an object with CS_id, SD_id or code_1C (and name for a new one)";

/// `{name, active}` as getSupervisor shows them.
fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    render_person(fields, &[])
}

/// The supervisor link an agent item leaves: the `SD_id` it names (the supervisor found
/// or created), `null` to detach, or the stored link when the item has no `supervisor`.
pub async fn link(
    ctx: &Ctx,
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Value, Refused> {
    let given = match item.get(LINK) {
        None => {
            return Ok(stored
                .and_then(|s| s.get(LINK).cloned())
                .unwrap_or(Value::Null))
        }
        Some(Value::Null) => return Ok(Value::Null),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(Value::Null),
        Some(given) => given,
    };
    let reference = given.as_object();
    let ids = reference.map(Ids::of).unwrap_or_default();
    let (Some(reference), false) = (reference, ids.is_empty()) else {
        return Err(Refused::Item(vec![NOT_A_REFERENCE.into()]));
    };
    if let Some(found) = find_in(ctx, SUPERVISOR.key, &ids).await? {
        return Ok(Value::from(found.sd_id));
    }
    let fields = read_named(reference, None).map_err(|errors| {
        Refused::Item(
            errors
                .into_iter()
                .map(|e| format!("supervisor: {e}"))
                .collect(),
        )
    })?;
    let target = Target::of(ctx, SUPERVISOR.key, None).await?;
    let made = save(ctx, SUPERVISOR.key, &ids, target, fields).await?;
    Ok(Value::from(made.sd_id))
}

/// `getSupervisor` (9.13): the supervisors with `agents[{CS_id, SD_id, code_1C, name}]`,
/// in agent creation order.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (supervisors, _) = listing.fetch(ctx, SUPERVISOR.key, Vec::new()).await?;
    let sd_ids: Vec<Value> = supervisors
        .iter()
        .map(|s| Value::from(s.sd_id.clone()))
        .collect();
    let query = ListQuery::new(ctx.scope.clone(), crate::agent::AGENT.kind.key)
        .filter(Filter::And(vec![
            in_filial(ctx),
            Filter::In {
                path: Filter::path(&format!("fields.{LINK}")),
                values: sd_ids,
            },
        ]))
        .sort(SortKey::asc("n"))
        .page(PageRequest::Offset {
            offset: 0,
            limit: RESPONSE_LIMIT,
        });
    let agents: Vec<Record> = ctx
        .core
        .store
        .list(&query)
        .await?
        .items
        .into_iter()
        .map(Record::from_doc)
        .collect();
    let items: Vec<Value> = supervisors
        .iter()
        .map(|supervisor| {
            let attached: Vec<Value> = agents
                .iter()
                .filter(|a| a.fields.get(LINK).and_then(Value::as_str) == Some(&supervisor.sd_id))
                .map(|agent| {
                    let mut shown = agent.ids(ctx);
                    shown.insert(
                        "name".into(),
                        agent.fields.get("name").cloned().unwrap_or(Value::Null),
                    );
                    Value::Object(shown)
                })
                .collect();
            let mut shown = supervisor.render(ctx, &SUPERVISOR);
            shown["agents"] = Value::Array(attached);
            shown
        })
        .collect();
    Ok(ok(
        json!({ "status": true, "result": { SUPERVISOR.key: items } }),
    ))
}
