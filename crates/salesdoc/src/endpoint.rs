//! Every method of the vendor's surface (the docs at HEAD: 9.1–9.47, 10–15 and `login`),
//! parsed from the body's `method`: the coverage checklist, the request-log label and the
//! key of the per-method rate limits. Each method knows its kind and whether it works in
//! a filial and honours `filter.include`.

use twin_http::Endpoint;

/// What a method does with the data: reads a list, writes records, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Get,
    Set,
    Other,
}

/// Whether a method works inside the request's filial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filial {
    /// Data of the filial named by `filial.filial_id` (none: the head office's).
    Scoped,
    /// The documented methods without filial (01-general §3): `filial` is ignored.
    Ignored,
}

/// Whether a GET method honours `params.filter.include` (sd / 1c / all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    Honoured,
    Ignored,
}

macro_rules! endpoints {
    ($($variant:ident = $name:literal, $kind:ident, $filial:ident, $include:ident;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SdEndpoint {
            $($variant,)+
        }

        impl SdEndpoint {
            pub const ALL: &'static [SdEndpoint] = &[$(SdEndpoint::$variant,)+];

            /// The method a body names (exact, case-sensitive: the vendor's camelCase).
            pub fn parse(method: &str) -> Option<Self> {
                match method {
                    $($name => Some(SdEndpoint::$variant),)+
                    _ => None,
                }
            }

            pub fn method(self) -> &'static str {
                match self {
                    $(SdEndpoint::$variant => $name,)+
                }
            }

            pub fn kind(self) -> Kind {
                match self {
                    $(SdEndpoint::$variant => Kind::$kind,)+
                }
            }

            pub fn filial(self) -> Filial {
                match self {
                    $(SdEndpoint::$variant => Filial::$filial,)+
                }
            }

            pub fn include(self) -> Include {
                match self {
                    $(SdEndpoint::$variant => Include::$include,)+
                }
            }
        }
    };
}

endpoints! {
    Login = "login", Other, Ignored, Ignored;
    // GET — references (9.1–9.20)
    GetValyutaType = "getValyutaType", Get, Ignored, Ignored;
    GetUnit = "getUnit", Get, Ignored, Ignored;
    GetClientCategory = "getClientCategory", Get, Ignored, Honoured;
    GetProduct = "getProduct", Get, Ignored, Ignored;
    GetProductCategory = "getProductCategory", Get, Ignored, Ignored;
    GetProductSubCategory = "getProductSubCategory", Get, Scoped, Ignored;
    GetProductGroup = "getProductGroup", Get, Scoped, Ignored;
    GetPriceType = "getPriceType", Get, Scoped, Ignored;
    GetPrice = "getPrice", Get, Scoped, Ignored;
    GetClient = "getClient", Get, Scoped, Ignored;
    GetAgent = "getAgent", Get, Scoped, Ignored;
    GetExpeditor = "getExpeditor", Get, Scoped, Ignored;
    GetSupervisor = "getSupervisor", Get, Scoped, Ignored;
    GetPaymentType = "getPaymentType", Get, Scoped, Ignored;
    GetPayment = "getPayment", Get, Scoped, Ignored;
    GetTerritory = "getTerritory", Get, Scoped, Ignored;
    GetBrand = "getBrand", Get, Scoped, Ignored;
    GetTradeDirection = "getTradeDirection", Get, Scoped, Ignored;
    GetClientChannel = "getClientChannel", Get, Scoped, Ignored;
    GetClientType = "getClientType", Get, Scoped, Ignored;
    // GET — visits, warehouses, stock (9.21–9.25)
    GetVisit = "getVisit", Get, Scoped, Ignored;
    GetWarehouse = "getWarehouse", Get, Scoped, Ignored;
    GetDefectWarehouse = "getDefectWarehouse", Get, Scoped, Ignored;
    GetStock = "getStock", Get, Scoped, Ignored;
    GetStockForDate = "getStockForDate", Get, Scoped, Ignored;
    // GET — orders (9.26–9.28); include on returns and exchanges per syncOrder (12.6)
    GetOrder = "getOrder", Get, Scoped, Honoured;
    GetOrderDefect = "getOrderDefect", Get, Scoped, Honoured;
    GetOrderReplace = "getOrderReplace", Get, Scoped, Honoured;
    // GET — finance (9.29–9.31)
    GetBalance = "getBalance", Get, Scoped, Ignored;
    GetConsumption = "getConsumption", Get, Scoped, Honoured;
    GetCashbox = "getCashbox", Get, Scoped, Ignored;
    // GET — extra (9.32–9.47, 14.2, 15.1–15.3)
    GetInventory = "getInventory", Get, Scoped, Ignored;
    GetShipper = "getShipper", Get, Scoped, Ignored;
    GetPaymentConfirmation = "getPaymentConfirmation", Get, Scoped, Ignored;
    GetBonus = "getBonus", Get, Scoped, Ignored;
    GetPrCategory = "getPRCategory", Get, Scoped, Ignored;
    GetPhotoReport = "getPhotoReport", Get, Scoped, Ignored;
    GetFilials = "getFilials", Get, Ignored, Ignored;
    GetStoreLog = "getStoreLog", Get, Scoped, Ignored;
    GetClientPending = "getClientPending", Get, Scoped, Ignored;
    GetCorrection = "getCorrection", Get, Scoped, Ignored;
    GetPurchase = "getPurchase", Get, Scoped, Ignored;
    GetMovement = "getMovement", Get, Scoped, Honoured;
    GetVsExchange = "getVsExchange", Get, Scoped, Honoured;
    GetMovementBetweenFilial = "getMovementBetweenFilial", Get, Scoped, Ignored;
    GetTag = "getTag", Get, Scoped, Ignored;
    GetPhoto = "getPhoto", Get, Ignored, Ignored;
    // SET — references (10.1–10.21)
    SetValyutaType = "setValyutaType", Set, Ignored, Ignored;
    SetUnit = "setUnit", Set, Ignored, Ignored;
    SetClientCategory = "setClientCategory", Set, Ignored, Ignored;
    SetClientChannel = "setClientChannel", Set, Scoped, Ignored;
    SetClientType = "setClientType", Set, Scoped, Ignored;
    SetProduct = "setProduct", Set, Ignored, Ignored;
    SetProductCategory = "setProductCategory", Set, Ignored, Ignored;
    SetProductSubCategory = "setProductSubCategory", Set, Scoped, Ignored;
    SetProductGroup = "setProductGroup", Set, Scoped, Ignored;
    SetPaymentType = "setPaymentType", Set, Scoped, Ignored;
    SetPriceType = "setPriceType", Set, Scoped, Ignored;
    SetPrice = "setPrice", Set, Ignored, Ignored;
    SetAgent = "setAgent", Set, Scoped, Ignored;
    SetExpeditor = "setExpeditor", Set, Scoped, Ignored;
    SetClient = "setClient", Set, Scoped, Ignored;
    SetClientPhone = "setClientPhone", Set, Scoped, Ignored;
    SetTerritory = "setTerritory", Set, Scoped, Ignored;
    SetBrand = "setBrand", Set, Scoped, Ignored;
    SetVisit = "setVisit", Set, Scoped, Ignored;
    // SET — warehouse (11.1–11.11)
    SetWarehouse = "setWarehouse", Set, Scoped, Ignored;
    SetStock = "setStock", Set, Scoped, Ignored;
    SetPurchase = "setPurchase", Set, Scoped, Ignored;
    SetMovement = "setMovement", Set, Scoped, Ignored;
    SetVsExchange = "setVsExchange", Set, Scoped, Ignored;
    SetMovingToFilial = "setMovingToFilial", Set, Scoped, Ignored;
    SetMovementBetweenFilial = "setMovementBetweenFilial", Set, Scoped, Ignored;
    SetMovementFilialPending = "setMovementFilialPending", Set, Scoped, Ignored;
    SetSupplierReturn = "setSupplierReturn", Set, Scoped, Ignored;
    SetExcretion = "setExcretion", Set, Scoped, Ignored;
    SetCorrection = "setCorrection", Set, Scoped, Ignored;
    // SET — orders (12.1–12.6)
    SetOrder = "setOrder", Set, Scoped, Ignored;
    SetDeletedOrder = "setDeletedOrder", Set, Scoped, Ignored;
    SetStatus = "setStatus", Set, Scoped, Ignored;
    SetCode = "setCode", Set, Scoped, Ignored;
    SetOrderDefect = "setOrderDefect", Set, Scoped, Ignored;
    SyncOrder = "syncOrder", Set, Scoped, Ignored;
    // SET — finance, photos, extra (13.1–13.4, 14.1, 15.4)
    SetPayment = "setPayment", Set, Scoped, Ignored;
    SetBalance = "setBalance", Set, Scoped, Ignored;
    SetCurrentBalance = "setCurrentBalance", Set, Scoped, Ignored;
    SetConsumption = "setConsumption", Set, Scoped, Ignored;
    SetPhoto = "setPhoto", Set, Ignored, Ignored;
    DeleteClientPending = "deleteClientPending", Set, Scoped, Ignored;
}

impl Endpoint for SdEndpoint {
    fn name(self) -> &'static str {
        self.method()
    }
}
