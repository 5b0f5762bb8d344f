//! Stock set through the admin API, the short stock reports, and `GET /entity/assortment`
//! with its filters, grouping and the beta variant without stock.

use reqwest::Method;
use serde_json::{json, Value};

use super::{code, read, Ms};

/// A catalogue: two warehouses, a folder tree, goods of every type.
struct Catalog {
    ms: Ms,
    main_store: String,
    second_store: String,
    outer: String,
    inner: String,
    /// In `outer`: a weighed product with a minimum balance, one variant, a supplier.
    shirt: String,
    variant: String,
    /// In `inner`, with an article and a barcode.
    jeans: String,
    /// No folder.
    socks: String,
    service: String,
    bundle: String,
    supplier: String,
}

fn meta(ms: &Ms, keyword: &str, id: &str) -> Value {
    json!({ "meta": { "href": ms.href(&format!("/entity/{keyword}/{id}")), "type": keyword, "mediaType": "application/json" } })
}

async fn created(ms: &Ms, keyword: &str, body: Value) -> String {
    let (status, answer) = ms.post(&format!("/entity/{keyword}"), body).await;
    assert_eq!(status, 200, "create {keyword}: {answer}");
    answer["id"].as_str().expect("id").to_owned()
}

impl Catalog {
    async fn new() -> Self {
        let ms = Ms::new().await;
        let (_, stores) = ms.get("/entity/store").await;
        let main_store = stores["rows"][0]["id"]
            .as_str()
            .expect("seeded store")
            .to_owned();
        let second_store = created(&ms, "store", json!({"name": "Второй склад"})).await;
        let outer = created(&ms, "productfolder", json!({"name": "Одежда"})).await;
        let inner = created(
            &ms,
            "productfolder",
            json!({"name": "Брюки", "productFolder": meta(&ms, "productfolder", &outer)}),
        )
        .await;
        let supplier = created(&ms, "counterparty", json!({"name": "ООО Поставщик"})).await;
        let shirt = created(
            &ms,
            "product",
            json!({"name": "Рубашка", "productFolder": meta(&ms, "productfolder", &outer),
                   "weighed": true, "minimumBalance": 20, "supplier": meta(&ms, "counterparty", &supplier),
                   "alcoholic": {"type": 200}}),
        )
        .await;
        let jeans = created(
            &ms,
            "product",
            json!({"name": "Джинсы", "article": "J-501", "productFolder": meta(&ms, "productfolder", &inner),
                   "barcodes": [{"ean13": "4600000000017"}]}),
        )
        .await;
        let socks = created(&ms, "product", json!({"name": "Носки"})).await;
        let (status, characteristic) = ms
            .post(
                "/entity/variant/metadata/characteristics",
                json!({"name": "Цвет", "type": "string"}),
            )
            .await;
        assert_eq!(status, 200, "characteristic: {characteristic}");
        let variant = created(
            &ms,
            "variant",
            json!({"product": meta(&ms, "product", &shirt),
                   "characteristics": [{"id": characteristic["id"], "value": "синий"}]}),
        )
        .await;
        let service = created(&ms, "service", json!({"name": "Доставка"})).await;
        let bundle = created(
            &ms,
            "bundle",
            json!({"name": "Комплект", "components": [{"assortment": meta(&ms, "product", &socks), "quantity": 2}]}),
        )
        .await;
        Self {
            ms,
            main_store,
            second_store,
            outer,
            inner,
            shirt,
            variant,
            jeans,
            socks,
            service,
            bundle,
            supplier,
        }
    }

    async fn set_stock(&self, lines: Value) -> (u16, Value) {
        read(
            self.ms
                .app
                .admin(
                    Method::PUT,
                    &format!("/accounts/{}/moysklad/stock", self.ms.account),
                )
                .json(&lines)
                .send()
                .await
                .expect("admin request"),
        )
        .await
    }

    /// The assortment with `query`, as `id -> row`, in order.
    async fn rows(&self, query: &str) -> Vec<Value> {
        let (status, body) = self.ms.get(&format!("/entity/assortment?{query}")).await;
        assert_eq!(status, 200, "assortment?{query}: {body}");
        body["rows"].as_array().expect("rows").clone()
    }

    async fn ids(&self, query: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .rows(query)
            .await
            .iter()
            .map(|row| row["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        ids
    }

    fn sorted(&self, ids: &[&String]) -> Vec<String> {
        let mut ids: Vec<String> = ids.iter().map(|id| (*id).clone()).collect();
        ids.sort();
        ids
    }

    fn store_href(&self, id: &str) -> String {
        self.ms.href(&format!("/entity/store/{id}"))
    }

    fn folder_href(&self, id: &str) -> String {
        self.ms.href(&format!("/entity/productfolder/{id}"))
    }

    /// Shirt: 10 at the main store from 2026-01-01 (reserve 2, in transit 5), 3 at the
    /// second from 2026-02-01; the variant −1 at the main store; jeans 0 set explicitly.
    async fn stock_up(&self) {
        let (status, lines) = self
            .set_stock(json!([
                {"assortment": self.shirt, "store": self.main_store, "stock": 10, "reserve": 2, "inTransit": 5, "moment": "2026-01-01 00:00:00"},
                {"assortment": self.ms.href(&format!("/entity/product/{}", self.shirt)), "store": self.store_href(&self.second_store), "stock": 3, "moment": "2026-02-01 00:00:00"},
                {"assortment": self.variant, "store": self.main_store, "stock": -1, "moment": "2026-01-01 00:00:00"},
                {"assortment": self.jeans, "store": self.main_store, "stock": 0, "moment": "2026-01-01 00:00:00"},
            ]))
            .await;
        assert_eq!(status, 200, "set stock: {lines}");
        assert_eq!(lines.as_array().map(Vec::len), Some(4), "{lines}");
    }
}

fn row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|row| row["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn levels(row: &Value) -> [f64; 4] {
    ["stock", "reserve", "inTransit", "quantity"].map(|f| row[f].as_f64().unwrap_or(f64::NAN))
}

#[tokio::test]
async fn assortment_lists_every_good_with_stock_at_a_moment_and_stores() {
    let c = Catalog::new().await;
    c.stock_up().await;
    let rows = c.rows("").await;
    assert_eq!(rows.len(), 6, "products, variant, service, bundle");
    let shirt = row(&rows, &c.shirt);
    assert_eq!(shirt["meta"]["type"], "product");
    assert_eq!(shirt["name"], "Рубашка");
    assert_eq!(levels(shirt), [13.0, 2.0, 5.0, 16.0], "both stores, now");
    assert_eq!(levels(row(&rows, &c.variant))[0], -1.0);
    assert_eq!(levels(row(&rows, &c.socks)), [0.0; 4], "never stocked");
    for id in [&c.service, &c.bundle] {
        let good = row(&rows, id);
        assert!(good.get("stock").is_none(), "no stock fields: {good}");
        assert!(good.get("quantity").is_none());
    }
    assert_eq!(row(&rows, &c.bundle)["meta"]["type"], "bundle");

    let january = c.rows("filter=stockMoment=2026-01-15 00:00:00").await;
    assert_eq!(levels(row(&january, &c.shirt)), [10.0, 2.0, 5.0, 13.0]);
    let before = c.rows("stockMoment=2025-12-31 23:59:59").await;
    assert_eq!(
        levels(row(&before, &c.shirt)),
        [0.0; 4],
        "top-level parameter"
    );

    let second = c
        .rows(&format!(
            "filter=stockStore={}",
            c.store_href(&c.second_store)
        ))
        .await;
    assert_eq!(levels(row(&second, &c.shirt)), [3.0, 0.0, 0.0, 3.0]);
    assert_eq!(levels(row(&second, &c.variant))[0], 0.0);
    let not_main = c
        .rows(&format!(
            "filter=stockStore!={}",
            c.store_href(&c.main_store)
        ))
        .await;
    assert_eq!(levels(row(&not_main, &c.shirt))[0], 3.0);

    let (_, body) = c.ms.get("/entity/assortment?limit=2&offset=1").await;
    assert_eq!(body["meta"]["size"], 6);
    assert_eq!(body["meta"]["type"], "assortment");
    assert!(body["meta"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/entity/assortment?limit=2&offset=1"));
    assert_eq!(body["rows"].as_array().map(Vec::len), Some(2));
    assert!(body["meta"]["nextHref"].is_string());
}

#[tokio::test]
async fn stock_and_quantity_modes_leave_out_services_and_bundles() {
    let c = Catalog::new().await;
    c.stock_up().await;
    let modes = [
        ("stockMode=positiveOnly", vec![&c.shirt]),
        ("stockMode=negativeOnly", vec![&c.variant]),
        ("stockMode=nonEmpty", vec![&c.shirt, &c.variant]),
        ("stockMode=empty", vec![&c.jeans, &c.socks]),
        // 13 is under the shirt's minimum of 20; the variant's −1 is under 0.
        ("stockMode=underMinimum", vec![&c.shirt, &c.variant]),
        ("quantityMode=positiveOnly", vec![&c.shirt]),
        (
            "stockMode=all",
            vec![
                &c.shirt, &c.jeans, &c.socks, &c.variant, &c.service, &c.bundle,
            ],
        ),
    ];
    for (filter, expected) in modes {
        assert_eq!(
            c.ids(&format!("filter={filter}")).await,
            c.sorted(&expected),
            "{filter}"
        );
    }
    assert_eq!(
        c.ids("stockMode=positiveOnly&filter=stockMoment=2025-06-01 00:00:00")
            .await,
        Vec::<String>::new(),
        "nothing was in stock before January"
    );
    // A reserve larger than the stock makes the quantity negative.
    let (status, _) = c
        .set_stock(json!({"assortment": c.jeans, "store": c.main_store, "stock": 1, "reserve": 4}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        c.ids("filter=quantityMode=negativeOnly").await,
        c.sorted(&[&c.jeans, &c.variant])
    );
    let (status, body) = c.ms.get("/entity/assortment?filter=stockMode=lots").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), 1034);
}

#[tokio::test]
async fn folder_filters_include_sub_folders_unless_told_not_to() {
    let c = Catalog::new().await;
    let outer = c.folder_href(&c.outer);
    let inner = c.folder_href(&c.inner);
    assert_eq!(
        c.ids(&format!("filter=productFolder={outer}")).await,
        c.sorted(&[&c.shirt, &c.variant, &c.jeans]),
        "the variant follows its product's folder"
    );
    assert_eq!(
        c.ids(&format!(
            "filter=productFolder={outer};withSubFolders=false"
        ))
        .await,
        c.sorted(&[&c.shirt, &c.variant])
    );
    assert_eq!(
        c.ids(&format!("filter=productFolder={inner}")).await,
        c.sorted(&[&c.jeans])
    );
    assert_eq!(
        c.ids(&format!("filter=productFolder!={outer}")).await,
        c.sorted(&[&c.socks, &c.service, &c.bundle])
    );
    assert_eq!(
        c.ids("filter=pathname~Брюки").await,
        c.sorted(&[&c.jeans]),
        "lower-case pathname as the seed spells it"
    );
}

#[tokio::test]
async fn type_group_barcode_search_supplier_and_flags() {
    let c = Catalog::new().await;
    let cases = [
        (
            "groupBy=product",
            vec![&c.shirt, &c.jeans, &c.socks, &c.service, &c.bundle],
        ),
        (
            "filter=type=service;type=bundle",
            vec![&c.service, &c.bundle],
        ),
        ("filter=type=variant", vec![&c.variant]),
        ("filter=barcode=4600000000017", vec![&c.jeans]),
        ("filter=search=J-50", vec![&c.jeans]),
        ("filter=search=4600000000017", vec![&c.jeans]),
        ("search=рубаш", vec![&c.shirt, &c.variant]),
        ("filter=weighed=true", vec![&c.shirt]),
        ("filter=alcoholic.type=200", vec![&c.shirt]),
        ("filter=article=J-501", vec![&c.jeans]),
        ("filter=name=Носки", vec![&c.socks]),
    ];
    for (query, expected) in cases {
        assert_eq!(c.ids(query).await, c.sorted(&expected), "{query}");
    }
    let supplier = c.ms.href(&format!("/entity/counterparty/{}", c.supplier));
    assert_eq!(
        c.ids(&format!("filter=supplier={supplier}")).await,
        c.sorted(&[&c.shirt])
    );
    assert_eq!(
        c.ids("filter=updatedBy=nobody@nowhere").await,
        Vec::<String>::new()
    );
    assert_eq!(
        c.ids(&format!("filter=updatedBy={}", c.ms.login))
            .await
            .len(),
        6
    );
    assert_eq!(c.ids("filter=updated>2000-01-01 00:00:00").await.len(), 6);

    let ordered = c.rows("order=name,desc&filter=type=product").await;
    let names: Vec<&str> = ordered
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Рубашка", "Носки", "Джинсы"]);

    // Archived goods are hidden unless asked for.
    let (status, _) =
        c.ms.put(
            &format!("/entity/product/{}", c.socks),
            json!({"archived": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(!c.ids("").await.contains(&c.socks));
    assert!(c
        .ids("filter=archived=true;archived=false")
        .await
        .contains(&c.socks));

    let (status, body) = c.ms.get("/entity/assortment?filter=type=consignment").await;
    assert_eq!(status, 400, "consignments need groupBy=consignment: {body}");
    let (status, body) = c.ms.get("/entity/assortment?groupBy=everything").await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn consignments_appear_only_when_grouped_by_them() {
    let c = Catalog::new().await;
    let consignment = created(
        &c.ms,
        "consignment",
        json!({"assortment": meta(&c.ms, "product", &c.jeans), "label": "Партия 1"}),
    )
    .await;
    assert!(!c.ids("").await.contains(&consignment));
    let grouped = c.rows("groupBy=consignment").await;
    let row = row(&grouped, &consignment);
    assert_eq!(row["meta"]["type"], "consignment");
    assert_eq!(row["stock"], 0.0);
    assert_eq!(
        c.ids(&format!(
            "groupBy=consignment&filter=productFolder={}",
            c.folder_href(&c.inner)
        ))
        .await,
        c.sorted(&[&c.jeans, &consignment])
    );
}

#[tokio::test]
async fn beta_list_has_no_stock_and_refuses_stock_filters() {
    let c = Catalog::new().await;
    c.stock_up().await;
    let beta = |query: &str| {
        c.ms.request(Method::GET, &format!("/entity/assortment?{query}"))
            .header("X-Lognex-Remap-Beta-Feature", "assortmentWithoutStock")
    };
    let (status, body) = read(beta("").send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let shirt = row(body["rows"].as_array().unwrap(), &c.shirt);
    assert!(shirt.get("stock").is_none(), "{shirt}");
    let (status, body) = read(beta("filter=stockMode=positiveOnly").send().await.unwrap()).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn assortment_mass_delete_removes_goods_of_any_type() {
    let c = Catalog::new().await;
    let (status, body) =
        c.ms.post(
            "/entity/assortment/delete",
            json!([
                meta(&c.ms, "service", &c.service),
                meta(&c.ms, "product", &c.jeans),
                meta(&c.ms, "store", &c.main_store)
            ]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body[0]["info"],
        format!("Сущность 'service' с UUID: {} успешно удалена", c.service)
    );
    assert!(
        body[2]["errors"].is_array(),
        "a store is not a good: {body}"
    );
    let (status, _) = c.ms.get(&format!("/entity/service/{}", c.service)).await;
    assert_eq!(status, 404);
    let remaining = c.ids("").await;
    assert!(!remaining.contains(&c.jeans) && remaining.contains(&c.shirt));
}

#[tokio::test]
async fn short_stock_reports_sum_filter_and_show_changes() {
    let c = Catalog::new().await;
    c.stock_up().await;
    let report = |path: &str| {
        let ms = &c.ms;
        let path = path.to_owned();
        async move {
            let (status, body) = ms.get(&path).await;
            assert_eq!(status, 200, "{path}: {body}");
            body.as_array().expect("array").clone()
        }
    };
    let all = report("/report/stock/all/current").await;
    assert!(
        all.contains(&json!({"assortmentId": c.shirt, "stock": 13.0})),
        "{all:?}"
    );
    assert!(all.contains(&json!({"assortmentId": c.variant, "stock": -1.0})));
    assert!(
        !all.iter().any(|l| l["assortmentId"] == c.jeans),
        "zero lines left out"
    );
    let zero = report("/report/stock/all/current?include=zeroLines").await;
    assert!(zero.contains(&json!({"assortmentId": c.jeans, "stock": 0.0})));
    let quantity = report("/report/stock/all/current?stockType=quantity").await;
    assert!(quantity.contains(&json!({"assortmentId": c.shirt, "quantity": 16.0})));
    let by_store = report("/report/stock/bystore/current").await;
    assert!(by_store
        .contains(&json!({"assortmentId": c.shirt, "storeId": c.second_store, "stock": 3.0})));
    assert!(by_store
        .contains(&json!({"assortmentId": c.shirt, "storeId": c.main_store, "stock": 10.0})));
    let filtered = report(&format!(
        "/report/stock/bystore/current?filter=assortmentId={};storeId={}",
        c.shirt, c.second_store
    ))
    .await;
    assert_eq!(
        filtered,
        [json!({"assortmentId": c.shirt, "storeId": c.second_store, "stock": 3.0})]
    );
    let (status, body) = c.ms.get("/report/stock/all/current?stockType=weight").await;
    assert_eq!(status, 400, "{body}");

    // Only what changed after a moment, zero lines included.
    let (_, now) = c.ms.get("/context/employee").await;
    let since = now["updated"].as_str().unwrap().to_owned();
    let clock =
        c.ms.app
            .clock(&c.ms.account, json!({"action": "advance", "seconds": 3600}))
            .await;
    assert!(clock.is_object(), "{clock}");
    let (status, _) = c
        .set_stock(json!({"assortment": c.shirt, "store": c.main_store, "stock": 0}))
        .await;
    assert_eq!(status, 200);
    let later = chrono_later(&since);
    let changed = report(&format!(
        "/report/stock/bystore/current?changedSince={}",
        later.replace(' ', "%20")
    ))
    .await;
    assert_eq!(
        changed,
        [json!({"assortmentId": c.shirt, "storeId": c.main_store, "stock": 0.0})],
        "only the line set after the clock moved"
    );
}

/// A MoySklad time 30 minutes after `time` (`YYYY-MM-DD HH:MM:SS[.mmm]`).
fn chrono_later(time: &str) -> String {
    let parsed = chrono::NaiveDateTime::parse_from_str(&time[..19], "%Y-%m-%d %H:%M:%S")
        .expect("MoySklad time");
    (parsed + chrono::Duration::minutes(30))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[tokio::test]
async fn admin_stock_refuses_what_cannot_hold_stock() {
    let c = Catalog::new().await;
    let (status, body) = c
        .set_stock(json!({"assortment": c.service, "store": c.main_store, "stock": 1}))
        .await;
    assert_eq!(status, 404, "services hold no stock: {body}");
    let (status, _) = c
        .set_stock(json!({"assortment": c.shirt, "store": c.shirt, "stock": 1}))
        .await;
    assert_eq!(status, 404, "not a warehouse");
    let (status, _) = c
        .set_stock(json!({"assortment": c.shirt, "store": c.main_store, "stock": "many"}))
        .await;
    assert_eq!(status, 400);
    let (status, _) = c.set_stock(json!([{"assortment": c.shirt}])).await;
    assert_eq!(status, 400, "store is required");
    // A failed batch sets nothing.
    let (status, _) = c
        .set_stock(json!([
            {"assortment": c.shirt, "store": c.main_store, "stock": 5},
            {"assortment": c.service, "store": c.main_store, "stock": 5},
        ]))
        .await;
    assert_eq!(status, 404);
    assert_eq!(levels(row(&c.rows("").await, &c.shirt))[0], 0.0);
    // Another account cannot be reached with these ids.
    let other = Ms::new().await;
    let (status, _) = read(
        other
            .app
            .admin(
                Method::PUT,
                &format!("/accounts/{}/moysklad/stock", other.account),
            )
            .json(&json!({"assortment": c.shirt, "store": c.main_store, "stock": 5}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
}
