//! One handler for every path under `/api/remap/1.2`: it authenticates, applies the rate
//! limit, then routes by the vendor's rules — literal segments (`batch`, `delete`,
//! `metadata`) before ids, keywords case-insensitive, a trailing slash accepted, a non-UUID
//! id answered with 1000, an unknown type with 1005, an unknown path with 1002 and a wrong
//! method with 1039. Routing names the endpoint before any work starts, so the fault rules
//! get their turn in between.

use std::future::Future;
use std::pin::Pin;

use axum::body::{to_bytes, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use twin_http::{AppState, Endpoint, RequestMeta};

use crate::accounts;
use crate::assortment;
use crate::auth::{authenticate, Session};
use crate::catalog_routes;
use crate::endpoint::MsEndpoint;
use crate::engine;
use crate::entities;
use crate::error::{json_response, MsError, MsResult};
use crate::metadata;
use crate::model::{Ctx, Entity};
use crate::params::{expand_paths, list_params, query_pairs};
use crate::price_types;
use crate::reports;
use crate::representation::{metadata_owner, ATTRIBUTE, STATE};
use crate::webhooks::RequestWebhooks;
use crate::{rate_limit, seed, MoySklad, BASE_PATH};

pub async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let (parts, body) = request.into_parts();
    let session = match authenticate(&state, &parts.headers).await {
        Ok(session) => session,
        Err(rejection) => return rejection.into_response(),
    };
    if let Some(meta) = &meta {
        meta.set_account(&session.account.id);
    }
    let decision = rate_limit::check(&state, &session);
    let mut response = if decision.allowed {
        let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
        let path = parts.uri.path().strip_prefix(BASE_PATH).unwrap_or_default();
        let route = Route {
            method: &parts.method,
            headers: &parts.headers,
            segments: path.split('/').filter(|s| !s.is_empty()).collect(),
            query: parts.uri.query(),
            body,
            full_path: parts.uri.path(),
        };
        match handle(&state, session, &route, meta.as_deref()).await {
            Ok(response) => response,
            Err(faulted) => return rate_limit::with_account_limit(faulted, &decision),
        }
    } else {
        MsError::rate_limited().into_response()
    };
    rate_limit::headers(&decision, response.headers_mut());
    response
}

pub(crate) struct Route<'a> {
    pub(crate) method: &'a Method,
    pub(crate) headers: &'a HeaderMap,
    segments: Vec<&'a str>,
    query: Option<&'a str>,
    body: Bytes,
    pub(crate) full_path: &'a str,
}

impl Route<'_> {
    pub(crate) fn json(&self) -> MsResult<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Object(Map::new()));
        }
        let value: Value =
            serde_json::from_slice(&self.body).map_err(|e| MsError::bad_json(&e.to_string()))?;
        if value.is_object() || value.is_array() {
            Ok(value)
        } else {
            Err(MsError::not_object())
        }
    }

    pub(crate) fn object(&self) -> MsResult<Map<String, Value>> {
        match self.json()? {
            Value::Object(map) => Ok(map),
            _ => Err(MsError::array_not_allowed()),
        }
    }

    fn expand(&self) -> Vec<String> {
        query_pairs(self.query)
            .into_iter()
            .filter(|(name, _)| name == "expand")
            .flat_map(|(_, value)| expand_paths(&value))
            .collect()
    }
}

pub(crate) type Answer = MsResult<Response>;

/// An endpoint's work, not started yet: routing names the endpoint first, so that a fault
/// rule can answer before anything is done.
pub(crate) type Work<'a> = Pin<Box<dyn Future<Output = Answer> + Send + 'a>>;

pub(crate) fn work<'a>(future: impl Future<Output = Answer> + Send + 'a) -> Work<'a> {
    Box::pin(future)
}

/// Work whose answer routing already knows (a malformed path, a wrong method).
pub(crate) fn done<'a>(answer: Answer) -> Work<'a> {
    Box::pin(std::future::ready(answer))
}

pub(crate) fn ok(body: &Value) -> Answer {
    Ok(json_response(StatusCode::OK, body))
}

async fn context(state: &AppState, session: Session, headers: &HeaderMap) -> MsResult<Ctx> {
    let ctx = Ctx::new(
        state.core.clone(),
        &state.public_url,
        session.account,
        session.credential.id.clone(),
        session.uid,
        RequestWebhooks::from_headers(headers)?,
    );
    seed::ensure(&ctx).await?;
    Ok(ctx)
}

/// Routes the request to its endpoint, gives the fault rules their turn, then does the
/// work. `Err` is a fault rule's answer, which stands without the window's headers.
async fn handle(
    state: &AppState,
    session: Session,
    route: &Route<'_>,
    meta: Option<&RequestMeta>,
) -> Result<Response, Response> {
    let lower: Vec<String> = route
        .segments
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let segments: Vec<&str> = lower.iter().map(String::as_str).collect();
    let ctx;
    let (endpoint, work) = if segments == ["security", "token"] {
        let method = route.method;
        let token = async move {
            match *method {
                Method::POST => issue_token(state, &session).await,
                _ => Err(MsError::method_not_allowed(method.as_str())),
            }
        };
        (MsEndpoint::SecurityToken, self::work(token))
    } else {
        match context(state, session, route.headers).await {
            Ok(made) => {
                ctx = made;
                path_route(&ctx, &segments, route)
            }
            Err(error) => (MsEndpoint::Unknown, done(Err(error))),
        }
    };
    if let Some(meta) = meta {
        meta.set_endpoint(endpoint.name());
    }
    if let Some(faulted) = twin_http::faults::inject::<MoySklad>(state, meta).await {
        return Err(faulted);
    }
    Ok(work.await.unwrap_or_else(IntoResponse::into_response))
}

fn path_route<'a>(
    ctx: &'a Ctx,
    segments: &'a [&'a str],
    route: &'a Route<'_>,
) -> (MsEndpoint, Work<'a>) {
    use MsEndpoint as E;
    let method = route.method;
    let unknown = || MsError::unknown_path(route.full_path);
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    match segments {
        ["context", "employee"] => (
            E::ContextEmployee,
            match *method {
                Method::GET => work(current_employee(ctx, route)),
                _ => done(wrong_method()),
            },
        ),
        ["context", "companysettings", "pricetype", rest @ ..] => (
            E::PriceTypes,
            match (rest, method) {
                ([], &Method::GET) => work(async { ok(&price_types::all(ctx).await?) }),
                ([id], &Method::GET) => work(async move { ok(&price_types::one(ctx, id).await?) }),
                ([] | [_], _) => done(wrong_method()),
                _ => done(Err(unknown())),
            },
        ),
        ["entity", "assortment", "settings"] => (
            E::AssortmentSettings,
            work(catalog_routes::settings(ctx, route)),
        ),
        ["entity", "variant", "metadata", rest @ ..] => {
            catalog_routes::variant_metadata(ctx, rest, route)
        }
        ["entity", "bundle", bundle_id, "components", rest @ ..] => {
            catalog_routes::components(ctx, bundle_id, rest, route)
        }
        ["report", "stock", report @ ("all" | "bystore"), "current"] => {
            let by_store = *report == "bystore";
            let endpoint = if by_store {
                E::StockReportByStore
            } else {
                E::StockReportAll
            };
            (
                endpoint,
                match *method {
                    Method::GET => {
                        work(
                            async move { ok(&reports::current(ctx, route.query, by_store).await?) },
                        )
                    }
                    _ => done(wrong_method()),
                },
            )
        }
        ["entity", "assortment"] => (
            E::AssortmentList,
            match *method {
                Method::GET => work(async {
                    let with_stock = !assortment::without_stock(route.headers);
                    ok(&assortment::list(ctx, route.query, with_stock).await?)
                }),
                _ => done(wrong_method()),
            },
        ),
        ["entity", "assortment", "delete"] => (
            E::AssortmentMassDelete,
            match *method {
                Method::POST => work(async {
                    let (status, body) = assortment::delete(ctx, route.json()?).await?;
                    Ok(json_response(status, &body))
                }),
                _ => done(wrong_method()),
            },
        ),
        ["entity", keyword, rest @ ..] => {
            let Some(entity) = entities::by_keyword(keyword) else {
                return (E::Unknown, done(Err(MsError::unknown_type(keyword))));
            };
            entity_route(ctx, entity, rest, route)
        }
        _ => (E::Unknown, done(Err(unknown()))),
    }
}

fn entity_route<'a>(
    ctx: &'a Ctx,
    entity: &'static dyn Entity,
    rest: &'a [&'a str],
    route: &'a Route<'_>,
) -> (MsEndpoint, Work<'a>) {
    use MsEndpoint as E;
    let method = route.method;
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    match (rest, method) {
        ([], &Method::GET) => (E::EntityList, work(list(ctx, entity, route))),
        ([], &Method::POST) => match route.json() {
            Ok(Value::Array(_)) => (E::EntityBatch, work(mass(ctx, entity, route))),
            Ok(_) => (E::EntityCreate, work(create(ctx, entity, route))),
            Err(error) => (E::EntityCreate, done(Err(error))),
        },
        ([], &Method::PUT) => (E::EntityUpdate, done(Err(MsError::no_id_on_put()))),
        ([], _) => (E::EntityList, done(wrong_method())),
        (["batch"], &Method::POST) => (E::EntityBatch, work(mass(ctx, entity, route))),
        (["delete"], &Method::POST) => (E::EntityMassDelete, work(mass_delete(ctx, entity, route))),
        (["batch" | "delete"], _) => (E::EntityBatch, done(wrong_method())),
        (["metadata"], &Method::GET) => (
            E::Metadata,
            work(async { ok(&metadata::describe(ctx, entity.info(), &route.expand()).await?) }),
        ),
        (["metadata"], _) => (E::Metadata, done(wrong_method())),
        (["metadata", collection, more @ ..], _) => {
            let info = entity.info();
            let kind = match *collection {
                "attributes" if info.attributes => ATTRIBUTE,
                "states" if info.states => STATE,
                _ => {
                    return (
                        E::Unknown,
                        done(Err(MsError::unknown_path(route.full_path))),
                    )
                }
            };
            let owner = if kind == ATTRIBUTE {
                metadata_owner(info.keyword)
            } else {
                info.keyword
            };
            metadata_route(ctx, owner, kind, more, route)
        }
        ([holder_id, "accounts", more @ ..], _)
            if accounts::HOLDERS.contains(&entity.info().keyword) =>
        {
            account_route(ctx, entity.info().keyword, holder_id, more, route)
        }
        ([id], _) => {
            if uuid::Uuid::parse_str(id).is_err() {
                return (E::EntityGet, done(Err(MsError::uri_not_id())));
            }
            match *method {
                Method::GET => (
                    E::EntityGet,
                    work(async move { ok(&engine::get(ctx, entity, id, &route.expand()).await?) }),
                ),
                Method::PUT => (E::EntityUpdate, work(update(ctx, entity, id, route))),
                Method::DELETE => (
                    E::EntityDelete,
                    work(async move {
                        engine::delete(ctx, entity, id).await?;
                        Ok(empty_ok())
                    }),
                ),
                _ => (E::EntityGet, done(wrong_method())),
            }
        }
        _ => (
            E::Unknown,
            done(Err(MsError::unknown_path(route.full_path))),
        ),
    }
}

async fn list(ctx: &Ctx, entity: &dyn Entity, route: &Route<'_>) -> Answer {
    let params = list_params(route.query)?;
    ok(&engine::list(ctx, entity, &params).await?)
}

async fn create(ctx: &Ctx, entity: &dyn Entity, route: &Route<'_>) -> Answer {
    let doc = engine::create(ctx, entity, &route.object()?).await?;
    let body = doc.body.as_object().cloned().unwrap_or_default();
    ok(&engine::render(ctx, entity, body, &route.expand(), 0).await?)
}

async fn update(ctx: &Ctx, entity: &dyn Entity, id: &str, route: &Route<'_>) -> Answer {
    let doc = engine::update(ctx, entity, id, &route.object()?).await?;
    let body = doc.body.as_object().cloned().unwrap_or_default();
    ok(&engine::render(ctx, entity, body, &route.expand(), 0).await?)
}

async fn mass(ctx: &Ctx, entity: &dyn Entity, route: &Route<'_>) -> Answer {
    let (status, body) = engine::mass(ctx, entity, route.json()?, &route.expand()).await?;
    Ok(json_response(status, &body))
}

async fn mass_delete(ctx: &Ctx, entity: &dyn Entity, route: &Route<'_>) -> Answer {
    let (status, body) = engine::mass_delete(ctx, entity, route.json()?).await?;
    Ok(json_response(status, &body))
}

/// Attribute definitions and states of a type: `.../metadata/attributes[/delete|/{id}]`
/// and `.../metadata/states[/{id}]`. `owner` is the type whose definitions they are
/// (a service's attributes are the product's).
fn metadata_route<'a>(
    ctx: &'a Ctx,
    owner: &'a str,
    kind: &'a str,
    rest: &'a [&'a str],
    route: &'a Route<'_>,
) -> (MsEndpoint, Work<'a>) {
    use MsEndpoint as E;
    let method = route.method;
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    match (rest, method) {
        ([], &Method::GET) if kind == ATTRIBUTE => (
            E::AttributesList,
            work(async { ok(&metadata::list_attributes(ctx, owner).await?) }),
        ),
        ([], &Method::POST) => (
            E::AttributesCreate,
            work(async {
                let (status, body) = metadata::create_many(ctx, owner, kind, route.json()?).await?;
                Ok(json_response(status, &body))
            }),
        ),
        ([], _) => (E::AttributesList, done(wrong_method())),
        (["delete"], &Method::POST) if kind == ATTRIBUTE => (
            E::AttributesMassDelete,
            work(async {
                metadata::delete_many(ctx, owner, kind, route.json()?).await?;
                Ok(empty_ok())
            }),
        ),
        ([id], _) if uuid::Uuid::parse_str(id).is_err() => {
            (E::AttributeGet, done(Err(MsError::uri_not_id())))
        }
        ([id], &Method::GET) => (
            E::AttributeGet,
            work(async move { ok(&metadata::get(ctx, owner, kind, id).await?) }),
        ),
        ([id], &Method::PUT) => (
            E::AttributeUpdate,
            work(
                async move { ok(&metadata::update(ctx, owner, kind, id, &route.object()?).await?) },
            ),
        ),
        ([id], &Method::DELETE) => (
            E::AttributeDelete,
            work(async move {
                metadata::delete(ctx, owner, kind, id).await?;
                Ok(empty_ok())
            }),
        ),
        ([_], _) => (E::AttributeGet, done(wrong_method())),
        _ => (
            E::Unknown,
            done(Err(MsError::unknown_path(route.full_path))),
        ),
    }
}

/// Bank accounts: `/entity/<holder>/{id}/accounts[/{accountId}]`.
fn account_route<'a>(
    ctx: &'a Ctx,
    holder: &'a str,
    holder_id: &'a str,
    rest: &'a [&'a str],
    route: &'a Route<'_>,
) -> (MsEndpoint, Work<'a>) {
    use MsEndpoint as E;
    let method = route.method;
    if uuid::Uuid::parse_str(holder_id).is_err()
        || rest
            .first()
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_err())
    {
        return (E::AccountGet, done(Err(MsError::uri_not_id())));
    }
    let wrong_method = || Err(MsError::method_not_allowed(method.as_str()));
    match (rest, method) {
        ([], &Method::GET) => (
            E::AccountsList,
            work(async { ok(&accounts::list(ctx, holder, holder_id).await?) }),
        ),
        ([], &Method::POST) => (
            E::AccountsCreate,
            work(async {
                let (status, body) =
                    accounts::create_many(ctx, holder, holder_id, route.json()?).await?;
                Ok(json_response(status, &body))
            }),
        ),
        ([], _) => (E::AccountsList, done(wrong_method())),
        ([id], &Method::GET) => (
            E::AccountGet,
            work(async move { ok(&accounts::get(ctx, holder, holder_id, id).await?) }),
        ),
        ([id], &Method::PUT) => (
            E::AccountUpdate,
            work(async move {
                ok(&accounts::update(ctx, holder, holder_id, id, &route.object()?).await?)
            }),
        ),
        ([id], &Method::DELETE) => (
            E::AccountDelete,
            work(async move {
                accounts::delete(ctx, holder, holder_id, id).await?;
                Ok(empty_ok())
            }),
        ),
        ([_], _) => (E::AccountGet, done(wrong_method())),
        _ => (
            E::Unknown,
            done(Err(MsError::unknown_path(route.full_path))),
        ),
    }
}

/// `200` with an empty body: how the vendor answers deletes.
pub(crate) fn empty_ok() -> Response {
    (
        StatusCode::OK,
        [(
            axum::http::header::CONTENT_TYPE,
            "application/json;charset=utf-8",
        )],
        "",
    )
        .into_response()
}

/// `POST /security/token`: a new token for the login; earlier ones stop working.
async fn issue_token(state: &AppState, session: &Session) -> Answer {
    let issued = state
        .core
        .credentials
        .issue_token(&session.credential, None, true)
        .await?;
    let token = match issued.secret {
        twin_core::credentials::Secret::Token { token, .. } => token,
        _ => return Err(MsError::auth()),
    };
    ok(&json!({ "access_token": token }))
}

/// `GET /context/employee`: the requesting employee, with full rights on every type.
async fn current_employee(ctx: &Ctx, route: &Route<'_>) -> Answer {
    let employee = entities::by_keyword("employee").expect("employee is an entity");
    let mut body = engine::get(ctx, employee, &ctx.employee, &route.expand()).await?;
    let all = json!({ "view": "ALL", "create": "ALL", "update": "ALL", "delete": "ALL" });
    let permissions: Map<String, Value> = [
        "bonusprogram",
        "bonustransaction",
        "currency",
        "productfolder",
        "processingplanfolder",
        "organization",
        "counterparty",
        "store",
        "employee",
        "contract",
        "product",
        "service",
        "bundle",
        "variant",
        "consignment",
        "webhook",
        "webhookstock",
    ]
    .iter()
    .map(|keyword| ((*keyword).to_owned(), all.clone()))
    .collect();
    body["permissions"] = Value::Object(permissions);
    ok(&body)
}
