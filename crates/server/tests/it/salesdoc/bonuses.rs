//! Bonus programs (9.36): seeded in admin, listed under `result.data` in the documented
//! shape, paged, in their filial and account only.

use serde_json::json;

use super::{column, Sd};

#[tokio::test]
async fn bonus_programs_are_listed_in_the_documented_shape() {
    let sd = Sd::new().await;
    let programs = json!([
        { "name": "Buy 10 get 1" },
        { "code_1C": "B2", "name": "Summer", "active": "N" },
        { "name": "Autumn" },
    ]);
    let (status, done) = sd.seed("bonus", None, programs).await;
    assert_eq!(status, 200, "{done}");
    let (status, page) = sd.get("getBonus", json!({ "limit": 2 })).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page,
        json!({
            "status": true,
            "result": { "data": [
                { "CS_id": "d0_1", "SD_id": "d0_1", "name": "Buy 10 get 1", "active": "Y" },
                { "CS_id": "d0_2", "SD_id": "d0_2", "name": "Summer", "active": "N" },
            ] },
            "pagination": { "limit": 2, "total": 3, "page": 1 },
        })
    );
    // Seeding again by code_1C updates the program.
    let again = json!([{ "code_1C": "B2", "name": "Summer", "active": "Y" }]);
    assert_eq!(sd.seed("bonus", None, again).await.0, 200);
    let (_, page) = sd.get("getBonus", json!({ "page": 2, "limit": 1 })).await;
    assert_eq!(column(&page["result"]["data"], "active"), [&json!("Y")]);

    sd.filials(json!([{ "filial_id": "FIL001", "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let (_, page) = sd
        .call(json!({ "method": "getBonus", "filial": { "filial_id": "FIL001" } }))
        .await;
    assert_eq!(page["result"]["data"], json!([]));
    let (_, page) = Sd::new().await.get("getBonus", json!({})).await;
    assert_eq!(page["result"]["data"], json!([]));
}
