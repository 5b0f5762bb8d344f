//! The two methods outside `/api/v5`: which API versions the account serves and what the
//! request's key may do.

use axum::response::Response;
use serde_json::json;

use crate::auth;
use crate::error::RetailResult;
use crate::render::ok;
use crate::request::{success, Ctx};
use crate::sites;

/// The versions a current account answers. *Inferred*: the seed lists none; v3 and v4
/// paths are not served by Twin.
const VERSIONS: [&str; 3] = ["3.0", "4.0", "5.0"];

/// `GET /api/api-versions`.
pub fn api_versions() -> Response {
    ok(success(json!({ "versions": VERSIONS })))
}

/// `GET /api/credentials`: the key's permissions (`scopes`), whether it reaches every site
/// (`access_full`) or some (`access_selective`), and the sites it reaches. The deprecated
/// `credentials` list holds the paths of the methods those permissions open.
pub async fn credentials(ctx: &Ctx) -> RetailResult<Response> {
    let (scopes, key_sites) = auth::grants(&ctx.credential);
    let scopes: Vec<String> = if scopes.is_empty() {
        auth::all_scopes().into_iter().map(str::to_owned).collect()
    } else {
        scopes.to_vec()
    };
    let methods: Vec<String> = crate::endpoint::RetailEndpoint::ALL
        .iter()
        .filter(|endpoint| {
            endpoint
                .permission()
                .is_none_or(|needed| scopes.iter().any(|s| s == needed))
        })
        .map(|endpoint| format!("/api{}", endpoint.spec().1))
        .collect();
    let access = if key_sites.is_empty() {
        "access_full"
    } else {
        "access_selective"
    };
    Ok(ok(success(json!({
        "credentials": methods,
        "scopes": scopes,
        "siteAccess": access,
        "sitesAvailable": sites::available(ctx).await?,
    }))))
}
