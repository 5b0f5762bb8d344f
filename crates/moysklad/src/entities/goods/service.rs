//! `service`: a good that is not kept in stock. It has the catalog's shared fields only
//! (no supplier, article, weight, images or marking, as the vendor's service has none) and
//! uses the product's attribute definitions.

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::catalog::{self, SERVICE_PAYMENT_ITEMS};
use crate::catalog_settings;
use crate::error::MsResult;
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct Service;

static INFO: EntityInfo = EntityInfo {
    keyword: "service",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("pathName", FieldType::Str, true, true),
        FieldSpec::new(
            "productFolder",
            FieldType::Ref("productfolder"),
            true,
            false,
        ),
        FieldSpec::new("uom", FieldType::Ref("uom"), true, false),
        FieldSpec::new("vat", FieldType::Int, true, true),
        FieldSpec::new("paymentItemType", FieldType::Str, true, false),
    ],
    search: &["name", "code"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: true,
    states: false,
};

#[async_trait]
impl Entity for Service {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let settings = catalog_settings::load(ctx).await?;
        let mut body = catalog::new_item(ctx, &settings, input)?;
        catalog::apply_item(ctx, &mut body, input, &SERVICE_PAYMENT_ITEMS).await?;
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
        catalog::apply_item(ctx, &mut body, input, &SERVICE_PAYMENT_ITEMS).await?;
        catalog::check_code_change(ctx, &body, input).await?;
        Ok(body)
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
        catalog::decorate_item(ctx, body).await
    }
}
