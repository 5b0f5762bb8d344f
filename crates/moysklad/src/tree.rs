//! Folder trees (product and processing-plan folders): `pathName` is the chain of parent
//! names joined by `/`, a folder cannot move under itself or its descendants, and renaming
//! or moving one rewrites the paths below it, of folders and of the items they hold
//! (goods in product folders carry their folder's full path).

use std::collections::HashMap;

use serde_json::{json, Map, Value};
use twin_store::{Document, ListQuery};

use crate::engine::{self, referring, rewrite_field};
use crate::error::{MsError, MsResult};
use crate::fields::{self, stored_reference, Given};
use crate::model::Ctx;
use crate::representation::Target;

/// One folder kind: its keyword and the field naming its parent.
pub struct Tree {
    pub keyword: &'static str,
    pub parent_field: &'static str,
    /// Types of the items folders hold; an item names its folder in `parent_field` too.
    pub members: &'static [&'static str],
}

/// The longest `pathName` the vendor accepts.
const MAX_PATH: usize = 255;

impl Tree {
    fn parent_id(&self, body: &Map<String, Value>) -> Option<String> {
        body.get(self.parent_field)?
            .get("id")?
            .as_str()
            .map(str::to_owned)
    }

    /// The `pathName` of a child of `parent`.
    fn child_path(parent: &Map<String, Value>) -> String {
        let path = parent
            .get("pathName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = parent
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}/{name}")
        }
    }

    async fn load(&self, ctx: &Ctx, id: &str) -> MsResult<Option<Map<String, Value>>> {
        Ok(ctx
            .core
            .entities
            .find(&ctx.scope, self.keyword, id)
            .await?
            .and_then(|doc| doc.body.as_object().cloned()))
    }

    /// Applies the parent field of `input` to `body` (of folder `own_id`, when it exists),
    /// refusing cycles, and sets `pathName`.
    pub async fn place(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        input: &Map<String, Value>,
        own_id: Option<&str>,
    ) -> MsResult<()> {
        let given = fields::reference(ctx, input, self.parent_field, self.keyword).await?;
        if let Given::Value(target) = &given {
            self.ensure_outside(ctx, &target.id, own_id).await?;
        }
        let path = self.settle(ctx, body, given).await?;
        if path.chars().count() > MAX_PATH {
            return Err(MsError::new(
                3051,
                "Ошибка сохранения объекта: слишком длинный путь группы",
            )
            .on("pathName"));
        }
        Ok(())
    }

    /// Refuses `parent` as the parent of folder `own_id`: itself (23000) or one of its
    /// descendants (23001).
    async fn ensure_outside(&self, ctx: &Ctx, parent: &str, own_id: Option<&str>) -> MsResult<()> {
        if Some(parent) == own_id {
            return Err(
                MsError::new(23000, "Группа не может быть родительской для самой себя")
                    .on(self.parent_field),
            );
        }
        let mut ancestor = Some(parent.to_owned());
        while let Some(id) = ancestor {
            if Some(id.as_str()) == own_id {
                return Err(MsError::new(
                    23001,
                    "Группа не может быть вложена в свою дочернюю группу",
                )
                .on(self.parent_field));
            }
            ancestor = match self.load(ctx, &id).await? {
                Some(folder) => self.parent_id(&folder),
                None => None,
            };
        }
        Ok(())
    }

    /// Applies the folder field of an item's `input` to its `body` and sets the item's
    /// `pathName`: the folder's full path, `""` at the root.
    pub async fn place_item(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<()> {
        let given = fields::reference(ctx, input, self.parent_field, self.keyword).await?;
        self.settle(ctx, body, given).await?;
        Ok(())
    }

    /// Stores the folder a write gave (or its removal) and the `pathName` that follows;
    /// answers the path.
    async fn settle(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        given: Given<Target>,
    ) -> MsResult<String> {
        match given {
            Given::Value(target) => {
                body.insert(
                    self.parent_field.into(),
                    stored_reference(self.keyword, &target.id),
                );
            }
            Given::Null => {
                body.remove(self.parent_field);
            }
            Given::Absent => {}
        }
        let path = match self.parent_id(body) {
            Some(parent) => self
                .load(ctx, &parent)
                .await?
                .map(|p| Self::child_path(&p))
                .unwrap_or_default(),
            None => String::new(),
        };
        body.insert("pathName".into(), json!(path));
        Ok(path)
    }

    /// `place` for a folder already stored as `stored`.
    pub async fn replace(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        input: &Map<String, Value>,
        stored: &Map<String, Value>,
    ) -> MsResult<()> {
        let id = stored.get("id").and_then(Value::as_str).map(str::to_owned);
        self.place(ctx, body, input, id.as_deref()).await
    }

    /// Deletes every folder below the stored folder. Nothing is deleted while anything
    /// refers to one of them (the goods a folder holds): that is 1028, as for the folder
    /// itself.
    pub async fn delete_below(&self, ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        let id = stored.get("id").and_then(Value::as_str).unwrap_or_default();
        let below = self.descendants(ctx, id).await?;
        for folder in &below {
            engine::ensure_unused(ctx, self.keyword, folder).await?;
        }
        for folder in below.iter().rev() {
            engine::remove(ctx, self.keyword, folder).await?;
        }
        Ok(())
    }

    /// The ids of every folder below `id`, each before its own sub-folders. The tree is
    /// read once, not a query per level.
    pub async fn descendants(&self, ctx: &Ctx, id: &str) -> MsResult<Vec<String>> {
        let folders = engine::all(ctx, ListQuery::new(ctx.scope.clone(), self.keyword)).await?;
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for folder in folders {
            if let Some(parent) = folder.body.as_object().and_then(|b| self.parent_id(b)) {
                children.entry(parent).or_default().push(folder.key.id);
            }
        }
        let mut found: Vec<String> = Vec::new();
        let mut next = 0;
        let mut parent = id.to_owned();
        loop {
            found.extend(children.remove(&parent).unwrap_or_default());
            let Some(folder) = found.get(next) else {
                return Ok(found);
            };
            parent = folder.clone();
            next += 1;
        }
    }

    async fn children(&self, ctx: &Ctx, id: &str) -> MsResult<Vec<Document>> {
        referring(ctx, self.keyword, self.parent_field, id).await
    }

    /// Rewrites the `pathName` of every folder and item below `folder` after it was renamed
    /// or moved.
    pub async fn repath_children(&self, ctx: &Ctx, folder: &Map<String, Value>) -> MsResult<()> {
        let Some(id) = folder.get("id").and_then(Value::as_str) else {
            return Ok(());
        };
        let path = Self::child_path(folder);
        for member in self.members {
            for item in referring(ctx, member, self.parent_field, id).await? {
                rewrite_field(ctx, item, "pathName", json!(path)).await?;
            }
        }
        for child in self.children(ctx, id).await? {
            if let Some(body) = rewrite_field(ctx, child, "pathName", json!(path)).await? {
                Box::pin(self.repath_children(ctx, &body)).await?;
            }
        }
        Ok(())
    }
}
