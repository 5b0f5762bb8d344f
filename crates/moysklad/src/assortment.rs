//! `GET /entity/assortment`: every product, service, bundle, variant (and, grouped by
//! consignment, consignment) as one list, each row rendered as its own entity, with stock
//! levels (`stock`, `reserve`, `inTransit`, `quantity`) for the goods that hold stock,
//! computed at `stockMoment` over the `stockStore` warehouses. `POST
//! /entity/assortment/delete` deletes goods of any of those types.
//!
//! Filters the generic grammar cannot express (folders with sub-folders, stock modes,
//! the type, barcodes, suppliers of two types) are resolved here into store filters.
//! Where the documentation is silent:
//! - `groupBy=product` lists products, services and bundles (everything but variants and
//!   consignments), as the default lists everything but consignments;
//! - `search` matches a substring of the name, code or article, or a whole barcode;
//! - `underMinimum` compares with the good's `minimumBalance` (0 when unset).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::http::HeaderMap;
use serde_json::{json, Map, Value};
use twin_store::{CmpOp, Filter, ListQuery, PageRequest};

use crate::engine;
use crate::entities;
use crate::entities::productfolder::TREE;
use crate::error::{MsError, MsResult};
use crate::filter::{self, list_filter, sort_keys, Field, Op, Term};
use crate::metadata;
use crate::model::{Ctx, EntityInfo, FieldSpec, FieldType};
use crate::params::ListParams;
use crate::representation::{parse_href, parse_time};
use crate::stock::{self, Levels, Stores, STOCKED};

/// The beta feature that drops stock fields and stock filters.
pub const WITHOUT_STOCK_FEATURE: &str = "assortmentWithoutStock";

/// Fields the generic filter and `order=` handle; the rest is resolved here.
static INFO: EntityInfo = EntityInfo {
    keyword: "assortment",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, false),
        FieldSpec::new("article", FieldType::Str, true, true),
        FieldSpec::new("pathName", FieldType::Str, true, true),
        FieldSpec::new("isSerialTrackable", FieldType::Bool, true, false),
        FieldSpec::new("weighed", FieldType::Bool, true, false),
        FieldSpec::new("alcoholic.type", FieldType::Int, true, false),
        FieldSpec::new("minimumBalance", FieldType::Float, false, true),
    ],
    search: &[],
    common: true,
    hides_archived: true,
    writable: false,
    attributes: false,
    states: false,
};

/// Filters the beta endpoint refuses.
const STOCK_ONLY_FILTERS: [&str; 12] = [
    "alcoholic.type",
    "article",
    "isSerialTrackable",
    "minimumBalance",
    "owner",
    "quantityMode",
    "shared",
    "stockMode",
    "stockMoment",
    "stockStore",
    "updatedBy",
    "weighed",
];

/// `stockMode` / `quantityMode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    All,
    PositiveOnly,
    NegativeOnly,
    Empty,
    NonEmpty,
    UnderMinimum,
}

impl Mode {
    fn parse(name: &str, text: &str) -> MsResult<Self> {
        Ok(match text {
            "all" => Self::All,
            "positiveOnly" => Self::PositiveOnly,
            "negativeOnly" => Self::NegativeOnly,
            "empty" => Self::Empty,
            "nonEmpty" => Self::NonEmpty,
            "underMinimum" => Self::UnderMinimum,
            _ => {
                return Err(MsError::filter(&format!(
                    "недопустимое значение '{text}' параметра '{name}'"
                )))
            }
        })
    }

    fn admits(self, value: f64, minimum: f64) -> bool {
        match self {
            Self::All => true,
            Self::PositiveOnly => value > 0.0,
            Self::NegativeOnly => value < 0.0,
            Self::Empty => value == 0.0,
            Self::NonEmpty => value != 0.0,
            Self::UnderMinimum => value < minimum,
        }
    }
}

/// What the request asks of the list besides generic filters.
struct Request {
    kinds: Vec<&'static str>,
    stock_mode: Mode,
    quantity_mode: Mode,
    moment: chrono::DateTime<chrono::Utc>,
    stores: Stores,
    /// Store filters resolved here, joined with the generic ones.
    filters: Vec<Filter>,
    /// Terms left for the generic filter.
    generic: Vec<Term>,
    search: Option<String>,
    with_stock: bool,
}

/// Only `=` (and `!=` where `negatable`) is allowed on these filters.
fn check_ops(terms: &[Term], negatable: bool) -> MsResult<()> {
    for term in terms {
        if term.op != Op::Eq && !(negatable && term.op == Op::Ne) {
            return Err(MsError::filter(&format!(
                "оператор не поддерживается для поля '{}'",
                term.name
            )));
        }
    }
    Ok(())
}

fn kinds_for(group_by: Option<&str>) -> MsResult<Vec<&'static str>> {
    Ok(match group_by {
        None | Some("variant") => vec!["product", "service", "bundle", "variant"],
        Some("product") => vec!["product", "service", "bundle"],
        Some("consignment") => vec!["product", "service", "bundle", "variant", "consignment"],
        Some(other) => {
            return Err(MsError::bad_params(&format!(
                "недопустимое значение groupBy '{other}'"
            )))
        }
    })
}

async fn request(ctx: &Ctx, params: &ListParams, with_stock: bool) -> MsResult<Request> {
    let pairs = &params.pairs;
    let top = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut request = Request {
        kinds: kinds_for(top("groupBy").as_deref())?,
        stock_mode: Mode::All,
        quantity_mode: Mode::All,
        moment: ctx.now,
        stores: Stores::All,
        filters: Vec::new(),
        generic: Vec::new(),
        search: params.search.clone(),
        with_stock,
    };
    let grouped_by_consignment = request.kinds.contains(&"consignment");
    // The spec and SDKs pass the modes as top-level parameters too.
    let mut terms = filter::parse(params.filter.as_deref())?;
    for name in ["stockMode", "quantityMode", "stockMoment", "stockStore"] {
        if let Some(text) = top(name) {
            terms.push(Term {
                name: name.to_owned(),
                op: Op::Eq,
                text,
            });
        }
    }
    if !with_stock {
        if let Some(term) = terms
            .iter()
            .find(|t| STOCK_ONLY_FILTERS.contains(&t.name.as_str()) || t.name == "search")
        {
            return Err(MsError::filter(&format!(
                "поле '{}' не поддерживает фильтрацию",
                term.name
            )));
        }
    }
    let mut by_name: BTreeMap<String, Vec<Term>> = BTreeMap::new();
    for mut term in terms {
        // The seed spells it `pathname`, the docs `pathName`.
        if term.name == "pathname" {
            term.name = "pathName".into();
        }
        by_name.entry(term.name.clone()).or_default().push(term);
    }
    let sub_folders = by_name
        .get("withSubFolders")
        .and_then(|terms| terms.first())
        .is_none_or(|t| t.text != "false");
    let mut excludes_unstocked = false;
    for (name, terms) in by_name {
        match name.as_str() {
            "stockMode" | "quantityMode" => {
                check_ops(&terms, false)?;
                let mode = Mode::parse(&name, &terms[0].text)?;
                excludes_unstocked |= mode != Mode::All;
                if name == "stockMode" {
                    request.stock_mode = mode;
                } else {
                    request.quantity_mode = mode;
                }
            }
            "stockMoment" => {
                check_ops(&terms, false)?;
                request.moment = parse_time(&terms[0].text).ok_or_else(|| {
                    MsError::new(
                        1035,
                        format!(
                            "Ошибка фильтрации: неверный формат даты '{}'",
                            terms[0].text
                        ),
                    )
                })?;
            }
            "stockStore" => {
                check_ops(&terms, true)?;
                request.stores = stores(ctx, &terms)?;
            }
            "withSubFolders" => check_ops(&terms, false)?,
            "productFolder" => {
                check_ops(&terms, true)?;
                request
                    .filters
                    .push(folders(ctx, &terms, sub_folders).await?);
            }
            "type" => {
                check_ops(&terms, false)?;
                let wanted: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
                if wanted.contains(&"consignment") && !grouped_by_consignment {
                    return Err(MsError::filter(
                        "для фильтрации по типу consignment используйте groupBy=consignment",
                    ));
                }
                for kind in &wanted {
                    if !["product", "service", "bundle", "variant", "consignment"].contains(kind) {
                        return Err(MsError::filter(&format!("неизвестный тип '{kind}'")));
                    }
                }
                request.kinds.retain(|kind| wanted.contains(kind));
            }
            "barcode" => {
                check_ops(&terms, false)?;
                let any = terms
                    .iter()
                    .map(|t| {
                        if t.text.is_empty() {
                            Filter::IsEmpty {
                                path: Filter::path("barcodes"),
                                empty: true,
                            }
                        } else {
                            Filter::holds("barcodes", &t.text)
                        }
                    })
                    .collect();
                request.filters.push(Filter::Or(any));
            }
            "supplier" => {
                check_ops(&terms, true)?;
                request.filters.push(supplier(ctx, &terms)?);
            }
            "search" => {
                check_ops(&terms, false)?;
                request.search = Some(terms[0].text.clone());
            }
            "updated" => request.generic.extend(terms.into_iter().map(|mut t| {
                // Strict comparisons behave like non-strict ones, as the vendor documents.
                t.op = match t.op {
                    Op::Lt => Op::Le,
                    Op::Gt => Op::Ge,
                    op => op,
                };
                t
            })),
            "alcoholic.type" | "weighed" => {
                excludes_unstocked = true;
                request.generic.extend(terms);
            }
            _ => request.generic.extend(terms),
        }
    }
    if excludes_unstocked {
        request.kinds.retain(|kind| STOCKED.contains(kind));
    }
    Ok(request)
}

fn stores(ctx: &Ctx, terms: &[Term]) -> MsResult<Stores> {
    let mut only = BTreeSet::new();
    let mut except = BTreeSet::new();
    for term in terms {
        let target = parse_href(&ctx.links, &term.text)?;
        if target.keyword != "store" {
            return Err(MsError::filter(
                "значение поля 'stockStore' должно ссылаться на 'store'",
            ));
        }
        if term.op == Op::Eq {
            only.insert(target.id);
        } else {
            except.insert(target.id);
        }
    }
    Ok(if only.is_empty() {
        Stores::Except(except)
    } else {
        only.retain(|id| !except.contains(id));
        Stores::Only(only)
    })
}

fn supplier(ctx: &Ctx, terms: &[Term]) -> MsResult<Filter> {
    let mut equal = Vec::new();
    let mut all = Vec::new();
    for term in terms {
        let condition = if term.text.is_empty() {
            Filter::IsEmpty {
                path: Filter::path("supplier"),
                empty: true,
            }
        } else {
            let target = parse_href(&ctx.links, &term.text)?;
            if !["counterparty", "organization"].contains(&target.keyword.as_str()) {
                return Err(MsError::filter(
                    "значение поля 'supplier' должно ссылаться на контрагента или юрлицо",
                ));
            }
            Filter::eq("supplier.id", target.id)
        };
        match term.op {
            Op::Eq => equal.push(condition),
            _ => all.push(Filter::Not(Box::new(condition))),
        }
    }
    if !equal.is_empty() {
        all.push(Filter::Or(equal));
    }
    Ok(Filter::And(all))
}

/// Goods in the folders (and their sub-folders): products, services and bundles by
/// their folder, variants by their product's, consignments by their good's.
async fn folders(ctx: &Ctx, terms: &[Term], sub_folders: bool) -> MsResult<Filter> {
    let mut inside = Vec::new();
    let mut outside = Vec::new();
    for term in terms {
        let target = parse_href(&ctx.links, &term.text)?;
        if target.keyword != "productfolder" {
            return Err(MsError::filter(
                "значение поля 'productFolder' должно ссылаться на 'productfolder'",
            ));
        }
        let mut set = BTreeSet::from([target.id.clone()]);
        if sub_folders {
            set.extend(TREE.descendants(ctx, &target.id).await?);
        }
        if term.op == Op::Eq {
            inside.extend(set);
        } else {
            outside.extend(set);
        }
    }
    let mut all = Vec::new();
    if !terms.iter().any(|t| t.op == Op::Eq) {
        all.push(Filter::Not(Box::new(in_folders(ctx, &outside).await?)));
    } else {
        let inside: Vec<String> = inside
            .into_iter()
            .filter(|f| !outside.contains(f))
            .collect();
        all.push(in_folders(ctx, &inside).await?);
    }
    Ok(Filter::And(all))
}

async fn in_folders(ctx: &Ctx, folders: &[String]) -> MsResult<Filter> {
    let folder_values: Vec<Value> = folders.iter().map(|f| json!(f)).collect();
    let products = ids_where(
        ctx,
        "product",
        Filter::In {
            path: Filter::path("productFolder.id"),
            values: folder_values.clone(),
        },
    )
    .await?;
    let variants = ids_where(
        ctx,
        "variant",
        Filter::In {
            path: Filter::path("product.id"),
            values: products.iter().map(|p| json!(p)).collect(),
        },
    )
    .await?;
    let mut goods: Vec<String> = products.clone();
    goods.extend(variants.iter().cloned());
    Ok(Filter::Or(vec![
        Filter::In {
            path: Filter::path("productFolder.id"),
            values: folder_values,
        },
        Filter::IdIn(variants),
        Filter::In {
            path: Filter::path("assortment.id"),
            values: goods.into_iter().map(Value::String).collect(),
        },
    ]))
}

async fn ids_where(ctx: &Ctx, kind: &str, filter: Filter) -> MsResult<Vec<String>> {
    let query = ListQuery::new(ctx.scope.clone(), kind).filter(filter);
    let docs = engine::all(ctx, query).await?;
    Ok(docs.into_iter().map(|d| d.key.id).collect())
}

/// The goods a stock or quantity mode admits, as a store filter.
async fn mode_filter(
    ctx: &Ctx,
    request: &Request,
    totals: &HashMap<String, Levels>,
) -> MsResult<Option<Filter>> {
    let modes = [
        (
            request.stock_mode,
            (|l: &Levels| l.stock) as fn(&Levels) -> f64,
        ),
        (request.quantity_mode, Levels::quantity),
    ];
    let mut all = Vec::new();
    for (mode, value) in modes {
        match mode {
            Mode::All => {}
            Mode::Empty => {
                let non_zero = totals
                    .iter()
                    .filter(|(_, l)| value(l) != 0.0)
                    .map(|(id, _)| id.clone())
                    .collect();
                all.push(Filter::Not(Box::new(Filter::IdIn(non_zero))));
            }
            Mode::UnderMinimum => {
                let minimums = minimums(ctx, &request.kinds).await?;
                let mut under: Vec<String> = minimums
                    .iter()
                    .filter(|(id, minimum)| {
                        mode.admits(totals.get(*id).map(value).unwrap_or(0.0), **minimum)
                    })
                    .map(|(id, _)| id.clone())
                    .collect();
                under.extend(
                    totals
                        .iter()
                        .filter(|(id, l)| !minimums.contains_key(*id) && value(l) < 0.0)
                        .map(|(id, _)| id.clone()),
                );
                all.push(Filter::IdIn(under));
            }
            _ => {
                let admitted = totals
                    .iter()
                    .filter(|(_, l)| mode.admits(value(l), 0.0))
                    .map(|(id, _)| id.clone())
                    .collect();
                all.push(Filter::IdIn(admitted));
            }
        }
    }
    Ok((!all.is_empty()).then_some(Filter::And(all)))
}

/// Goods with a positive `minimumBalance`, and that minimum.
async fn minimums(ctx: &Ctx, kinds: &[&str]) -> MsResult<HashMap<String, f64>> {
    let Some((first, rest)) = kinds.split_first() else {
        return Ok(HashMap::new());
    };
    let query = ListQuery::new(ctx.scope.clone(), *first)
        .with_kinds(rest)
        .filter(Filter::cmp("minimumBalance", CmpOp::Gt, 0));
    Ok(engine::all(ctx, query)
        .await?
        .into_iter()
        .map(|doc| {
            let minimum = doc
                .body
                .get("minimumBalance")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            (doc.key.id, minimum)
        })
        .collect())
}

fn search_filter(text: &str) -> Filter {
    let mut any: Vec<Filter> = ["name", "code", "article"]
        .iter()
        .map(|field| Filter::text(field, twin_store::TextMode::Contains, text, true))
        .collect();
    any.push(Filter::holds("barcodes", text));
    Filter::Or(any)
}

/// Whether the request asks for the beta list without stock.
pub fn without_stock(headers: &HeaderMap) -> bool {
    headers
        .get_all("X-Lognex-Remap-Beta-Feature")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim() == WITHOUT_STOCK_FEATURE)
}

pub async fn list(ctx: &Ctx, raw_query: Option<&str>, with_stock: bool) -> MsResult<Value> {
    let params = crate::params::list_params(raw_query)?;
    let mut request = request(ctx, &params, with_stock).await?;
    let mut attributes = BTreeMap::new();
    for term in request.generic.iter().filter(|t| t.name.contains("://")) {
        if let Some((stored, ty)) = metadata::filter_field(ctx, "product", &term.name).await? {
            let name = term.name.clone();
            attributes.insert(name.clone(), Field { name, stored, ty });
        }
    }
    let mut all = std::mem::take(&mut request.filters);
    if let Some(generic) = list_filter(&ctx.links, &INFO, &request.generic, None, &attributes)? {
        all.push(generic);
    }
    if let Some(text) = request.search.as_deref().filter(|t| !t.is_empty()) {
        all.push(search_filter(text));
    }
    // A stock mode needs every good's levels; they then serve the page's rows too.
    let mut all_totals = None;
    if request.stock_mode != Mode::All || request.quantity_mode != Mode::All {
        let records = stock::records(ctx, None).await?;
        let totals = stock::totals(&records, request.moment, &request.stores);
        if let Some(filter) = mode_filter(ctx, &request, &totals).await? {
            all.push(filter);
        }
        all_totals = Some(totals);
    }
    let Some((first, rest)) = request.kinds.split_first() else {
        return Ok(engine::list_answer(
            ctx,
            INFO.keyword,
            &params,
            0,
            Vec::new(),
        ));
    };
    let mut query = ListQuery::new(ctx.scope.clone(), *first)
        .with_kinds(rest)
        .page(PageRequest::Offset {
            offset: params.offset,
            limit: params.limit as u32,
        });
    query.filter = Some(Filter::And(all));
    query.sort = sort_keys(&INFO, params.order.as_deref())?;
    let page = ctx.core.entities.list(&query).await?;
    let size = page.total.unwrap_or_default();
    let ids: Vec<String> = page.items.iter().map(|d| d.key.id.clone()).collect();
    let totals = match all_totals {
        Some(totals) => totals,
        None if request.with_stock => {
            let records = stock::records(ctx, Some(&ids)).await?;
            stock::totals(&records, request.moment, &request.stores)
        }
        None => HashMap::new(),
    };
    let _remembering = ctx.remembering();
    for kind in request.kinds.iter() {
        let of_kind: Vec<_> = page
            .items
            .iter()
            .filter(|d| d.key.kind == *kind)
            .cloned()
            .collect();
        if let (false, Some(entity)) = (of_kind.is_empty(), entities::by_keyword(kind)) {
            entity.prepare_page(ctx, &of_kind).await?;
        }
    }
    let mut rows = Vec::with_capacity(page.items.len());
    for doc in page.items {
        let kind = doc.key.kind.clone();
        let entity = entities::by_keyword(&kind).ok_or_else(|| MsError::unknown_type(&kind))?;
        let mut body = match doc.body {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        if request.with_stock && STOCKED.contains(&kind.as_str()) {
            let levels = totals.get(&doc.key.id).copied().unwrap_or_default();
            add_levels(&mut body, levels);
        }
        rows.push(engine::render(ctx, entity, body, &params.expand, 0).await?);
    }
    Ok(engine::list_answer(ctx, INFO.keyword, &params, size, rows))
}

fn add_levels(body: &mut Map<String, Value>, levels: Levels) {
    body.insert("stock".into(), json!(levels.stock));
    body.insert("reserve".into(), json!(levels.reserve));
    body.insert("inTransit".into(), json!(levels.in_transit));
    body.insert("quantity".into(), json!(levels.quantity()));
}

/// `POST /entity/assortment/delete`: goods of any assortment type.
pub async fn delete(ctx: &Ctx, body: Value) -> MsResult<(axum::http::StatusCode, Value)> {
    engine::mass_delete_of(
        ctx,
        body,
        &["product", "service", "bundle", "variant", "consignment"],
    )
    .await
}
