//! The demo account: one well-known credential set per dialect, like LocalStack's
//! `test`/`test`, so a newcomer can point a client at Twin at once.

use serde_json::{json, Map};
use twin_core::accounts::{Account, NewAccount};
use twin_core::credentials::{NewSecret, Secret};
use twin_core::{Core, CoreResult};

pub const ACCOUNT: &str = "demo";
pub const RETAILCRM_KEY: &str = "demo-retailcrm-key";
pub const RETAILCRM_SITE: &str = "demo-shop";
pub const MOYSKLAD_LOGIN: &str = "admin@demo";
pub const MOYSKLAD_PASSWORD: &str = "demo";
pub const KASSA_APP_ID: &str = "demo-app";
pub const KASSA_APP_SECRET: &str = "demo-secret";
pub const KASSA_CLIENT_TOKEN: &str = "demo-client-token";
pub const KASSA_EMAIL: &str = "demo@twin.local";
pub const SALESDOC_LOGIN: &str = "demo";
pub const SALESDOC_PASSWORD: &str = "demo";

/// Creates what is missing of the demo account; running it again changes nothing.
pub async fn ensure(core: &Core) -> CoreResult<Account> {
    core.accounts
        .ensure(NewAccount {
            id: Some(ACCOUNT.into()),
            name: Some("Demo shop".into()),
            seed: None,
        })
        .await?;
    let mut settings = Map::new();
    settings.insert("kassa".into(), json!({ "email": KASSA_EMAIL }));
    let account = core.accounts.update_settings(ACCOUNT, settings).await?;
    let existing = core.credentials.list(ACCOUNT).await?;
    let wanted = [
        (
            "retailcrm",
            NewSecret::ApiKey {
                key: Some(RETAILCRM_KEY.into()),
                scopes: Vec::new(),
                sites: vec![RETAILCRM_SITE.into()],
            },
        ),
        (
            "moysklad",
            NewSecret::Password {
                login: MOYSKLAD_LOGIN.into(),
                password: Some(MOYSKLAD_PASSWORD.into()),
            },
        ),
        (
            "kassa",
            NewSecret::App {
                app_id: Some(KASSA_APP_ID.into()),
                app_secret: Some(KASSA_APP_SECRET.into()),
                client_token: Some(KASSA_CLIENT_TOKEN.into()),
            },
        ),
        (
            "salesdoc",
            NewSecret::Password {
                login: SALESDOC_LOGIN.into(),
                password: Some(SALESDOC_PASSWORD.into()),
            },
        ),
    ];
    for (dialect, secret) in wanted {
        let present = existing
            .iter()
            .any(|c| c.dialect == dialect && !matches!(c.secret, Secret::Token { .. }));
        if !present {
            core.credentials.issue(ACCOUNT, dialect, secret).await?;
        }
    }
    Ok(account)
}

/// What `serve --demo` prints: the credentials and a first request for each dialect.
pub fn banner(base: &str, admin_token: &str) -> String {
    format!(
        "\
Demo account `{ACCOUNT}` is ready.

  RetailCRM API v5    X-API-KEY: {RETAILCRM_KEY} (site {RETAILCRM_SITE})
    curl -H 'X-API-KEY: {RETAILCRM_KEY}' {base}/api/credentials
  MoySklad JSON 1.2   login {MOYSKLAD_LOGIN}, password {MOYSKLAD_PASSWORD}
    curl --compressed -u '{MOYSKLAD_LOGIN}:{MOYSKLAD_PASSWORD}' {base}/api/remap/1.2/context/employee
  Produman.Kassa      X-APP-ID: {KASSA_APP_ID}, X-APP-SECRET: {KASSA_APP_SECRET}, X-CLIENT-TOKEN: {KASSA_CLIENT_TOKEN} ({KASSA_EMAIL})
    curl -H 'X-APP-ID: {KASSA_APP_ID}' -H 'X-APP-SECRET: {KASSA_APP_SECRET}' -H 'X-CLIENT-TOKEN: {KASSA_CLIENT_TOKEN}' {base}/kassa/v1/cashboxes
  SalesDoc API V2     login {SALESDOC_LOGIN}, password {SALESDOC_PASSWORD}
    curl -d '{{\"method\":\"login\",\"auth\":{{\"login\":\"{SALESDOC_LOGIN}\",\"password\":\"{SALESDOC_PASSWORD}\"}}}}' {base}/api/v2

  Admin API           Authorization: Bearer {admin_token}
    curl -H 'Authorization: Bearer {admin_token}' {base}/admin/api/accounts/{ACCOUNT}/credentials
"
    )
}
