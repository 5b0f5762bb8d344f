//! SalesDoc: every method of `SdEndpoint::ALL` sent with B's token and params and data
//! naming A's codes (`code_1C`, `CS_id`, `SD_id`), A's photo by its `imageId`, and the
//! `auth` pair mixed across accounts (B's token with A's second user's `userId`, A's
//! login with B's password).

use base64::Engine;
use serde_json::{json, Value};
use twin_salesdoc::SdEndpoint;
use twin_testkit::unique;

use super::{assert_refused, assert_unchanged, run, snapshot, Probe};
use crate::salesdoc::Sd;

struct Planted {
    code: String,
    image: String,
    second_user: String,
}

async fn plant(sd: &Sd, marker: &str) -> Planted {
    let unit = json!([{ "code_1C": "pc", "name": marker }]);
    let (status, body) = sd.set("setUnit", "unit", unit).await;
    assert_eq!(status, 200, "{body}");
    let code = unique("p");
    let products = json!([{ "code_1C": code, "name": marker, "unit": { "code_1C": "pc" } }]);
    let (status, body) = sd.set("setProduct", "product", products).await;
    assert_eq!(status, 200, "{body}");
    let mut jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec();
    jpeg.extend(marker.as_bytes());
    let data = json!({ "product": { "code_1C": code },
                       "imageData": base64::engine::general_purpose::STANDARD.encode(&jpeg) });
    let (status, body) = sd.call(json!({ "method": "setPhoto", "data": data })).await;
    assert_eq!(status, 200, "{body}");
    let image = body["result"]["imageId"]
        .as_str()
        .expect("imageId")
        .to_owned();
    // A second user, whose userId B's token will claim.
    let login = unique("sd-second");
    sd.app
        .credential(
            &sd.account,
            json!({ "dialect": "salesdoc", "type": "password", "login": login, "password": "pw" }),
        )
        .await;
    let (status, body) = sd
        .send(json!({ "method": "login", "auth": { "login": login, "password": "pw" } }))
        .await;
    assert_eq!(status, 200, "{body}");
    Planted {
        code,
        image,
        second_user: body["result"]["userId"]
            .as_str()
            .expect("userId")
            .to_owned(),
    }
}

fn request(sd: &Sd, label: String, body: Value) -> Probe {
    let url = sd.app.url("/api/v2");
    Probe::new(label, sd.app.client.post(url).body(body.to_string()))
}

fn probes(b: &Sd, a: &Sd, planted: &Planted) -> Vec<Probe> {
    let auth = json!({ "userId": b.user_id, "token": b.token });
    let code = &planted.code;
    let reference = json!({ "code_1C": code, "CS_id": code, "SD_id": "d0_1" });
    let params = json!({ "code_1C": code, "CS_id": code, "SD_id": "d0_1", "imageID": planted.image,
                         "product": reference, "filter": { "code_1C": [code], "SD_id": ["d0_1"] } });
    let record = json!({ "code_1C": code, "CS_id": code, "SD_id": "d0_1", "name": "probe",
                         "product": reference, "client": reference });
    let mut probes: Vec<Probe> = SdEndpoint::ALL
        .iter()
        .filter(|endpoint| **endpoint != SdEndpoint::Login)
        .map(|endpoint| {
            let method = endpoint.method();
            let body = json!({ "method": method, "auth": auth, "params": params,
                               "data": { "product": [record], "client": [record], "unit": [record] } });
            request(b, format!("METHOD {method}"), body)
        })
        .collect();
    probes.extend([
        request(
            b,
            "AUTH B token + A's second userId".to_owned(),
            json!({ "method": "getProduct", "auth": { "userId": planted.second_user, "token": b.token } }),
        ),
        request(
            b,
            "AUTH A login + B password".to_owned(),
            json!({ "method": "login", "auth": { "login": a.login, "password": "wrong-for-a" } }),
        ),
        request(
            b,
            "AUTH A userId + B's token, A's photo".to_owned(),
            json!({ "method": "getPhoto", "auth": { "userId": a.user_id, "token": b.token },
                    "params": { "imageID": planted.image } }),
        ),
    ]);
    probes
}

#[tokio::test]
async fn another_account_reaches_nothing_of_a_through_any_method() {
    let a = Sd::new().await;
    let marker = unique("alpha");
    let planted = plant(&a, &marker).await;
    let b = Sd::new().await;
    plant(&b, &unique("beta")).await;
    let before = snapshot(a.app, &a.account).await;

    let seen = run(&marker, probes(&b, &a, &planted)).await;

    assert_refused(&seen, &["AUTH B token + A's second userId", "AUTH A login"]);
    assert_unchanged(a.app, &a.account, &before).await;
}
