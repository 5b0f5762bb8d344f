//! Product photos (14.1 / 14.2) and photo reports with their categories (9.37 / 9.38):
//! byte-exact round trips of each format, the product showing its photo, links by
//! `imageId`, the size and type limits, bad requests, accounts apart, the bytes in the
//! account's snapshot; photo reports of the current day only, in their filial.

use base64::Engine;
use serde_json::{json, Value};

use super::{assert_error, column, Sd};

const FILIAL: &str = "FIL001";

fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An image of `len` bytes: the format's signature, then every byte value in turn.
fn image(signature: &[u8], len: usize) -> Vec<u8> {
    let mut bytes = signature.to_vec();
    bytes.extend((0..len.saturating_sub(signature.len())).map(|n| (n % 256) as u8));
    bytes
}

const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const GIF: &[u8] = b"GIF89a";

/// A unit and the products `000000015` (`d0_1`) and `000000016` (`d0_2`).
async fn products(sd: &Sd) {
    let unit = json!([{ "code_1C": "pc", "name": "Piece" }]);
    assert_eq!(sd.set("setUnit", "unit", unit).await.0, 200);
    let products = json!([
        { "code_1C": "000000015", "name": "Cola 1L", "unit": { "code_1C": "pc" } },
        { "code_1C": "000000016", "name": "Cola 2L", "unit": { "code_1C": "pc" } },
    ]);
    assert_eq!(sd.set("setProduct", "product", products).await.0, 200);
}

async fn set_photo(sd: &Sd, data: Value) -> (u16, Value) {
    sd.call(json!({ "method": "setPhoto", "data": data })).await
}

/// getPhoto's answer: status, `Content-Type` and the bytes.
async fn get_photo(sd: &Sd, image_id: &str) -> (u16, String, Vec<u8>) {
    let body = json!({
        "method": "getPhoto",
        "auth": { "userId": sd.user_id, "token": sd.token },
        "params": { "imageID": image_id },
    });
    let response = sd
        .app
        .client
        .post(sd.app.url("/api/v2"))
        .body(body.to_string())
        .send()
        .await
        .expect("getPhoto");
    let status = response.status().as_u16();
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test]
async fn each_format_round_trips_byte_for_byte_and_shows_on_its_product() {
    let sd = Sd::new().await;
    products(&sd).await;
    let mut last = String::new();
    for (signature, content_type, extension) in [
        (JPEG, "image/jpeg", "jpg"),
        (PNG, "image/png", "png"),
        (GIF, "image/gif", "gif"),
    ] {
        let bytes = image(signature, 5000);
        let data = json!({ "product": { "code_1C": "000000015" }, "imageData": encode(&bytes) });
        let (status, done) = set_photo(&sd, data).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["status"], true);
        let result = &done["result"];
        assert_eq!(
            result["product"],
            json!({ "SD_id": "d0_1", "code_1C": "000000015" })
        );
        let image_id = result["imageId"].as_str().unwrap().to_owned();
        let (stem, ext) = image_id.rsplit_once('.').unwrap();
        assert_eq!(ext, extension);
        let hex = stem.strip_prefix("d0_1_").unwrap();
        assert!(
            hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            "{image_id}"
        );
        assert_eq!(
            get_photo(&sd, &image_id).await,
            (200, content_type.to_owned(), bytes)
        );
        last = image_id;
    }
    let (_, page) = sd
        .get(
            "getProduct",
            json!({ "filter": { "products": { "code_1C": ["000000015"] } } }),
        )
        .await;
    let product = &page["result"]["product"][0];
    assert_eq!(product["imageID"], last.as_str());
    assert_eq!(product["imageUrl"], format!("/upload/adtProduct/{last}"));
    assert_eq!(
        product["thumbUrl"],
        format!("/upload/adtProduct/thumbs/150x150_{last}")
    );

    // Another product links the same file by its imageId; the first keeps it too.
    let data = json!({ "product": { "SD_id": "d0_2" }, "imageId": last });
    let (status, done) = set_photo(&sd, data).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["result"],
        json!({ "product": { "SD_id": "d0_2", "code_1C": "000000016" }, "imageId": last })
    );
    let (_, page) = sd.get("getProduct", json!({})).await;
    assert_eq!(
        column(&page["result"]["product"], "imageID"),
        [&json!(last), &json!(last)]
    );
}

#[tokio::test]
async fn base64_is_read_as_clients_write_it() {
    let sd = Sd::new().await;
    products(&sd).await;
    let bytes = image(PNG, 301);
    let encoded = encode(&bytes);
    let wrapped: Vec<String> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| String::from_utf8(line.to_vec()).unwrap())
        .collect();
    for given in [
        format!("data:image/png;base64,{encoded}"),
        wrapped.join("\r\n"),
        encoded.trim_end_matches('=').to_owned(),
    ] {
        let data = json!({ "product": { "code_1C": "000000015" }, "imageData": given });
        let (status, done) = set_photo(&sd, data).await;
        assert_eq!(status, 200, "{done}");
        let image_id = done["result"]["imageId"].as_str().unwrap();
        assert_eq!(get_photo(&sd, image_id).await.2, bytes);
    }
}

#[tokio::test]
async fn the_size_and_type_limits_hold() {
    let sd = Sd::new().await;
    products(&sd).await;
    let product = json!({ "code_1C": "000000015" });
    let largest = image(GIF, 100 * 1024);
    let data = json!({ "product": product, "imageData": encode(&largest) });
    let (status, done) = set_photo(&sd, data).await;
    assert_eq!(status, 200, "{done}");
    let image_id = done["result"]["imageId"].as_str().unwrap();
    assert_eq!(get_photo(&sd, image_id).await.2, largest);

    for (bytes, message) in [
        (image(GIF, 100 * 1024 + 1), "The image is larger than 100KB"),
        (
            b"%PDF-1.7 a document".to_vec(),
            "The image must be a JPEG, PNG or GIF",
        ),
        (
            b"plain text".to_vec(),
            "The image must be a JPEG, PNG or GIF",
        ),
    ] {
        let data = json!({ "product": product, "imageData": encode(&bytes) });
        assert_error(&set_photo(&sd, data).await, 400, message);
    }
    let data = json!({ "product": product, "imageData": "/9j/4AAQSkZJRgABAQ..." });
    assert_error(
        &set_photo(&sd, data).await,
        400,
        "imageData must be an image in base64",
    );
    // The refused uploads left the product's photo as it was.
    let (_, page) = sd.get("getProduct", json!({})).await;
    assert_eq!(page["result"]["product"][0]["imageID"], image_id);
}

#[tokio::test]
async fn bad_requests_are_refused_whole() {
    let sd = Sd::new().await;
    products(&sd).await;
    let picture = encode(&image(JPEG, 100));
    let one_of = "Specify one of imageData or imageId";
    for (data, message) in [
        (json!({ "imageData": picture }), "product is required"),
        (
            json!({ "product": { "code_1C": "nope" }, "imageData": picture }),
            "product not found",
        ),
        (json!({ "product": { "code_1C": "000000015" } }), one_of),
        (
            json!({ "product": { "code_1C": "000000015" }, "imageData": picture, "imageId": "d0_1_00000000.jpg" }),
            one_of,
        ),
        (
            json!({ "product": { "code_1C": "000000015" }, "imageId": "d0_15_abc123.jpg" }),
            "Image d0_15_abc123.jpg not found",
        ),
    ] {
        assert_error(&set_photo(&sd, data).await, 400, message);
    }
    assert_error(
        &sd.call(json!({ "method": "setPhoto" })).await,
        400,
        "product is required",
    );
    assert_error(
        &sd.get("getPhoto", json!({})).await,
        400,
        "Required field \"params.imageID\" is missing",
    );
    assert_error(
        &sd.get("getPhoto", json!({ "imageID": "d0_1_00000000.jpg" }))
            .await,
        400,
        "Image d0_1_00000000.jpg not found",
    );
}

#[tokio::test]
async fn another_account_sees_no_photo() {
    let (owner, stranger) = (Sd::new().await, Sd::new().await);
    products(&owner).await;
    products(&stranger).await;
    let data =
        json!({ "product": { "code_1C": "000000015" }, "imageData": encode(&image(PNG, 64)) });
    let (status, done) = set_photo(&owner, data).await;
    assert_eq!(status, 200, "{done}");
    let image_id = done["result"]["imageId"].as_str().unwrap();
    let missing = format!("Image {image_id} not found");
    assert_error(
        &stranger
            .get("getPhoto", json!({ "imageID": image_id }))
            .await,
        400,
        &missing,
    );
    let link = json!({ "product": { "code_1C": "000000015" }, "imageId": image_id });
    assert_error(&set_photo(&stranger, link).await, 400, &missing);
}

/// In the filial: an agent `A1` and a client `C1`.
async fn agent_and_client(sd: &Sd) {
    sd.filials(json!([{ "filial_id": FILIAL, "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let in_filial = |method: &str, data: Value| json!({ "method": method, "filial": { "filial_id": FILIAL }, "data": data });
    let sets = [
        (
            "setAgent",
            json!({ "agent": [{ "code_1C": "A1", "name": "Ivan Ivanov" }] }),
        ),
        (
            "setClientCategory",
            json!({ "clientCategory": [{ "code_1C": "K1", "name": "Retail" }] }),
        ),
        (
            "setClient",
            json!({ "client": [{ "code_1C": "C1", "shortName": "Star Shop", "clientCategory": { "code_1C": "K1" } }] }),
        ),
    ];
    for (method, data) in sets {
        let (status, body) = sd.call(in_filial(method, data)).await;
        assert_eq!(status, 200, "{method}: {body}");
    }
}

#[tokio::test]
async fn photo_reports_of_today_with_their_categories() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-15T05:00:00Z" }))
        .await;
    agent_and_client(&sd).await;
    let categories = json!([{ "name": "Product display" }, { "name": "Signboard", "active": "N" }]);
    let (status, done) = sd.seed("prCategory", Some(FILIAL), categories).await;
    assert_eq!(status, 200, "{done}");
    let (status, page) = sd
        .call(json!({ "method": "getPRCategory", "filial": { "filial_id": FILIAL } }))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page,
        json!({
            "status": true,
            "result": { "prCategory": [
                { "CS_id": "F1-1", "SD_id": "1", "name": "Product display", "active": "Y" },
                { "CS_id": "F1-2", "SD_id": "2", "name": "Signboard", "active": "N" },
            ] },
            "pagination": { "limit": 1000, "total": 2, "page": 1 },
        })
    );

    let report = |date: Option<&str>| {
        json!({
            "agent": { "code_1C": "A1" }, "client": { "code_1C": "C1" }, "category": { "SD_id": "1" },
            "url": "https://example.com/upload/photoReport/photo1.jpg", "date": date,
        })
    };
    let reports = json!([
        report(Some("2025-06-15 10:15:00")),
        report(Some("2025-06-14 18:00:00")),
        report(None),
        { "agent": { "code_1C": "nobody" }, "client": { "code_1C": "C1" } },
        { "client": { "code_1C": "C1" }, "date": "yesterday" },
    ]);
    let (status, done) = sd.seed_at("photo-reports", Some(FILIAL), reports).await;
    assert_eq!(status, 400, "{done}");
    assert_eq!(done["result"]["completed"], 3);
    assert_eq!(
        super::item_errors(&done, "photoReport"),
        [
            json!(["agent not found"]),
            json!([
                "agent is required",
                "date must be a date and time YYYY-MM-DD HH:MM:SS"
            ]),
        ]
    );

    let (status, page) = sd
        .call(json!({ "method": "getPhotoReport", "filial": { "filial_id": FILIAL } }))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["result"]["photoReport"],
        json!([
            {
                "CS_id": "F1-d0_1", "SD_id": "d0_1", "agent_id": "d0_1", "client_id": "d0_1",
                "cat_id": "1", "role": "4", "url": "https://example.com/upload/photoReport/photo1.jpg",
                "date": "2025-06-15 10:15:00",
            },
            {
                "CS_id": "F1-d0_3", "SD_id": "d0_3", "agent_id": "d0_1", "client_id": "d0_1",
                "cat_id": "1", "role": "4", "url": "https://example.com/upload/photoReport/photo1.jpg",
                "date": "2025-06-15 10:00:00",
            },
        ])
    );
    assert_eq!(page["pagination"]["total"], 2);

    // The next day shows none of them; the head office never had any.
    sd.clock(json!({ "action": "freeze", "at": "2025-06-16T05:00:00Z" }))
        .await;
    let (_, page) = sd
        .call(json!({ "method": "getPhotoReport", "filial": { "filial_id": FILIAL } }))
        .await;
    assert_eq!(page["result"]["photoReport"], json!([]));
    sd.clock(json!({ "action": "freeze", "at": "2025-06-15T05:00:00Z" }))
        .await;
    let (_, page) = sd.get("getPhotoReport", json!({})).await;
    assert_eq!(page["result"]["photoReport"], json!([]));
    let (_, page) = sd.get("getPRCategory", json!({})).await;
    assert_eq!(page["result"]["prCategory"], json!([]));
}

#[tokio::test]
async fn the_bytes_travel_with_the_accounts_snapshot() {
    let owner = Sd::new().await;
    products(&owner).await;
    let bytes = image(JPEG, 4096);
    let data = json!({ "product": { "code_1C": "000000015" }, "imageData": encode(&bytes) });
    let (status, done) = set_photo(&owner, data).await;
    assert_eq!(status, 200, "{done}");
    let image_id = done["result"]["imageId"].as_str().unwrap();
    let copy = Sd::new().await;
    owner.app.copy_snapshot(&owner.account, &copy.account).await;
    // The import replaced the account's data: the copy's user logs in afresh.
    let (status, body) = copy.login().await;
    assert_eq!(status, 200, "{body}");
    let copy = Sd {
        user_id: body["result"]["userId"].as_str().unwrap().to_owned(),
        token: body["result"]["token"].as_str().unwrap().to_owned(),
        ..copy
    };
    assert_eq!(
        get_photo(&copy, image_id).await,
        (200, "image/jpeg".to_owned(), bytes)
    );
}
