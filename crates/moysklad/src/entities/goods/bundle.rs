//! `bundle`: goods sold together, with the catalog's shared fields, article, weight,
//! volume and marking, and its components (`components`). It uses the product's attribute
//! definitions. Overheads (`overhead`) are not kept.

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::catalog::{self, GOOD_PAYMENT_ITEMS};
use super::components;
use crate::catalog_settings;
use crate::error::MsResult;
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct Bundle;

static INFO: EntityInfo = EntityInfo {
    keyword: "bundle",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("article", FieldType::Str, true, true),
        FieldSpec::new("pathName", FieldType::Str, true, true),
        FieldSpec::new(
            "productFolder",
            FieldType::Ref("productfolder"),
            true,
            false,
        ),
        FieldSpec::new("uom", FieldType::Ref("uom"), true, false),
        FieldSpec::new("weight", FieldType::Float, true, true),
        FieldSpec::new("volume", FieldType::Float, true, true),
        FieldSpec::new("vat", FieldType::Int, true, true),
        FieldSpec::new("paymentItemType", FieldType::Str, true, false),
        FieldSpec::new("trackingType", FieldType::Str, true, false),
    ],
    search: &["name", "code", "article"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: true,
    states: false,
};

async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    catalog::apply_item(ctx, body, input, &GOOD_PAYMENT_ITEMS).await?;
    catalog::apply_physical(body, input, creating)?;
    components::set(ctx, body, input, creating).await
}

#[async_trait]
impl Entity for Bundle {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let settings = catalog_settings::load(ctx).await?;
        let mut body = catalog::new_item(ctx, &settings, input)?;
        apply(ctx, &mut body, input, true).await?;
        catalog::settle_new(ctx, &settings, &mut body, input).await?;
        Ok(body)
    }

    async fn prepare_creates(&self, ctx: &Ctx, inputs: &[&Map<String, Value>]) -> MsResult<()> {
        catalog::prepare_creates(ctx, inputs).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        apply(ctx, &mut body, input, false).await?;
        catalog::check_code_change(ctx, &body, input).await?;
        Ok(body)
    }

    /// Components come with their rows whether or not they are expanded, as in the
    /// vendor's examples; the expand is accepted.
    fn nested_expands(&self) -> &'static [&'static str] {
        &["components"]
    }

    async fn prepare_page(&self, ctx: &Ctx, rows: &[twin_store::Document]) -> MsResult<()> {
        catalog::prefetch_folders(ctx, rows).await
    }

    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        let id = catalog::id_of(body);
        catalog::decorate_item(ctx, body).await?;
        body.insert("images".into(), catalog::images(ctx, "bundle", &id));
        let stored = body
            .get("components")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        body.insert("components".into(), components::render(ctx, &id, &stored));
        Ok(())
    }
}
