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
use crate::routes::{done, empty_ok, ok, work, Answer, Route, Work};

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
pub fn variant_metadata<'a>(
    ctx: &'a Ctx,
    rest: &'a [&'a str],
    route: &'a Route<'_>,
) -> (MsEndpoint, Work<'a>) {
    use MsEndpoint as E;
    let method = route.method;
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    match (rest, method) {
        ([], &Method::GET) => (
            E::Metadata,
            work(async { ok(&characteristics::metadata(ctx).await?) }),
        ),
        ([], _) => (E::Metadata, done(wrong_method())),
        (["characteristics"], &Method::GET) => (
            E::CharacteristicsList,
            work(async { ok(&characteristics::list(ctx).await?) }),
        ),
        (["characteristics"], &Method::POST) => (
            E::CharacteristicsCreate,
            work(async {
                let (status, body) = characteristics::create_many(ctx, route.json()?).await?;
                Ok(json_response(status, &body))
            }),
        ),
        (["characteristics"], _) => (E::CharacteristicsList, done(wrong_method())),
        (["characteristics", id], _) if !is_id(id) => {
            (E::CharacteristicGet, done(Err(MsError::uri_not_id())))
        }
        (["characteristics", id], &Method::GET) => (
            E::CharacteristicGet,
            work(async move { ok(&characteristics::get(ctx, id).await?) }),
        ),
        (["characteristics", _], _) => (E::CharacteristicGet, done(wrong_method())),
        _ => (
            E::Unknown,
            done(Err(MsError::unknown_path(route.full_path))),
        ),
    }
}

/// `/entity/bundle/{id}/components[/delete|/{componentId}]`.
pub fn components<'a>(
    ctx: &'a Ctx,
    bundle_id: &'a str,
    rest: &'a [&'a str],
    route: &'a Route<'_>,
) -> (MsEndpoint, Work<'a>) {
    use MsEndpoint as E;
    let method = route.method;
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    if !is_id(bundle_id) {
        return (E::BundleComponentsList, done(Err(MsError::uri_not_id())));
    }
    match (rest, method) {
        ([], &Method::GET) => (
            E::BundleComponentsList,
            work(async { ok(&components::list(ctx, bundle_id).await?) }),
        ),
        ([], &Method::POST) => (
            E::BundleComponentsCreate,
            work(async {
                let (status, body) = components::add_many(ctx, bundle_id, route.json()?).await?;
                Ok(json_response(status, &body))
            }),
        ),
        ([], _) => (E::BundleComponentsList, done(wrong_method())),
        (["delete"], &Method::POST) => (
            E::BundleComponentsMassDelete,
            work(async {
                components::delete_many(ctx, bundle_id, route.json()?).await?;
                Ok(empty_ok())
            }),
        ),
        (["delete"], _) => (E::BundleComponentsMassDelete, done(wrong_method())),
        ([id], _) if !is_id(id) => (E::BundleComponentGet, done(Err(MsError::uri_not_id()))),
        ([id], &Method::GET) => (
            E::BundleComponentGet,
            work(async move { ok(&components::get(ctx, bundle_id, id).await?) }),
        ),
        ([id], &Method::PUT) => (
            E::BundleComponentUpdate,
            work(
                async move { ok(&components::update(ctx, bundle_id, id, &route.object()?).await?) },
            ),
        ),
        ([id], &Method::DELETE) => (
            E::BundleComponentDelete,
            work(async move {
                components::delete(ctx, bundle_id, id).await?;
                Ok(empty_ok())
            }),
        ),
        ([_], _) => (E::BundleComponentGet, done(wrong_method())),
        _ => (
            E::Unknown,
            done(Err(MsError::unknown_path(route.full_path))),
        ),
    }
}
