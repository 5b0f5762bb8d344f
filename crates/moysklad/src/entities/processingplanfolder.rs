//! `processingplanfolder`: the tree of processing-plan folders.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::error::{MsError, MsResult};
use crate::fields::set_string;
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};
use crate::tree::Tree;

pub struct ProcessingPlanFolder;

static INFO: EntityInfo = EntityInfo {
    keyword: "processingplanfolder",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("pathName", FieldType::Str, true, true),
        FieldSpec::new(
            "processingplanfolder",
            FieldType::Ref("processingplanfolder"),
            true,
            false,
        ),
    ],
    search: &["name", "code"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: false,
    states: false,
};

const TREE: Tree = Tree {
    keyword: "processingplanfolder",
    parent_field: "processingplanfolder",
    members: &[],
};

fn apply(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    set_string(body, input, "name", 255, true)?;
    set_string(body, input, "code", 255, false)?;
    set_string(body, input, "description", 4096, false)
}

#[async_trait]
impl Entity for ProcessingPlanFolder {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        if !input.contains_key("name") {
            return Err(MsError::required("name"));
        }
        let mut body = Map::new();
        apply(&mut body, input)?;
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
        TREE.replace(ctx, &mut body, input, stored).await?;
        Ok(body)
    }

    async fn after_update(&self, ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
        TREE.repath_children(ctx, body).await
    }

    /// Sub-folders go with their folder.
    async fn before_delete(&self, ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        TREE.delete_below(ctx, stored).await
    }
}
