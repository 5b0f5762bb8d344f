//! Folder trees (product and processing-plan folders): `pathName` is the chain of parent
//! names joined by `/`, a folder cannot move under itself or its descendants, and renaming
//! or moving one rewrites the paths below it.

use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::engine;

use crate::error::{MsError, MsResult};
use crate::fields::{self, stored_reference, Given};
use crate::model::Ctx;

/// One folder kind: its keyword and the field naming its parent.
pub struct Tree {
    pub keyword: &'static str,
    pub parent_field: &'static str,
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
        match fields::reference(ctx, input, self.parent_field, self.keyword).await? {
            Given::Value(target) => {
                if Some(target.id.as_str()) == own_id {
                    return Err(MsError::new(
                        23000,
                        "Группа не может быть родительской для самой себя",
                    )
                    .on(self.parent_field));
                }
                let mut ancestor = Some(target.id.clone());
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
        if path.chars().count() > MAX_PATH {
            return Err(MsError::new(
                3051,
                "Ошибка сохранения объекта: слишком длинный путь группы",
            )
            .on("pathName"));
        }
        body.insert("pathName".into(), json!(path));
        Ok(())
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

    /// Deletes every folder below the stored folder.
    pub async fn delete_below(&self, ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        let id = stored.get("id").and_then(Value::as_str).unwrap_or_default();
        self.delete_children(ctx, id).await
    }

    /// Deletes every folder below `id`: a folder goes with its sub-folders.
    async fn delete_children(&self, ctx: &Ctx, id: &str) -> MsResult<()> {
        for child in self.children(ctx, id).await? {
            Box::pin(self.delete_children(ctx, &child.key.id)).await?;
            engine::remove(ctx, self.keyword, &child.key.id).await?;
        }
        Ok(())
    }

    async fn children(&self, ctx: &Ctx, id: &str) -> MsResult<Vec<Document>> {
        let query = ListQuery::new(ctx.scope.clone(), self.keyword)
            .filter(Filter::eq(&format!("{}.id", self.parent_field), id))
            .page(PageRequest::Offset {
                offset: 0,
                limit: u32::MAX,
            });
        Ok(ctx.core.entities.list(&query).await?.items)
    }

    /// Rewrites the `pathName` of every folder below `folder` after it was renamed or moved.
    pub async fn repath_children(&self, ctx: &Ctx, folder: &Map<String, Value>) -> MsResult<()> {
        let Some(id) = folder.get("id").and_then(Value::as_str) else {
            return Ok(());
        };
        let path = Self::child_path(folder);
        for child in self.children(ctx, id).await? {
            if child.body.get("pathName").and_then(Value::as_str) == Some(path.as_str()) {
                continue;
            }
            let before = child.body.as_object().cloned().unwrap_or_default();
            let mut body = before.clone();
            body.insert("pathName".into(), json!(path));
            let mut doc = Document::new(child.key.clone(), Value::Object(body.clone()));
            doc.version = child.version;
            engine::replace(ctx, doc, &before).await?;
            Box::pin(self.repath_children(ctx, &body)).await?;
        }
        Ok(())
    }
}
