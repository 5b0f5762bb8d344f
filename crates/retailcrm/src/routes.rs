//! One handler for every path under `/api`: it routes the method and path to a method of
//! the API, authenticates the key, applies the rate limit, the fault rules and the
//! method's permission, makes sure the account's sites exist, and answers.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use twin_http::{AppState, Endpoint, RequestMeta};

use crate::auth;
use crate::conventions;
use crate::corporate;
use crate::cost_refs;
use crate::costs;
use crate::currencies;
use crate::custom_fields;
use crate::customers;
use crate::delivery;
use crate::delivery_types;
use crate::endpoint::{RetailEndpoint, Routed};
use crate::error::{RetailError, RetailResult};
use crate::files;
use crate::history;
use crate::interaction;
use crate::loyalty;
use crate::modules;
use crate::notifications;
use crate::orders;
use crate::payments;
use crate::rate_limit;
use crate::reference;
use crate::request::{Ctx, RetailRequest};
use crate::sites;
use crate::statistic;
use crate::store;
use crate::tasks;
use crate::telephony;
use crate::telephony_calls;
use crate::users;
use crate::verification;
use crate::web_analytics::{self, Upload};
use crate::RetailCrm;

const API_PREFIX: &str = "/api/";

pub async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let (parts, body) = request.into_parts();
    let Some(rest) = parts.uri.path().strip_prefix(API_PREFIX) else {
        return RetailError::no_method().into_response();
    };
    let (endpoint, args) = match RetailEndpoint::route(&parts.method, rest) {
        Routed::Found(endpoint, args) => (endpoint, args),
        Routed::WrongMethod => return RetailError::method_not_allowed().into_response(),
        Routed::Unknown => return RetailError::no_method().into_response(),
    };
    if let Some(meta) = &meta {
        meta.set_endpoint(endpoint.name());
    }
    let query = twin_http::php_query::parse(parts.uri.query().unwrap_or_default());
    let (account, credential) =
        match auth::authenticate(&state, auth::key(&parts.headers, &query)).await {
            Ok(found) => found,
            Err(error) => return error.into_response(),
        };
    if let Some(meta) = &meta {
        meta.set_account(&account.id);
    }
    if let Some(limited) = rate_limit::check(&state, &account, &credential.id) {
        return limited;
    }
    if let Some(faulted) = twin_http::faults::inject::<RetailCrm>(&state, meta.as_deref()).await {
        return faulted;
    }
    if let Err(error) = auth::permit(&credential, endpoint) {
        return error.into_response();
    }
    let form = if parts.method == Method::POST {
        Some(to_bytes(body, usize::MAX).await.unwrap_or_default())
    } else {
        None
    };
    let content_type = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let request = RetailRequest::new(args, query, form.as_deref()).typed(content_type);
    let ctx = Ctx::new(state.core.clone(), account, credential);
    handle(&ctx, endpoint, &request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn handle(
    ctx: &Ctx,
    endpoint: RetailEndpoint,
    request: &RetailRequest<'_>,
) -> RetailResult<Response> {
    use RetailEndpoint as E;
    sites::ensure(ctx).await?;
    match endpoint {
        E::ApiVersions => Ok(conventions::api_versions()),
        E::Credentials => conventions::credentials(ctx).await,
        E::ReferenceSitesList => sites::list(ctx).await,
        E::ReferenceStatusesList => reference::list(ctx, reference::STATUSES).await,
        E::ReferenceOrderTypesList => reference::list(ctx, reference::ORDER_TYPES).await,
        E::ReferencePaymentTypesList => reference::list(ctx, reference::PAYMENT_TYPES).await,
        E::ReferenceDeliveryTypesList => reference::list(ctx, reference::DELIVERY_TYPES).await,
        E::ReferenceStoresList => reference::list(ctx, reference::STORES).await,
        E::ReferenceOrderMethodsList => reference::list(ctx, reference::ORDER_METHODS).await,
        E::ReferenceProductStatusesList => reference::list(ctx, reference::PRODUCT_STATUSES).await,
        E::ReferencePaymentStatusesList => reference::list(ctx, reference::PAYMENT_STATUSES).await,
        E::OrdersPaymentsCreate => payments::api::create(ctx, request).await,
        E::OrdersPaymentsEdit => payments::api::edit(ctx, request).await,
        E::OrdersPaymentsDelete => payments::api::delete(ctx, request).await,
        E::PaymentCreateInvoice => payments::invoice::create(ctx, request).await,
        E::PaymentUpdateInvoice => payments::invoice::update(ctx, request).await,
        E::PaymentInvoiceImport => payments::invoice::import(ctx, request).await,
        E::OrdersCreate => orders::create::create(ctx, request).await,
        E::OrdersUpload => orders::create::upload(ctx, request).await,
        E::OrdersGet => orders::get(ctx, request).await,
        E::OrdersEdit => orders::edit::edit(ctx, request).await,
        E::OrdersList => orders::list::list(ctx, request).await,
        E::OrdersFixExternalIds => orders::edit::fix_external_ids(ctx, request).await,
        E::OrdersHistory => history::orders(ctx, request).await,
        E::OrdersCombine => orders::combine::combine(ctx, request).await,
        E::CustomersCreate => customers::create::create(ctx, request).await,
        E::CustomersUpload => customers::create::upload(ctx, request).await,
        E::CustomersGet => customers::read::get(ctx, request).await,
        E::CustomersList => customers::list::list(ctx, request).await,
        E::CustomersEdit => customers::edit::edit(ctx, request).await,
        E::CustomersSubscriptions => customers::edit::subscriptions(ctx, request).await,
        E::CustomersFixExternalIds => customers::fix::fix_external_ids(ctx, request).await,
        E::CustomersCombine => customers::combine::combine(ctx, request).await,
        E::CustomersHistory => history::customers(ctx, request).await,
        E::CustomersCorporateList => corporate::edit::list(ctx, request).await,
        E::CustomersCorporateCreate => corporate::create::create(ctx, request).await,
        E::CustomersCorporateUpload => corporate::create::upload(ctx, request).await,
        E::CustomersCorporateGet => corporate::edit::get(ctx, request).await,
        E::CustomersCorporateEdit => corporate::edit::edit(ctx, request).await,
        E::CustomersCorporateCombine => corporate::edit::combine(ctx, request).await,
        E::CustomersCorporateFixExternalIds => {
            corporate::edit::fix_external_ids(ctx, request).await
        }
        E::CustomersCorporateHistory => history::corporate(ctx, request).await,
        E::CustomersCorporateNotesCreate => corporate::notes::create(ctx, request).await,
        E::CustomersCorporateAddressesList => corporate::addresses::list(ctx, request).await,
        E::CustomersCorporateAddressesCreate => corporate::addresses::create(ctx, request).await,
        E::CustomersCorporateAddressesEdit => corporate::addresses::edit(ctx, request).await,
        E::CustomersCorporateCompaniesList => corporate::companies::list(ctx, request).await,
        E::CustomersCorporateCompaniesCreate => corporate::companies::create(ctx, request).await,
        E::CustomersCorporateCompaniesEdit => corporate::companies::edit(ctx, request).await,
        E::CustomersCorporateContactsList => corporate::contacts::list(ctx, request).await,
        E::CustomersCorporateContactsCreate => corporate::contacts::create(ctx, request).await,
        E::CustomersCorporateContactsEdit => corporate::contacts::edit(ctx, request).await,
        E::CustomFieldsCreate => custom_fields::create(ctx, request).await,
        E::IntegrationModulesEdit => modules::edit(ctx, request).await,
        E::IntegrationModulesUpdateScopes => modules::update_scopes(ctx, request).await,
        E::UsersList => users::list(ctx, request).await,
        E::UsersGet => users::get(ctx, request).await,
        E::UserGroupsList => users::groups(ctx, request).await,
        E::TelephonyManager => telephony::manager(ctx, request).await,
        E::CustomerInteractionCartGet => interaction::cart::get(ctx, request).await,
        E::CustomerInteractionCartSet => interaction::cart::set(ctx, request).await,
        E::CustomerInteractionCartClear => interaction::cart::clear(ctx, request).await,
        E::CustomerInteractionFavoritesGet => interaction::favorites::get(ctx, request).await,
        E::CustomerInteractionFavoritesAdd => interaction::favorites::add(ctx, request).await,
        E::CustomerInteractionFavoritesRemove => interaction::favorites::remove(ctx, request).await,
        E::DeliveryCalculate => delivery::calculate::calculate(ctx, request).await,
        E::DeliveryGenericTracking => delivery::tracking::tracking(ctx, request).await,
        E::DeliveryShipmentsList => delivery::shipments::list(ctx, request).await,
        E::DeliveryShipmentsGet => delivery::shipments::get(ctx, request).await,
        E::DeliveryShipmentsCreate => delivery::shipments::write::create(ctx, request).await,
        E::DeliveryShipmentsEdit => delivery::shipments::write::edit(ctx, request).await,
        E::OrdersDeliveryCancel => delivery::cancel::cancel(ctx, request).await,
        E::OrdersPlatesPrint => delivery::plates::print(ctx, request).await,
        E::LoyaltyLoyaltiesList => loyalty::program::list(ctx, request).await,
        E::LoyaltyLoyaltiesGet => loyalty::program::get(ctx, request).await,
        E::LoyaltyAccountCreate => loyalty::accounts::create(ctx, request).await,
        E::LoyaltyAccountGet => loyalty::accounts::get(ctx, request).await,
        E::LoyaltyAccountActivate => loyalty::accounts::activate(ctx, request).await,
        E::LoyaltyAccountEdit => loyalty::accounts::edit(ctx, request).await,
        E::LoyaltyAccountsList => loyalty::accounts::list(ctx, request).await,
        E::LoyaltyAccountBonusCredit => loyalty::bonus::credit(ctx, request).await,
        E::LoyaltyAccountBonusCharge => loyalty::bonus::charge(ctx, request).await,
        E::LoyaltyAccountBonusOperations => loyalty::bonus::account_operations(ctx, request).await,
        E::LoyaltyBonusOperations => loyalty::bonus::all_operations(ctx, request).await,
        E::LoyaltyAccountBonusDetails => loyalty::bonus::details(ctx, request).await,
        E::LoyaltyCalculate => loyalty::calculate::calculate(ctx, request).await,
        E::OrdersLoyaltyApply => loyalty::apply::apply(ctx, request).await,
        E::OrdersLoyaltyCancelBonusOperations => loyalty::apply::cancel(ctx, request).await,
        E::CostsList => costs::list::list(ctx, request).await,
        E::CostsCreate => costs::write::create(ctx, request).await,
        E::CostsUpload => costs::write::upload(ctx, request).await,
        E::CostsGet => costs::get(ctx, request).await,
        E::CostsEdit => costs::write::edit(ctx, request).await,
        E::CostsDeleteOne => costs::delete(ctx, request).await,
        E::CostsDelete => costs::delete_many(ctx, request).await,
        E::ReferenceCostGroupsList => reference::list(ctx, cost_refs::COST_GROUPS).await,
        E::ReferenceCostItemsList => reference::list(ctx, cost_refs::COST_ITEMS).await,
        E::ReferenceCostGroupsEdit => cost_refs::edit_group(ctx, request).await,
        E::ReferenceCostItemsEdit => cost_refs::edit_item(ctx, request).await,
        E::ReferenceCurrenciesList => currencies::list(ctx).await,
        E::ReferenceCurrenciesCreate => currencies::create(ctx, request).await,
        E::ReferenceCurrenciesEdit => currencies::edit(ctx, request).await,
        E::ReferenceDeliveryTypesEdit => delivery_types::edit(ctx, request).await,
        E::NotificationsSend => notifications::send(ctx, request).await,
        E::VerificationSmsConfirm => verification::confirm(ctx, request).await,
        E::VerificationSmsStatus => verification::status(ctx, request).await,
        E::TasksList => tasks::list::list(ctx, request).await,
        E::TasksHistory => history::tasks(ctx, request).await,
        E::TasksCreate => tasks::write::create(ctx, request).await,
        E::TasksGet => tasks::get(ctx, request).await,
        E::TasksEdit => tasks::write::edit(ctx, request).await,
        E::TelephonyCallsUpload => telephony_calls::upload(ctx, request).await,
        E::StatisticUpdate => statistic::update(ctx).await,
        E::StoreProductGroupsList => store::groups::list(ctx, request).await,
        E::StoreProductGroupsCreate => store::groups::create(ctx, request).await,
        E::StoreProductGroupsEdit => store::groups::edit(ctx, request).await,
        E::StoreProductsBatchCreate => store::batch::create(ctx, request).await,
        E::StoreProductsBatchEdit => store::batch::edit(ctx, request).await,
        E::StoreProductsList => store::list::products(ctx, request).await,
        E::StoreOffersList => store::list::offers(ctx, request).await,
        E::StoreProductsProperties => store::properties::list(ctx, request).await,
        E::StoreProductsPropertiesValues => store::properties::values(ctx, request).await,
        E::StoreInventoriesList => store::inventories::list(ctx, request).await,
        E::StoreInventoriesUpload => store::inventories::upload(ctx, request).await,
        E::ReferenceStoresEdit => store::warehouses::edit(ctx, request).await,
        E::WebAnalyticsClientIdsUpload => {
            web_analytics::upload(ctx, request, Upload::ClientIds).await
        }
        E::WebAnalyticsSourcesUpload => web_analytics::upload(ctx, request, Upload::Sources).await,
        E::WebAnalyticsVisitsUpload => web_analytics::upload(ctx, request, Upload::Visits).await,
        E::FilesUpload => files::upload::upload(ctx, request).await,
        E::FilesList => files::list::list(ctx, request).await,
        E::FilesGet => files::get(ctx, request).await,
        E::FilesDownload => files::download(ctx, request).await,
        E::FilesEdit => files::edit::edit(ctx, request).await,
        E::FilesDelete => files::delete(ctx, request).await,
    }
}
