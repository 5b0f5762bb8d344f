//! The data browser's links: the references `twin_core::links` finds in a document's
//! body, kept when the document they name is stored (and is not the document itself).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use twin_core::links::candidates;
use twin_core::{Core, CoreResult};
use twin_store::{Document, Filter, ListQuery, PageRequest};

#[derive(Serialize)]
pub struct Link {
    label: String,
    dialect: String,
    kind: String,
    id: String,
}

/// The stored documents `doc` refers to; `link_keys` are its dialect's
/// `Dialect::LINK_KEYS`.
pub async fn resolve(
    core: &Core,
    doc: &Document,
    link_keys: &[(&str, &str)],
) -> CoreResult<Vec<Link>> {
    let scope = &doc.key.scope;
    let kinds: Vec<String> = core
        .store
        .count_kinds(&scope.account, Some(&scope.dialect))
        .await?
        .into_iter()
        .map(|count| count.kind)
        .collect();
    let found = candidates(&doc.body, &kinds, link_keys);
    let mut wanted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for candidate in &found {
        wanted
            .entry(&candidate.kind)
            .or_default()
            .insert(&candidate.id);
    }
    let mut stored = BTreeSet::new();
    for (kind, ids) in wanted {
        let ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
        let mut query = ListQuery::new(scope.clone(), kind)
            .filter(Filter::IdIn(ids.clone()))
            .page(PageRequest::Offset {
                offset: 0,
                limit: ids.len() as u32,
            });
        query.count_total = false;
        for target in core.entities.list(&query).await?.items {
            stored.insert((target.key.kind, target.key.id));
        }
    }
    let itself = (doc.key.kind.clone(), doc.key.id.clone());
    Ok(found
        .into_iter()
        .filter(|c| {
            let target = (c.kind.clone(), c.id.clone());
            target != itself && stored.contains(&target)
        })
        .map(|c| Link {
            label: c.label,
            dialect: scope.dialect.clone(),
            kind: c.kind,
            id: c.id,
        })
        .collect())
}
