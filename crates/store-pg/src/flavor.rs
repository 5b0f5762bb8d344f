//! PostgreSQL's leaf expressions over the JSONB `body`. A path is bound as `text[]` and read
//! with `#>`; every comparison tests `jsonb_typeof` in a CASE (PostgreSQL may evaluate AND
//! operands in any order) so it only matches the same JSON type and is never NULL; strings
//! compare under `COLLATE "C"`, bytewise like SQLite's BINARY. Text matching is a regex in
//! which each case-insensitive character is spelled out as the class of its simple case
//! folds, the very set the SQLite backend's Rust regex `(?i)` accepts, so it folds the
//! same way (Cyrillic included) whatever the database's locale or ICU support. Equality
//! is JSONB containment, which the GIN index on `body` serves.
//!
//! One known difference: `#>` also indexes arrays by integer keys (`tags.0`), where
//! SQLite's `$."tags"."0"` finds nothing; containment, like SQLite, only walks objects.

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
use serde_json::Value;
use twin_store::sql::{SqlArg, SqlFlavor, SqlWriter};
use twin_store::{CmpOp, StoreError, StoreResult, TextMode};

pub struct Pg;

fn operator(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// Runs `test` only on a field of `json_type`; anything else (missing included) is false,
/// never NULL, so `NOT` stays meaningful.
fn guarded(field: &str, json_type: &str, test: &str) -> String {
    format!("(CASE WHEN jsonb_typeof({field}) = '{json_type}' THEN {test} ELSE false END)")
}

impl SqlFlavor for Pg {
    fn placeholder(n: usize) -> String {
        format!("${n}")
    }

    fn path_arg(path: &[String]) -> StoreResult<SqlArg> {
        // SQLite's JSON paths cannot quote '"'; refusing it here too keeps both backends
        // accepting the same queries.
        if path.iter().any(|key| key.contains('"')) {
            return Err(StoreError::Invalid(
                "field names may not contain '\"'".into(),
            ));
        }
        Ok(SqlArg::TextList(path.to_vec()))
    }

    fn compare(
        w: &mut SqlWriter<Self>,
        keys: &[String],
        op: CmpOp,
        value: &Value,
    ) -> StoreResult<String> {
        let path = w.bind_path(keys)?;
        let field = format!("(body #> {path})");
        if value.is_null() {
            let missing = format!("(COALESCE({field}, 'null'::jsonb) = 'null'::jsonb)");
            return match op {
                CmpOp::Eq => Ok(missing),
                CmpOp::Ne => Ok(format!("(NOT {missing})")),
                _ => Err(StoreError::Invalid(
                    "null can only be compared for equality".into(),
                )),
            };
        }
        let json_type = match value {
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            _ => return Err(StoreError::Invalid("only scalars can be compared".into())),
        };
        if let CmpOp::Eq | CmpOp::Ne = op {
            let contains = containment(w, keys, value);
            return Ok(match op {
                CmpOp::Eq => contains,
                _ => format!("(NOT {contains})"),
            });
        }
        let test = match value {
            Value::String(text) => {
                let placeholder = w.bind(SqlArg::Text(text.clone()));
                format!(
                    "(body #>> {path}) COLLATE \"C\" {} {placeholder}",
                    operator(op)
                )
            }
            // jsonb orders numbers numerically and false before true, like SQLite's 0/1.
            _ => {
                let placeholder = w.bind(SqlArg::Json(value.clone()));
                format!("{field} {} {placeholder}", operator(op))
            }
        };
        Ok(guarded(&field, json_type, &test))
    }

    fn text(w: &mut SqlWriter<Self>, path: &str, mode: TextMode, text: &str, ci: bool) -> String {
        let mut pattern = String::with_capacity(text.len() + 2);
        if mode == TextMode::Prefix {
            pattern.push('^');
        }
        for c in text.chars() {
            push_literal(&mut pattern, c, ci);
        }
        if mode == TextMode::Suffix {
            pattern.push('$');
        }
        let placeholder = w.bind(SqlArg::Text(pattern));
        let test = format!("(body #>> {path}) COLLATE \"C\" ~ {placeholder}");
        guarded(&format!("(body #> {path})"), "string", &test)
    }

    fn is_empty(path: &str) -> String {
        format!("(COALESCE(body #> {path}, 'null'::jsonb) IN ('null'::jsonb, '\"\"'::jsonb))")
    }

    fn holds(path: &str, text: &str) -> String {
        let array = format!("(body #> {path})");
        let test = format!(
            "EXISTS (SELECT 1 FROM jsonb_array_elements({array}) e WHERE e = to_jsonb({text}::text) \
             OR (jsonb_typeof(e) = 'object' AND EXISTS \
             (SELECT 1 FROM jsonb_each(e) m WHERE m.value = to_jsonb({text}::text))))"
        );
        guarded(&array, "array", &test)
    }

    fn contains(column: &str, placeholder: &str) -> String {
        format!("strpos({column}, {placeholder}) > 0")
    }

    fn in_list(column: &str, placeholder: &str) -> String {
        format!("{column} = ANY({placeholder})")
    }

    /// SQLite orders `json_extract` values NULL first, then numbers (booleans are 0 and 1),
    /// then text (objects and arrays as their JSON text); three terms rebuild that order.
    fn sort_terms(path: &str, descending: bool) -> String {
        let f = format!("(body #> {path})");
        let dir = if descending { "DESC" } else { "ASC" };
        format!(
            "CASE jsonb_typeof({f}) WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 \
               WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 ELSE 0 END {dir}, \
             CASE jsonb_typeof({f}) WHEN 'number' THEN {f}::numeric \
               WHEN 'boolean' THEN CASE WHEN {f}::boolean THEN 1 ELSE 0 END END {dir}, \
             (CASE jsonb_typeof({f}) WHEN 'string' THEN {f} #>> '{{}}' \
               WHEN 'object' THEN {f}::text WHEN 'array' THEN {f}::text END) COLLATE \"C\" {dir}"
        )
    }
}

/// Equality as `body @> {"a":{"b":value}}`: exact for scalars of the same JSON type
/// (numbers compare numerically, strings bytewise), never NULL, served by the GIN index,
/// and like SQLite's `$."a"."b"` it only walks objects.
fn containment(w: &mut SqlWriter<Pg>, keys: &[String], value: &Value) -> String {
    let probe = keys.iter().rev().fold(value.clone(), |inner, key| {
        Value::Object([(key.clone(), inner)].into_iter().collect())
    });
    let placeholder = w.bind(SqlArg::Json(probe));
    format!("(body @> {placeholder})")
}

/// One character of the pattern: ASCII punctuation escaped (a backslash before a
/// non-alphanumeric is always literal in PostgreSQL's regexes, so `%`, `_`, `\` and regex
/// syntax match themselves), and with `ci` a bracket of every simple case fold.
fn push_literal(pattern: &mut String, c: char, ci: bool) {
    let mut folds = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    if ci {
        folds.case_fold_simple();
    }
    let variants = folds
        .iter()
        .flat_map(|range| range.start()..=range.end())
        .collect::<Vec<_>>();
    if variants.len() > 1 {
        // Letters only: no character with a case is special inside a bracket.
        pattern.push('[');
        pattern.extend(variants);
        pattern.push(']');
    } else {
        if c.is_ascii_punctuation() {
            pattern.push('\\');
        }
        pattern.push(c);
    }
}
