//! Every method of RetailCRM API v5: the 97 of seed 003 and the companions its clients
//! call (ENDPOINTS.md), each with its HTTP method, its path below `/api` and the
//! permission the seed names. The table is the coverage checklist, the request-log label
//! and the router in one.

use axum::http::Method;
use twin_http::Endpoint;

/// Declares the enum and its table from `Variant: METHOD "path" permission;` lines.
macro_rules! endpoints {
    ($($variant:ident: $method:ident $path:literal $permission:expr;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum RetailEndpoint {
            $($variant,)*
        }

        impl RetailEndpoint {
            /// The whole surface, in the seed's order, then the companions.
            pub const ALL: &'static [RetailEndpoint] = &[$(Self::$variant,)*];

            /// The HTTP method, the path template below `/api` and the permission.
            pub fn spec(self) -> (Method, &'static str, Option<&'static str>) {
                match self {
                    $(Self::$variant => (Method::$method, $path, $permission),)*
                }
            }
        }
    };
}

endpoints! {
    ApiVersions: GET "/api-versions" None;
    Credentials: GET "/credentials" None;
    CostsList: GET "/v5/costs" Some("cost_read");
    CustomFieldsCreate: POST "/v5/custom-fields/{entity}/create" Some("custom_fields_write");
    CustomersList: GET "/v5/customers" Some("customer_read");
    CustomersCombine: POST "/v5/customers/combine" Some("customer_write");
    CustomersFixExternalIds: POST "/v5/customers/fix-external-ids" Some("customer_write");
    CustomersHistory: GET "/v5/customers/history" Some("customer_read");
    CustomersGet: GET "/v5/customers/{externalId}" Some("customer_read");
    CustomersEdit: POST "/v5/customers/{externalId}/edit" Some("customer_write");
    CustomersSubscriptions: POST "/v5/customers/{externalId}/subscriptions" Some("customer_write");
    CustomersCorporateList: GET "/v5/customers-corporate" Some("customer_read");
    CustomersCorporateCombine: POST "/v5/customers-corporate/combine" Some("customer_write");
    CustomersCorporateCreate: POST "/v5/customers-corporate/create" Some("customer_write");
    CustomersCorporateFixExternalIds: POST "/v5/customers-corporate/fix-external-ids" Some("customer_write");
    CustomersCorporateHistory: GET "/v5/customers-corporate/history" Some("customer_read");
    CustomersCorporateNotesCreate: POST "/v5/customers-corporate/notes/create" Some("customer_write");
    CustomersCorporateGet: GET "/v5/customers-corporate/{externalId}" Some("customer_read");
    CustomersCorporateAddressesList: GET "/v5/customers-corporate/{externalId}/addresses" Some("customer_read");
    CustomersCorporateAddressesCreate: POST "/v5/customers-corporate/{externalId}/addresses/create" Some("customer_write");
    CustomersCorporateAddressesEdit: POST "/v5/customers-corporate/{externalId}/addresses/{entityExternalId}/edit" Some("customer_write");
    CustomersCorporateCompaniesList: GET "/v5/customers-corporate/{externalId}/companies" Some("customer_read");
    CustomersCorporateCompaniesCreate: POST "/v5/customers-corporate/{externalId}/companies/create" Some("customer_write");
    CustomersCorporateCompaniesEdit: POST "/v5/customers-corporate/{externalId}/companies/{entityExternalId}/edit" Some("customer_write");
    CustomersCorporateContactsList: GET "/v5/customers-corporate/{externalId}/contacts" Some("customer_read");
    CustomersCorporateContactsCreate: POST "/v5/customers-corporate/{externalId}/contacts/create" Some("customer_write");
    CustomersCorporateContactsEdit: POST "/v5/customers-corporate/{externalId}/contacts/{entityExternalId}/edit" Some("customer_write");
    CustomersCorporateEdit: POST "/v5/customers-corporate/{externalId}/edit" Some("customer_write");
    CustomerInteractionCartClear: POST "/v5/customer-interaction/{site}/cart/clear" Some("customer_interaction_write");
    CustomerInteractionCartSet: POST "/v5/customer-interaction/{site}/cart/set" Some("customer_interaction_write");
    CustomerInteractionCartGet: GET "/v5/customer-interaction/{site}/cart/{customerId}" Some("customer_interaction_read");
    CustomerInteractionFavoritesGet: GET "/v5/customer-interaction/{site}/favorites/{customerId}" Some("customer_interaction_read");
    CustomerInteractionFavoritesAdd: POST "/v5/customer-interaction/{site}/favorites/{customerId}/add" Some("customer_interaction_write");
    CustomerInteractionFavoritesRemove: POST "/v5/customer-interaction/{site}/favorites/{customerId}/remove" Some("customer_interaction_write");
    DeliveryCalculate: POST "/v5/delivery/calculate" None;
    DeliveryGenericTracking: POST "/v5/delivery/generic/{subcode}/tracking" None;
    DeliveryShipmentsList: GET "/v5/delivery/shipments" Some("delivery_read");
    DeliveryShipmentsCreate: POST "/v5/delivery/shipments/create" Some("delivery_write");
    DeliveryShipmentsGet: GET "/v5/delivery/shipments/{id}" Some("delivery_read");
    DeliveryShipmentsEdit: POST "/v5/delivery/shipments/{id}/edit" Some("delivery_write");
    FilesUpload: POST "/v5/files/upload" Some("file_write");
    IntegrationModulesEdit: POST "/v5/integration-modules/{code}/edit" Some("integration_write");
    IntegrationModulesUpdateScopes: POST "/v5/integration-modules/{code}/update-scopes" Some("integration_write");
    LoyaltyAccountCreate: POST "/v5/loyalty/account/create" Some("loyalty_write");
    LoyaltyAccountGet: GET "/v5/loyalty/account/{id}" Some("loyalty_read");
    LoyaltyAccountActivate: POST "/v5/loyalty/account/{id}/activate" Some("loyalty_write");
    LoyaltyAccountBonusCharge: POST "/v5/loyalty/account/{id}/bonus/charge" Some("loyalty_write");
    LoyaltyAccountBonusCredit: POST "/v5/loyalty/account/{id}/bonus/credit" Some("loyalty_write");
    LoyaltyAccountBonusOperations: GET "/v5/loyalty/account/{id}/bonus/operations" Some("loyalty_read");
    LoyaltyAccountBonusDetails: GET "/v5/loyalty/account/{id}/bonus/{status}/details" Some("loyalty_read");
    LoyaltyBonusOperations: GET "/v5/loyalty/bonus/operations" Some("loyalty_read");
    LoyaltyCalculate: POST "/v5/loyalty/calculate" Some("loyalty_read");
    LoyaltyLoyaltiesList: GET "/v5/loyalty/loyalties" Some("loyalty_read");
    NotificationsSend: POST "/v5/notifications/send" Some("notification_write");
    OrdersList: GET "/v5/orders" Some("order_read");
    OrdersFixExternalIds: POST "/v5/orders/fix-external-ids" Some("order_write");
    OrdersHistory: GET "/v5/orders/history" Some("order_read");
    OrdersLoyaltyApply: POST "/v5/orders/loyalty/apply" Some("order_write");
    OrdersLoyaltyCancelBonusOperations: POST "/v5/orders/loyalty/cancel-bonus-operations" Some("order_write");
    OrdersPaymentsCreate: POST "/v5/orders/payments/create" Some("order_write");
    OrdersGet: GET "/v5/orders/{externalId}" Some("order_read");
    OrdersDeliveryCancel: POST "/v5/orders/{externalId}/delivery/cancel" Some("order_write");
    OrdersEdit: POST "/v5/orders/{externalId}/edit" Some("order_write");
    OrdersPlatesPrint: GET "/v5/orders/{externalId}/plates/{plateId}/print" Some("order_read");
    PaymentCreateInvoice: POST "/v5/payment/create-invoice" Some("payments_write");
    PaymentInvoiceImport: POST "/v5/payment/invoice/import" Some("payments_write");
    PaymentUpdateInvoice: POST "/v5/payment/update-invoice" Some("payments_write");
    ReferenceCostGroupsList: GET "/v5/reference/cost-groups" Some("reference_read");
    ReferenceCostItemsEdit: POST "/v5/reference/cost-items/{code}/edit" Some("reference_write");
    ReferenceCurrenciesList: GET "/v5/reference/currencies" Some("reference_read");
    ReferenceCurrenciesCreate: POST "/v5/reference/currencies/create" Some("reference_write");
    ReferenceCurrenciesEdit: POST "/v5/reference/currencies/{id}/edit" Some("reference_write");
    ReferenceDeliveryTypesEdit: POST "/v5/reference/delivery-types/{code}/edit" Some("reference_write");
    StoreInventoriesList: GET "/v5/store/inventories" Some("store_read");
    StoreInventoriesUpload: POST "/v5/store/inventories/upload" Some("store_write");
    StoreOffersList: GET "/v5/store/offers" None;
    StoreProductGroupsList: GET "/v5/store/product-groups" Some("store_read");
    StoreProductGroupsCreate: POST "/v5/store/product-groups/create" Some("store_write");
    StoreProductGroupsEdit: POST "/v5/store/product-groups/{externalId}/edit" Some("store_write");
    StoreProductsList: GET "/v5/store/products" Some("store_read");
    StoreProductsBatchCreate: POST "/v5/store/products/batch/create" Some("store_write");
    StoreProductsBatchEdit: POST "/v5/store/products/batch/edit" Some("store_write");
    StoreProductsProperties: GET "/v5/store/products/properties" Some("store_read");
    StoreProductsPropertiesValues: GET "/v5/store/products/properties/values" None;
    TasksList: GET "/v5/tasks" Some("task_read");
    TasksHistory: GET "/v5/tasks/history" Some("task_read");
    TelephonyCallsUpload: POST "/v5/telephony/calls/upload" Some("telephony_write");
    TelephonyManager: GET "/v5/telephony/manager" Some("telephony_read");
    UserGroupsList: GET "/v5/user-groups" Some("user_read");
    UsersList: GET "/v5/users" Some("user_read");
    UsersGet: GET "/v5/users/{id}" Some("user_read");
    VerificationSmsConfirm: POST "/v5/verification/sms/confirm" Some("verification_write");
    VerificationSmsStatus: GET "/v5/verification/sms/{checkId}/status" Some("verification_read");
    WebAnalyticsClientIdsUpload: POST "/v5/web-analytics/client-ids/upload" Some("web_analytics_write");
    WebAnalyticsSourcesUpload: POST "/v5/web-analytics/sources/upload" Some("web_analytics_write");
    WebAnalyticsVisitsUpload: POST "/v5/web-analytics/visits/upload" Some("web_analytics_write");
    StatisticUpdate: GET "/v5/statistic/update" Some("analytics_write");
    CustomersCreate: POST "/v5/customers/create" Some("customer_write");
    CustomersUpload: POST "/v5/customers/upload" Some("customer_write");
    CustomersCorporateUpload: POST "/v5/customers-corporate/upload" Some("customer_write");
    OrdersCreate: POST "/v5/orders/create" Some("order_write");
    OrdersUpload: POST "/v5/orders/upload" Some("order_write");
    OrdersPaymentsEdit: POST "/v5/orders/payments/{id}/edit" Some("order_write");
    OrdersPaymentsDelete: POST "/v5/orders/payments/{id}/delete" Some("order_write");
    ReferenceSitesList: GET "/v5/reference/sites" Some("reference_read");
    ReferenceStoresList: GET "/v5/reference/stores" Some("reference_read");
    ReferenceStatusesList: GET "/v5/reference/statuses" Some("reference_read");
    ReferencePaymentTypesList: GET "/v5/reference/payment-types" Some("reference_read");
    ReferenceOrderTypesList: GET "/v5/reference/order-types" Some("reference_read");
    ReferenceDeliveryTypesList: GET "/v5/reference/delivery-types" Some("reference_read");
    OrdersCombine: POST "/v5/orders/combine" Some("order_write");
    ReferencePaymentStatusesList: GET "/v5/reference/payment-statuses" Some("reference_read");
    ReferenceOrderMethodsList: GET "/v5/reference/order-methods" Some("reference_read");
    ReferenceProductStatusesList: GET "/v5/reference/product-statuses" Some("reference_read");
    LoyaltyLoyaltiesGet: GET "/v5/loyalty/loyalties/{id}" Some("loyalty_read");
    LoyaltyAccountsList: GET "/v5/loyalty/accounts" Some("loyalty_read");
    LoyaltyAccountEdit: POST "/v5/loyalty/account/{id}/edit" Some("loyalty_write");
    CostsCreate: POST "/v5/costs/create" Some("cost_write");
    CostsUpload: POST "/v5/costs/upload" Some("cost_write");
    CostsDelete: POST "/v5/costs/delete" Some("cost_write");
    CostsGet: GET "/v5/costs/{id}" Some("cost_read");
    CostsEdit: POST "/v5/costs/{id}/edit" Some("cost_write");
    CostsDeleteOne: POST "/v5/costs/{id}/delete" Some("cost_write");
    ReferenceCostGroupsEdit: POST "/v5/reference/cost-groups/{code}/edit" Some("reference_write");
    ReferenceCostItemsList: GET "/v5/reference/cost-items" Some("reference_read");
    TasksCreate: POST "/v5/tasks/create" Some("task_write");
    TasksGet: GET "/v5/tasks/{id}" Some("task_read");
    TasksEdit: POST "/v5/tasks/{id}/edit" Some("task_write");
    ReferenceStoresEdit: POST "/v5/reference/stores/{code}/edit" Some("reference_write");
    FilesList: GET "/v5/files" Some("file_read");
    FilesGet: GET "/v5/files/{id}" Some("file_read");
    FilesDownload: GET "/v5/files/{id}/download" Some("file_read");
    FilesEdit: POST "/v5/files/{id}/edit" Some("file_write");
    FilesDelete: POST "/v5/files/{id}/delete" Some("file_write");
}

impl Endpoint for RetailEndpoint {
    /// The path template, which names the method uniquely (`v5/customers/{externalId}/edit`).
    fn name(self) -> &'static str {
        self.spec().1.trim_start_matches('/')
    }
}

/// What a method and a path below `/api` name.
#[derive(Debug, PartialEq, Eq)]
pub enum Routed<'a> {
    /// The method and the values of the path's placeholders, in order.
    Found(RetailEndpoint, Vec<&'a str>),
    /// A known path asked with a method it does not take.
    WrongMethod,
    Unknown,
}

impl RetailEndpoint {
    pub fn permission(self) -> Option<&'static str> {
        self.spec().2
    }

    /// Routes the path below `/api` (`v5/customers/42/edit`). A literal segment wins over
    /// a placeholder, so `customers/history` is the history and not customer "history".
    pub fn route<'a>(method: &Method, path: &'a str) -> Routed<'a> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut best: Option<(usize, RetailEndpoint, Vec<&'a str>)> = None;
        let mut path_known = false;
        for endpoint in Self::ALL {
            let (wanted, template, _) = endpoint.spec();
            let Some((literals, args)) = matches(template, &segments) else {
                continue;
            };
            path_known = true;
            if wanted != *method {
                continue;
            }
            if best.as_ref().is_none_or(|(score, ..)| literals > *score) {
                best = Some((literals, *endpoint, args));
            }
        }
        match best {
            Some((_, endpoint, args)) => Routed::Found(endpoint, args),
            None if path_known => Routed::WrongMethod,
            None => Routed::Unknown,
        }
    }
}

/// The number of literal segments and the placeholders' values when `segments` fit.
fn matches<'a>(template: &str, segments: &[&'a str]) -> Option<(usize, Vec<&'a str>)> {
    let parts: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut literals = 0;
    let mut args = Vec::new();
    for (part, segment) in parts.iter().zip(segments) {
        if part.starts_with('{') {
            args.push(*segment);
        } else if part == segment {
            literals += 1;
        } else {
            return None;
        }
    }
    Some((literals, args))
}
