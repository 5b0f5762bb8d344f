//! PHP's bracket form of query strings and form bodies (`filter[ids][]=1&filter[ids][]=2`,
//! `filter[customFields][size][min]=3`), as PHP-built APIs read them: one nested JSON
//! value. RetailCRM's filters use it; any dialect whose vendor runs on PHP may.

use serde_json::{Map, Value};

/// Parses `a=1&b[c][]=2&b[d][x]=3` into `{"a":"1","b":{"c":["2"],"d":{"x":"3"}}}`.
/// Values stay strings. `[]` appends to a list; a level whose keys are all indices
/// (`ids[0]=..&ids[1]=..`, as some clients send lists) becomes a list in index order.
/// As in PHP, a later scalar replaces an earlier one, and a malformed key (`a[b`) is
/// read as a plain name.
pub fn parse(query: &str) -> Value {
    let mut root = Value::Object(Map::new());
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let path = split_key(&key);
        if path
            .first()
            .is_none_or(|first| first.as_deref() == Some(""))
        {
            continue;
        }
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    // The root is the set of parameters, an object even when every name is an index
    // (`0=a`): only the levels under it become lists.
    match root {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, listify(v))).collect())
        }
        other => other,
    }
}

/// `b[c][]` → `[Some("b"), Some("c"), None]`: `None` stands for an append.
fn split_key(key: &str) -> Vec<Option<String>> {
    let Some(open) = key.find('[') else {
        return vec![Some(key.to_owned())];
    };
    let mut path = vec![Some(key[..open].to_owned())];
    let mut rest = &key[open..];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return vec![Some(key.to_owned())];
        };
        let name = &inner[..close];
        path.push((!name.is_empty()).then(|| name.to_owned()));
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() {
        return vec![Some(key.to_owned())];
    }
    path
}

fn insert(node: &mut Value, path: &[Option<String>], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *node = value;
        return;
    };
    let child = match step {
        Some(name) => {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let map = node.as_object_mut().expect("an object");
            map.entry(name.clone()).or_insert(Value::Null)
        }
        None => {
            if !node.is_array() {
                *node = Value::Array(Vec::new());
            }
            let list = node.as_array_mut().expect("a list");
            list.push(Value::Null);
            list.last_mut().expect("just pushed")
        }
    };
    insert(child, rest, value);
}

/// Objects whose keys are all non-negative integers become lists, in index order.
fn listify(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let indexed = !map.is_empty() && map.keys().all(|k| k.parse::<u32>().is_ok());
            if indexed {
                let mut items: Vec<(u32, Value)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(0), listify(v)))
                    .collect();
                items.sort_by_key(|(index, _)| *index);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, listify(v))).collect())
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(listify).collect()),
        other => other,
    }
}
