//! Reset: empty the whole account, or one dialect's data (`POST /accounts/{id}/reset`).

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::Method;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use twin_core::DIALECTS;

use super::{done, fields, refused};
use crate::api::encode;
use crate::home::dialect_title;
use crate::html::esc;
use crate::layout::PagePath;
use crate::Console;

pub fn section(id: &str) -> String {
    let mut options = String::from("<option value=\"\">The whole account</option>");
    for dialect in DIALECTS {
        options.push_str(&format!(
            "<option value=\"{dialect}\">{}</option>",
            esc(dialect_title(dialect))
        ));
    }
    format!(
        "<section class=\"panel\" id=\"reset\" aria-labelledby=\"reset-title\">\
         <h2 id=\"reset-title\">Reset</h2>\
         <p class=\"muted\">Empties what clients wrote: documents, their history, \
         numbering, webhook deliveries and the request log. Credentials, settings and the \
         clock stay.</p>\
         <form method=\"post\" action=\"/console/accounts/{link}/reset\" class=\"filters\" \
         data-test=\"reset\" data-confirm=\"Empty the chosen data of account {id}? \
         This cannot be undone (export a snapshot first to keep it).\">\
         <label for=\"reset-dialect\">Data<select id=\"reset-dialect\" name=\"dialect\">\
         {options}</select></label>\
         <button type=\"submit\" class=\"danger\">Reset</button></form></section>",
        link = esc(&encode(id)),
        id = esc(id),
    )
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    dialect: String,
}

pub async fn reset(
    State(console): State<Console>,
    PagePath(id): PagePath<String>,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Response {
    let dialect = match fields(form) {
        Ok(form) => form.dialect,
        Err(failure) => return refused(&console, &id, failure).await,
    };
    let body = if dialect.is_empty() {
        json!({})
    } else {
        json!({ "dialect": dialect })
    };
    let path = format!("/accounts/{}/reset", encode(&id));
    match console.api.send(Method::POST, &path, Some(&body)).await {
        Ok(_) if dialect.is_empty() => {
            done(&id, &format!("Account {id} reset: all its data is gone."))
        }
        Ok(_) => done(
            &id,
            &format!("{} data of account {id} reset.", dialect_title(&dialect)),
        ),
        Err(error) => refused(&console, &id, error).await,
    }
}
