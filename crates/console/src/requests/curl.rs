//! "Copy as curl": a logged request as a shell command that sends it again. The log keeps
//! secrets masked, so the command carries the mask where the secret was; the page says so.

use serde_json::Value;

/// Headers curl sets itself or that describe one connection, not the request.
const LEFT_OUT: [&str; 10] = [
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    // Replaced by `--compressed`, so curl also decodes what it asked for.
    "accept-encoding",
];

/// The command for a log entry, with `url` the full address it was sent to; one argument
/// per line, each quoted for a POSIX shell.
pub fn command(entry: &Value, url: &str) -> String {
    let method = entry["method"].as_str().unwrap_or("GET");
    let body = entry["request_body"]
        .as_str()
        .filter(|body| !body.is_empty());
    let headers = entry["request_headers"].as_object();
    let mut words = vec!["curl".to_owned()];
    if headers.is_some_and(|headers| headers.contains_key("accept-encoding")) {
        words.push("--compressed".into());
    }
    match method {
        "GET" if body.is_none() => {}
        "HEAD" => words.push("--head".into()),
        other => words.push(format!("-X {}", quote(other))),
    }
    words.push(quote(url));
    for (name, value) in headers.into_iter().flatten() {
        if LEFT_OUT.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let value = value.as_str().unwrap_or_default();
        words.push(format!("-H {}", quote(&format!("{name}: {value}"))));
    }
    if let Some(body) = body {
        words.push(format!("--data-binary {}", quote(body)));
    }
    words.join(" \\\n  ")
}

/// `text` in single quotes, each `'` in it closing, escaping and reopening them.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn quotes_single_quotes_for_the_shell() {
        assert_eq!(quote("it's $HOME"), r"'it'\''s $HOME'");
    }

    #[test]
    fn posts_keep_method_headers_and_body_but_not_connection_headers() {
        let entry = json!({
            "method": "POST",
            "request_headers": {
                "host": "127.0.0.1:8080", "content-length": "9", "connection": "keep-alive",
                "accept-encoding": "gzip", "x-api-key": "***", "content-type": "text/plain"
            },
            "request_body": "a='b'",
        });
        assert_eq!(
            command(&entry, "http://twin/api/v5/x?apiKey=***"),
            "curl \\\n  --compressed \\\n  -X 'POST' \\\n  'http://twin/api/v5/x?apiKey=***' \\\n  \
             -H 'content-type: text/plain' \\\n  -H 'x-api-key: ***' \\\n  \
             --data-binary 'a='\\''b'\\'''"
        );
    }

    #[test]
    fn gets_without_a_body_need_no_method() {
        let entry = json!({ "method": "GET", "request_headers": {}, "request_body": null });
        assert_eq!(
            command(&entry, "http://twin/a"),
            "curl \\\n  'http://twin/a'"
        );
        let head = json!({ "method": "HEAD", "request_headers": {} });
        assert_eq!(
            command(&head, "http://twin/a"),
            "curl \\\n  --head \\\n  'http://twin/a'"
        );
    }
}
