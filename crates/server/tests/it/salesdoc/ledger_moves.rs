//! The documents of the ledger property test (`ledger`) that move stock between two
//! warehouses: transfers (setMovement), van-sale exchanges (setVsExchange, into the van
//! warehouse `WH-C` of the agent `VAN`) and moves to the filial `FB` (setMovingToFilial,
//! into its warehouse `WH-D`). The run works in the filial `FA`; each request names its
//! filial.

use serde_json::{json, Value};

use super::Sd;

/// The filial of the run, its `CS_id` prefix, and the destination filial of its moves.
pub const HOME: &str = "FA";
pub const AWAY: &str = "FB";
/// The van warehouse of the agent `VAN`, and the warehouse of `FB`.
pub const VAN_STORE: &str = "WH-C";
pub const AWAY_STORE: &str = "WH-D";

/// (warehouse code, product code) → quantity; zero cells absent.
pub type Stock = std::collections::BTreeMap<(String, String), i64>;

/// Requests of one user in one filial.
pub struct InFilial<'a> {
    pub sd: &'a Sd,
    pub filial: &'a str,
}

/// The run's requests, in `FA`.
pub fn home(sd: &Sd) -> InFilial<'_> {
    InFilial { sd, filial: HOME }
}

impl InFilial<'_> {
    /// `{method, filial, data: {group: records}}`.
    pub async fn set(&self, method: &str, group: &str, records: Value) -> (u16, Value) {
        let body = json!({ "method": method, "filial": { "filial_id": self.filial }, "data": { group: records } });
        self.sd.call(body).await
    }

    /// `{method, filial, params}`.
    pub async fn get(&self, method: &str, params: Value) -> (u16, Value) {
        let body =
            json!({ "method": method, "filial": { "filial_id": self.filial }, "params": params });
        self.sd.call(body).await
    }
}

/// The filials, the price type `BUY` in `FA`, the agent `VAN` with `WH-C` as its van
/// (made here, then named again by the run's warehouses) and `WH-D` in `FB` (its
/// `SD_id`).
pub async fn world(sd: &Sd) -> String {
    sd.filials(json!([
        { "filial_id": HOME, "name": "Home", "prefix": HOME },
        { "filial_id": AWAY, "name": "Away", "prefix": AWAY },
    ]))
    .await;
    let payment = json!([{ "code_1C": "CASH", "name": "Cash", "short": "cash" }]);
    assert_eq!(
        home(sd)
            .set("setPaymentType", "paymentType", payment)
            .await
            .0,
        200
    );
    let (status, body) = sd
        .call(
            json!({ "method": "setPriceType", "filial": { "filial_id": HOME }, "data": {
            "valyutaType": [{ "code_1C": "UZS", "name": "UZS", "short": "UZS" }],
            "priceType": [{ "code_1C": "BUY", "name": "Purchase",
                "paymentType": { "code_1C": "CASH" }, "valyutaType": { "code_1C": "UZS" } }],
        } }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let agent = json!([{ "code_1C": "VAN", "name": "Van seller" }]);
    assert_eq!(home(sd).set("setAgent", "agent", agent).await.0, 200);
    let van = json!([{ "code_1C": VAN_STORE, "name": "Van", "agent": { "code_1C": "VAN" } }]);
    assert_eq!(sd.seed("vanWarehouse", Some(HOME), van).await.0, 200);
    let away = InFilial { sd, filial: AWAY };
    let store = json!([{ "code_1C": AWAY_STORE, "name": "Away store" }]);
    let (status, body) = away.set("setWarehouse", "warehouse", store).await;
    assert_eq!(status, 200, "{body}");
    body["result"]["data"]["warehouse"][0]["SD_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// One document moving `moved` from `from` to `to`: refused whole (400) when `from` lacks
/// any of it or `refuse` says so, else 200 and the model moves its lines. Whether it
/// moved.
pub async fn sent(
    sd: &Sd,
    (method, group, item): (&str, &str, Value),
    (from, to): (&str, &str),
    moved: &[(&str, i64)],
    model: &mut Stock,
) -> bool {
    let (status, body) = home(sd).set(method, group, json!([item])).await;
    let held = |p: &str| {
        model
            .get(&(from.to_owned(), p.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    if from == to || moved.iter().any(|(p, q)| held(p) < *q) {
        assert_eq!(
            (status, &body["result"]["error"]),
            (400, &json!(1)),
            "{method} {body}"
        );
        return false;
    }
    assert_eq!(status, 200, "{method} {body}");
    for (product, quantity) in moved {
        for (store, signed) in [(from, -quantity), (to, *quantity)] {
            let key = (store.to_owned(), (*product).to_owned());
            *model.entry(key.clone()).or_default() += signed;
            if model[&key] == 0 {
                model.remove(&key);
            }
        }
    }
    true
}

/// A van-sale exchange from `from` to the van at `date` (refused from the van itself).
pub async fn exchange(
    sd: &Sd,
    from: &str,
    date: &str,
    moved: &[(&str, i64)],
    model: &mut Stock,
) -> bool {
    let products: Vec<Value> = moved
        .iter()
        .map(|(p, q)| json!({ "code_1C": p, "quantity": q }))
        .collect();
    let item = json!({ "date": date, "priceType": { "code_1C": "BUY" }, "store": { "code_1C": from },
        "agent": { "code_1C": "VAN" }, "products": products });
    sent(
        sd,
        ("setVsExchange", "vsExchange", item),
        (from, VAN_STORE),
        moved,
        model,
    )
    .await
}

/// A move from `from` to `WH-D` in `FB` at `date`; `ids` gives `from`'s `SD_id`.
pub async fn to_filial(
    sd: &Sd,
    (from, from_id): (&str, &str),
    (date, away_id): (&str, &str),
    moved: &[(&str, i64)],
    model: &mut Stock,
) -> bool {
    let products: Vec<Value> = moved
        .iter()
        .map(|(p, q)| json!({ "code_1C": p, "quantity": q, "price": 7 }))
        .collect();
    let item = json!({ "date": date, "priceType": { "code_1C": "BUY" },
        "storeFrom": { "CS_id": format!("{HOME}-{from_id}") },
        "movingTo": { "filialId": AWAY, "storeTo": { "CS_id": format!("{AWAY}-{away_id}") } },
        "products": products });
    sent(
        sd,
        ("setMovingToFilial", "moving", item),
        (from, AWAY_STORE),
        moved,
        model,
    )
    .await
}
