//! The mixed write load: workers that write through all four dialects until the server
//! dies under them, and the ledger of what each write was answered.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde_json::{json, Value};

use super::shop::{answer, Shop, CLIENT_CATEGORY};

/// An entity the load wrote, as its dialect addresses it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// RetailCRM order by externalId; `firstName` carries the written value.
    Order(String),
    /// RetailCRM customer by externalId; `firstName`.
    Customer(String),
    /// MoySklad product by id; `description`.
    Product(String),
    /// Kassa operation (a sale) by id; nothing is edited.
    Sale(String),
    /// SalesDoc client by `code_1C`; `shortName`.
    Client(String),
}

impl Target {
    fn order(&self) -> Option<&String> {
        match self {
            Self::Order(external) => Some(external),
            _ => None,
        }
    }

    fn product(&self) -> Option<&String> {
        match self {
            Self::Product(id) => Some(id),
            _ => None,
        }
    }

    fn client(&self) -> Option<&String> {
        match self {
            Self::Client(code) => Some(code),
            _ => None,
        }
    }
}

/// What the load knows of one entity: the value of its last acknowledged write, and the
/// value of a write sent after it whose answer the kill cut off (it may or may not have
/// committed).
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub acked: Option<String>,
    pub in_flight: Option<String>,
}

/// Every write the load made, shared by the workers.
#[derive(Default)]
pub struct Ledger {
    pub entities: Mutex<BTreeMap<Target, Known>>,
    /// Acknowledged writes since the last restart (the kill waits for a number of them).
    pub acked_since_start: AtomicUsize,
    pub acked_total: AtomicUsize,
    /// Answers that were neither a success nor a lost connection, with their status: each
    /// is a finding, unless the test broke the database on purpose.
    pub refused: Mutex<Vec<(u16, String)>>,
    /// Entities written since the last check: the only ones a check after a restart
    /// needs to read again (the final check reads them all).
    touched: Mutex<BTreeSet<Target>>,
    /// Tells the workers to stop (the surviving replica's, whose server lives on).
    pub stop: AtomicBool,
}

impl Ledger {
    fn acked(&self, target: Target, value: &str) {
        self.touched.lock().unwrap().insert(target.clone());
        let mut entities = self.entities.lock().unwrap();
        let known = entities.entry(target).or_default();
        known.acked = Some(value.to_owned());
        known.in_flight = None;
        self.acked_since_start.fetch_add(1, Ordering::SeqCst);
        self.acked_total.fetch_add(1, Ordering::SeqCst);
    }

    fn in_flight(&self, target: Target, value: &str) {
        self.touched.lock().unwrap().insert(target.clone());
        let mut entities = self.entities.lock().unwrap();
        entities.entry(target).or_default().in_flight = Some(value.to_owned());
    }

    pub fn snapshot(&self) -> BTreeMap<Target, Known> {
        self.entities.lock().unwrap().clone()
    }

    /// The entities written since the last call.
    pub fn take_touched(&self) -> BTreeMap<Target, Known> {
        let touched = std::mem::take(&mut *self.touched.lock().unwrap());
        let entities = self.entities.lock().unwrap();
        touched
            .into_iter()
            .filter_map(|t| Some((t.clone(), entities.get(&t)?.clone())))
            .collect()
    }
}

/// One kind of write the workers take turns at.
#[derive(Clone, Copy)]
enum Op {
    CreateOrder,
    EditOrder,
    CreateCustomer,
    CreateProduct,
    UpdateProduct,
    CreateProducts,
    Sell,
    SetClient,
    EditClient,
}

const OPS: [Op; 9] = [
    Op::CreateOrder,
    Op::CreateProduct,
    Op::Sell,
    Op::SetClient,
    Op::EditOrder,
    Op::UpdateProduct,
    Op::CreateCustomer,
    Op::CreateProducts,
    Op::EditClient,
];

/// A worker: writes until a request fails to get an answer (the server was killed).
pub struct Worker {
    pub shop: Shop,
    pub base: String,
    pub ledger: Arc<Ledger>,
    /// Unique per worker and round: part of every name it makes.
    pub tag: String,
    /// Entities this worker created, which it edits later.
    pub mine: Vec<Target>,
}

/// How a write ended.
enum Outcome {
    Acked(Vec<Target>),
    /// No answer: the server is gone.
    Lost,
}

impl Worker {
    pub async fn run(mut self) {
        for n in 0.. {
            if self.ledger.stop.load(Ordering::SeqCst) {
                return;
            }
            let op = OPS[n % OPS.len()];
            match self.write(op, n).await {
                Outcome::Acked(created) => self.mine.extend(created),
                Outcome::Lost => return,
            }
        }
    }

    /// One of this worker's entities that `pick` accepts, with the key `pick` reads from
    /// it; `None` before the worker created any.
    fn edited(&self, n: usize, pick: fn(&Target) -> Option<&String>) -> Option<(Target, String)> {
        let candidates: Vec<(&Target, &String)> = self
            .mine
            .iter()
            .filter_map(|t| Some((t, pick(t)?)))
            .collect();
        let (target, key) = candidates.get(n % candidates.len().max(1))?;
        Some(((*target).clone(), (*key).clone()))
    }

    async fn write(&self, op: Op, n: usize) -> Outcome {
        let value = format!("{}-{n}", self.tag);
        let (shop, base) = (&self.shop, self.base.as_str());
        match op {
            Op::CreateOrder | Op::CreateCustomer => {
                let (path, field, target) = match op {
                    Op::CreateOrder => ("/orders/create", "order", Target::Order(value.clone())),
                    _ => (
                        "/customers/create",
                        "customer",
                        Target::Customer(value.clone()),
                    ),
                };
                let doc = json!({ "externalId": value, "firstName": value, "lastName": "Crash" });
                let request = shop.retailcrm(base, path, &[(field, doc.to_string())]);
                self.send(request, 201, vec![target], &value, |_| None)
                    .await
            }
            Op::EditOrder => {
                let Some((target, external)) = self.edited(n, Target::order) else {
                    return Outcome::Acked(Vec::new());
                };
                let doc = json!({ "firstName": value });
                let path = format!("/orders/{external}/edit");
                let request = shop.retailcrm(base, &path, &[("order", doc.to_string())]);
                self.send(request, 200, vec![target], &value, |_| None)
                    .await
            }
            Op::CreateProduct => {
                let request = shop
                    .moysklad(base, Method::POST, "/entity/product")
                    .json(&json!({ "name": value, "description": value }));
                self.send(request, 200, Vec::new(), &value, |body| {
                    Some(vec![Target::Product(id(body))])
                })
                .await
            }
            Op::CreateProducts => {
                let batch: Vec<Value> = (0..3)
                    .map(|k| json!({ "name": format!("{value}-{k}"), "description": value }))
                    .collect();
                let request = shop
                    .moysklad(base, Method::POST, "/entity/product")
                    .json(&batch);
                self.send(request, 200, Vec::new(), &value, |body| {
                    Some(
                        body.as_array()?
                            .iter()
                            .map(|p| Target::Product(id(p)))
                            .collect(),
                    )
                })
                .await
            }
            Op::UpdateProduct => {
                let Some((target, product)) = self.edited(n, Target::product) else {
                    return Outcome::Acked(Vec::new());
                };
                let request = shop
                    .moysklad(base, Method::PUT, &format!("/entity/product/{product}"))
                    .json(&json!({ "description": value }));
                self.send(request, 200, vec![target], &value, |_| None)
                    .await
            }
            Op::Sell => {
                let position = json!({
                    "name": value, "quantity": 1, "price": 10,
                    "paymentVat": "WITHOUT", "paymentObject": "PRODUCT", "paymentMethod": "FULL_PAYMENT"
                });
                let sale = json!({
                    "operationType": "SELL", "cashboxId": shop.cashbox, "createdById": shop.owner,
                    "details": { "taxationSystem": "OSN", "positions": [position], "paymentSolutions": [{ "id": 1, "amount": 10 }] }
                });
                let request = shop.kassa(base, Method::POST, "/operations").json(&sale);
                self.send(request, 201, Vec::new(), &value, |body| {
                    Some(vec![Target::Sale(id(body))])
                })
                .await
            }
            Op::SetClient | Op::EditClient => {
                let code = match op {
                    Op::SetClient => value.clone(),
                    _ => match self.edited(n, Target::client) {
                        Some((_, code)) => code,
                        None => return Outcome::Acked(Vec::new()),
                    },
                };
                let client = json!({
                    "code_1C": code, "shortName": value, "active": true,
                    "clientCategory": { "code_1C": CLIENT_CATEGORY }
                });
                let request =
                    shop.salesdoc(base, "setClient", json!({ "data": { "client": [client] } }));
                self.send(request, 200, vec![Target::Client(code)], &value, |_| None)
                    .await
            }
        }
    }

    /// Sends a write about `known` targets (their new value `value`) and records its
    /// outcome; `created` reads the targets a create made from its answer.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        expected: u16,
        known: Vec<Target>,
        value: &str,
        created: impl Fn(&Value) -> Option<Vec<Target>>,
    ) -> Outcome {
        for target in &known {
            self.ledger.in_flight(target.clone(), value);
        }
        match answer(request).await {
            Err(_) => Outcome::Lost,
            Ok((status, body)) if status == expected => {
                let mut targets = known;
                let made = created(&body).unwrap_or_default();
                targets.extend(made.iter().cloned());
                for target in targets {
                    self.ledger.acked(target, value);
                }
                Outcome::Acked(made)
            }
            Ok((status, body)) => {
                let finding = format!("{}: {body}", self.tag);
                self.ledger.refused.lock().unwrap().push((status, finding));
                Outcome::Lost
            }
        }
    }
}

fn id(entity: &Value) -> String {
    entity["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {entity}"))
        .to_owned()
}
