//! Query parameters of lists and reads: `limit`, `offset`, `filter`, `search`, `order`,
//! `expand`, and the `nextHref`/`previousHref` a page links to.

use crate::error::{MsError, MsResult};

/// Decoded `name=value` pairs in their order (`+` is a space, `%XX` a byte).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a query value, keeping unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub limit: u64,
    pub offset: u64,
    pub filter: Option<String>,
    pub search: Option<String>,
    pub order: Option<String>,
    pub expand: Vec<String>,
    /// Every pair as given, to echo in `meta.href` and build page links.
    pub pairs: Vec<(String, String)>,
}

/// The most rows a page holds, and the most when `expand` is used.
pub const MAX_LIMIT: u64 = 1000;
pub const MAX_EXPAND_LIMIT: u64 = 100;

pub fn list_params(raw: Option<&str>) -> MsResult<ListParams> {
    let pairs = query_pairs(raw);
    let mut params = ListParams {
        limit: MAX_LIMIT,
        ..ListParams::default()
    };
    for (name, value) in &pairs {
        match name.as_str() {
            "limit" => {
                params.limit = value
                    .parse()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| MsError::bad_params("limit должен быть от 1 до 1000"))?
            }
            "offset" => {
                params.offset = value
                    .parse()
                    .map_err(|_| MsError::bad_params("offset должен быть неотрицательным числом"))?
            }
            "filter" => params.filter = Some(value.clone()),
            "search" => params.search = Some(value.clone()),
            "order" => params.order = Some(value.clone()),
            "expand" => params.expand = expand_paths(value),
            _ => {}
        }
    }
    // With a page over 100 rows, expand is silently ignored, as the vendor does.
    if params.limit > MAX_EXPAND_LIMIT {
        params.expand.clear();
    }
    params.pairs = pairs;
    Ok(params)
}

pub fn expand_paths(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The query string with `offset` and `limit` replaced.
pub fn page_query(pairs: &[(String, String)], offset: u64, limit: u64) -> String {
    pairs
        .iter()
        .filter(|(name, _)| name != "offset" && name != "limit")
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .chain([format!("limit={limit}"), format!("offset={offset}")])
        .collect::<Vec<_>>()
        .join("&")
}

/// The query string as given (re-encoded), for `meta.href`.
pub fn echo_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}
