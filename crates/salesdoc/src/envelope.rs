//! The one request shape of every method (01-general §3): `{method, auth:{userId, token},
//! filial:{filial_id}, params:{limit, page, period, sort, filter}, data}`. The body is
//! read before authentication: an empty body, a body that is no JSON (a UTF-8 BOM
//! stripped first, §16) and a body without `method` are refused there (§4).

use serde_json::{Map, Value};

use crate::error::{SdError, SdResult};
use crate::values::text;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A parsed request body.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The method as sent; not necessarily one of the vendor's.
    pub method: String,
    pub auth: Map<String, Value>,
    /// The filial the body names: `None` when `filial` is absent or `filial_id` is
    /// missing, empty or zero (`"0"` or `0`): no filial (§3 note).
    pub filial_id: Option<String>,
    pub params: Map<String, Value>,
    pub data: Value,
    /// The body's other top-level members: deleteClientPending's `clientPending` (15.4)
    /// sits beside `data`, not in it.
    pub rest: Map<String, Value>,
}

impl Envelope {
    /// Reads a body, or the pre-parse error the vendor answers before auth.
    pub fn parse(bytes: &[u8]) -> SdResult<Self> {
        let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(SdError::empty_body());
        }
        let value: Value = serde_json::from_slice(bytes).map_err(|_| SdError::not_json())?;
        // A JSON value other than an object has no `method` either (*Inferred*).
        let Value::Object(mut body) = value else {
            return Err(SdError::method_missing());
        };
        // A `method` that is no string, or empty, counts as missing (*Inferred*).
        let method = body
            .get("method")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .ok_or_else(SdError::method_missing)?
            .to_owned();
        let object = |body: &mut Map<String, Value>, name: &str| match body.get(name) {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        let auth = object(&mut body, "auth");
        let params = object(&mut body, "params");
        let filial_id = body
            .get("filial")
            .and_then(|f| f.get("filial_id"))
            .and_then(text)
            .filter(|id| id != "0");
        let data = body.remove("data").unwrap_or(Value::Null);
        for member in ["method", "auth", "filial", "params"] {
            body.remove(member);
        }
        Ok(Self {
            method,
            auth,
            filial_id,
            params,
            data,
            rest: body,
        })
    }

    /// `params.filter` (empty when absent or no object).
    pub fn filter(&self) -> Map<String, Value> {
        match self.params.get("filter") {
            Some(Value::Object(filter)) => filter.clone(),
            _ => Map::new(),
        }
    }
}
