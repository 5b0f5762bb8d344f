//! Product photos: `setPhoto` (14.1) uploads one (base64 `imageData`) or links one
//! already uploaded (`imageId`) to a product, `getPhoto` (14.2) answers its bytes.
//! Products have no filial, and neither have their photos.
//!
//! A photo is a document of the account's store (kind `photo`, keyed by its `imageId`,
//! the bytes kept as base64), so snapshots and restarts keep it; the product keeps the
//! `imageID` that getProduct shows with its `imageUrl` and `thumbUrl`. A new `imageId` is
//! `<product SD_id>_<8 hex digits>.<jpg|png|gif>`, the docs' `d0_15_abc123.jpg` shape.
//! A product given another photo keeps none of the old one, but the old file stays and
//! can be linked again by its `imageId` (*Inferred*: the docs say nothing of removal).
//!
//! Checks, each a whole-request 400 (*Inferred* texts; the docs give the limits only):
//! the product named (by `CS_id` / `SD_id` / `code_1C`) and found; exactly one of
//! `imageData` and `imageId`; `imageData` base64 (padding optional, whitespace and a
//! `data:image/...;base64,` prefix ignored), at most 100 KB (102 400 bytes once decoded),
//! a JPEG, PNG or GIF by its first bytes; an `imageId` one of the account's photos.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde_json::{json, Map, Value};
use twin_store::{Batch, Document, Expect, Write};

use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::product::PRODUCT;
use crate::reference::upsert::{save, Refused, Target};
use crate::reference::{nested, Ids, Record};
use crate::render::ok;
use crate::request::Ctx;
use crate::values::{datetime, text};

/// The stored kind of photos.
const PHOTO: &str = "photo";
/// The documented "Max size: 100KB".
pub const MAX_BYTES: usize = 100 * 1024;
/// The documented formats: MIME type and the extension of the `imageId`.
const FORMATS: [(&str, &str); 3] = [
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/gif", "gif"),
];

const ONE_OF: &str = "Specify one of imageData or imageId";
const NOT_BASE64: &str = "imageData must be an image in base64";
const TOO_LARGE: &str = "The image is larger than 100KB";
const FORMAT: &str = "The image must be a JPEG, PNG or GIF";
const PRODUCT_REQUIRED: &str = "product is required";

fn image_not_found(id: &str) -> SdError {
    SdError::bad_request(format!("Image {id} not found"))
}

/// `setPhoto` (14.1): `{status, result: {product: {SD_id, code_1C}, imageId}}`.
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let empty = Map::new();
    let data = envelope.data.as_object().unwrap_or(&empty);
    let product = match nested(ctx, PRODUCT.key, data, "product").await? {
        Some(Ok(product)) => product,
        Some(Err(error)) => return Err(SdError::bad_request(error)),
        None => return Err(SdError::bad_request(PRODUCT_REQUIRED)),
    };
    let given = |member: &str| data.get(member).and_then(text);
    let image_id = match (given("imageData"), given("imageId")) {
        (Some(encoded), None) => upload(ctx, &product, &encoded).await?,
        (None, Some(id)) => {
            stored(ctx, &id)
                .await?
                .ok_or_else(|| image_not_found(&id))?;
            id
        }
        _ => return Err(SdError::bad_request(ONE_OF)),
    };
    let mut fields = product.fields.clone();
    fields.insert("imageID".into(), Value::from(image_id.clone()));
    let target = Target::Existing(&product);
    let saved = save(ctx, PRODUCT.key, &Ids::default(), target, fields).await;
    let product = saved.map_err(|refused| match refused {
        Refused::Item(errors) => SdError::bad_request(errors.join("; ")),
        Refused::Request(error) => error,
    })?;
    Ok(ok(json!({
        "status": true,
        "result": {
            "product": { "SD_id": product.sd_id, "code_1C": product.code_1c },
            "imageId": image_id,
        },
    })))
}

/// Decodes, checks and stores a new photo of the product; its `imageId`.
async fn upload(ctx: &Ctx, product: &Record, encoded: &str) -> SdResult<String> {
    let bytes = decode(encoded).ok_or_else(|| SdError::bad_request(NOT_BASE64))?;
    if bytes.len() > MAX_BYTES {
        return Err(SdError::bad_request(TOO_LARGE));
    }
    let (content_type, extension) = twin_core::media::sniff(&bytes)
        .and_then(|kind| FORMATS.iter().find(|(known, _)| *known == kind))
        .ok_or_else(|| SdError::bad_request(FORMAT))?;
    let unique = ctx.core.ids.uuid(&ctx.account, crate::DIALECT).await?;
    let hex = unique.simple().to_string();
    let image_id = format!("{}_{}.{extension}", product.sd_id, &hex[..8]);
    let body = json!({
        "product": product.sd_id,
        "contentType": content_type,
        "size": bytes.len(),
        "created": datetime(ctx.now),
        "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
    });
    let doc = Document::new(ctx.scope.key(PHOTO, image_id.clone()), body);
    let put = Write::Put {
        doc,
        expect: Expect::Absent,
    };
    ctx.apply(Batch::new().write(put)).await?;
    Ok(image_id)
}

/// The bytes of base64 text: standard alphabet, padding optional, whitespace (line
/// breaks of MIME encoders) and a data-URL prefix ignored; `None` when it is no base64
/// or empty.
fn decode(encoded: &str) -> Option<Vec<u8>> {
    let payload = match encoded.split_once(";base64,") {
        Some((prefix, rest)) if prefix.starts_with("data:") => rest,
        _ => encoded,
    };
    let compact: String = payload
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let bytes = GeneralPurpose::new(&STANDARD, config)
        .decode(compact)
        .ok()?;
    (!bytes.is_empty()).then_some(bytes)
}

/// The account's photo with this `imageId`.
async fn stored(ctx: &Ctx, image_id: &str) -> SdResult<Option<Document>> {
    Ok(ctx.core.store.get(&ctx.scope.key(PHOTO, image_id)).await?)
}

/// `getPhoto` (14.2): the photo's bytes as uploaded, its type as `Content-Type`.
/// `params.imageID` names it (`imageId`, setPhoto's spelling, too: *Inferred*).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let image_id = ["imageID", "imageId"]
        .iter()
        .find_map(|member| envelope.params.get(*member).and_then(text))
        .ok_or_else(|| SdError::bad_request("Required field \"params.imageID\" is missing"))?;
    let doc = stored(ctx, &image_id)
        .await?
        .ok_or_else(|| image_not_found(&image_id))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(doc.body["content"].as_str().unwrap_or_default())
        .map_err(|_| SdError::new(500, "The stored image is damaged"))?;
    let content_type = doc.body["contentType"]
        .as_str()
        .unwrap_or("application/octet-stream")
        .to_owned();
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type)],
        bytes,
    )
        .into_response())
}
