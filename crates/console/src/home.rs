//! The home page: the health of the store and the delivery worker, then every account
//! with its credentials, each with copy buttons, a first curl line and, where a vendor client
//! library is in wide use (RetailCRM, MoySklad), a snippet for it.

use axum::extract::State;
use axum::response::Response;
use serde_json::Value;

use crate::api::encode;
use crate::html::{code_block, copy_button, esc, json_time, scalar};
use crate::layout::{Page, Section};
use crate::Console;

pub async fn page(State(console): State<Console>) -> Response {
    let page = Page::new("Twin", Section::Home);
    let health = match console.api.get("/health").await {
        Ok(health) => health,
        Err(error) => return page.error(error.status, &error.to_string()),
    };
    let accounts = match console.api.get("/accounts?limit=1000").await {
        Ok(accounts) => accounts,
        Err(error) => return page.error(error.status, &error.to_string()),
    };
    let mut content = health_panel(&health);
    content.push_str("<h2>Accounts</h2>");
    let items = accounts["items"].as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        content.push_str(
            "<p class=\"muted\">No accounts yet: <code>twin serve --demo</code> makes one, \
             or <code>POST /admin/api/accounts</code>.</p>",
        );
    }
    for account in &items {
        let id = account["id"].as_str().unwrap_or_default();
        let credentials = console
            .api
            .get(&format!("/accounts/{}/credentials", encode(id)))
            .await
            .ok()
            .and_then(|list| list.as_array().cloned())
            .unwrap_or_default();
        content.push_str(&account_card(account, &credentials, &console.public_url));
    }
    page.render(&content)
}

fn health_panel(health: &Value) -> String {
    let store_ok = health["store"]["status"] == "ok";
    let store = if store_ok {
        "<span class=\"ok\">answering</span>".to_owned()
    } else {
        format!(
            "<span class=\"bad\">unavailable</span> {}",
            scalar(&health["store"]["detail"])
        )
    };
    let deliveries = &health["deliveries"];
    let last_round = match &health["worker"]["lastRoundAt"] {
        Value::Null => "<span class=\"muted\">no round yet</span>".to_owned(),
        at => format!("last round {}", json_time(at)),
    };
    format!(
        "<section aria-labelledby=\"health\" class=\"panel\"><h2 id=\"health\">Health</h2>\
         <dl class=\"facts\">\
         <dt>Store</dt><dd>{store}</dd>\
         <dt>Delivery worker</dt><dd>{last_round}</dd>\
         <dt>Webhooks</dt><dd>{} pending · {} delivered · {} failed attempts \
         (<a href=\"/console/webhooks\">deliveries</a>)</dd>\
         <dt>Base URL</dt><dd><code>{}</code></dd>\
         <dt>Server time</dt><dd>{}</dd></dl></section>",
        scalar(&deliveries["pending"]),
        scalar(&deliveries["succeeded"]),
        scalar(&deliveries["failed"]),
        scalar(&health["publicUrl"]),
        json_time(&health["now"]),
    )
}

fn account_card(account: &Value, credentials: &[Value], base: &str) -> String {
    let id = account["id"].as_str().unwrap_or_default();
    let name = account["name"].as_str().unwrap_or_default();
    let mut rows = String::new();
    for credential in credentials {
        if let Some(row) = credential_row(credential, base) {
            rows.push_str(&row);
        }
    }
    if rows.is_empty() {
        rows.push_str("<p class=\"muted\">No credentials.</p>");
    }
    format!(
        "<section class=\"panel account\" aria-label=\"Account {id_text}\">\
         <h3>{id_text} <span class=\"muted\">{name}</span></h3>\
         <p class=\"links\"><a href=\"/console/data?account={id_link}\">Data</a> · \
         <a href=\"/console/requests?account={id_link}\">Requests</a> · \
         <a href=\"/console/webhooks?account={id_link}\">Webhooks</a> · \
         <a href=\"/console/controls?account={id_link}\">Controls</a></p>{rows}</section>",
        id_text = esc(id),
        id_link = esc(&encode(id)),
        name = esc(name),
    )
}

/// One credential: its secret parts with copy buttons, a curl line and a client snippet.
/// Tokens a login obtained are left out (they come and go with the client's sessions).
fn credential_row(credential: &Value, base: &str) -> Option<String> {
    let text = |name: &str| credential[name].as_str().unwrap_or_default();
    let dialect = text("dialect");
    let (secrets, curl, client): (Vec<(&str, &str)>, String, Option<String>) =
        match (dialect, text("type")) {
            ("retailcrm", "api_key") => (
                vec![("X-API-KEY", text("key"))],
                format!(
                    "curl -H 'X-API-KEY: {}' {base}/api/credentials",
                    text("key")
                ),
                Some(format!(
                    "# pip install retailcrm\nimport retailcrm\nclient = retailcrm.v5(\"{base}\", \"{}\")\nprint(client.orders().get_response())",
                    text("key")
                )),
            ),
            ("moysklad", "password") => (
                vec![("login", text("login")), ("password", text("password"))],
                format!(
                    "curl --compressed -u '{}:{}' {base}/api/remap/1.2/context/employee",
                    text("login"),
                    text("password")
                ),
                Some(format!(
                    "// npm install moysklad (it wants an https:// endpoint: this fetch sends its\n// requests to Twin over plain http)\nimport Moysklad from 'moysklad'\nconst fetchTwin = (url, init) => fetch(url.replace(/^https:/, 'http:'), init)\nconst ms = Moysklad({{ endpoint: '{}/api', login: '{}', password: '{}', fetch: fetchTwin }})\nconsole.log(await ms.GET('entity/product', {{ limit: 10 }}))",
                    base.replacen("http:", "https:", 1),
                    text("login"),
                    text("password")
                )),
            ),
            ("kassa", "app") => (
                vec![
                    ("X-APP-ID", text("app_id")),
                    ("X-APP-SECRET", text("app_secret")),
                    ("X-CLIENT-TOKEN", text("client_token")),
                ],
                format!(
                    "curl -H 'X-APP-ID: {}' -H 'X-APP-SECRET: {}' -H 'X-CLIENT-TOKEN: {}' {base}/kassa/v1/cashboxes",
                    text("app_id"),
                    text("app_secret"),
                    text("client_token")
                ),
                None,
            ),
            ("salesdoc", "password") => (
                vec![("login", text("login")), ("password", text("password"))],
                format!(
                    "curl -d '{{\"method\":\"login\",\"auth\":{{\"login\":\"{}\",\"password\":\"{}\"}}}}' {base}/api/v2",
                    text("login"),
                    text("password")
                ),
                None,
            ),
            _ => return None,
        };
    let mut facts = String::new();
    for (label, value) in secrets {
        facts.push_str(&format!(
            "<dt>{}</dt><dd><code>{}</code> {}</dd>",
            esc(label),
            esc(value),
            copy_button(value, "Copy")
        ));
    }
    let client = client
        .map(|snippet| {
            format!(
                "<details><summary>Client</summary>{}</details>",
                code_block(&snippet, "code")
            )
        })
        .unwrap_or_default();
    Some(format!(
        "<div class=\"credential\"><h4>{}</h4><dl class=\"facts\">{facts}</dl>{}{client}</div>",
        esc(dialect_title(dialect)),
        code_block(&curl, "shell"),
    ))
}

pub fn dialect_title(dialect: &str) -> &str {
    match dialect {
        "retailcrm" => "RetailCRM API v5",
        "moysklad" => "MoySklad JSON API 1.2",
        "kassa" => "Produman.Kassa",
        "salesdoc" => "SalesDoc API V2",
        other => other,
    }
}
