//! `/accounts/{id}/webhooks/subscriptions`: what each dialect's API subscribed.

use serde_json::{json, Value};

use super::get;
use crate::kassa::Kassa;
use crate::moysklad::Ms;

fn dialect<'a>(listing: &'a Value, name: &str) -> &'a Value {
    listing["dialects"]
        .as_array()
        .expect("dialects")
        .iter()
        .find(|d| d["dialect"] == name)
        .unwrap_or_else(|| panic!("{name} listed: {listing}"))
}

fn ids(entry: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = entry["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn subscriptions_are_listed_per_dialect() {
    let ms = Ms::new().await;
    let app = ms.app;
    let hook =
        json!({ "url": "https://example.com/ms", "action": "CREATE", "entityType": "product" });
    let (status, webhook) = ms.post("/entity/webhook", hook).await;
    assert_eq!(status, 200, "{webhook}");
    let stock = json!({ "url": "https://example.com/stock", "enabled": true,
                        "reportType": "all", "stockType": "stock" });
    let (status, stock) = ms.post("/entity/webhookstock", stock).await;
    assert_eq!(status, 200, "{stock}");
    let kassa = Kassa::in_account(app, ms.account.clone()).await;
    let endpoint = kassa.webhook_endpoint("https://example.com/kassa").await;

    let path = format!("/accounts/{}/webhooks/subscriptions", ms.account);
    let (status, listing) = get(app, &path).await;
    assert_eq!(status, 200, "{listing}");
    let moysklad = dialect(&listing, "moysklad");
    assert_eq!(moysklad["kinds"], json!(["webhook", "webhookstock"]));
    let mut expected = vec![
        webhook["id"].as_str().unwrap(),
        stock["id"].as_str().unwrap(),
    ];
    expected.sort_unstable();
    assert_eq!(ids(moysklad), expected);
    let kassa_entry = dialect(&listing, "kassa");
    assert_eq!(kassa_entry["kinds"], json!(["webhook_endpoint"]));
    assert_eq!(ids(kassa_entry), [endpoint["id"].as_str().unwrap()]);
    assert_eq!(
        kassa_entry["items"][0]["body"]["_url"],
        "https://example.com/kassa"
    );
    for name in ["retailcrm", "salesdoc"] {
        assert_eq!(
            dialect(&listing, name),
            &json!({ "dialect": name, "kinds": [], "items": [] }),
            "their APIs make no subscriptions"
        );
    }

    let other = app.unique_account().await;
    let (_, theirs) = get(app, &format!("/accounts/{other}/webhooks/subscriptions")).await;
    assert!(
        theirs["dialects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["items"] == json!([])),
        "another account sees none: {theirs}"
    );
    let (status, _) = get(app, "/accounts/nobody-here/webhooks/subscriptions").await;
    assert_eq!(status, 404);
}
