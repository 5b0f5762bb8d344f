//! A document's change history, newest first. The admin API pages it oldest first, so a
//! page of the newest is read from its end: `?history=N` skips the N newest changes.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::api::{Api, ApiError};
use crate::html::{esc, json_block, json_time, pager, Pages};

/// Changes per page.
const LIMIT: u64 = 20;

/// The most changed fields one change lists.
const MAX_FIELDS: usize = 50;

/// The history of the document at `path` (below the admin API), skipping the `skip`
/// newest changes; `here` is the document's console page, for the pager.
pub async fn section(api: &Api, path: &str, here: &str, skip: u64) -> Result<String, ApiError> {
    let (changes, total) = newest(api, path, skip).await?;
    let table = if changes.is_empty() {
        "<p class=\"muted\">No changes recorded.</p>".to_owned()
    } else {
        let rows: String = changes
            .iter()
            .map(|change| {
                format!(
                    "<tr data-test=\"change-row\" data-action=\"{}\"><td>{}</td><td>{}</td>\
                     <td class=\"changes\">{}</td></tr>",
                    esc(change["action"].as_str().unwrap_or_default()),
                    json_time(&change["at"]),
                    esc(change["action"].as_str().unwrap_or_default()),
                    describe(&change["data"]),
                )
            })
            .collect();
        format!(
            "<div class=\"scroll\"><table id=\"entity-history\"><thead><tr>\
             <th scope=\"col\">Time (UTC)</th><th scope=\"col\">Action</th>\
             <th scope=\"col\">Changes</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
    };
    let pages = Pages {
        offset: skip,
        limit: LIMIT,
        shown: changes.len() as u64,
        total,
    };
    let pager = if total > LIMIT {
        pager(&pages, "history-pager", |skip| {
            format!("{here}?history={skip}#history")
        })
    } else {
        String::new()
    };
    Ok(format!(
        "<section id=\"history\" aria-labelledby=\"history-title\">\
         <h2 id=\"history-title\">History <span class=\"muted\">(newest first)</span></h2>\
         {table}{pager}</section>"
    ))
}

/// Up to [`LIMIT`] changes after the `skip` newest, newest first, and how many there are.
async fn newest(api: &Api, path: &str, skip: u64) -> Result<(Vec<Value>, u64), ApiError> {
    let items = |listing: &Value| listing["items"].as_array().cloned().unwrap_or_default();
    let first = api
        .get(&format!("{path}/history?offset=0&limit={LIMIT}"))
        .await?;
    let total = first["total"].as_u64().unwrap_or_default();
    let end = total.saturating_sub(skip);
    let start = end.saturating_sub(LIMIT);
    let mut changes = if end == 0 {
        Vec::new()
    } else if end <= LIMIT {
        let mut all = items(&first);
        all.truncate(end as usize);
        all.drain(..start as usize);
        all
    } else {
        let page = api
            .get(&format!(
                "{path}/history?offset={start}&limit={}",
                end - start
            ))
            .await?;
        items(&page)
    };
    changes.reverse();
    Ok((changes, total))
}

/// What a change did: the changed fields as old → new (a dialect's own records, such as
/// RetailCRM's, name one field), or the whole document as created or deleted.
fn describe(data: &Value) -> String {
    if let Some(diff) = data["diff"].as_object() {
        let mut fields = Vec::new();
        for (name, change) in diff {
            leaves(name.clone(), &change["old"], &change["new"], &mut fields);
        }
        return field_list(&fields);
    }
    if let Some(field) = data["field"].as_str() {
        let line = field_list(&[(field.to_owned(), &data["oldValue"], &data["newValue"])]);
        return format!("{line}{}", details("The record", data));
    }
    if data.get("after").is_some() {
        return details("The document as created", &data["after"]);
    }
    if data.get("before").is_some() {
        return details("The document as deleted", &data["before"]);
    }
    details("The record", data)
}

/// The changed leaves of `old` → `new` under `path`: objects on both sides are compared
/// key by key, so a change deep inside one shows as that change alone.
fn leaves<'a>(
    path: String,
    old: &'a Value,
    new: &'a Value,
    out: &mut Vec<(String, &'a Value, &'a Value)>,
) {
    static MISSING: Value = Value::Null;
    match (old, new) {
        (Value::Object(before), Value::Object(after)) => {
            let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
            for key in keys {
                let (was, is) = (
                    before.get(key).unwrap_or(&MISSING),
                    after.get(key).unwrap_or(&MISSING),
                );
                if was != is {
                    leaves(format!("{path}.{key}"), was, is, out);
                }
            }
        }
        _ => out.push((path, old, new)),
    }
}

fn field_list(fields: &[(String, &Value, &Value)]) -> String {
    let mut items: String = fields
        .iter()
        .take(MAX_FIELDS)
        .map(|(path, old, new)| {
            format!(
                "<li><code>{}</code>: <span class=\"old\">{}</span> → \
                 <span class=\"new\">{}</span></li>",
                esc(path),
                value(old),
                value(new)
            )
        })
        .collect();
    if fields.len() > MAX_FIELDS {
        items.push_str(&format!(
            "<li class=\"muted\">and {} more</li>",
            fields.len() - MAX_FIELDS
        ));
    }
    format!("<ul class=\"diff\">{items}</ul>")
}

/// A value in a change: text as it is, `—` for none, anything else as compact JSON.
fn value(value: &Value) -> String {
    match value {
        Value::Null => "<span class=\"muted\">—</span>".into(),
        Value::String(text) => format!("<q>{}</q>", esc(text)),
        other => format!("<code>{}</code>", esc(&other.to_string())),
    }
}

fn details(summary: &str, value: &Value) -> String {
    format!(
        "<details><summary>{}</summary>{}</details>",
        esc(summary),
        json_block(value)
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nested_changes_show_as_the_fields_that_changed() {
        let data = json!({ "diff": {
            "fields": { "old": { "comment": "a", "same": 1 }, "new": { "comment": "<b>", "same": 1, "added": [1] } },
            "name": { "old": null, "new": "Tea" },
        }});
        let shown = describe(&data);
        assert!(
            shown.contains("<code>fields.comment</code>: <span class=\"old\"><q>a</q></span> → <span class=\"new\"><q>&lt;b&gt;</q></span>"),
            "{shown}"
        );
        assert!(shown.contains("<code>fields.added</code>"), "{shown}");
        assert!(!shown.contains("fields.same"), "{shown}");
        assert!(
            shown.contains("<code>name</code>: <span class=\"old\"><span class=\"muted\">—</span>")
        );
    }

    #[test]
    fn records_of_a_field_and_whole_documents() {
        let record = json!({ "field": "status", "oldValue": "new", "newValue": "complete" });
        assert!(describe(&record).contains("<code>status</code>: <span class=\"old\"><q>new</q>"));
        assert!(describe(&json!({ "after": { "a": 1 } })).contains("as created"));
        assert!(describe(&json!({ "before": { "a": 1 } })).contains("as deleted"));
    }
}
