//! `webhookstock`: subscriptions to stock changes (`crate::webhooks` sends them), with the
//! url and limit rules of `webhook` over (`stockType`, `reportType`).

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::webhook::{apply_url, check_slots, require};
use crate::error::MsResult;
use crate::fields::{set_bool, set_enum};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};
use crate::seed;

pub const KEYWORD: &str = "webhookstock";

pub struct WebhookStock;

static INFO: EntityInfo = EntityInfo {
    keyword: KEYWORD,
    fields: &[
        FieldSpec::new("accountId", FieldType::Id, true, false),
        FieldSpec::new("stockType", FieldType::Str, true, true),
        FieldSpec::new("reportType", FieldType::Str, true, true),
        FieldSpec::new("url", FieldType::Str, true, true),
        FieldSpec::new("enabled", FieldType::Bool, true, false),
    ],
    search: &["url"],
    common: false,
    hides_archived: false,
    writable: true,
    attributes: false,
    states: false,
};

const STOCK_TYPES: [&str; 1] = ["stock"];
const REPORT_TYPES: [&str; 2] = ["all", "bystore"];

/// Bad `stockType` and `reportType` values are 3005, as other enumerations: the vendor
/// documents no codes of its own for them.
async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    own_id: Option<&str>,
) -> MsResult<()> {
    let creating = own_id.is_none();
    for (field, allowed) in [
        ("stockType", &STOCK_TYPES[..]),
        ("reportType", &REPORT_TYPES[..]),
    ] {
        require(input, field, creating)?;
        set_enum(body, input, field, allowed)?;
    }
    let url = apply_url(ctx, body, input, creating)?;
    set_bool(body, input, "enabled")?;
    let null = Value::Null;
    let key = |field: &str| body.get(field).unwrap_or(&null);
    check_slots(
        ctx,
        KEYWORD,
        [
            ("stockType", key("stockType")),
            ("reportType", key("reportType")),
        ],
        &url,
        own_id,
    )
    .await
}

#[async_trait]
impl Entity for WebhookStock {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let mut body = Map::new();
        body.insert("accountId".into(), json!(seed::account_uuid(&ctx.account)));
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
