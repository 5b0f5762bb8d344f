//! The `filter=`, `search=` and `order=` grammars, compiled to the store's filter AST.
//!
//! `filter` is `field op value` conditions joined by `;` (`\;` inside a value). Repeated
//! `=` on a field means any of the values, repeated `!=` none of them; mixing `=` with a
//! comparison on one field is an error; of repeated comparisons the first counts. An empty
//! value tests for "no value". Like operators (`~`, `~=`, `=~`) are case-insensitive and
//! only for strings. References are filtered by href.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use twin_store::{CmpOp, Filter, SortKey, TextMode};

use crate::error::{MsError, MsResult};
use crate::model::{EntityInfo, FieldSpec, FieldType};
use crate::representation::{format_time, parse_href, parse_time, Links};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    Starts,
    Ends,
}

/// One `field op value` condition, without its field.
type Condition = (Op, String);

/// One `field op value` condition of a `filter=` value.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub name: String,
    pub op: Op,
    pub text: String,
}

/// The conditions of a `filter=` value, in order.
pub fn parse(filter: Option<&str>) -> MsResult<Vec<Term>> {
    conditions(filter.unwrap_or_default())
        .iter()
        .map(|condition| {
            let (name, op, text) = split_condition(condition)?;
            Ok(Term {
                name: name.to_owned(),
                op,
                text: text.to_owned(),
            })
        })
        .collect()
}

/// Operators by how they are written, longest first where one prefixes another.
const OPERATORS: [(&str, Op); 9] = [
    ("!=", Op::Ne),
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("~=", Op::Starts),
    ("=~", Op::Ends),
    ("=", Op::Eq),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("~", Op::Contains),
];

/// Splits on `;` not escaped as `\;`, unescaping the rest.
fn conditions(filter: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = filter.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&';') => {
                chars.next();
                parts.last_mut().expect("one part").push(';');
            }
            ';' => parts.push(String::new()),
            _ => parts.last_mut().expect("one part").push(c),
        }
    }
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

fn split_condition(condition: &str) -> MsResult<(&str, Op, &str)> {
    for (at, _) in condition.char_indices() {
        let rest = &condition[at..];
        if let Some((text, op)) = OPERATORS.iter().find(|(text, _)| rest.starts_with(text)) {
            if at == 0 {
                break;
            }
            return Ok((&condition[..at], *op, &rest[text.len()..]));
        }
    }
    Err(MsError::filter(&format!("неверное условие '{condition}'")))
}

/// A filterable field: a declared one, or an attribute found by its definition's href.
#[derive(Debug, Clone)]
pub struct Field {
    /// How the client names it, for errors.
    pub name: String,
    /// Where its value sits in the stored body.
    pub stored: String,
    pub ty: FieldType,
}

impl Field {
    fn declared(spec: &FieldSpec) -> Self {
        Self {
            name: spec.name.to_owned(),
            stored: spec.name.to_owned(),
            ty: spec.ty,
        }
    }

    fn path(&self) -> String {
        match self.ty {
            FieldType::Ref(_) => format!("{}.id", self.stored),
            _ => self.stored.clone(),
        }
    }
}

/// A filter value as the stored JSON value it compares with.
fn value(links: &Links, field: &Field, text: &str) -> MsResult<Value> {
    let bad = || {
        MsError::new(
            1014,
            format!(
                "Ошибка фильтрации: значение '{text}' поля '{}' имеет неверный тип",
                field.name
            ),
        )
    };
    Ok(match field.ty {
        FieldType::Id | FieldType::Str => json!(text),
        FieldType::Int => json!(text.parse::<i64>().map_err(|_| bad())?),
        FieldType::Float => json!(text.parse::<f64>().map_err(|_| bad())?),
        FieldType::Bool => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => return Err(bad()),
        },
        FieldType::Time => json!(format_time(parse_time(text).ok_or_else(
            || MsError::new(
                1035,
                format!("Ошибка фильтрации: неверный формат даты '{text}'")
            )
        )?)),
        FieldType::Ref(keyword) => {
            let target = parse_href(links, text)?;
            if target.keyword != keyword {
                return Err(MsError::filter(&format!(
                    "значение поля '{}' должно ссылаться на '{keyword}'",
                    field.name
                )));
            }
            json!(target.id)
        }
    })
}

/// The conditions of one field, combined by the vendor's rules.
fn field_filter(links: &Links, field: &Field, conditions: &[Condition]) -> MsResult<Filter> {
    let path = field.path();
    let empty = |is_empty: bool| Filter::IsEmpty {
        path: Filter::path(&path),
        empty: is_empty,
    };
    let has_eq = conditions.iter().any(|(op, _)| *op == Op::Eq);
    let has_range = conditions
        .iter()
        .any(|(op, _)| matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge));
    if has_eq && has_range {
        return Err(MsError::filter(&format!(
            "поле '{}' не может одновременно сравниваться на равенство и диапазон",
            field.name
        )));
    }
    let mut equal_to = Vec::new();
    let mut all = Vec::new();
    let mut seen_ranges = Vec::new();
    for (op, text) in conditions {
        let like = |mode| -> MsResult<Filter> {
            if field.ty != FieldType::Str {
                return Err(MsError::filter(&format!(
                    "оператор поиска подстроки не применим к полю '{}'",
                    field.name
                )));
            }
            Ok(Filter::text(&path, mode, text, true))
        };
        match op {
            Op::Eq if text.is_empty() => equal_to.push(empty(true)),
            Op::Eq => equal_to.push(Filter::cmp(&path, CmpOp::Eq, value(links, field, text)?)),
            Op::Ne if text.is_empty() => all.push(empty(false)),
            Op::Ne => all.push(Filter::cmp(&path, CmpOp::Ne, value(links, field, text)?)),
            Op::Contains => all.push(like(TextMode::Contains)?),
            Op::Starts => all.push(like(TextMode::Prefix)?),
            Op::Ends => all.push(like(TextMode::Suffix)?),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                if !matches!(
                    field.ty,
                    FieldType::Int | FieldType::Float | FieldType::Time
                ) {
                    return Err(MsError::filter(&format!(
                        "поле '{}' нельзя сравнивать",
                        field.name
                    )));
                }
                if seen_ranges.contains(op) {
                    continue;
                }
                seen_ranges.push(*op);
                let cmp = match op {
                    Op::Lt => CmpOp::Lt,
                    Op::Le => CmpOp::Le,
                    Op::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                all.push(Filter::cmp(&path, cmp, value(links, field, text)?));
            }
        }
    }
    if !equal_to.is_empty() {
        all.push(Filter::Or(equal_to));
    }
    Ok(Filter::And(all))
}

/// The store filter for a list: the `filter=` terms, `search=`, and the archived default.
/// `attributes` maps the attribute hrefs the filter uses to their fields.
pub fn list_filter(
    links: &Links,
    info: &EntityInfo,
    terms: &[Term],
    search: Option<&str>,
    attributes: &BTreeMap<String, Field>,
) -> MsResult<Option<Filter>> {
    let mut by_field: BTreeMap<String, (Field, Vec<Condition>)> = BTreeMap::new();
    for Term { name, op, text } in terms {
        let name = name.as_str();
        let field = info
            .field(name)
            .filter(|f| f.filter)
            .map(|spec| Field::declared(&spec))
            .or_else(|| attributes.get(name).cloned())
            .ok_or_else(|| MsError::filter(&format!("поле '{name}' не поддерживает фильтрацию")))?;
        by_field
            .entry(field.stored.clone())
            .or_insert_with(|| (field, Vec::new()))
            .1
            .push((*op, text.clone()));
    }
    let mut all = Vec::new();
    if info.hides_archived && !by_field.contains_key("archived") {
        all.push(Filter::Not(Box::new(Filter::eq("archived", true))));
    }
    for (field, conditions) in by_field.values() {
        all.push(field_filter(links, field, conditions)?);
    }
    if let Some(search) = search.filter(|s| !s.is_empty()) {
        let fields = info
            .search
            .iter()
            .map(|name| Filter::text(name, TextMode::Contains, search, true))
            .collect();
        all.push(Filter::Or(fields));
    }
    Ok((!all.is_empty()).then_some(Filter::And(all)))
}

/// `order=name;code,desc`.
pub fn sort_keys(info: &EntityInfo, order: Option<&str>) -> MsResult<Vec<SortKey>> {
    let mut keys = Vec::new();
    for term in order
        .unwrap_or_default()
        .split(';')
        .filter(|t| !t.is_empty())
    {
        let (name, direction) = term.split_once(',').unwrap_or((term, "asc"));
        let field = info
            .field(name)
            .filter(|f| f.sort)
            .ok_or_else(|| MsError::sort(name))?;
        keys.push(match direction {
            "asc" => SortKey::asc(field.name),
            "desc" => SortKey::desc(field.name),
            _ => {
                return Err(MsError::new(
                    1042,
                    format!("Неверное направление сортировки '{direction}'"),
                ))
            }
        });
    }
    Ok(keys)
}
