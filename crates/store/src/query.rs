use serde::Serialize;

use crate::{Filter, Scope};

/// A list of one kind of document in one scope.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub scope: Scope,
    pub kind: String,
    /// Further kinds listed together with `kind`, as one sequence (a union view such as
    /// MoySklad's assortment); rows tell their kind in `Document::key`.
    pub other_kinds: Vec<String>,
    pub filter: Option<Filter>,
    /// Applies to offset pages; ties (and an empty sort) fall back to insertion order.
    pub sort: Vec<SortKey>,
    pub page: PageRequest,
    /// Whether to count all matches (`Page::total`); offset pages usually want it.
    pub count_total: bool,
}

impl ListQuery {
    pub fn new(scope: Scope, kind: impl Into<String>) -> Self {
        Self {
            scope,
            kind: kind.into(),
            other_kinds: Vec::new(),
            filter: None,
            sort: Vec::new(),
            page: PageRequest::Offset {
                offset: 0,
                limit: 100,
            },
            count_total: true,
        }
    }

    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Lists these kinds too.
    pub fn with_kinds(mut self, kinds: &[&str]) -> Self {
        self.other_kinds
            .extend(kinds.iter().map(|kind| (*kind).to_owned()));
        self
    }

    pub fn sort(mut self, key: SortKey) -> Self {
        self.sort.push(key);
        self
    }

    pub fn page(mut self, page: PageRequest) -> Self {
        self.page = page;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub path: Vec<String>,
    pub descending: bool,
}

impl SortKey {
    pub fn asc(path: &str) -> Self {
        Self {
            path: Filter::path(path),
            descending: false,
        }
    }
    pub fn desc(path: &str) -> Self {
        Self {
            path: Filter::path(path),
            descending: true,
        }
    }
}

/// The three pagination styles of the vendors: offset/limit (MoySklad) and page/limit
/// (RetailCRM, SalesDoc: `offset = (page - 1) * limit`) share `Offset`; opaque cursors
/// walk insertion order; Kassa's cursors name the first row of a page (`StartingAt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRequest {
    Offset {
        offset: u64,
        limit: u32,
    },
    Cursor {
        after: Option<String>,
        limit: u32,
        descending: bool,
    },
    /// Rows in insertion order from the document `id` (of the query's kinds) on, it
    /// included; none when there is no such document. `next_cursor` as for `Cursor`.
    StartingAt {
        id: String,
        limit: u32,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// All matches, when asked for.
    pub total: Option<u64>,
    /// Where the next cursor page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            next_cursor: self.next_cursor,
        }
    }
}
