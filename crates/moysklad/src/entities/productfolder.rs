//! `productfolder`: the goods tree, with VAT inherited down the tree (by folders and by the
//! goods they hold) and codes unique across the catalog when the settings say so.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::goods::catalog;
use crate::catalog_settings;
use crate::error::{MsError, MsResult};
use crate::fields::{set_bool, set_enum, set_int_in, set_string};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};
use crate::tree::Tree;

pub struct ProductFolder;

static INFO: EntityInfo = EntityInfo {
    keyword: "productfolder",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("pathName", FieldType::Str, true, true),
        FieldSpec::new("version", FieldType::Int, false, true),
        FieldSpec::new(
            "productFolder",
            FieldType::Ref("productfolder"),
            true,
            false,
        ),
    ],
    search: &["name", "code"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: true,
    states: false,
};

/// The goods tree: folders, and the goods they hold, name their folder in `productFolder`.
pub const TREE: Tree = Tree {
    keyword: "productfolder",
    parent_field: "productFolder",
    members: &["product", "service", "bundle"],
};

pub const TAX_SYSTEMS: [&str; 7] = [
    "GENERAL_TAX_SYSTEM",
    "PATENT_BASED",
    "PRESUMPTIVE_TAX_SYSTEM",
    "SIMPLIFIED_TAX_SYSTEM_INCOME",
    "SIMPLIFIED_TAX_SYSTEM_INCOME_OUTCOME",
    "TAX_SYSTEM_SAME_AS_GROUP",
    "UNIFIED_AGRICULTURAL_TAX",
];

/// `vat`, `vatEnabled` and `useParentVat` of a folder's or a good's write. Giving `vat`
/// switches VAT on and stops inheriting, unless the same request says otherwise.
pub fn set_vat(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    if set_int_in(
        body,
        input,
        "vat",
        0..=99,
        "ставка НДС должна быть от 0 до 99",
    )?
    .is_some()
    {
        body.insert("vatEnabled".into(), json!(true));
        body.insert("useParentVat".into(), json!(false));
    }
    set_bool(body, input, "vatEnabled")?;
    set_bool(body, input, "useParentVat")
}

/// `effectiveVat` and `effectiveVatEnabled` of a folder or a good: its own rate, or the
/// nearest folder's up the tree while each inherits.
pub async fn inherit_vat(ctx: &Ctx, body: &mut Map<String, Value>) -> MsResult<()> {
    let mut current = body.clone();
    for _ in 0..64 {
        if current.get("useParentVat") != Some(&json!(true)) {
            if let Some(vat) = current.get("vat").cloned() {
                body.insert("effectiveVat".into(), vat);
                let enabled = current.get("vatEnabled").cloned().unwrap_or(json!(false));
                body.insert("effectiveVatEnabled".into(), enabled);
            }
            return Ok(());
        }
        let Some(parent) = current
            .get("productFolder")
            .and_then(|p| p.get("id"))
            .and_then(Value::as_str)
        else {
            return Ok(());
        };
        match ctx.find("productfolder", parent).await? {
            Some(doc) => current = doc.body.as_object().cloned().unwrap_or_default(),
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Own fields on create and update.
fn apply(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    set_string(body, input, "name", 255, true)?;
    set_string(body, input, "code", 255, false)?;
    set_string(body, input, "description", 4096, false)?;
    set_vat(body, input)?;
    set_enum(body, input, "taxSystem", &TAX_SYSTEMS)?;
    Ok(())
}

#[async_trait]
impl Entity for ProductFolder {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        if !input.contains_key("name") {
            return Err(MsError::required("name"));
        }
        let settings = catalog_settings::load(ctx).await?;
        let mut body = Map::new();
        body.insert("vatEnabled".into(), json!(false));
        body.insert("useParentVat".into(), json!(true));
        body.insert("shared".into(), json!(settings.created_shared));
        apply(&mut body, input)?;
        catalog::ensure_unique_code(ctx, &settings, &body).await?;
        TREE.place(ctx, &mut body, input, None).await?;
        Ok(body)
    }

    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        apply(&mut body, input)?;
        catalog::check_code_change(ctx, &body, input).await?;
        TREE.replace(ctx, &mut body, input, stored).await?;
        Ok(body)
    }

    async fn after_update(&self, ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
        TREE.repath_children(ctx, body).await
    }

    /// Sub-folders go with their folder; a folder holding goods, itself or below, is 1028.
    async fn before_delete(&self, ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        TREE.delete_below(ctx, stored).await
    }

    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        inherit_vat(ctx, body).await
    }
}
