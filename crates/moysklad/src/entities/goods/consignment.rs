//! `consignment`: a batch of a product or variant told apart by its label. Its name is
//! "<product or variant name> / <label>", kept as either is renamed; its images are its
//! good's. It has its own attribute definitions and no owner, group or `shared` (the
//! vendor's consignment has none).

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{barcodes, catalog};
use crate::engine;
use crate::error::{MsError, MsResult};
use crate::fields::{self, set_string, stored_reference, Given};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct Consignment;

static INFO: EntityInfo = EntityInfo {
    keyword: "consignment",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("label", FieldType::Str, true, true),
        FieldSpec::new("assortment", FieldType::Ref("product"), true, false),
    ],
    search: &["name", "code"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: true,
    states: false,
};

/// The types a consignment may be of.
const ASSORTMENT: [&str; 2] = ["product", "variant"];

/// The stored reference to the consignment's good.
fn assortment_of(body: &Map<String, Value>) -> (String, String) {
    let reference = body.get("assortment").cloned().unwrap_or_default();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (text(&reference["type"]), text(&reference["id"]))
}

/// "<good's name> / <label>".
fn derived_name(good: &Map<String, Value>, consignment: &Map<String, Value>) -> Value {
    let text = |body: &Map<String, Value>, field: &str| {
        body.get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    json!(format!(
        "{} / {}",
        text(good, "name"),
        text(consignment, "label")
    ))
}

async fn good(ctx: &Ctx, body: &Map<String, Value>) -> MsResult<Map<String, Value>> {
    let (keyword, id) = assortment_of(body);
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, &keyword, &id)
        .await?
        .and_then(|doc| doc.body.as_object().cloned())
        .unwrap_or_default())
}

async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    set_string(body, input, "label", 255, true)?;
    set_string(body, input, "code", 255, false)?;
    set_string(body, input, "description", 4096, false)?;
    barcodes::set(body, input)?;
    let name = derived_name(&good(ctx, body).await?, body);
    body.insert("name".into(), name);
    Ok(())
}

/// Renames the consignments of a product or variant after it was written.
pub async fn follow_assortment(ctx: &Ctx, good: &Map<String, Value>) -> MsResult<()> {
    let id = catalog::id_of(good);
    for consignment in engine::referring(ctx, "consignment", "assortment", &id).await? {
        let body = consignment.body.as_object().cloned().unwrap_or_default();
        let name = derived_name(good, &body);
        engine::rewrite_field(ctx, consignment, "name", name).await?;
    }
    Ok(())
}

/// Deletes the consignments of a product or variant.
pub async fn delete_of(ctx: &Ctx, good: &str) -> MsResult<()> {
    for consignment in engine::referring(ctx, "consignment", "assortment", good).await? {
        engine::delete(ctx, &Consignment, &consignment.key.id).await?;
    }
    Ok(())
}

#[async_trait]
impl Entity for Consignment {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    fn has_owner(&self) -> bool {
        false
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let Given::Value(target) =
            fields::reference_to(ctx, input, "assortment", &ASSORTMENT).await?
        else {
            return Err(MsError::required("assortment"));
        };
        if !input.contains_key("label") {
            return Err(MsError::required("label"));
        }
        let mut body = Map::new();
        body.insert(
            "assortment".into(),
            stored_reference(&target.keyword, &target.id),
        );
        apply(ctx, &mut body, input).await?;
        Ok(body)
    }

    /// A consignment stays with its good (3001 on another one).
    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let given = fields::reference_to(ctx, input, "assortment", &ASSORTMENT).await?;
        if let Given::Value(target) = given {
            if target.id != assortment_of(stored).1 {
                return Err(MsError::immutable("assortment"));
            }
        }
        let mut body = stored.clone();
        apply(ctx, &mut body, input).await?;
        Ok(body)
    }

    /// The good's images: a consignment has none of its own.
    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        let (keyword, id) = assortment_of(body);
        body.insert("images".into(), catalog::images(ctx, &keyword, &id));
        Ok(())
    }
}
