//! The catalog's routes beside the generic entity ones: catalog settings
//! (`/entity/assortment/settings`), variant metadata and characteristics
//! (`/entity/variant/metadata[/characteristics[/{id}]]`) and bundle components
//! (`/entity/bundle/{id}/components[/delete|/{componentId}]`).

use axum::http::Method;

use crate::catalog_settings;
use crate::endpoint::MsEndpoint;
use crate::entities::goods::{characteristics, components};
use crate::error::{json_response, MsError};
use crate::model::Ctx;
use crate::routes::{empty_ok, ok, Answer, Route};

fn is_id(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

/// `GET` and `PUT /entity/assortment/settings`.
pub async fn settings(ctx: &Ctx, route: &Route<'_>) -> Answer {
    match *route.method {
        Method::GET => ok(&catalog_settings::get(ctx).await?),
        Method::PUT => ok(&catalog_settings::update(ctx, &route.object()?).await?),
        _ => Err(MsError::method_not_allowed(route.method.as_str())),
    }
}

/// `/entity/variant/metadata`, with the characteristics variants take values for.
pub async fn variant_metadata(ctx: &Ctx, rest: &[&str], route: &Route<'_>) -> (MsEndpoint, Answer) {
    use MsEndpoint as E;
    let method = route.method;
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    match (rest, method) {
        ([], &Method::GET) => (
            E::Metadata,
            characteristics::metadata(ctx).await.and_then(|v| ok(&v)),
        ),
        ([], _) => (E::Metadata, wrong_method()),
        (["characteristics"], &Method::GET) => (
            E::CharacteristicsList,
            characteristics::list(ctx).await.and_then(|v| ok(&v)),
        ),
        (["characteristics"], &Method::POST) => (
            E::CharacteristicsCreate,
            async {
                let (status, body) = characteristics::create_many(ctx, route.json()?).await?;
                Ok(json_response(status, &body))
            }
            .await,
        ),
        (["characteristics"], _) => (E::CharacteristicsList, wrong_method()),
        (["characteristics", id], _) if !is_id(id) => {
            (E::CharacteristicGet, Err(MsError::uri_not_id()))
        }
        (["characteristics", id], &Method::GET) => (
            E::CharacteristicGet,
            characteristics::get(ctx, id).await.and_then(|v| ok(&v)),
        ),
        (["characteristics", _], _) => (E::CharacteristicGet, wrong_method()),
        _ => (E::Unknown, Err(MsError::unknown_path(route.full_path))),
    }
}

/// `/entity/bundle/{id}/components[/delete|/{componentId}]`.
pub async fn components(
    ctx: &Ctx,
    bundle_id: &str,
    rest: &[&str],
    route: &Route<'_>,
) -> (MsEndpoint, Answer) {
    use MsEndpoint as E;
    let method = route.method;
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    if !is_id(bundle_id) {
        return (E::BundleComponentsList, Err(MsError::uri_not_id()));
    }
    match (rest, method) {
        ([], &Method::GET) => (
            E::BundleComponentsList,
            components::list(ctx, bundle_id).await.and_then(|v| ok(&v)),
        ),
        ([], &Method::POST) => (
            E::BundleComponentsCreate,
            async {
                let (status, body) = components::add_many(ctx, bundle_id, route.json()?).await?;
                Ok(json_response(status, &body))
            }
            .await,
        ),
        ([], _) => (E::BundleComponentsList, wrong_method()),
        (["delete"], &Method::POST) => (
            E::BundleComponentsMassDelete,
            async {
                components::delete_many(ctx, bundle_id, route.json()?).await?;
                Ok(empty_ok())
            }
            .await,
        ),
        (["delete"], _) => (E::BundleComponentsMassDelete, wrong_method()),
        ([id], _) if !is_id(id) => (E::BundleComponentGet, Err(MsError::uri_not_id())),
        ([id], &Method::GET) => (
            E::BundleComponentGet,
            components::get(ctx, bundle_id, id)
                .await
                .and_then(|v| ok(&v)),
        ),
        ([id], &Method::PUT) => (
            E::BundleComponentUpdate,
            async { ok(&components::update(ctx, bundle_id, id, &route.object()?).await?) }.await,
        ),
        ([id], &Method::DELETE) => (
            E::BundleComponentDelete,
            components::delete(ctx, bundle_id, id)
                .await
                .map(|()| empty_ok()),
        ),
        ([_], _) => (E::BundleComponentGet, wrong_method()),
        _ => (E::Unknown, Err(MsError::unknown_path(route.full_path))),
    }
}
