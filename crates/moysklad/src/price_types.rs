//! Price types: `GET /context/companysettings/pricetype` (all of them),
//! `.../pricetype/default` and `.../pricetype/{id}`. Each account has "Цена продажи".

use serde_json::{json, Map, Value};
use twin_store::{ListQuery, PageRequest};

use crate::error::{MsError, MsResult};
use crate::model::Ctx;
use crate::seed::{sale_price_id, PRICE_TYPE};

fn render(ctx: &Ctx, mut body: Map<String, Value>) -> Value {
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    body.insert(
        "meta".into(),
        json!({
            "href": format!("{}/context/companysettings/pricetype/{id}", ctx.links.root),
            "type": PRICE_TYPE,
            "mediaType": "application/json",
        }),
    );
    Value::Object(body)
}

pub async fn all(ctx: &Ctx) -> MsResult<Value> {
    let query = ListQuery::new(ctx.scope.clone(), PRICE_TYPE).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    });
    let types = ctx.core.entities.list(&query).await?.items;
    Ok(Value::Array(
        types
            .into_iter()
            .map(|doc| render(ctx, doc.body.as_object().cloned().unwrap_or_default()))
            .collect(),
    ))
}

/// One price type by id, or `default` for the account's default one.
pub async fn one(ctx: &Ctx, id: &str) -> MsResult<Value> {
    let id = if id == "default" {
        sale_price_id(&ctx.account)
    } else {
        id.to_owned()
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return Err(MsError::uri_not_id());
    }
    let doc = ctx
        .find(PRICE_TYPE, &id)
        .await?
        .ok_or_else(|| MsError::not_found(PRICE_TYPE, &id))?;
    Ok(render(
        ctx,
        doc.body.as_object().cloned().unwrap_or_default(),
    ))
}
