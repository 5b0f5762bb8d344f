//! Bodies: over the size limit, slow, deeply nested, not JSON, not UTF-8; and invalid
//! UTF-8 in the query string and headers.

use reqwest::header::HeaderValue;
use reqwest::Method;
use twin_http::BODY_LIMIT;

use super::Vendor;

/// The vendor's error for the body, and nothing stored.
async fn refused_and_nothing_stored(vendor: &Vendor, what: &str, body: Vec<u8>) -> u16 {
    let before = vendor.stored().await;
    let (status, _) = vendor.refused(what, vendor.create_raw(body)).await;
    assert_eq!(
        vendor.stored().await,
        before,
        "{} {what}: data changed",
        vendor.name()
    );
    status
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_in_the_vendors_shape() {
    for vendor in Vendor::all().await {
        let body = vec![b' '; BODY_LIMIT + 1];
        let status = refused_and_nothing_stored(&vendor, "oversized body", body).await;
        // SalesDoc answers every malformed envelope 400 and documents no 413.
        let expected = match vendor {
            Vendor::SalesDoc(_) => 400,
            _ => 413,
        };
        assert_eq!(status, expected, "{}", vendor.name());
    }
}

/// serde_json stops at 128 levels, so 100 000 `[` is a parse error, answered as the
/// vendor answers malformed JSON, not a stack overflow or a dropped connection.
#[tokio::test]
async fn deeply_nested_json_is_malformed_json() {
    let arrays = "[".repeat(100_000);
    let objects = r#"{"a":"#.repeat(50_000);
    let closed = format!("{}1{}", "[".repeat(5_000), "]".repeat(5_000));
    for vendor in Vendor::all().await {
        for (what, document) in [
            ("100 000 [", &arrays),
            ("50 000 objects", &objects),
            ("5 000 closed arrays", &closed),
        ] {
            let before = vendor.stored().await;
            vendor.refused(what, vendor.create(document)).await;
            assert_eq!(vendor.stored().await, before, "{} {what}", vendor.name());
        }
    }
}

#[tokio::test]
async fn bodies_that_are_not_utf8_or_not_json_are_refused() {
    for vendor in Vendor::all().await {
        let bodies: [(&str, Vec<u8>); 4] = match vendor {
            Vendor::RetailCrm(_) => [
                ("raw 0xFF in a form", b"customer=\xff\xfe".to_vec()),
                ("percent-encoded 0xFF", b"customer=%FF%FE%00".to_vec()),
                (
                    "NUL in JSON",
                    b"customer=%7B%22firstName%22%3A%22a%00%22".to_vec(),
                ),
                ("truncated JSON", b"customer=%7B%22firstName%22".to_vec()),
            ],
            _ => [
                ("0xFF in a string", b"{\"name\":\"\xff\xfe\"}".to_vec()),
                ("overlong UTF-8", b"{\"name\":\"\xc0\xaf\"}".to_vec()),
                ("a lone surrogate escape", br#"{"name":"\ud800"}"#.to_vec()),
                ("truncated JSON", b"{\"name\":".to_vec()),
            ],
        };
        for (what, body) in bodies {
            refused_and_nothing_stored(&vendor, what, body).await;
        }
    }
}

/// Header values with bytes that are not UTF-8 (HTTP allows them as obs-text) where each
/// dialect reads its credentials or request id.
#[tokio::test]
async fn headers_that_are_not_utf8_are_refused_or_ignored() {
    let bad = HeaderValue::from_bytes(b"\xff\xfe\x80").unwrap();
    for vendor in Vendor::all().await {
        let before = vendor.stored().await;
        let (auth_header, refused) = match vendor {
            Vendor::MoySklad(_) => ("authorization", true),
            Vendor::RetailCrm(_) => ("x-api-key", true),
            Vendor::Kassa(_) => ("x-client-token", true),
            Vendor::SalesDoc(_) => ("x-request-id", false),
        };
        // Replaces the credential the client sent, rather than adding a second one.
        let mut request = vendor.read().build().unwrap();
        request.headers_mut().insert(auth_header, bad.clone());
        let client = &vendor.app().client;
        if refused {
            let (status, _) = vendor
                .refused(
                    "non-UTF-8 credentials",
                    reqwest::RequestBuilder::from_parts(client.clone(), request),
                )
                .await;
            assert!(
                matches!(status, 400 | 401 | 403),
                "{}: {status}",
                vendor.name()
            );
        } else {
            let status = client.execute(request).await.unwrap().status();
            assert!(status.as_u16() < 500, "{}: {status}", vendor.name());
        }
        let request = vendor
            .read()
            .header("x-request-id", bad.clone())
            .header("x-anything", bad.clone());
        let status = request.send().await.unwrap().status();
        assert!(status.is_success(), "{}: {status}", vendor.name());
        assert_eq!(vendor.stored().await, before, "{}", vendor.name());
    }
}

/// Percent-encoded bytes that are not UTF-8 in the query string of a read.
#[tokio::test]
async fn query_strings_that_are_not_utf8_are_refused_or_ignored() {
    for vendor in Vendor::all().await {
        let (path, query) = match vendor {
            Vendor::MoySklad(_) => ("/entity/product", "filter=name%3D%FF%FE&search=%C0%AF"),
            Vendor::RetailCrm(_) => ("/customers", "filter%5Bname%5D=%FF%FE&limit=%C0"),
            Vendor::Kassa(_) => ("/products", "search=%FF%FE&limit=%C0"),
            Vendor::SalesDoc(_) => ("", "method=%FF"),
        };
        let request = match vendor {
            Vendor::SalesDoc(_) => vendor.read(),
            _ => vendor.request(Method::GET, path),
        };
        let mut built = request.build().unwrap();
        built.url_mut().set_query(Some(query));
        let response = vendor.app().client.execute(built).await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert!(status < 500, "{}: {status} {text}", vendor.name());
        if status >= 400 {
            let body: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(vendor.is_error(&body), "{}: {status} {text}", vendor.name());
        }
    }
}

/// A client that sends its headers and then trickles its body (slowloris on the body,
/// which the header-read timeout does not cover) gets the dialect's timeout answer once
/// the request timeout passes, instead of holding the connection forever.
#[tokio::test]
async fn bodies_trickled_slowly_are_cut_off_at_the_request_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = twin_testkit::sqlite_app();
    let address = app.base.trim_start_matches("http://").to_owned();
    let paths = [
        "/api/remap/1.2/entity/product",
        "/api/v5/customers/create",
        "/kassa/v1/products",
        "/api/v2",
    ];
    let trickles = paths.map(|path| {
        let address = address.clone();
        tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            let head = format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
            stream.write_all(head.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            let mut buffer = [0u8; 1024];
            loop {
                tokio::select! {
                    read = stream.read(&mut buffer) => match read {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            answer.extend_from_slice(&buffer[..n]);
                            if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                                break;
                            }
                        }
                    },
                    _ = tokio::time::sleep(std::time::Duration::from_millis(500)) => {
                        if stream.write_all(b" ").await.is_err() {
                            break;
                        }
                    }
                }
            }
            (path, String::from_utf8_lossy(&answer).into_owned())
        })
    });
    let bound = twin_http::REQUEST_TIMEOUT + std::time::Duration::from_secs(15);
    for trickle in trickles {
        let (path, answer) = tokio::time::timeout(bound, trickle)
            .await
            .expect("no answer to a trickled body within the request timeout")
            .unwrap();
        let status: u16 = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(status >= 400, "{path}: {answer}");
    }
}

/// A `\u0000` in a text field: SQLite keeps it, PostgreSQL's text cannot; either it is
/// stored as sent or refused in the vendor's shape, never a 500.
async fn nul_in_text_is_kept_or_refused(app: &'static twin_testkit::TestApp) {
    for vendor in Vendor::all_on(app).await {
        let document = match vendor {
            Vendor::MoySklad(_) => r#"{"name":"a\u0000b"}"#.to_owned(),
            Vendor::RetailCrm(_) => r#"{"firstName":"a\u0000b"}"#.to_owned(),
            Vendor::Kassa(_) => {
                r#"{"name":"a\u0000b","taxationSystem":"OSN","vat":"WITHOUT"}"#.to_owned()
            }
            Vendor::SalesDoc(_) => r#"{"CS_id":"a\u0000b","name":"a\u0000b"}"#.to_owned(),
        };
        let request = match vendor {
            Vendor::Kassa(_) => vendor
                .request(Method::POST, "/product-categories")
                .header("content-type", "application/json")
                .body(document),
            _ => vendor.create(&document),
        };
        let before = vendor.stored().await;
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(status < 500, "{}: {status} {body}", vendor.name());
        if status >= 400 {
            assert!(vendor.is_error(&body), "{}: {body}", vendor.name());
            assert_eq!(vendor.stored().await, before, "{}", vendor.name());
        }
    }
}

#[tokio::test]
async fn nul_in_text_is_kept_or_refused_on_sqlite() {
    nul_in_text_is_kept_or_refused(twin_testkit::sqlite_app()).await;
}

#[tokio::test]
async fn nul_in_text_is_kept_or_refused_on_postgres() {
    if let Some(app) = twin_testkit::pg_app() {
        nul_in_text_is_kept_or_refused(app).await;
    }
}
