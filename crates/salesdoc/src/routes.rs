//! The one endpoint, `POST /api/v2`: the body read (pre-parse errors before auth), the
//! method found (402), `login` answered, the token checked (401), the method's access
//! (403), filial (400 when unknown), limits (429), fault rules and record limit (407)
//! applied, then the method served: every method of the vendor's surface is.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use twin_http::{faults, AppState, RequestMeta};

use crate::client_category::CLIENT_CATEGORY;
use crate::client_channel::CLIENT_CHANNEL;
use crate::client_type::CLIENT_TYPE;
use crate::endpoint::{Filial, Kind, SdEndpoint};
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::order;
use crate::request::Ctx;
use crate::SalesDoc;
use crate::{
    access, agent, auth, batch, bonus, currency_unit, expeditor, filials, limits, payment_type,
    photo, photo_report, price, price_type, product, product_refs, reference, supervisor, visit,
};
use crate::{balance, cashbox, consumption, current_balance, payment, payment_confirmation};
use crate::{client, client_channel, client_type, tag, territory, trade_direction};
use crate::{correction, movement, outgoing, purchase, stock, stock_count, store_log, warehouse};
use crate::{filial_move, inventory, shipper, vs_exchange};

pub async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    serve(&state, &parts.method, meta.as_deref(), &body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn serve(
    state: &AppState,
    method: &Method,
    meta: Option<&RequestMeta>,
    body: &[u8],
) -> SdResult<Response> {
    if method != Method::POST {
        return Err(SdError::post_only());
    }
    let envelope = Envelope::parse(body)?;
    let endpoint = SdEndpoint::parse(&envelope.method).ok_or_else(SdError::method_not_found)?;
    if let Some(meta) = meta {
        meta.set_endpoint(twin_http::Endpoint::name(endpoint));
    }
    if endpoint == SdEndpoint::Login {
        let (account, credential) = auth::check_login(state, &envelope).await?;
        if let Some(meta) = meta {
            meta.set_account(&account.id);
        }
        if let Some(faulted) = faults::inject::<SalesDoc>(state, meta).await {
            return Ok(faulted);
        }
        return auth::login(state, &account, &credential).await;
    }
    let (account, credential) = auth::authenticate(state, &envelope).await?;
    if let Some(meta) = meta {
        meta.set_account(&account.id);
    }
    access::permit(&account, endpoint)?;
    let filial = match endpoint.filial() {
        Filial::Scoped => filials::resolve(&account, envelope.filial_id.as_deref())?,
        Filial::Ignored => None,
    };
    let now = account.now(state.core.clock.as_ref());
    limits::check(
        state,
        &account,
        &credential.id,
        endpoint,
        now,
        limits::RULES,
    )?;
    if let Some(faulted) = faults::inject::<SalesDoc>(state, meta).await {
        return Ok(faulted);
    }
    if endpoint.kind() == Kind::Set {
        batch::check_limit(&envelope.data)?;
    }
    let ctx = Ctx::new(state.core.clone(), account, credential, filial);
    handle(&ctx, endpoint, &envelope).await
}

async fn handle(ctx: &Ctx, endpoint: SdEndpoint, envelope: &Envelope) -> SdResult<Response> {
    use reference::{list, upsert};
    use SdEndpoint as E;
    let include = endpoint.include();
    match endpoint {
        E::GetValyutaType => list::get(ctx, envelope, &currency_unit::VALYUTA_TYPE, include).await,
        E::SetValyutaType => upsert::set(ctx, envelope, &currency_unit::VALYUTA_TYPE).await,
        E::GetUnit => list::get(ctx, envelope, &currency_unit::UNIT, include).await,
        E::SetUnit => upsert::set(ctx, envelope, &currency_unit::UNIT).await,
        E::GetClientCategory => list::get(ctx, envelope, &CLIENT_CATEGORY, include).await,
        E::SetClientCategory => upsert::set(ctx, envelope, &CLIENT_CATEGORY).await,
        E::GetClientChannel => list::get_bare(ctx, envelope, &CLIENT_CHANNEL).await,
        E::SetClientChannel => {
            upsert::set_by_rules(ctx, envelope, &CLIENT_CHANNEL, &client_channel::RULES).await
        }
        E::GetClientType => list::get_bare(ctx, envelope, &CLIENT_TYPE).await,
        E::SetClientType => client_type::set(ctx, envelope).await,
        E::GetTerritory => territory::get(ctx, envelope).await,
        E::SetTerritory => {
            upsert::set_with(ctx, envelope, territory::CITY.key, &territory::Cities).await
        }
        E::GetTradeDirection => trade_direction::get(ctx, envelope).await,
        E::GetClient => client::get(ctx, envelope).await,
        E::SetClient => upsert::set_with(ctx, envelope, client::CLIENT.key, &client::Clients).await,
        E::SetClientPhone => {
            upsert::set_with(ctx, envelope, client::phone::GROUP, &client::phone::Phones).await
        }
        E::GetTag => tag::get(ctx, envelope).await,
        E::GetFilials => Ok(filials::list(&ctx.account)),
        E::GetPaymentType => {
            let kind = &payment_type::PAYMENT_TYPE;
            let options = list::Options::answering(payment_type::ANSWER_KEY);
            list::get_with(ctx, envelope, kind, include, options).await
        }
        E::SetPaymentType => upsert::set(ctx, envelope, &payment_type::PAYMENT_TYPE).await,
        E::GetAgent => list::get(ctx, envelope, &agent::AGENT.kind, include).await,
        E::SetAgent => upsert::set_with(ctx, envelope, agent::AGENT.kind.key, &agent::AGENT).await,
        E::GetExpeditor => list::get(ctx, envelope, &expeditor::EXPEDITOR.kind, include).await,
        E::SetExpeditor => {
            let people = &expeditor::EXPEDITOR;
            upsert::set_with(ctx, envelope, people.kind.key, people).await
        }
        E::GetSupervisor => supervisor::get(ctx, envelope).await,
        E::GetVisit => visit::get(ctx, envelope).await,
        E::SetVisit => upsert::set_with(ctx, envelope, visit::KEY, &visit::Visits).await,
        E::GetProductCategory | E::GetProductSubCategory | E::GetProductGroup | E::GetBrand => {
            let (kind, rules) = product_refs::of(endpoint);
            list::get_with(ctx, envelope, kind, include, list::Options::ruled(rules)).await
        }
        E::SetProductCategory | E::SetProductSubCategory | E::SetProductGroup | E::SetBrand => {
            let (kind, rules) = product_refs::of(endpoint);
            upsert::set_by_rules(ctx, envelope, kind, rules).await
        }
        E::GetProduct => product::get(ctx, envelope, include).await,
        E::SetProduct => product::set(ctx, envelope).await,
        E::GetPriceType => price_type::get(ctx, envelope, include).await,
        E::SetPriceType => price_type::set(ctx, envelope).await,
        E::GetPrice => price::get(ctx, envelope, include).await,
        E::SetPrice => price::set(ctx, envelope).await,
        E::GetWarehouse => warehouse::get(ctx, envelope).await,
        E::GetDefectWarehouse => warehouse::get_defect(ctx, envelope).await,
        E::SetWarehouse => warehouse::set(ctx, envelope).await,
        E::SetStock => stock_count::set(ctx, envelope).await,
        E::GetStock => stock::get(ctx, envelope).await,
        E::GetStockForDate => stock::get_for_date(ctx, envelope).await,
        E::GetStoreLog => store_log::get(ctx, envelope).await,
        E::SetPurchase => purchase::set(ctx, envelope).await,
        E::GetPurchase => purchase::get(ctx, envelope).await,
        E::SetMovement => movement::set(ctx, envelope).await,
        E::GetMovement => movement::get(ctx, envelope).await,
        E::SetCorrection => correction::set(ctx, envelope).await,
        E::GetCorrection => correction::get(ctx, envelope).await,
        E::SetSupplierReturn => outgoing::set_supplier_return(ctx, envelope).await,
        E::SetExcretion => outgoing::set_excretion(ctx, envelope).await,
        E::GetShipper => shipper::get(ctx, envelope).await,
        E::SetMovingToFilial => filial_move::set_moving(ctx, envelope).await,
        E::SetMovementBetweenFilial => filial_move::set_draft(ctx, envelope).await,
        E::SetMovementFilialPending => filial_move::set_pending(ctx, envelope).await,
        E::GetMovementBetweenFilial => filial_move::get(ctx, envelope).await,
        E::GetInventory => inventory::get(ctx, envelope).await,
        E::SetVsExchange => vs_exchange::set(ctx, envelope).await,
        E::GetVsExchange => vs_exchange::get(ctx, envelope).await,
        E::GetBonus => bonus::get(ctx, envelope).await,
        E::GetClientPending => client::pending::get(ctx, envelope).await,
        E::DeleteClientPending => client::pending::delete(ctx, envelope).await,
        E::SetPhoto => photo::set(ctx, envelope).await,
        E::GetPhoto => photo::get(ctx, envelope).await,
        E::GetPrCategory => photo_report::get_categories(ctx, envelope).await,
        E::GetPhotoReport => photo_report::get_reports(ctx, envelope).await,
        E::SetOrder => order::set_orders(ctx, envelope).await,
        E::GetOrder => order::get_orders(ctx, envelope).await,
        E::SetStatus => order::set_status(ctx, envelope).await,
        E::SetDeletedOrder => order::set_deleted(ctx, envelope).await,
        E::SyncOrder => order::sync_orders(ctx, envelope).await,
        E::SetCode => order::set_code(ctx, envelope).await,
        E::SetOrderDefect => order::set_defects(ctx, envelope).await,
        E::GetOrderDefect => order::get_defects(ctx, envelope).await,
        E::GetOrderReplace => order::get_replaces(ctx, envelope).await,
        E::SetPayment => payment::set(ctx, envelope).await,
        E::GetPayment => payment::get(ctx, envelope).await,
        E::GetCashbox => cashbox::get(ctx, envelope).await,
        E::SetBalance => balance::set(ctx, envelope).await,
        E::GetBalance => balance::get(ctx, envelope).await,
        E::SetCurrentBalance => current_balance::set(ctx, envelope).await,
        E::SetConsumption => consumption::set(ctx, envelope).await,
        E::GetConsumption => consumption::get(ctx, envelope).await,
        E::GetPaymentConfirmation => payment_confirmation::get(ctx, envelope).await,
        // Answered before authentication (`serve`), never handed on here.
        E::Login => Err(SdError::method_not_found()),
    }
}
