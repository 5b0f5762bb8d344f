//! Per-dialect credentials, in each vendor's scheme: RetailCRM API keys with scopes and
//! sites, MoySklad and SalesDoc logins with passwords (and the tokens they obtain), Kassa
//! app id + secret + client token. Stored outside every account; secrets are kept as
//! given, since Twin is a test double and its console shows them.
//!
//! A request's secret is checked in constant time: keys, client tokens and bearer tokens
//! are found through a unique index on the SHA-256 digest of the secret (so how long the
//! index search takes says nothing about the secret's prefix), then the stored secret is
//! compared with `constant_time_eq`; passwords are found by login and compared likewise.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use twin_store::{
    Batch, Document, Expect, Filter, ListQuery, PageRequest, Scope, Store, StoreError, Write,
};
use uuid::Uuid;

use crate::clock::Clock;
use crate::ids::{constant_time_eq, random_token};
use crate::{CoreError, CoreResult, DIALECTS, SYSTEM_ACCOUNT};

const KIND: &str = "credential";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    pub id: String,
    pub account: String,
    pub dialect: String,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub secret: Secret,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Secret {
    ApiKey {
        key: String,
        /// Permission names (e.g. RetailCRM's `order_read`); empty means all.
        scopes: Vec<String>,
        /// Sites (stores) the key may reach; empty means all.
        sites: Vec<String>,
    },
    Password {
        login: String,
        password: String,
    },
    App {
        app_id: String,
        app_secret: String,
        client_token: String,
    },
    /// A bearer token obtained with another credential (`issued_for`).
    Token {
        token: String,
        issued_for: String,
        expires_at: Option<DateTime<Utc>>,
    },
}

/// What an admin asks for; omitted secrets are generated.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum NewSecret {
    ApiKey {
        key: Option<String>,
        #[serde(default)]
        scopes: Vec<String>,
        #[serde(default)]
        sites: Vec<String>,
    },
    Password {
        login: String,
        password: Option<String>,
    },
    App {
        app_id: Option<String>,
        app_secret: Option<String>,
        client_token: Option<String>,
    },
}

/// The unique lookups secrets are found by: the digest of the secret, never the secret.
const KEY_DIGEST: &str = "key_sha256";
const CLIENT_TOKEN_DIGEST: &str = "client_token_sha256";
const TOKEN_DIGEST: &str = "token_sha256";
/// The lookups of credentials written before secrets were indexed by digest.
const PLAIN_LOOKUPS: [&str; 3] = ["key", "client_token", "token"];

/// The SHA-256 digest of a secret, in lowercase hex.
fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl Secret {
    /// The unique lookup a request's secret is found by.
    fn lookup(&self) -> (&'static str, String) {
        match self {
            Secret::ApiKey { key, .. } => (KEY_DIGEST, digest(key)),
            Secret::Password { login, .. } => ("login", login.to_lowercase()),
            Secret::App { client_token, .. } => (CLIENT_TOKEN_DIGEST, digest(client_token)),
            Secret::Token { token, .. } => (TOKEN_DIGEST, digest(token)),
        }
    }

    /// The secret a request presents for this credential: what it is checked against.
    fn presented(&self) -> &str {
        match self {
            Secret::ApiKey { key, .. } => key,
            Secret::Password { password, .. } => password,
            Secret::App { client_token, .. } => client_token,
            Secret::Token { token, .. } => token,
        }
    }

    /// What a duplicate is reported as: the login, or only the kind of secret.
    fn described(&self) -> String {
        match self {
            Secret::Password { login, .. } => format!("login {login:?}"),
            Secret::ApiKey { .. } => "key".to_owned(),
            Secret::App { .. } => "client token".to_owned(),
            Secret::Token { .. } => "token".to_owned(),
        }
    }
}

/// The scheme each vendor uses.
fn scheme_fits(dialect: &str, secret: &NewSecret) -> bool {
    matches!(
        (dialect, secret),
        ("retailcrm", NewSecret::ApiKey { .. })
            | ("moysklad", NewSecret::Password { .. })
            | ("salesdoc", NewSecret::Password { .. })
            | ("kassa", NewSecret::App { .. })
    )
}

fn scope(dialect: &str) -> Scope {
    Scope::new(SYSTEM_ACCOUNT, dialect)
}

fn parse(doc: Document) -> CoreResult<Credential> {
    serde_json::from_value(doc.body).map_err(|e| CoreError::Internal(format!("credential: {e}")))
}

#[derive(Clone)]
pub struct Credentials {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl Credentials {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    pub async fn issue(
        &self,
        account: &str,
        dialect: &str,
        new: NewSecret,
    ) -> CoreResult<Credential> {
        if !DIALECTS.contains(&dialect) {
            return Err(CoreError::validation(
                "dialect",
                format!("one of {DIALECTS:?}"),
            ));
        }
        if !scheme_fits(dialect, &new) {
            return Err(CoreError::validation(
                "type",
                "retailcrm takes api_key, moysklad and salesdoc take password, kassa takes app",
            ));
        }
        let secret = match new {
            NewSecret::ApiKey { key, scopes, sites } => Secret::ApiKey {
                key: key.unwrap_or_else(random_token),
                scopes,
                sites,
            },
            NewSecret::Password { login, password } => {
                if login.trim().is_empty() {
                    return Err(CoreError::validation("login", "must not be empty"));
                }
                Secret::Password {
                    login,
                    password: password.unwrap_or_else(random_token),
                }
            }
            NewSecret::App {
                app_id,
                app_secret,
                client_token,
            } => Secret::App {
                app_id: app_id.unwrap_or_else(|| Uuid::new_v4().to_string()),
                app_secret: app_secret.unwrap_or_else(random_token),
                client_token: client_token.unwrap_or_else(random_token),
            },
        };
        self.save(account, dialect, secret).await
    }

    async fn save(&self, account: &str, dialect: &str, secret: Secret) -> CoreResult<Credential> {
        let credential = Credential {
            id: Uuid::new_v4().to_string(),
            account: account.to_owned(),
            dialect: dialect.to_owned(),
            created_at: self.clock.now(),
            secret,
        };
        let (name, value) = credential.secret.lookup();
        let body =
            serde_json::to_value(&credential).map_err(|e| CoreError::Internal(e.to_string()))?;
        let doc = Document::new(scope(dialect).key(KIND, credential.id.clone()), body)
            .with_lookup(name, value);
        let write = Write::Put {
            doc,
            expect: Expect::Absent,
        };
        match self.store.apply(Batch::new().write(write)).await {
            Err(StoreError::Duplicate { .. }) => Err(CoreError::Conflict(format!(
                "{dialect} {} is already in use",
                credential.secret.described()
            ))),
            other => other.map(|_| credential).map_err(Into::into),
        }
    }

    /// Replaces an API key's permission list, the key itself unchanged (RetailCRM's
    /// `integration-modules/{code}/update-scopes` changes the calling key's scopes).
    pub async fn set_scopes(
        &self,
        credential: &Credential,
        scopes: Vec<String>,
    ) -> CoreResult<Credential> {
        let key = scope(&credential.dialect).key(KIND, credential.id.clone());
        let doc = self
            .store
            .get(&key)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("credential {}", credential.id)))?;
        let mut updated = parse(doc.clone())?;
        let Secret::ApiKey { scopes: held, .. } = &mut updated.secret else {
            return Err(CoreError::validation("type", "only API keys have scopes"));
        };
        *held = scopes;
        let body =
            serde_json::to_value(&updated).map_err(|e| CoreError::Internal(e.to_string()))?;
        let mut new = Document::new(key, body);
        new.lookups = doc.lookups.clone();
        let write = Write::Put {
            doc: new,
            expect: Expect::Version(doc.version),
        };
        self.store.apply(Batch::new().write(write)).await?;
        Ok(updated)
    }

    /// The account's credentials in every dialect, tokens included.
    pub async fn list(&self, account: &str) -> CoreResult<Vec<Credential>> {
        let mut all = Vec::new();
        for dialect in DIALECTS {
            all.extend(
                self.matching(dialect, Filter::eq("account", account))
                    .await?,
            );
        }
        Ok(all)
    }

    async fn matching(&self, dialect: &str, filter: Filter) -> CoreResult<Vec<Credential>> {
        self.documents(dialect, Some(filter))
            .await?
            .into_iter()
            .map(parse)
            .collect()
    }

    /// The credential documents of a dialect (matching `filter`, or all).
    async fn documents(&self, dialect: &str, filter: Option<Filter>) -> CoreResult<Vec<Document>> {
        let mut found = Vec::new();
        let mut after = None;
        loop {
            let mut query = ListQuery::new(scope(dialect), KIND).page(PageRequest::Cursor {
                after,
                limit: 500,
                descending: false,
            });
            if let Some(filter) = &filter {
                query = query.filter(filter.clone());
            }
            let page = self.store.list(&query).await?;
            found.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => return Ok(found),
            }
        }
    }

    /// Re-indexes credentials stored before secrets were indexed by digest (their lookup
    /// held the secret itself), so they stay usable; run at start. Returns how many.
    pub async fn upgrade_lookups(&self) -> CoreResult<usize> {
        let mut upgraded = 0;
        for dialect in DIALECTS {
            for doc in self.documents(dialect, None).await? {
                if !doc
                    .lookups
                    .keys()
                    .any(|name| PLAIN_LOOKUPS.contains(&name.as_str()))
                {
                    continue;
                }
                let (name, value) = parse(doc.clone())?.secret.lookup();
                let mut new = Document::new(doc.key.clone(), doc.body.clone());
                new.lookups = doc.lookups.clone();
                new.lookups
                    .retain(|name, _| !PLAIN_LOOKUPS.contains(&name.as_str()));
                new.lookups.insert(name.to_owned(), value);
                let write = Write::Put {
                    doc: new,
                    expect: Expect::Version(doc.version),
                };
                match self.store.apply(Batch::new().write(write)).await {
                    // Another replica upgraded it first.
                    Err(StoreError::Conflict(_)) => {}
                    other => {
                        other?;
                        upgraded += 1;
                    }
                }
            }
        }
        Ok(upgraded)
    }

    /// Revokes one of the account's credentials and the tokens obtained with it.
    pub async fn revoke(&self, account: &str, id: &str) -> CoreResult<()> {
        for dialect in DIALECTS {
            if let Some(doc) = self.store.get(&scope(dialect).key(KIND, id)).await? {
                let credential = parse(doc)?;
                if credential.account == account {
                    let tokens = self.matching(dialect, Filter::eq("issued_for", id)).await?;
                    return self
                        .delete(dialect, tokens.iter().map(|t| t.id.as_str()).chain([id]))
                        .await;
                }
            }
        }
        Err(CoreError::NotFound(format!("credential {id}")))
    }

    pub async fn revoke_all(&self, account: &str) -> CoreResult<()> {
        for dialect in DIALECTS {
            let owned = self
                .matching(dialect, Filter::eq("account", account))
                .await?;
            self.delete(dialect, owned.iter().map(|c| c.id.as_str()))
                .await?;
        }
        Ok(())
    }

    async fn delete<'a>(
        &self,
        dialect: &str,
        ids: impl Iterator<Item = &'a str>,
    ) -> CoreResult<()> {
        let mut batch = Batch::new();
        for id in ids {
            batch = batch.write(Write::Delete {
                key: scope(dialect).key(KIND, id),
                expect: Expect::Any,
            });
        }
        self.store.apply(batch).await?;
        Ok(())
    }

    async fn by_lookup(
        &self,
        dialect: &str,
        name: &str,
        value: &str,
    ) -> CoreResult<Option<Credential>> {
        self.store
            .find_by_lookup(&scope(dialect), KIND, name, value)
            .await?
            .map(parse)
            .transpose()
    }

    /// The credential whose secret's digest is indexed under `name`, when its stored
    /// secret equals the given one, compared in constant time.
    async fn by_secret(
        &self,
        dialect: &str,
        name: &str,
        secret: &str,
    ) -> CoreResult<Option<Credential>> {
        let found = self.by_lookup(dialect, name, &digest(secret)).await?;
        Ok(found.filter(|credential| {
            constant_time_eq(credential.secret.presented().as_bytes(), secret.as_bytes())
        }))
    }

    pub async fn by_api_key(&self, dialect: &str, key: &str) -> CoreResult<Option<Credential>> {
        self.by_secret(dialect, KEY_DIGEST, key).await
    }

    /// The password credential with this login (case-insensitive), whatever its password:
    /// for vendors that tell an unknown login from a wrong password (SalesDoc).
    pub async fn by_login(&self, dialect: &str, login: &str) -> CoreResult<Option<Credential>> {
        self.by_lookup(dialect, "login", &login.to_lowercase())
            .await
    }

    /// The credential whose login (case-insensitive) and password match.
    pub async fn by_password(
        &self,
        dialect: &str,
        login: &str,
        password: &str,
    ) -> CoreResult<Option<Credential>> {
        let found = self
            .by_lookup(dialect, "login", &login.to_lowercase())
            .await?;
        Ok(found.filter(|c| {
            matches!(&c.secret, Secret::Password { .. })
                && constant_time_eq(c.secret.presented().as_bytes(), password.as_bytes())
        }))
    }

    pub async fn by_app(
        &self,
        dialect: &str,
        app_id: &str,
        app_secret: &str,
        client_token: &str,
    ) -> CoreResult<Option<Credential>> {
        let found = self
            .by_secret(dialect, CLIENT_TOKEN_DIGEST, client_token)
            .await?;
        Ok(found.filter(|c| {
            matches!(&c.secret, Secret::App { app_id: id, app_secret: s, .. }
                if constant_time_eq(id.as_bytes(), app_id.as_bytes())
                    & constant_time_eq(s.as_bytes(), app_secret.as_bytes()))
        }))
    }

    /// The credentials of one application (Kassa's `X-APP-ID`), across accounts.
    pub async fn by_app_id(&self, dialect: &str, app_id: &str) -> CoreResult<Vec<Credential>> {
        self.matching(dialect, Filter::eq("app_id", app_id)).await
    }

    /// The credential a live token was issued for.
    pub async fn by_token(&self, dialect: &str, token: &str) -> CoreResult<Option<Credential>> {
        let Some(found) = self.by_secret(dialect, TOKEN_DIGEST, token).await? else {
            return Ok(None);
        };
        let Secret::Token {
            issued_for,
            expires_at,
            ..
        } = &found.secret
        else {
            return Ok(None);
        };
        if expires_at.is_some_and(|at| at <= self.clock.now()) {
            return Ok(None);
        }
        self.store
            .get(&scope(dialect).key(KIND, issued_for.clone()))
            .await?
            .map(parse)
            .transpose()
    }

    /// Issues a bearer token for a credential; `exclusive` revokes its earlier tokens
    /// (MoySklad's `POST /security/token` does).
    pub async fn issue_token(
        &self,
        parent: &Credential,
        ttl: Option<Duration>,
        exclusive: bool,
    ) -> CoreResult<Credential> {
        if exclusive {
            let earlier = self
                .matching(
                    &parent.dialect,
                    Filter::eq("issued_for", parent.id.as_str()),
                )
                .await?;
            self.delete(&parent.dialect, earlier.iter().map(|t| t.id.as_str()))
                .await?;
        }
        let secret = Secret::Token {
            token: random_token(),
            issued_for: parent.id.clone(),
            expires_at: ttl.map(|ttl| self.clock.now() + ttl),
        };
        self.save(&parent.account, &parent.dialect, secret).await
    }
}
