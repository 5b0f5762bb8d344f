//! SQLite's leaf expressions: `json_extract` with a JSON path, `json_type` guards so a
//! comparison only matches values of the same JSON type, and the `REGEXP` function (Rust
//! regex, Unicode case folding) for text matching.

use serde_json::Value;
use twin_store::sql::{SqlArg, SqlFlavor, SqlWriter};
use twin_store::{CmpOp, StoreError, StoreResult, TextMode};

pub struct Sqlite;

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

impl SqlFlavor for Sqlite {
    fn placeholder(n: usize) -> String {
        format!("?{n}")
    }

    fn path_arg(path: &[String]) -> StoreResult<SqlArg> {
        if path.iter().any(|key| key.contains('"')) {
            return Err(StoreError::Invalid(
                "field names may not contain '\"'".into(),
            ));
        }
        let quoted = path
            .iter()
            .map(|key| format!(".\"{key}\""))
            .collect::<String>();
        Ok(SqlArg::Text(format!("${quoted}")))
    }

    fn compare(
        w: &mut SqlWriter<Self>,
        keys: &[String],
        op: CmpOp,
        value: &Value,
    ) -> StoreResult<String> {
        if op == CmpOp::Eq && !value.is_null() {
            if let Some(path) = literal_path(keys) {
                return indexable_equality(w, &path, value);
            }
        }
        let path = w.bind_path(keys)?;
        let field = format!("json_extract(body, {path})");
        let kind = format!("json_type(body, {path})");
        if value.is_null() {
            let missing = format!("({kind} IS NULL OR {kind} = 'null')");
            return match op {
                CmpOp::Eq => Ok(missing),
                CmpOp::Ne => Ok(format!("(NOT {missing})")),
                _ => Err(StoreError::Invalid(
                    "null can only be compared for equality".into(),
                )),
            };
        }
        let (types, arg) = typed(value)?;
        let placeholder = w.bind(arg);
        let same_type = format!("COALESCE({kind} IN {types} AND {field} = {placeholder}, 0)");
        Ok(match op {
            CmpOp::Eq => same_type,
            CmpOp::Ne => format!("(NOT {same_type})"),
            _ => format!(
                "COALESCE({kind} IN {types} AND {field} {} {placeholder}, 0)",
                operator(op)
            ),
        })
    }

    /// `json_extract(body, '<path>') IN (the bound list)`: one parameter for any number
    /// of values, served by the field's index when there is one.
    fn in_strings(
        w: &mut SqlWriter<Self>,
        keys: &[String],
        values: &[String],
    ) -> Option<StoreResult<String>> {
        let path = literal_path(keys)?;
        let list = w.bind(SqlArg::TextList(values.to_vec()));
        Some(Ok(format!(
            "(json_extract(body, {path}) IN (SELECT value FROM json_each({list})) \
             AND COALESCE(json_type(body, {path}) = 'text', 0))"
        )))
    }

    fn text(w: &mut SqlWriter<Self>, path: &str, mode: TextMode, text: &str, ci: bool) -> String {
        let escaped = regex_syntax_escape(text);
        let pattern = match mode {
            TextMode::Contains => escaped,
            TextMode::Prefix => format!("^{escaped}"),
            TextMode::Suffix => format!("{escaped}$"),
        };
        let flags = if ci { "(?is)" } else { "(?s)" };
        let placeholder = w.bind(SqlArg::Text(format!("{flags}{pattern}")));
        format!(
            "COALESCE(json_type(body, {path}) = 'text' AND json_extract(body, {path}) REGEXP {placeholder}, 0)"
        )
    }

    fn is_empty(path: &str) -> String {
        format!("(COALESCE(json_extract(body, {path}), '') = '')")
    }

    fn holds(path: &str, text: &str) -> String {
        format!(
            "(COALESCE(json_type(body, {path}) = 'array', 0) AND EXISTS (SELECT 1 FROM json_each(body, {path}) e \
             WHERE (e.type = 'text' AND e.value = {text}) OR (e.type = 'object' AND EXISTS \
             (SELECT 1 FROM json_each(e.value) m WHERE m.type = 'text' AND m.value = {text}))))"
        )
    }

    fn contains(column: &str, placeholder: &str) -> String {
        format!("instr({column}, {placeholder}) > 0")
    }

    fn in_list(column: &str, placeholder: &str) -> String {
        format!("{column} IN (SELECT value FROM json_each({placeholder}))")
    }

    fn sort_terms(path: &str, descending: bool) -> String {
        let direction = if descending {
            "DESC NULLS LAST"
        } else {
            "ASC NULLS FIRST"
        };
        format!("json_extract(body, {path}) {direction}")
    }
}

/// The JSON types a scalar matches (as `json_type` names them) and its parameter.
fn typed(value: &Value) -> StoreResult<(&'static str, SqlArg)> {
    Ok(match value {
        Value::Bool(flag) => ("('true', 'false')", SqlArg::Int(i64::from(*flag))),
        Value::Number(n) => match n.as_i64() {
            Some(int) => ("('integer', 'real')", SqlArg::Int(int)),
            None => (
                "('integer', 'real')",
                SqlArg::Real(n.as_f64().unwrap_or(f64::NAN)),
            ),
        },
        Value::String(text) => ("('text')", SqlArg::Text(text.clone())),
        _ => return Err(StoreError::Invalid("only scalars can be compared".into())),
    })
}

/// The JSON path as an SQL string literal, as [`SqliteStore::index_fields`] spells it in
/// its indexes; `None` for paths it cannot spell (a `'` in a key).
///
/// [`SqliteStore::index_fields`]: crate::SqliteStore
pub fn literal_path(keys: &[String]) -> Option<String> {
    let valid = !keys.is_empty()
        && keys
            .iter()
            .all(|key| !key.is_empty() && !key.contains(['"', '\'']));
    valid.then(|| {
        let quoted = keys
            .iter()
            .map(|key| format!(".\"{key}\""))
            .collect::<String>();
        format!("'${quoted}'")
    })
}

/// `json_extract(body, '<path>') IS ?` with the type test beside it rather than around
/// it: the shape in which SQLite uses an index on that expression, when there is one.
/// `IS` keeps it true or false, never NULL, for a missing field.
fn indexable_equality(w: &mut SqlWriter<Sqlite>, path: &str, value: &Value) -> StoreResult<String> {
    let (types, arg) = typed(value)?;
    let placeholder = w.bind(arg);
    Ok(format!(
        "(json_extract(body, {path}) IS {placeholder} AND COALESCE(json_type(body, {path}) IN {types}, 0))"
    ))
}

/// Escapes every character the regex crate treats as syntax.
fn regex_syntax_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
