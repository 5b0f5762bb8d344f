//! What the catalog tests (orders, nomenclature, async operations, golden cases) look up
//! in a fresh account: its seeded employees, cash registers and counterparties.

use serde_json::Value;

use super::{ids, Kassa};

/// The seeded reference lists of an account, by role.
pub struct Seeded {
    /// The owner: an active employee.
    pub owner: String,
    /// An active cashier.
    pub cashier: String,
    /// A cashier who left (INACTIVE).
    pub inactive: String,
    pub cashboxes: Vec<String>,
    pub counterparties: Vec<Value>,
}

impl Seeded {
    pub async fn of(kassa: &Kassa) -> Self {
        let (status, employees) = kassa.get("/employees").await;
        assert_eq!(status, 200, "{employees}");
        let find = |role: &str, state: &str| {
            employees["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["role"] == role && e["status"] == state)
                .and_then(|e| e["id"].as_str())
                .unwrap_or_else(|| panic!("{role} {state} in {employees}"))
                .to_owned()
        };
        let (owner, cashier, inactive) = (
            find("OWNER", "ACTIVE"),
            find("CASHIER", "ACTIVE"),
            find("CASHIER", "INACTIVE"),
        );
        let (_, cashboxes) = kassa.get("/cashboxes").await;
        let (_, counterparties) = kassa.get("/counterparties").await;
        Self {
            owner,
            cashier,
            inactive,
            cashboxes: ids(&cashboxes),
            counterparties: counterparties["items"].as_array().unwrap().clone(),
        }
    }
}

/// The id of a created record.
pub fn id_of(body: &Value) -> String {
    body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("id in {body}"))
        .to_owned()
}
