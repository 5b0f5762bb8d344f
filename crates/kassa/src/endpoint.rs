//! Every operation of the Produman.Kassa API (seed 002), on the paths the vendor's PHP
//! client calls (`/v1/<action>`). The variant names the operation in the request log and
//! metrics, and carries its rate-limit weight.

use axum::http::Method;
use twin_http::Endpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KassaEndpoint {
    IntegrationConnect,
    IntegrationGet,
    IntegrationDeactivate,
    CashboxList,
    CashboxGet,
    CounterpartyList,
    EmployeeList,
    CashMovementCategoryList,
    OperationList,
    OperationCreate,
    OperationGet,
    OperationRetry,
    CashMovementEdit,
    OrderList,
    OrderCreate,
    OrderGet,
    OrderUpdate,
    OrderDelete,
    WebhookEndpointList,
    WebhookEndpointCreate,
    WebhookEndpointGet,
    WebhookEndpointUpdate,
    WebhookEndpointDelete,
    WebhookEndpointTest,
    AsyncOperationList,
    AsyncOperationCreate,
    AsyncOperationGet,
    ProductCategoryList,
    ProductCategoryCreate,
    ProductCategoryGet,
    ProductCategoryUpdate,
    ProductCategoryDelete,
    ProductList,
    ProductCreate,
    ProductGet,
    ProductUpdate,
    ProductDelete,
}

impl Endpoint for KassaEndpoint {
    fn name(self) -> &'static str {
        match self {
            Self::IntegrationConnect => "integrations.connect",
            Self::IntegrationGet => "integrations.get",
            Self::IntegrationDeactivate => "integrations.deactivate",
            Self::CashboxList => "cashboxes.list",
            Self::CashboxGet => "cashboxes.get",
            Self::CounterpartyList => "counterparties.list",
            Self::EmployeeList => "employees.list",
            Self::CashMovementCategoryList => "cash-movement-categories.list",
            Self::OperationList => "operations.list",
            Self::OperationCreate => "operations.create",
            Self::OperationGet => "operations.get",
            Self::OperationRetry => "operations.retry",
            Self::CashMovementEdit => "operations.cash-movement.edit",
            Self::OrderList => "orders.list",
            Self::OrderCreate => "orders.create",
            Self::OrderGet => "orders.get",
            Self::OrderUpdate => "orders.update",
            Self::OrderDelete => "orders.delete",
            Self::WebhookEndpointList => "application-webhooks.endpoints.list",
            Self::WebhookEndpointCreate => "application-webhooks.endpoints.create",
            Self::WebhookEndpointGet => "application-webhooks.endpoints.get",
            Self::WebhookEndpointUpdate => "application-webhooks.endpoints.update",
            Self::WebhookEndpointDelete => "application-webhooks.endpoints.delete",
            Self::WebhookEndpointTest => "application-webhooks.test",
            Self::AsyncOperationList => "async-operations.list",
            Self::AsyncOperationCreate => "async-operations.create",
            Self::AsyncOperationGet => "async-operations.get",
            Self::ProductCategoryList => "product-categories.list",
            Self::ProductCategoryCreate => "product-categories.create",
            Self::ProductCategoryGet => "product-categories.get",
            Self::ProductCategoryUpdate => "product-categories.update",
            Self::ProductCategoryDelete => "product-categories.delete",
            Self::ProductList => "products.list",
            Self::ProductCreate => "products.create",
            Self::ProductGet => "products.get",
            Self::ProductUpdate => "products.update",
            Self::ProductDelete => "products.delete",
        }
    }
}

/// What a method and a path below `/v1` name.
#[derive(Debug, PartialEq, Eq)]
pub enum Routed<'a> {
    /// The operation and the id the path carries, if any.
    Found(KassaEndpoint, Option<&'a str>),
    /// A known path asked with a method it does not take.
    WrongMethod,
    Unknown,
}

impl KassaEndpoint {
    /// Requests each call counts as in the sliding window: the seed names the heavy ones.
    pub fn weight(self) -> u64 {
        match self {
            Self::OperationList | Self::OperationGet | Self::CashboxList | Self::CashboxGet => 15,
            Self::WebhookEndpointTest => 30,
            _ => 1,
        }
    }

    /// Routes `segments` (the path after `/v1`, split on `/`).
    pub fn route<'a>(method: &Method, segments: &[&'a str]) -> Routed<'a> {
        use KassaEndpoint as E;
        let by_method = |pairs: &[(Method, KassaEndpoint)], id: Option<&'a str>| {
            pairs
                .iter()
                .find(|(m, _)| m == method)
                .map_or(Routed::WrongMethod, |(_, endpoint)| {
                    Routed::Found(*endpoint, id)
                })
        };
        let collection = |list: E, create: E| [(Method::GET, list), (Method::POST, create)];
        let item = |get: E, update: E, delete: E| {
            [
                (Method::GET, get),
                (Method::PUT, update),
                (Method::DELETE, delete),
            ]
        };
        match segments {
            ["integrations", "connect"] => {
                by_method(&[(Method::POST, E::IntegrationConnect)], None)
            }
            ["integrations", id] => by_method(
                &[
                    (Method::GET, E::IntegrationGet),
                    (Method::DELETE, E::IntegrationDeactivate),
                ],
                Some(id),
            ),
            ["cashboxes"] => by_method(&[(Method::GET, E::CashboxList)], None),
            ["cashboxes", id] => by_method(&[(Method::GET, E::CashboxGet)], Some(id)),
            ["counterparties"] => by_method(&[(Method::GET, E::CounterpartyList)], None),
            ["employees"] => by_method(&[(Method::GET, E::EmployeeList)], None),
            ["cash-movement-categories"] => {
                by_method(&[(Method::GET, E::CashMovementCategoryList)], None)
            }
            ["operations"] => by_method(&collection(E::OperationList, E::OperationCreate), None),
            ["operations", "cash-movement", id] => {
                by_method(&[(Method::PATCH, E::CashMovementEdit)], Some(id))
            }
            ["operations", id] => by_method(&[(Method::GET, E::OperationGet)], Some(id)),
            ["operations", id, "retry"] => {
                by_method(&[(Method::POST, E::OperationRetry)], Some(id))
            }
            ["orders"] => by_method(&collection(E::OrderList, E::OrderCreate), None),
            ["orders", id] => {
                by_method(&item(E::OrderGet, E::OrderUpdate, E::OrderDelete), Some(id))
            }
            ["application-webhooks", "endpoints"] => by_method(
                &collection(E::WebhookEndpointList, E::WebhookEndpointCreate),
                None,
            ),
            ["application-webhooks", "endpoints", id] => by_method(
                &item(
                    E::WebhookEndpointGet,
                    E::WebhookEndpointUpdate,
                    E::WebhookEndpointDelete,
                ),
                Some(id),
            ),
            ["application-webhooks", "test"] => {
                by_method(&[(Method::POST, E::WebhookEndpointTest)], None)
            }
            ["async-operations"] => by_method(
                &collection(E::AsyncOperationList, E::AsyncOperationCreate),
                None,
            ),
            ["async-operations", id] => by_method(&[(Method::GET, E::AsyncOperationGet)], Some(id)),
            ["product-categories"] => by_method(
                &collection(E::ProductCategoryList, E::ProductCategoryCreate),
                None,
            ),
            ["product-categories", id] => by_method(
                &item(
                    E::ProductCategoryGet,
                    E::ProductCategoryUpdate,
                    E::ProductCategoryDelete,
                ),
                Some(id),
            ),
            ["products"] => by_method(&collection(E::ProductList, E::ProductCreate), None),
            ["products", id] => by_method(
                &item(E::ProductGet, E::ProductUpdate, E::ProductDelete),
                Some(id),
            ),
            _ => Routed::Unknown,
        }
    }
}
