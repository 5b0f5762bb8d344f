//! What a new Produman account has before any API call: its owner and a cashier, two
//! working cash registers and one switched off, the usual cash-movement categories and a
//! few counterparties. Seeded on the account's first authenticated request, in one
//! transaction, with ids derived from the account (the same account gets the same ids).

use serde_json::{json, Value};
use twin_core::ids::seeded_uuid;
use twin_store::{Batch, Document, Expect, StoreError, Write};

use crate::error::KassaResult;
use crate::request::Ctx;

/// Marks an account as seeded.
const MARKER: &str = "_seeded";

pub const CASHBOX: &str = "cashbox";
pub const EMPLOYEE: &str = "employee";
pub const CASH_MOVEMENT_CATEGORY: &str = "cash_movement_category";
pub const COUNTERPARTY: &str = "counterparty";

/// The operation types a cash register performs; receipts take the action `EXECUTE`.
pub const OPERATION_TYPES: [&str; 18] = [
    "KKT_INFO",
    "X_REPORT",
    "SELL",
    "SHIFT_OPEN",
    "SHIFT_CLOSE",
    "ACQUIRING_REPORT",
    "CASH_IN",
    "CASH_OUT",
    "COPY_RECEIPT",
    "CORRECTION_SELL",
    "CORRECTION_BUY",
    "CORRECTION_SELL_RETURN",
    "CORRECTION_BUY_RETURN",
    "PRINT_SLIP",
    "SET_DATETIME",
    "SELL_RETURN",
    "BUY",
    "BUY_RETURN",
];

pub const TAXATION_SYSTEMS: [&str; 5] =
    ["OSN", "USN_INCOME", "USN_INCOME_OUTCOME", "ESN", "PATENT"];

pub const PAYMENT_METHODS: [&str; 7] = [
    "FULL_PREPAYMENT",
    "PREPAYMENT",
    "ADVANCE",
    "FULL_PAYMENT",
    "PARTIAL_PAYMENT",
    "CREDIT",
    "CREDIT_PAYMENT",
];

pub const PAYMENT_OBJECTS: [&str; 13] = [
    "PRODUCT",
    "EXCISE",
    "JOB",
    "SERVICE",
    "GAMBLING_BET",
    "GAMBLING_PRIZE",
    "LOTTERY",
    "LOTTERY_PRIZE",
    "INTELLECTUAL_ACTIVITY",
    "PAYMENT",
    "AGENT_COMMISSION",
    "COMPOSITE",
    "ANOTHER",
];

fn id(ctx: &Ctx, n: u64) -> String {
    seeded_uuid(ctx.account.number as u64, "kassa-seed", n).to_string()
}

/// A cash register's stored body: its public fields and the simulated device's state
/// (`_shift`: open or closed and its number; `_documents`: the fiscal document counter).
pub fn cashbox(id: &str, name: &str, serial: &str, active: bool) -> Value {
    let operations: Vec<Value> = OPERATION_TYPES
        .iter()
        .map(|kind| {
            let receipt = matches!(
                *kind,
                "SELL" | "SELL_RETURN" | "BUY" | "BUY_RETURN"
            ) || kind.starts_with("CORRECTION_");
            json!({ "operationType": kind, "actionTypes": if receipt { json!(["EXECUTE"]) } else { json!([]) } })
        })
        .collect();
    json!({
        "id": id,
        "name": name,
        "driver": "PRODUMAN",
        "status": if active { "ACTIVE" } else { "INACTIVE" },
        "serialNumber": serial,
        "regNumber": format!("000{}", &serial[3..]),
        "fnNumber": format!("99610012{}", &serial[8..]),
        "ofdInn": "7841465198",
        "ffdVersionKkm": "1.2",
        "lineLength": 48,
        "cashBalance": 0,
        "availableTaxationSystems": ["OSN", "USN_INCOME", "USN_INCOME_OUTCOME", "PATENT"],
        "availablePaymentMethods": PAYMENT_METHODS,
        "availablePaymentObjects": PAYMENT_OBJECTS,
        "availableOperations": operations,
        "availablePaymentSolutions": [
            { "id": 1, "name": "Наличные", "availableInInterface": true, "integrated": true, "fiscalType": "CASH", "original": true },
            { "id": 8, "name": "POS-терминал", "availableInInterface": true, "integrated": true, "fiscalType": "CASHLESS", "original": false }
        ],
        "_shift": { "state": "CLOSED", "number": 0 },
        "_documents": 0,
    })
}

/// Seeds the account once.
pub async fn ensure(ctx: &Ctx) -> KassaResult<()> {
    let store = &ctx.core.store;
    if store
        .get(&ctx.scope.key(MARKER, "v1"))
        .await
        .map_err(twin_core::CoreError::from)?
        .is_some()
    {
        return Ok(());
    }
    let (first, second, off) = (id(ctx, 1), id(ctx, 2), id(ctx, 3));
    let cashboxes = [
        cashbox(&first, "АТОЛ 30Ф Тестовская", "0001222233334455", true),
        cashbox(&second, "АТОЛ 30Ф Складская", "0001222233334466", true),
        cashbox(&off, "Меркурий 185Ф Резервная", "0001222233334477", false),
    ];
    let employees = [
        json!({ "id": id(ctx, 10), "name": "Петров Иван Иванович", "inn": "253714317119", "status": "ACTIVE", "role": "OWNER", "cashboxIds": [first, second, off] }),
        json!({ "id": id(ctx, 11), "name": "Смирнова Анна Сергеевна", "inn": "772012345678", "status": "ACTIVE", "role": "CASHIER", "cashboxIds": [first] }),
        json!({ "id": id(ctx, 12), "name": "Каримов Рустам Алишерович", "inn": "771598765432", "status": "INACTIVE", "role": "CASHIER", "cashboxIds": [] }),
    ];
    let categories = [
        json!({ "id": id(ctx, 20), "name": "Размен", "types": ["IN", "OUT"] }),
        json!({ "id": id(ctx, 21), "name": "Инкассация", "types": ["OUT"] }),
        json!({ "id": id(ctx, 22), "name": "Возврат подотчётных средств", "types": ["IN"] }),
    ];
    let counterparties = [
        json!({ "id": id(ctx, 30), "name": "ООО \"ТЕСТ\"", "phone": "+74952345577", "email": "test@test.ru", "inn": "9704211100", "kpp": "770401001", "legalAddress": "Москва, Тестовская ул, 12", "accounts": [] }),
        json!({ "id": id(ctx, 31), "name": "ИП Сидоров Петр Алексеевич", "phone": "+79161234567", "email": "sidorov@example.ru", "inn": "500100732259", "kpp": null, "legalAddress": "Подольск, Большая Серпуховская ул, 5", "accounts": [] }),
        json!({ "id": id(ctx, 32), "name": "ООО \"Самарканд Трейд\"", "phone": "+998712345678", "email": "info@samtrade.uz", "inn": "7707083893", "kpp": "770701001", "legalAddress": "Москва, Ташкентская ул, 28", "accounts": [] }),
    ];
    let mut batch = Batch::new().write(put(ctx, MARKER, "v1", json!({})));
    for (kind, bodies) in [
        (CASHBOX, &cashboxes[..]),
        (EMPLOYEE, &employees[..]),
        (CASH_MOVEMENT_CATEGORY, &categories[..]),
        (COUNTERPARTY, &counterparties[..]),
    ] {
        for body in bodies {
            let id = body["id"].as_str().unwrap_or_default().to_owned();
            batch = batch.write(put(ctx, kind, &id, body.clone()));
        }
    }
    match store.apply(batch).await {
        // Another request seeding at the same moment is fine: its seed is the same.
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(error) => Err(twin_core::CoreError::from(error).into()),
    }
}

fn put(ctx: &Ctx, kind: &str, id: &str, body: Value) -> Write {
    Write::Put {
        doc: Document::new(ctx.scope.key(kind, id), body),
        expect: Expect::Absent,
    }
}
