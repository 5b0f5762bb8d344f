//! What a request says about the webhooks it causes: `X-Lognex-WebHook-Disable` (with any
//! value) holds back all of them; each `X-Lognex-WebHook-DisableByPrefix` holds back those
//! whose url starts with its value. Several prefixes come as several headers (a comma is
//! part of the prefix), and each must name the scheme and a whole host.

use axum::http::{HeaderMap, HeaderValue};
use url::{Host, Url};

use crate::error::{MsError, MsResult};

const DISABLE: &str = "x-lognex-webhook-disable";
const DISABLE_BY_PREFIX: &str = "x-lognex-webhook-disablebyprefix";

#[derive(Debug, Clone, Default)]
pub struct RequestWebhooks {
    /// `X-Lognex-WebHook-Disable` was sent.
    pub disabled: bool,
    /// The `X-Lognex-WebHook-DisableByPrefix` values.
    pub disabled_prefixes: Vec<String>,
    /// The audit event the request's changes belong to, shared by every notification it
    /// causes (`auditContext.meta.href`).
    pub audit_id: String,
}

impl RequestWebhooks {
    /// Reads the headers; a prefix without a scheme and whole host is refused (400).
    pub fn from_headers(headers: &HeaderMap) -> MsResult<Self> {
        let disabled_prefixes = headers
            .get_all(DISABLE_BY_PREFIX)
            .iter()
            .map(prefix)
            .collect::<MsResult<_>>()?;
        Ok(Self {
            disabled: headers.contains_key(DISABLE),
            disabled_prefixes,
            audit_id: uuid::Uuid::new_v4().to_string(),
        })
    }

    /// Whether the request holds back notifications to `url`.
    pub fn suppresses(&self, url: &str) -> bool {
        self.disabled || self.disabled_prefixes.iter().any(|p| url.starts_with(p))
    }
}

fn prefix(value: &HeaderValue) -> MsResult<String> {
    let text = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    if names_whole_host(&text) {
        Ok(text)
    } else {
        Err(MsError::new(
            1091,
            format!(
                "Недопустимые значения '{text}' параметра запроса X-Lognex-WebHook-DisableByPrefix"
            ),
        ))
    }
}

/// `https://a.com` and `https://a.com/path` name a whole host; `https://` and `https://a`
/// do not. IP addresses and `localhost` count as whole hosts, so that local receivers can
/// be named.
fn names_whole_host(prefix: &str) -> bool {
    let Ok(url) = Url::parse(prefix) else {
        return false;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    match url.host() {
        Some(Host::Domain(domain)) => {
            domain == "localhost"
                || domain.split('.').filter(|label| !label.is_empty()).count() >= 2
        }
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
        None => false,
    }
}
