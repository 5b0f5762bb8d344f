//! Demo and load data (`twin seed`, `serve --demo`): a catalogue with folders, products,
//! variants, services and bundles, Russian and Uzbek counterparties with contracts, and
//! stock at three warehouses. Everything is written through the engine with a context built
//! as for an API request of the account's MoySklad login, so ids, history and webhooks are
//! those of API writes. The same seed gives the same data (names, codes, prices, stock);
//! ids repeat too when the account has an id seed.

mod catalog;
mod job;
mod levels;
mod names;
mod parties;
mod rng;

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};
use twin_core::credentials::{NewSecret, Secret};
use twin_core::Core;
use twin_store::{ListQuery, PageRequest};

use crate::entities;
use crate::model::Ctx;
use crate::webhooks::RequestWebhooks;
use crate::DIALECT;

pub use job::{start_job, SeedRequest};

/// Goods in the `small` dataset, the one `serve --demo` loads.
pub const SMALL_GOODS: u64 = 200;
/// Goods in the `large` dataset.
pub const LARGE_GOODS: u64 = 100_000;

/// How much to generate, counted in goods (products, services and bundles; variants come
/// on top of their products).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset {
    pub goods: u64,
}

impl FromStr for Dataset {
    type Err = String;

    /// `small`, `large` or a number of goods.
    fn from_str(text: &str) -> Result<Self, String> {
        let goods = match text {
            "small" => SMALL_GOODS,
            "large" => LARGE_GOODS,
            number => number
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    format!("expected small, large or a number of goods, not {text:?}")
                })?,
        };
        Ok(Self { goods })
    }
}

/// How many of each kind a dataset of `goods` goods holds.
#[derive(Debug, Clone, Copy)]
struct Plan {
    folders: u64,
    products: u64,
    services: u64,
    bundles: u64,
    counterparties: u64,
}

impl Plan {
    fn of(dataset: Dataset) -> Self {
        let goods = dataset.goods;
        let bundles = if goods >= 20 { (goods / 100).max(2) } else { 0 };
        let services = goods * 15 / 100;
        Self {
            folders: (goods / 50).max(1),
            products: goods - services - bundles,
            services,
            bundles,
            counterparties: (goods / 20).max(3),
        }
    }
}

/// What a run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub folders: u64,
    pub products: u64,
    pub variants: u64,
    pub services: u64,
    pub bundles: u64,
    pub stores: u64,
    pub organizations: u64,
    pub counterparties: u64,
    pub contracts: u64,
    pub stock_levels: u64,
}

impl Summary {
    /// Entities and stock levels written.
    pub fn writes(&self) -> u64 {
        self.folders
            + self.products
            + self.variants
            + self.services
            + self.bundles
            + self.stores
            + self.organizations
            + self.counterparties
            + self.contracts
            + self.stock_levels
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} folders, {} products, {} variants, {} services, {} bundles, {} stores, \
             {} organizations, {} counterparties, {} contracts, {} stock levels",
            self.folders,
            self.products,
            self.variants,
            self.services,
            self.bundles,
            self.stores,
            self.organizations,
            self.counterparties,
            self.contracts,
            self.stock_levels
        )
    }
}

/// Called with (writes done, writes expected) as the run goes.
pub type Progress<'a> = &'a mut (dyn FnMut(u64, u64) + Send);

/// Writes through the engine and counts what it wrote.
struct Writer<'a> {
    ctx: Ctx,
    progress: Progress<'a>,
    done: u64,
    total: u64,
}

impl Writer<'_> {
    /// Creates one entity as `POST /entity/<keyword>` would; its id.
    async fn create(&mut self, keyword: &str, input: Value) -> Result<String, String> {
        let entity = entities::by_keyword(keyword).expect("dataset writes known types");
        let input: Map<String, Value> = match input {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let doc = crate::engine::create(&self.ctx, entity, &input)
            .await
            .map_err(|e| format!("creating a {keyword}: {}", e.message))?;
        self.advance(1);
        Ok(doc.key.id)
    }

    /// Creates one entity per input as a mass `POST /entity/<keyword>` would (each
    /// checked, all stored in one transaction per thousand); their ids, in input order.
    async fn create_many(
        &mut self,
        keyword: &str,
        inputs: Vec<Value>,
    ) -> Result<Vec<String>, String> {
        let entity = entities::by_keyword(keyword).expect("dataset writes known types");
        let mut ids = Vec::with_capacity(inputs.len());
        let inputs: Vec<Map<String, Value>> = inputs
            .into_iter()
            .map(|input| match input {
                Value::Object(map) => map,
                _ => Map::new(),
            })
            .collect();
        for chunk in inputs.chunks(crate::engine::MAX_BATCH) {
            for result in crate::engine::create_all(&self.ctx, entity, chunk)
                .await
                .map_err(|e| format!("creating {keyword}s: {}", e.message))?
            {
                let doc = result.map_err(|e| format!("creating a {keyword}: {}", e.message))?;
                ids.push(doc.key.id);
            }
            self.advance(chunk.len() as u64);
        }
        Ok(ids)
    }

    fn advance(&mut self, count: u64) {
        self.done += count;
        self.total = self.total.max(self.done);
        (self.progress)(self.done, self.total);
    }

    /// A `{"meta": ...}` reference as a client sends it.
    fn reference(&self, keyword: &str, id: &str) -> Value {
        serde_json::json!({ "meta": self.ctx.links.meta(keyword, id) })
    }
}

/// The context of a write by the account's MoySklad login (the first password login).
async fn context(core: &Core, public_url: &str, account: &str) -> Result<Ctx, String> {
    let account = core
        .accounts
        .get(account)
        .await
        .map_err(|e| e.to_string())?;
    let credential = core
        .credentials
        .list(&account.id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|c| c.dialect == DIALECT && matches!(c.secret, Secret::Password { .. }))
        .ok_or_else(|| format!("account {} has no MoySklad login", account.id))?;
    let Secret::Password { login, .. } = &credential.secret else {
        unreachable!("filtered above");
    };
    let ctx = Ctx::new(
        core.clone(),
        public_url,
        account,
        credential.id.clone(),
        login.to_lowercase(),
        RequestWebhooks::default(),
    );
    crate::seed::ensure(&ctx)
        .await
        .map_err(|e| format!("seeding the account: {}", e.message))?;
    Ok(ctx)
}

/// Gives the account a MoySklad login `admin@<account>` with the password `<account>`
/// unless it has one: the dataset's writes are a login's.
pub async fn ensure_login(core: &Core, account: &str) -> Result<(), String> {
    let has_login = core
        .credentials
        .list(account)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .any(|c| c.dialect == DIALECT && matches!(c.secret, Secret::Password { .. }));
    if !has_login {
        let login = NewSecret::Password {
            login: format!("admin@{account}"),
            password: Some(account.into()),
        };
        core.credentials
            .issue(account, DIALECT, login)
            .await
            .map_err(|e| format!("cannot issue the MoySklad login: {e}"))?;
    }
    Ok(())
}

/// Whether the account has any product yet (the demo loads its data only once).
pub async fn has_goods(core: &Core, account: &str) -> Result<bool, String> {
    let account = core
        .accounts
        .get(account)
        .await
        .map_err(|e| e.to_string())?;
    let mut query = ListQuery::new(account.scope(DIALECT), "product").page(PageRequest::Offset {
        offset: 0,
        limit: 1,
    });
    query.count_total = false;
    let page = core
        .entities
        .list(&query)
        .await
        .map_err(|e| e.to_string())?;
    Ok(!page.items.is_empty())
}

/// Generates `dataset` into the account, which needs a MoySklad login (the writes are
/// that employee's). `public_url` is the base of the `meta` links written in webhooks.
pub async fn generate(
    core: &Core,
    public_url: &str,
    account: &str,
    dataset: Dataset,
    seed: u64,
    progress: Progress<'_>,
) -> Result<Summary, String> {
    let plan = Plan::of(dataset);
    let variants = catalog::variant_counts(seed, plan.products);
    let stocked = plan.products + variants.iter().map(|&n| u64::from(n)).sum::<u64>();
    let expected = plan.folders
        + plan.products
        + plan.services
        + plan.bundles
        + plan.counterparties * 4 / 3
        + stocked * 2;
    let mut writer = Writer {
        ctx: context(core, public_url, account).await?,
        progress,
        done: 0,
        total: expected,
    };
    let mut summary = Summary::default();
    let stores = parties::stores(&mut writer, &mut summary).await?;
    let catalog = catalog::write(&mut writer, &mut summary, seed, plan, &variants).await?;
    parties::write(&mut writer, &mut summary, seed, plan.counterparties).await?;
    levels::write(&mut writer, &mut summary, seed, &catalog.stocked, &stores).await?;
    Ok(summary)
}
