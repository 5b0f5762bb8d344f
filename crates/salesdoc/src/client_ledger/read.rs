//! Reading the client ledger: an owner's entries (to replace them), one client's
//! balance per payment type (setCurrentBalance's difference), and a page of the clients
//! holding a balance (getBalance).

use serde_json::{Map, Value};
use twin_store::{Filter, ListQuery, PageRequest, SortKey};

use super::{BALANCE, ENTRY};
use crate::error::SdResult;
use crate::reference::{in_filial, Record};
use crate::request::Ctx;

/// How many entries one document may own: an order owns one debit, a return one
/// credit; the bound keeps a read finite whatever is stored.
const OWNED_AT_MOST: u32 = 100;

/// The filial's entries matching `filters`, as numbered.
pub async fn entries_where(ctx: &Ctx, filters: Vec<Filter>) -> SdResult<Vec<Record>> {
    let mut all = vec![in_filial(ctx)];
    all.extend(filters);
    let query = ListQuery::new(ctx.scope.clone(), ENTRY)
        .filter(Filter::And(all))
        .sort(SortKey::asc("n"))
        .page(PageRequest::Offset {
            offset: 0,
            limit: OWNED_AT_MOST,
        });
    let page = ctx.core.store.list(&query).await?;
    Ok(page.items.into_iter().map(Record::from_doc).collect())
}

/// One client's balances: each payment type's (`SD_id`) non-zero sum.
#[derive(Debug, Clone, Default)]
pub struct Balances {
    pub client: String,
    pub amounts: Map<String, Value>,
}

impl Balances {
    /// The balance of one payment type (zero when the client has none).
    pub fn of(&self, payment_type: &str) -> f64 {
        self.amounts
            .get(payment_type)
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    }

    fn from_body(body: &Value) -> Self {
        Self {
            client: body["client"].as_str().unwrap_or_default().to_owned(),
            amounts: body["amounts"].as_object().cloned().unwrap_or_default(),
        }
    }
}

/// The client's (`SD_id`) balances now.
pub async fn balances_of(ctx: &Ctx, client: &str) -> SdResult<Balances> {
    let doc = ctx.core.store.get(&ctx.scope.key(BALANCE, client)).await?;
    Ok(doc
        .filter(|doc| doc.body["filial"].as_str() == Some(ctx.filial_id()))
        .map(|doc| Balances::from_body(&doc.body))
        .unwrap_or_else(|| Balances {
            client: client.to_owned(),
            amounts: Map::new(),
        }))
}

/// A page of the filial's clients holding some balance, by client `SD_id`, and the
/// count of all of them.
pub async fn held(ctx: &Ctx, offset: u64, limit: u32) -> SdResult<(Vec<Balances>, u64)> {
    let query = ListQuery::new(ctx.scope.clone(), BALANCE)
        .filter(Filter::And(vec![in_filial(ctx), Filter::eq("held", true)]))
        .sort(SortKey::asc("client"))
        .page(PageRequest::Offset { offset, limit });
    let page = ctx.core.store.list(&query).await?;
    let total = page.total.unwrap_or_default();
    let balances = page
        .items
        .iter()
        .map(|doc| Balances::from_body(&doc.body))
        .collect();
    Ok((balances, total))
}
