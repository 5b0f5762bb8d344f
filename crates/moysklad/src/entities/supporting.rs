//! Entities the seed's entities refer to, kept to what references need: a name and a few
//! descriptive strings. Employees and departments are read-only (seeded per login).

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::loyalty;
use crate::accounts;
use crate::error::{MsError, MsResult};
use crate::fields::set_string;
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

/// A named entity with optional string fields.
pub struct Named {
    info: &'static EntityInfo,
    strings: &'static [(&'static str, usize)],
}

const fn info(
    keyword: &'static str,
    fields: &'static [FieldSpec],
    common: bool,
    writable: bool,
) -> EntityInfo {
    EntityInfo {
        keyword,
        fields,
        search: &["name"],
        common,
        hides_archived: common,
        writable,
        attributes: false,
        states: false,
    }
}

const NAMED_FIELDS: [FieldSpec; 2] = [
    FieldSpec::new("name", FieldType::Str, true, true),
    FieldSpec::new("code", FieldType::Str, true, true),
];

/// Organizations and counterparties also refer to the active bonus program (read-only).
const AGENT_FIELDS: [FieldSpec; 3] = [
    NAMED_FIELDS[0],
    NAMED_FIELDS[1],
    FieldSpec::new("bonusProgram", FieldType::Ref("bonusprogram"), false, false),
];

static EMPLOYEE_INFO: EntityInfo = info(
    "employee",
    &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("uid", FieldType::Str, true, true),
        FieldSpec::new("email", FieldType::Str, true, true),
    ],
    true,
    false,
);
static GROUP_INFO: EntityInfo = info(
    "group",
    &[FieldSpec::new("name", FieldType::Str, true, true)],
    false,
    false,
);
static ORGANIZATION_INFO: EntityInfo = info("organization", &AGENT_FIELDS, true, true);
static STORE_INFO: EntityInfo = info("store", &NAMED_FIELDS, true, true);
static COUNTERPARTY_INFO: EntityInfo = info("counterparty", &AGENT_FIELDS, true, true);
static UOM_INFO: EntityInfo = info("uom", &NAMED_FIELDS, true, true);

pub static EMPLOYEE: Named = Named {
    info: &EMPLOYEE_INFO,
    strings: &[],
};
pub static GROUP: Named = Named {
    info: &GROUP_INFO,
    strings: &[],
};
pub static ORGANIZATION: Named = Named {
    info: &ORGANIZATION_INFO,
    strings: &[
        ("code", 255),
        ("description", 4096),
        ("legalTitle", 4096),
        ("inn", 255),
        ("actualAddress", 255),
        ("legalAddress", 255),
    ],
};
pub static STORE: Named = Named {
    info: &STORE_INFO,
    strings: &[("code", 255), ("description", 4096), ("address", 255)],
};
pub static UOM: Named = Named {
    info: &UOM_INFO,
    strings: &[("code", 255), ("description", 4096)],
};
pub static COUNTERPARTY: Named = Named {
    info: &COUNTERPARTY_INFO,
    strings: &[
        ("code", 255),
        ("description", 4096),
        ("legalTitle", 4096),
        ("inn", 255),
        ("email", 255),
        ("phone", 255),
        ("actualAddress", 255),
        ("legalAddress", 255),
    ],
};

fn apply(
    strings: &[(&str, usize)],
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    set_string(body, input, "name", 255, true)?;
    for (field, max) in strings {
        set_string(body, input, field, *max, false)?;
    }
    Ok(())
}

#[async_trait]
impl Entity for Named {
    fn info(&self) -> &'static EntityInfo {
        self.info
    }

    async fn create(&self, _ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        if !input.contains_key("name") {
            return Err(MsError::required("name"));
        }
        let mut body = Map::new();
        apply(self.strings, &mut body, input)?;
        Ok(body)
    }

    async fn update(
        &self,
        _ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        apply(self.strings, &mut body, input)?;
        Ok(body)
    }

    /// A counterparty created while a program grants welcome points gets them.
    async fn after_create(&self, ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
        let keyword = self.info.keyword;
        match body.get("id").and_then(Value::as_str) {
            Some(id) if keyword == "counterparty" => loyalty::welcome(ctx, keyword, id).await,
            _ => Ok(()),
        }
    }

    /// Organizations and counterparties carry their bank accounts as a collection, and
    /// their bonus program and points.
    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        let keyword = self.info.keyword;
        let id = body
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if accounts::HOLDERS.contains(&keyword) {
            body.insert(
                "accounts".into(),
                accounts::collection(ctx, keyword, &id).await?,
            );
        }
        if loyalty::AGENTS.contains(&keyword) {
            loyalty::decorate_agent(ctx, &id, body).await?;
        }
        Ok(())
    }
}
