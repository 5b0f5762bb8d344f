//! The MoySklad surface Twin knows, one variant per documented operation of the entities
//! in scope. The variant names the operation in the request log and metrics.

use twin_http::Endpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsEndpoint {
    SecurityToken,
    ContextEmployee,
    PriceTypes,
    EntityList,
    EntityCreate,
    EntityBatch,
    EntityMassDelete,
    EntityGet,
    EntityUpdate,
    EntityDelete,
    Metadata,
    AttributesList,
    AttributesCreate,
    AttributesMassDelete,
    AttributeGet,
    AttributeUpdate,
    AttributeDelete,
    AccountsList,
    AccountsCreate,
    AccountGet,
    AccountUpdate,
    AccountDelete,
    AssortmentList,
    AssortmentMassDelete,
    StockReportAll,
    StockReportByStore,
    Unknown,
}

impl Endpoint for MsEndpoint {
    fn name(self) -> &'static str {
        match self {
            Self::SecurityToken => "security.token",
            Self::ContextEmployee => "context.employee",
            Self::PriceTypes => "context.companysettings.pricetype",
            Self::EntityList => "entity.list",
            Self::EntityCreate => "entity.create",
            Self::EntityBatch => "entity.batch",
            Self::EntityMassDelete => "entity.delete.mass",
            Self::EntityGet => "entity.get",
            Self::EntityUpdate => "entity.update",
            Self::EntityDelete => "entity.delete",
            Self::Metadata => "entity.metadata",
            Self::AttributesList => "attributes.list",
            Self::AttributesCreate => "attributes.create",
            Self::AttributesMassDelete => "attributes.delete.mass",
            Self::AttributeGet => "attributes.get",
            Self::AttributeUpdate => "attributes.update",
            Self::AttributeDelete => "attributes.delete",
            Self::AccountsList => "accounts.list",
            Self::AccountsCreate => "accounts.create",
            Self::AccountGet => "accounts.get",
            Self::AccountUpdate => "accounts.update",
            Self::AccountDelete => "accounts.delete",
            Self::AssortmentList => "assortment.list",
            Self::AssortmentMassDelete => "assortment.delete.mass",
            Self::StockReportAll => "report.stock.all.current",
            Self::StockReportByStore => "report.stock.bystore.current",
            Self::Unknown => "unmatched",
        }
    }
}
