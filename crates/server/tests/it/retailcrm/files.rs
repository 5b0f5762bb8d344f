//! Files: upload (raw body and multipart), get, list with filters, download byte for
//! byte, edit (name and attachments), delete; limits, permissions and isolation.

use serde_json::{json, Value};

use super::{assert_error, ids_of, Crm};

/// Every byte value, twice, and a PNG signature first: a binary file.
fn binary() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).chain(0..=255u8));
    bytes
}

impl Crm {
    /// `POST /api/v5/files/upload` with `body` as sent and its content type.
    async fn upload_as(&self, key: &str, body: Vec<u8>, content_type: &str) -> (u16, Value) {
        let url = self.app.url("/api/v5/files/upload");
        let request = self
            .app
            .client
            .post(url)
            .header("X-API-KEY", key)
            .header("Content-Type", content_type)
            .body(body);
        super::answer(request).await
    }

    async fn upload(&self, body: Vec<u8>, content_type: &str) -> (u16, Value) {
        self.upload_as(&self.key, body, content_type).await
    }

    /// Uploads `body` as octet-stream; the new file's id.
    async fn upload_file(&self, body: &[u8]) -> i64 {
        let (status, answer) = self.upload(body.to_vec(), "application/octet-stream").await;
        assert_eq!(status, 201, "{answer}");
        answer["file"]["id"].as_i64().unwrap()
    }

    /// `GET /api/v5/files/{id}/download`: status, headers `(type, disposition)`, bytes.
    async fn download(&self, key: &str, id: i64) -> (u16, String, String, Vec<u8>) {
        self.get_bytes(key, &format!("/v5/files/{id}/download"))
            .await
    }

    async fn edit_file(&self, id: i64, file: Value) -> (u16, Value) {
        self.post(
            &format!("/v5/files/{id}/edit"),
            &[("file", file.to_string())],
        )
        .await
    }
}

#[tokio::test]
async fn a_binary_upload_downloads_byte_for_byte() {
    let crm = Crm::new().await;
    let (status, body) = crm.upload(binary(), "application/octet-stream").await;
    assert_eq!(status, 201, "{body}");
    let file = &body["file"];
    let id = file["id"].as_i64().unwrap();
    assert_eq!(body["success"], true);
    assert_eq!(file["filename"], "API upload");
    assert_eq!(file["type"], "image/png");
    assert_eq!(file["size"], binary().len());
    assert_eq!(file["attachment"], json!([]));
    assert!(file["createdAt"].as_str().unwrap().len() == 19, "{file}");
    let (status, kind, disposition, bytes) = crm.download(&crm.key, id).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "image/png");
    assert_eq!(
        disposition,
        "attachment; filename=\"API upload\"; filename*=UTF-8''API%20upload"
    );
    assert_eq!(bytes, binary());
    let (status, got) = crm.get(&format!("/v5/files/{id}"), "").await;
    assert_eq!(status, 200);
    assert_eq!(got, json!({ "success": true, "file": file }));
}

#[tokio::test]
async fn the_type_comes_from_the_request_or_the_bytes() {
    let crm = Crm::new().await;
    let (_, body) = crm
        .upload(b"name;qty\n".to_vec(), "text/csv; charset=utf-8")
        .await;
    assert_eq!(body["file"]["type"], "text/csv");
    let (_, body) = crm
        .upload(binary(), "application/x-www-form-urlencoded")
        .await;
    assert_eq!(body["file"]["type"], "image/png");
    let (_, body) = crm.upload("привет".as_bytes().to_vec(), "").await;
    assert_eq!(body["file"]["type"], "text/plain");
    let (_, body) = crm.upload(b"%PDF-1.4 ...".to_vec(), "").await;
    assert_eq!(body["file"]["type"], "application/pdf");
    let (_, body) = crm
        .upload(vec![0, 159, 146, 150], "application/octet-stream")
        .await;
    assert_eq!(body["file"]["type"], "application/octet-stream");
    let (_, body) = crm
        .upload(b"GIF89a..".to_vec(), "application/octet-stream")
        .await;
    assert_eq!(body["file"]["type"], "image/gif");
}

#[tokio::test]
async fn a_multipart_upload_keeps_the_file_part() {
    let crm = Crm::new().await;
    let mut body =
        b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".to_vec();
    body.extend(b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: image/png\r\n\r\n");
    body.extend(binary());
    body.extend(b"\r\n--XyZ--\r\n");
    let (status, answer) = crm.upload(body, "multipart/form-data; boundary=XyZ").await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["file"]["type"], "image/png");
    assert_eq!(answer["file"]["size"], binary().len());
    let id = answer["file"]["id"].as_i64().unwrap();
    assert_eq!(crm.download(&crm.key, id).await.3, binary());
}

#[tokio::test]
async fn empty_too_large_and_prohibited_files_are_400() {
    let crm = Crm::new().await;
    let errors = ["file"];
    let answer = crm.upload(Vec::new(), "application/octet-stream").await;
    assert_error(&answer, 400, "Errors in the input parameters", &errors);
    assert_eq!(
        answer.1["errors"]["file"],
        "This value should not be blank."
    );
    let too_large = vec![7u8; 5 * 1024 * 1024 + 1];
    let answer = crm.upload(too_large, "application/octet-stream").await;
    assert_error(&answer, 400, "Errors in the input parameters", &errors);
    assert_eq!(
        answer.1["errors"]["file"],
        "The file is too large. Allowed maximum size is 5 MiB."
    );
    let largest = vec![7u8; 5 * 1024 * 1024];
    let id = crm.upload_file(&largest).await;
    assert_eq!(crm.download(&crm.key, id).await.3, largest);
    for program in [
        &b"MZ\x90\x00"[..],
        b"\x7fELF\x02",
        b"#!/bin/sh\nrm -rf /",
        b"<?php echo 1;",
    ] {
        let answer = crm
            .upload(program.to_vec(), "application/octet-stream")
            .await;
        assert_error(&answer, 400, "Errors in the input parameters", &errors);
        assert_eq!(answer.1["errors"]["file"], "This file type is not allowed.");
    }
    let (_, list) = crm.get("/v5/files", "").await;
    assert_eq!(ids_of(&list, "files"), [id]);
}

#[tokio::test]
async fn edit_renames_and_attaches_replacing_the_links() {
    let crm = Crm::new().await;
    let customer = crm.create(json!({ "externalId": "f-c" })).await;
    let order = crm.create_order(json!({ "externalId": "f-o" })).await["id"]
        .as_i64()
        .unwrap();
    let id = crm.upload_file(b"report").await;
    let edit = json!({
        "filename": "Отчёт 1.txt",
        "attachment": [{ "order": { "externalId": "f-o" } }, { "customer": { "id": customer } }]
    });
    let (status, body) = crm.edit_file(id, edit).await;
    assert_eq!(status, 200, "{body}");
    let file = &body["file"];
    assert_eq!(file["filename"], "Отчёт 1.txt");
    assert_eq!(
        file["attachment"],
        json!([
            { "order": { "id": order, "number": format!("{order}A"), "externalId": "f-o", "site": "main-shop" } },
            { "customer": { "id": customer, "externalId": "f-c", "site": "main-shop" } },
        ])
    );
    let disposition = crm.download(&crm.key, id).await.2;
    assert_eq!(
        disposition,
        "attachment; filename=\"_____ 1.txt\"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%201.txt"
    );
    // Links not mentioned are deleted.
    let (_, body) = crm
        .edit_file(
            id,
            json!({ "attachment": [{ "customer": { "externalId": "f-c" } }] }),
        )
        .await;
    assert_eq!(body["file"]["attachment"].as_array().unwrap().len(), 1);
    assert_eq!(body["file"]["filename"], "Отчёт 1.txt");
    let answer = crm
        .edit_file(
            id,
            json!({ "filename": "", "attachment": [{ "order": { "id": 999999 } }, {}] }),
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["attachment[0][order]", "attachment[1]", "filename"],
    );
    let answer = crm.edit_file(999999, json!({ "filename": "x" })).await;
    assert_error(&answer, 404, "Not found", &[]);
}

#[tokio::test]
async fn the_list_filters() {
    let crm = Crm::new().await;
    let customer = crm.create(json!({ "externalId": "fl-c" })).await;
    crm.create_order(json!({ "externalId": "fl-o" })).await;
    let small = crm.upload_file(b"ab").await;
    let attached = crm.upload_file(&binary()).await;
    let to_order = crm.upload_file(b"%PDF-1.7").await;
    crm.edit_file(
        attached,
        json!({ "filename": "Photo.png", "attachment": [{ "customer": { "id": customer } }] }),
    )
    .await;
    crm.edit_file(
        to_order,
        json!({ "attachment": [{ "order": { "externalId": "fl-o" } }] }),
    )
    .await;
    let cases = [
        ("", vec![small, attached, to_order]),
        (
            &format!("filter[ids][]={small}&filter[ids][]={to_order}") as &str,
            vec![small, to_order],
        ),
        (&format!("filter[customerIds][]={customer}"), vec![attached]),
        ("filter[customerExternalIds][]=fl-c", vec![attached]),
        ("filter[orderExternalIds][]=fl-o", vec![to_order]),
        ("filter[isAttached]=1", vec![attached, to_order]),
        ("filter[isAttached]=0", vec![small]),
        ("filter[sizeFrom]=3", vec![attached, to_order]),
        ("filter[sizeTo]=8", vec![small, to_order]),
        ("filter[type][]=application/pdf", vec![to_order]),
        ("filter[filename]=photo", vec![attached]),
        ("filter[sites][]=main-shop", vec![attached, to_order]),
        (
            "filter[createdAtFrom]=2000-01-01",
            vec![small, attached, to_order],
        ),
        ("filter[createdAtTo]=2000-01-01", vec![]),
    ];
    for (query, want) in cases {
        let (status, body) = crm.get("/v5/files", query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(ids_of(&body, "files"), want, "{query}");
    }
    let (_, body) = crm.get("/v5/files", "limit=20&page=1").await;
    assert_eq!(
        body["pagination"],
        json!({ "limit": 20, "totalCount": 3, "currentPage": 1, "totalPageCount": 1 })
    );
    let answer = crm
        .get("/v5/files", "filter[orderIds][]=x&filter[sizeFrom]=big")
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &["filter[orderIds][0]", "filter[sizeFrom]"],
    );
}

#[tokio::test]
async fn delete_removes_the_file_and_its_bytes() {
    let crm = Crm::new().await;
    let id = crm.upload_file(b"gone soon").await;
    let (status, body) = crm.post(&format!("/v5/files/{id}/delete"), &[]).await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    let answer = crm.get(&format!("/v5/files/{id}"), "").await;
    assert_error(&answer, 404, "Not found", &[]);
    assert_eq!(crm.download(&crm.key, id).await.0, 404);
    let answer = crm.post(&format!("/v5/files/{id}/delete"), &[]).await;
    assert_error(&answer, 404, "Not found", &[]);
}

#[tokio::test]
async fn reading_needs_file_read_and_writing_file_write() {
    let crm = Crm::new().await;
    let id = crm.upload_file(b"secret").await;
    let reader = crm.add_key(&["file_read"], &[]).await;
    let writer = crm.add_key(&["file_write"], &[]).await;
    let answer = crm.upload_as(&reader, b"x".to_vec(), "text/plain").await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let form = [("file", json!({ "filename": "y" }).to_string())];
    let answer = crm
        .post_as(&reader, &format!("/v5/files/{id}/edit"), &form)
        .await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let answer = crm
        .post_as(&reader, &format!("/v5/files/{id}/delete"), &[])
        .await;
    assert_error(&answer, 403, "Access denied.", &[]);
    for path in [format!("/v5/files/{id}"), "/v5/files".to_owned()] {
        let answer = crm.get_as(&writer, &path, "").await;
        assert_error(&answer, 403, "Access denied.", &[]);
    }
    assert_eq!(crm.download(&writer, id).await.0, 403);
    assert_eq!(crm.download(&reader, id).await.3, b"secret");
    assert_eq!(
        crm.upload_as(&writer, b"x".to_vec(), "text/plain").await.0,
        201
    );
}

#[tokio::test]
async fn another_account_never_sees_or_changes_the_files() {
    let crm = Crm::new().await;
    let other = Crm::new().await;
    let id = crm.upload_file(b"mine").await;
    let answer = other.get(&format!("/v5/files/{id}"), "").await;
    assert_error(&answer, 404, "Not found", &[]);
    assert_eq!(other.download(&other.key, id).await.0, 404);
    let answer = other.edit_file(id, json!({ "filename": "theirs" })).await;
    assert_error(&answer, 404, "Not found", &[]);
    let answer = other.post(&format!("/v5/files/{id}/delete"), &[]).await;
    assert_error(&answer, 404, "Not found", &[]);
    let (_, list) = other.get("/v5/files", "").await;
    assert_eq!(list["files"], json!([]));
    // Nor may it attach one of its files to this account's customer.
    let customer = crm.create(json!({ "externalId": "iso-c" })).await;
    let theirs = other.upload_file(b"theirs").await;
    let edit = json!({ "attachment": [{ "customer": { "id": customer } }] });
    let answer = other.edit_file(theirs, edit).await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["attachment[0][customer]"],
    );
    assert_eq!(crm.download(&crm.key, id).await.3, b"mine");
}

#[tokio::test]
async fn a_key_limited_to_a_site_sees_files_of_its_sites_and_unattached_ones() {
    let crm = Crm::new().await;
    let customer = crm.create(json!({ "externalId": "site-c" })).await;
    let loose = crm.upload_file(b"loose").await;
    let kept = crm.upload_file(b"kept").await;
    crm.edit_file(
        kept,
        json!({ "attachment": [{ "customer": { "id": customer } }] }),
    )
    .await;
    let limited = crm.add_key(&[], &["demo-shop"]).await;
    let (_, list) = crm.get_as(&limited, "/v5/files", "").await;
    assert_eq!(ids_of(&list, "files"), [loose]);
    let answer = crm.get_as(&limited, &format!("/v5/files/{kept}"), "").await;
    let message = "Access to site \"main-shop\" is denied for this API key.";
    assert_error(&answer, 403, message, &[]);
}

#[tokio::test]
async fn the_bytes_travel_with_the_accounts_snapshot() {
    let crm = Crm::new().await;
    let id = crm.upload_file(&binary()).await;
    let copy = Crm::new().await;
    crm.app.copy_snapshot(&crm.account, &copy.account).await;
    let (status, _, _, bytes) = copy.download(&copy.key, id).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, binary());
}
