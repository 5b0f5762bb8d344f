//! Barcodes of goods: `[{"ean13": "..."}, {"code128": "..."}, ...]`, one format per
//! element. A write replaces the whole list and drops empty values; GTINs are checked
//! against GS1's check digit. With `fillEAN13Barcode` on, a new good whose write gives no
//! barcodes (or an empty list) gets `2` + an 11-digit running number + the check digit.

use serde_json::{json, Map, Value};

use crate::catalog_settings::CatalogSettings;
use crate::error::{MsError, MsResult};
use crate::model::Ctx;

const FORMATS: [&str; 5] = ["ean13", "ean8", "code128", "gtin", "upc"];

/// The longest barcode the vendor accepts.
const MAX_LENGTH: usize = 255;

/// The counter behind generated EAN-13 barcodes, one per account.
const SEQUENCE: &str = "ean13_barcode";

/// The GS1 check digit of `digits` (EAN-8, EAN-13, GTIN-14 without their last digit).
fn check_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    (10 - sum % 10) % 10
}

/// The EAN-13 barcode numbered `number`: `2000000000015` for 1.
fn ean13(number: i64) -> String {
    let digits = format!("2{number:011}");
    let check = check_digit(&digits);
    format!("{digits}{check}")
}

fn valid_gtin(value: &str) -> bool {
    let (digits, check) = value.split_at(value.len().saturating_sub(1));
    value.chars().all(|c| c.is_ascii_digit())
        && matches!(value.len(), 8 | 12 | 13 | 14)
        && check.chars().next().and_then(|c| c.to_digit(10)) == Some(check_digit(digits))
}

/// One element of a written list, or `None` when its value is empty.
fn barcode(element: &Value) -> MsResult<Option<Value>> {
    let Value::Object(element) = element else {
        return Err(MsError::new(
            3012,
            "Ошибка валидации: для поля 'barcodes' массив элементов не должен содержать атомарный тип или null",
        )
        .on("barcodes"));
    };
    let mut formats = element.iter();
    let (Some((format, value)), None) = (formats.next(), formats.next()) else {
        return Err(MsError::bad_value(
            "barcodes",
            "штрихкод задается объектом с одним полем формата",
        ));
    };
    if !FORMATS.contains(&format.as_str()) {
        return Err(MsError::bad_value(
            "barcodes",
            &format!(
                "неизвестный формат штрихкода '{format}', допустимые: {}",
                FORMATS.join(", ")
            ),
        ));
    }
    let Value::String(value) = value else {
        return Err(MsError::wrong_type("barcodes"));
    };
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > MAX_LENGTH {
        return Err(MsError::new(
            3011,
            "Ошибка валидации штрихкода: невозможно добавить к сущности штрихкод длиной более 255 символов",
        )
        .on("barcodes"));
    }
    if format == "gtin" && !valid_gtin(value) {
        return Err(MsError::new(
            3014,
            format!("Ошибка валидации штрихкода: неверный формат GTIN: {value}"),
        )
        .on("barcodes"));
    }
    Ok(Some(json!({ format: value })))
}

/// `barcodes` of a write: the new full list (`null` or `[]` empties it).
pub fn set(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    let given: &[Value] = match input.get("barcodes") {
        None => return Ok(()),
        Some(Value::Null) => &[],
        Some(Value::Array(given)) => given,
        Some(_) => return Err(MsError::wrong_type("barcodes")),
    };
    let mut list = Vec::with_capacity(given.len());
    for element in given {
        list.extend(barcode(element)?);
    }
    if list.is_empty() {
        body.remove("barcodes");
    } else {
        body.insert("barcodes".into(), Value::Array(list));
    }
    Ok(())
}

/// Gives a new good an EAN-13 barcode when the settings ask for it and its write named no
/// barcodes; a list of empty values asks for none, as the vendor documents.
pub async fn fill(
    ctx: &Ctx,
    settings: &CatalogSettings,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    let asked = match input.get("barcodes") {
        None | Some(Value::Null) => true,
        Some(Value::Array(given)) => given.is_empty(),
        Some(_) => false,
    };
    if !settings.fill_ean13_barcode || !asked {
        return Ok(());
    }
    let number = ctx.next_number(SEQUENCE).await?.value;
    body.insert("barcodes".into(), json!([{ "ean13": ean13(number) }]));
    Ok(())
}
