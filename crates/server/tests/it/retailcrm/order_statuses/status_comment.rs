//! `statusComment` changes only together with `status` (orders create and edit).

use serde_json::{json, Value};

use super::super::orders::create;
use super::super::Crm;
use super::{edit, records};

#[tokio::test]
async fn the_status_comment_changes_only_with_the_status() {
    let crm = Crm::new().await;
    let made = create(
        &crm,
        json!({ "externalId": "sc-1", "firstName": "Анна", "statusComment": "Новый клиент" }),
    )
    .await;
    let id = made["id"].clone();
    // On create the status is set, so the comment is taken.
    assert_eq!(made["order"]["statusComment"], "Новый клиент");
    let since = records(&crm, &id).await.len();

    // Without a status change (absent or the same status) the comment is ignored.
    for order in [
        json!({ "statusComment": "Другое" }),
        json!({ "status": "new", "statusComment": "Другое" }),
        json!({ "statusComment": null }),
    ] {
        let (status, body) = edit(&crm, &id, order.clone()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["order"]["statusComment"], "Новый клиент", "{order}");
    }
    assert_eq!(records(&crm, &id).await.len(), since);

    // With a new status the comment changes, its record right after the status's.
    let (status, body) = edit(
        &crm,
        &id,
        json!({ "status": "availability-confirmed", "statusComment": "Подтвердил" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["statusComment"], "Подтвердил");
    let recorded = records(&crm, &id).await;
    assert_eq!(
        recorded[since..].to_vec(),
        vec![
            (
                "status".to_owned(),
                json!({ "code": "new" }),
                json!({ "code": "availability-confirmed" })
            ),
            (
                "status_comment".to_owned(),
                json!("Новый клиент"),
                json!("Подтвердил")
            ),
        ]
    );
    let (_, got) = crm.get(&format!("/v5/orders/{id}"), "by=id").await;
    assert_eq!(got["order"]["statusComment"], "Подтвердил");
    assert_eq!(
        got["order"]["status"],
        Value::from("availability-confirmed")
    );
}
