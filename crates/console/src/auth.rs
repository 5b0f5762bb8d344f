//! Signing in: the admin token, once entered, is kept in an `HttpOnly`, `SameSite=Strict`
//! cookie limited to `/console`, so no other site can make the browser use it (forms
//! posted from elsewhere arrive without it) and page scripts cannot read it.

use axum::extract::{Form, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use twin_core::ids::constant_time_eq;

use crate::html::{alert, esc};
use crate::layout::{Page, Section};
use crate::Console;

const COOKIE: &str = "twin_console";

/// Lets signed-in browsers through; sends the others to the sign-in form, remembering
/// where they were going.
pub async fn require(State(console): State<Console>, request: Request, next: Next) -> Response {
    if signed_in(&console, request.headers()) {
        return next.run(request).await;
    }
    let wanted = request
        .uri()
        .path_and_query()
        .map(|target| target.as_str())
        .unwrap_or("/console/");
    Redirect::to(&format!(
        "/console/login?next={}",
        crate::api::encode(wanted)
    ))
    .into_response()
}

fn signed_in(console: &Console, headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| {
            name == COOKIE && constant_time_eq(value.as_bytes(), console.cookie.as_bytes())
        })
}

#[derive(Deserialize)]
pub struct Target {
    next: Option<String>,
}

/// Only console pages are followed after signing in, never another site.
fn destination(next: Option<&str>) -> &str {
    next.filter(|path| path.starts_with("/console/") && !path.contains("//"))
        .unwrap_or("/console/")
}

pub async fn form(Query(query): Query<Target>) -> Response {
    sign_in_page(StatusCode::OK, destination(query.next.as_deref()), None)
}

fn sign_in_page(status: StatusCode, next: &str, error: Option<&str>) -> Response {
    let error = error.map(alert).unwrap_or_default();
    let content = format!(
        "{error}<form method=\"post\" action=\"/console/login\" class=\"signin\">\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\
         <label for=\"token\">Admin token</label>\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" \
         required autofocus>\
         <p class=\"muted\">The token <code>twin serve</code> printed at start \
         (<code>--admin-token</code>, <code>TWIN_ADMIN_TOKEN</code>).</p>\
         <button type=\"submit\">Sign in</button></form>",
        esc(next)
    );
    Page::new("Sign in", Section::None).render_with(status, &content)
}

#[derive(Deserialize)]
pub struct SignIn {
    token: String,
    next: Option<String>,
}

pub async fn login(State(console): State<Console>, Form(sign_in): Form<SignIn>) -> Response {
    let next = destination(sign_in.next.as_deref());
    if !constant_time_eq(sign_in.token.trim().as_bytes(), console.token.as_bytes()) {
        return sign_in_page(
            StatusCode::UNAUTHORIZED,
            next,
            Some("That is not the admin token."),
        );
    }
    let cookie = format!(
        "{COOKIE}={}; Path=/console; HttpOnly; SameSite=Strict",
        console.cookie
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(next)).into_response()
}

pub async fn logout() -> Response {
    let cookie = format!("{COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/console/login"),
    )
        .into_response()
}
