//! Accounts (tenants). Each owns one data set per dialect and one credential set per
//! dialect; its clock setting and id seed travel with it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use twin_store::{Document, Expect, ListQuery, Page, PageRequest, Scope, Store, Write};

use crate::clock::{Clock, ClockCommand, ClockSetting, CLOCK_RANGE};
use crate::{CoreError, CoreResult, SYSTEM_ACCOUNT};

const KIND: &str = "account";
const NUMBER_SEQUENCE: &str = "account_number";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// A slug: lowercase letters, digits and dashes.
    pub id: String,
    pub name: String,
    /// Issued in creation order, never twice.
    pub number: i64,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub clock: ClockSetting,
    /// When set, new entity ids are derived from it (see `ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Per-dialect switches, e.g. `{"moysklad": {"lenientGzip": true}}`.
    #[serde(default)]
    pub settings: Map<String, Value>,
}

impl Account {
    /// The account's current time.
    pub fn now(&self, base: &dyn Clock) -> DateTime<Utc> {
        self.clock.now(base)
    }

    /// The scope of this account's data in one dialect.
    pub fn scope(&self, dialect: &str) -> Scope {
        Scope::new(self.id.clone(), dialect)
    }

    /// A dialect setting, e.g. `setting("moysklad", "lenientGzip")`.
    pub fn setting(&self, dialect: &str, name: &str) -> Option<&Value> {
        self.settings.get(dialect)?.get(name)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub id: Option<String>,
    pub name: Option<String>,
    pub seed: Option<u64>,
}

#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

fn scope() -> Scope {
    Scope::new(SYSTEM_ACCOUNT, "twin")
}

fn parse(doc: Document) -> CoreResult<Account> {
    serde_json::from_value(doc.body).map_err(|e| CoreError::Internal(format!("account: {e}")))
}

fn validate_id(id: &str) -> CoreResult<()> {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if valid {
        Ok(())
    } else {
        Err(CoreError::validation(
            "id",
            "use 1 to 64 lowercase letters, digits and dashes, not starting with a dash",
        ))
    }
}

impl Accounts {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    pub async fn create(&self, new: NewAccount) -> CoreResult<Account> {
        let number = self.store.next_sequence(&scope(), NUMBER_SEQUENCE).await?;
        let id = new.id.unwrap_or_else(|| format!("acc-{number}"));
        validate_id(&id)?;
        let account = Account {
            name: new.name.unwrap_or_else(|| id.clone()),
            id,
            number,
            created_at: self.clock.now(),
            clock: ClockSetting::Real,
            seed: new.seed,
            settings: Map::new(),
        };
        self.save(&account, Expect::Absent)
            .await
            .map_err(|e| match e {
                CoreError::Conflict(_) => {
                    CoreError::Conflict(format!("account {} already exists", account.id))
                }
                other => other,
            })?;
        Ok(account)
    }

    /// The account with this id, created when missing (the demo account at each start).
    pub async fn ensure(&self, new: NewAccount) -> CoreResult<Account> {
        if let Some(id) = &new.id {
            if let Some(account) = self.find(id).await? {
                return Ok(account);
            }
        }
        self.create(new).await
    }

    pub async fn find(&self, id: &str) -> CoreResult<Option<Account>> {
        self.store
            .get(&scope().key(KIND, id))
            .await?
            .map(parse)
            .transpose()
    }

    pub async fn get(&self, id: &str) -> CoreResult<Account> {
        self.find(id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("account {id}")))
    }

    pub async fn list(&self, offset: u64, limit: u32) -> CoreResult<Page<Account>> {
        let query = ListQuery::new(scope(), KIND).page(PageRequest::Offset { offset, limit });
        let page = self.store.list(&query).await?;
        let items = page
            .items
            .into_iter()
            .map(parse)
            .collect::<CoreResult<_>>()?;
        Ok(Page {
            items,
            total: page.total,
            next_cursor: None,
        })
    }

    /// Removes the account record and all its data. Credentials are the caller's to
    /// revoke first (see `Core::delete_account`).
    pub async fn delete(&self, id: &str) -> CoreResult<()> {
        self.get(id).await?;
        self.store.purge(id, None).await?;
        let write = Write::Delete {
            key: scope().key(KIND, id),
            expect: Expect::Any,
        };
        self.store
            .apply(twin_store::Batch::new().write(write))
            .await?;
        Ok(())
    }

    pub async fn set_clock(&self, id: &str, command: ClockCommand) -> CoreResult<Account> {
        self.modify(id, |account| {
            account.clock = account
                .clock
                .apply(command, self.clock.as_ref())
                .ok_or_else(|| {
                    let field = match command {
                        ClockCommand::Advance { .. } => "seconds",
                        _ => "at",
                    };
                    CoreError::validation(field, CLOCK_RANGE)
                })?;
            Ok(())
        })
        .await
    }

    /// Merges `patch` into the account's settings; a `null` removes a setting.
    pub async fn update_settings(
        &self,
        id: &str,
        patch: Map<String, Value>,
    ) -> CoreResult<Account> {
        self.modify(id, |account| {
            for (dialect, values) in &patch {
                let entry = account
                    .settings
                    .entry(dialect.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let (Value::Object(target), Value::Object(values)) = (entry, values) {
                    for (name, value) in values {
                        if value.is_null() {
                            target.remove(name);
                        } else {
                            target.insert(name.clone(), value.clone());
                        }
                    }
                }
            }
            Ok(())
        })
        .await
    }

    /// Applies a change with an optimistic version check, retrying when another writer
    /// got there first; a change that fails leaves the account as it was.
    async fn modify(
        &self,
        id: &str,
        change: impl Fn(&mut Account) -> CoreResult<()>,
    ) -> CoreResult<Account> {
        loop {
            let doc = self
                .store
                .get(&scope().key(KIND, id))
                .await?
                .ok_or_else(|| CoreError::NotFound(format!("account {id}")))?;
            let version = doc.version;
            let mut account = parse(doc)?;
            change(&mut account)?;
            match self.save(&account, Expect::Version(version)).await {
                Err(CoreError::Conflict(_)) => continue,
                other => return other.map(|_| account),
            }
        }
    }

    async fn save(&self, account: &Account, expect: Expect) -> CoreResult<()> {
        let body = serde_json::to_value(account).map_err(|e| CoreError::Internal(e.to_string()))?;
        let doc = Document::new(scope().key(KIND, account.id.clone()), body);
        self.store
            .apply(twin_store::Batch::new().write(Write::Put { doc, expect }))
            .await?;
        Ok(())
    }
}
