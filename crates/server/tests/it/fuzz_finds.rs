//! What fuzzing the parsers found (fuzz/, docs/reliability/fuzzing.md), each through HTTP
//! as a client would hit it: every input here once panicked or misread a request, and
//! now gets the vendor's answer. The same inputs sit in the targets' seed corpora.

use reqwest::Method;
use serde_json::{json, Value};

use crate::kassa::Kassa;
use crate::retailcrm::Crm;

/// A page number past what an offset can hold overflowed `(page - 1) * limit`: now the
/// list answers (an empty page or a parameter error), never a dropped connection.
#[tokio::test]
async fn retailcrm_page_past_every_offset_is_answered() {
    let crm = Crm::new().await;
    for path in ["/v5/customers", "/v5/orders"] {
        let (status, body) = crm.get(path, "limit=100&page=18446744073709551615").await;
        assert!(status == 200 || status == 400, "{path}: {status} {body}");
        assert_eq!(body["success"], json!(status == 200), "{path}: {body}");
    }
}

/// A query whose parameter names are all indices (`?0=x`) made the parameters a list,
/// and the form beside it was dropped: the customer went missing.
#[tokio::test]
async fn retailcrm_index_named_query_keeps_the_form() {
    let crm = Crm::new().await;
    let customer = json!({ "externalId": "fuzz-1", "firstName": "Иван" }).to_string();
    let (status, body) = crm
        .post("/v5/customers/create?0=x", &[("customer", customer)])
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["success"], true);
}

/// Numbers finer than any amount (`1e-39`, `13.0e-5400`) overflowed `10^scale`; a zero
/// with a huge exponent (`0e2000000000`, `0e-2000000000`) took billions of steps. Now they are refused as
/// invalid values (or, zero, read at once).
#[tokio::test]
async fn kassa_numbers_beyond_any_scale_are_refused() {
    let kassa = Kassa::new().await;
    let order = json!({ "positions": [{ "name": "x", "quantity": 1e-39, "price": 100 }] });
    let (status, body) = kassa.post("/orders", order).await;
    assert_eq!(status, 400, "{body}");
    assert_names(&body, "positions[0].quantity");
    let (status, body) = kassa.get("/orders?totalAmountFrom=13.0e-5400").await;
    assert_eq!(status, 400, "{body}");
    assert_names(&body, "totalAmountFrom");
    let (status, body) = kassa.get("/orders?totalAmountFrom=1e-2147483648").await;
    assert_eq!(status, 400, "{body}");
    for zero in ["0e2000000000", "0e-2000000000"] {
        let answer = kassa
            .call(Method::GET, &format!("/orders?totalAmountTo={zero}"), None)
            .await;
        assert_eq!(answer.status, 200, "{zero}: {}", answer.body);
    }
}

/// A bound of more kopecks than an i128 holds (`3e36` roubles) overflowed its scaling;
/// and a huge negative lower bound was clamped to the top, matching nothing. Now bounds
/// past i64 clamp by their sign.
#[tokio::test]
async fn kassa_total_bounds_past_any_sum_clamp_by_sign() {
    let kassa = Kassa::new().await;
    for bound in ["totalAmountFrom=3e36", "totalAmountTo=-3e36"] {
        let (status, body) = kassa.get(&format!("/orders?{bound}")).await;
        assert_eq!(
            (status, &body["items"]),
            (200, &json!([])),
            "{bound}: {body}"
        );
    }
    let (status, body) = kassa
        .get("/orders?totalAmountFrom=-3e36&totalAmountTo=3e36")
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The validation error's details name the field.
fn assert_names(body: &Value, field: &str) {
    let details = body.to_string();
    assert!(details.contains(field), "{field} not in {details}");
}
