//! One document: where it is kept, its JSON, the stored documents it refers to (each a
//! link to its own page) and its change history.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde_json::Value;

use super::{crumbs, entity_href, history, kind_href, overview_href, refused};
use crate::api::{encode, param};
use crate::home::dialect_title;
use crate::html::{esc, json_block, scalar};
use crate::layout::{Page, PagePath, Section};
use crate::Console;

pub async fn page(
    State(console): State<Console>,
    PagePath((account, dialect, kind, id)): PagePath<(String, String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let title = format!("{kind} {id}");
    let path = format!(
        "/accounts/{}/data/{}/{}/{}",
        encode(&account),
        encode(&dialect),
        encode(&kind),
        encode(&id)
    );
    let entity = match console.api.get(&path).await {
        Ok(entity) => entity,
        Err(error) => return refused(&title, &error),
    };
    let skip = param(raw.as_deref(), "history").parse().unwrap_or(0);
    let here = entity_href(&account, &dialect, &kind, &id);
    let history = match history::section(&console.api, &path, &here, skip).await {
        Ok(history) => history,
        Err(error) => return refused(&title, &error),
    };
    let content = format!(
        "{}{}{}<section id=\"entity-json\" aria-labelledby=\"entity-json-title\">\
         <h2 id=\"entity-json-title\">Document</h2>{}</section>{history}",
        crumbs(&account, &dialect, &kind, Some(&id)),
        facts(&account, &dialect, &kind, &entity),
        links(&account, &entity["links"]),
        json_block(&entity["body"]),
    );
    Page::new(title, Section::Data).render(&content)
}

fn facts(account: &str, dialect: &str, kind: &str, entity: &Value) -> String {
    let lookups: String = entity["lookups"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| {
            format!(
                "<dt>Lookup <code>{}</code></dt><dd><code>{}</code></dd>",
                esc(name),
                scalar(value)
            )
        })
        .collect();
    format!(
        "<dl class=\"facts panel\" id=\"entity-facts\">\
         <dt>Account</dt><dd><a href=\"{}\">{}</a></dd><dt>Dialect</dt><dd>{}</dd>\
         <dt>Kind</dt><dd><a href=\"{}\">{}</a></dd><dt>Id</dt><dd><code>{}</code></dd>\
         <dt>Version</dt><dd data-test=\"version\">{}</dd>{lookups}</dl>",
        esc(&overview_href(account)),
        esc(account),
        esc(dialect_title(dialect)),
        esc(&kind_href(account, dialect, kind)),
        esc(kind),
        scalar(&entity["id"]),
        scalar(&entity["version"]),
    )
}

/// The stored documents the body refers to, by where in the body the reference is.
fn links(account: &str, links: &Value) -> String {
    let links = links.as_array().map(Vec::as_slice).unwrap_or(&[]);
    let body = if links.is_empty() {
        "<p class=\"muted\">This document refers to no other stored document.</p>".to_owned()
    } else {
        let rows: String = links
            .iter()
            .map(|link| {
                let text = |name: &str| link[name].as_str().unwrap_or_default();
                let href = entity_href(account, text("dialect"), text("kind"), text("id"));
                format!(
                    "<tr><td><code>{}</code></td><td><a href=\"{}\" data-test=\"entity-link\" \
                     data-kind=\"{}\">{} {}</a></td></tr>",
                    esc(text("label")),
                    esc(&href),
                    esc(text("kind")),
                    esc(text("kind")),
                    esc(text("id")),
                )
            })
            .collect();
        format!(
            "<div class=\"scroll\"><table id=\"entity-links\"><thead><tr>\
             <th scope=\"col\">Where</th><th scope=\"col\">Refers to</th></tr></thead>\
             <tbody>{rows}</tbody></table></div>"
        )
    };
    format!(
        "<section aria-labelledby=\"entity-links-title\"><h2 id=\"entity-links-title\">\
         References</h2>{body}</section>"
    )
}
