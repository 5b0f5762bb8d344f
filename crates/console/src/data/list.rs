//! A page of one kind's documents (insertion order, offset paging): id, version and the
//! few fields of the bodies that tell documents apart (a name, a number, a code).

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde_json::Value;

use super::{crumbs, kind_href, paging, refused};
use crate::api::{encode, query};
use crate::html::{esc, pager, scalar, Pages};
use crate::layout::{Page, PagePath, Section};
use crate::Console;

/// Fields worth a column, most telling first; looked up at the top of a body and under
/// `fields` (where SalesDoc keeps a record's own fields).
const TELLING: [&str; 16] = [
    "name",
    "title",
    "fullName",
    "number",
    "code",
    "article",
    "externalId",
    "firstName",
    "lastName",
    "email",
    "login",
    "status",
    "url",
    "_url",
    "entityType",
    "action",
];

/// The most body columns a page shows.
const COLUMNS: usize = 4;

pub async fn page(
    State(console): State<Console>,
    PagePath((account, dialect, kind)): PagePath<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let title = format!("{kind} ({dialect})");
    let (offset, limit, offset_number, limit_number) = paging(raw.as_deref());
    let path = format!(
        "/accounts/{}/data/{}/{}{}",
        encode(&account),
        encode(&dialect),
        encode(&kind),
        query(&[("offset", &offset), ("limit", &limit)])
    );
    let listing = match console.api.get(&path).await {
        Ok(listing) => listing,
        Err(error) => return refused(&title, &error),
    };
    let items = listing["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let pages = Pages {
        offset: offset_number,
        limit: limit_number,
        shown: items.len() as u64,
        total: listing["total"].as_u64().unwrap_or_default(),
    };
    let base = kind_href(&account, &dialect, &kind);
    let pager = pager(&pages, "entity-pager", |offset| {
        format!(
            "{base}{}",
            query(&[("offset", &offset.to_string()), ("limit", &limit)])
        )
    });
    let table = if items.is_empty() {
        "<p class=\"muted\" data-test=\"no-entities\">No documents of this kind.</p>".to_owned()
    } else {
        table(&base, items)
    };
    let content = format!("{}{table}{pager}", crumbs(&account, &dialect, &kind, None));
    Page::new(title, Section::Data).render(&content)
}

/// The documents, each id linking to its page below `base` (the kind's address).
fn table(base: &str, items: &[Value]) -> String {
    let columns = columns(items);
    let heads: String = columns
        .iter()
        .map(|column| format!("<th scope=\"col\">{}</th>", esc(column)))
        .collect();
    let rows: String = items
        .iter()
        .map(|doc| {
            let id = doc["id"].as_str().unwrap_or_default();
            let cells: String = columns
                .iter()
                .map(|column| format!("<td>{}</td>", cell(&doc["body"], column)))
                .collect();
            format!(
                "<tr data-test=\"entity-row\" data-id=\"{}\"><td><a href=\"{}\">{}</a></td>\
                 <td class=\"num\">{}</td>{cells}</tr>",
                esc(id),
                esc(&format!("{base}/{}", encode(id))),
                esc(id),
                scalar(&doc["version"]),
            )
        })
        .collect();
    format!(
        "<div class=\"scroll\"><table class=\"entities\" id=\"entity-table\"><thead><tr>\
         <th scope=\"col\">Id</th><th scope=\"col\" class=\"num\">Version</th>{heads}</tr>\
         </thead><tbody>{rows}</tbody></table></div>"
    )
}

/// The telling fields present (as text or numbers) in any body on the page, as paths
/// (`name`, `fields.name`), most telling first.
fn columns(items: &[Value]) -> Vec<String> {
    let mut found = Vec::new();
    for name in TELLING {
        for path in [name.to_owned(), format!("fields.{name}")] {
            if found.len() < COLUMNS && items.iter().any(|doc| field(&doc["body"], &path).is_some())
            {
                found.push(path);
            }
        }
    }
    found
}

/// A scalar at `path` (one level of nesting at most) of a body.
fn field<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    let value = match path.split_once('.') {
        Some((outer, inner)) => body.get(outer)?.get(inner)?,
        None => body.get(path)?,
    };
    (value.is_string() || value.is_number() || value.is_boolean()).then_some(value)
}

fn cell(body: &Value, path: &str) -> String {
    field(body, path).map(scalar).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn columns_are_the_telling_fields_present() {
        let items = [
            json!({ "body": { "id": 1, "number": "7A", "status": "new", "items": [] } }),
            json!({ "body": { "fields": { "name": "Anna" }, "firstName": { "x": 1 } } }),
        ];
        assert_eq!(columns(&items), ["fields.name", "number", "status"]);
        assert_eq!(cell(&items[1]["body"], "fields.name"), "Anna");
        assert_eq!(cell(&items[0]["body"], "fields.name"), "—");
        assert_eq!(columns(&[json!({ "body": [1, 2] })]), Vec::<String>::new());
    }
}
