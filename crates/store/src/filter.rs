use serde_json::Value;

/// A filter over document bodies, compiled to SQL by each backend. Paths are object keys
/// from the body's root: `["customer", "email"]` is `body.customer.email`.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// Compares a scalar field with a scalar value of the same JSON type; a field of
    /// another type (or missing) never matches, except for `Ne`, which it always does.
    Cmp {
        path: Vec<String>,
        op: CmpOp,
        value: Value,
    },
    /// The field equals one of the values.
    In {
        path: Vec<String>,
        values: Vec<Value>,
    },
    /// A string field contains, starts or ends with the text. Case-insensitive matching
    /// folds Unicode case (Cyrillic included).
    Text {
        path: Vec<String>,
        mode: TextMode,
        text: String,
        case_insensitive: bool,
    },
    /// The field is missing, `null` or `""` (or, with `false`, is none of these).
    IsEmpty {
        path: Vec<String>,
        empty: bool,
    },
    /// The document id is one of these.
    IdIn(Vec<String>),
    /// The field is an array holding the string, or holding an object with a member
    /// equal to it (tags `["a","b"]`, barcodes `[{"ean13": "..."}]`). Exact match.
    Holds {
        path: Vec<String>,
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    Contains,
    Prefix,
    Suffix,
}

impl Filter {
    pub fn path(path: &str) -> Vec<String> {
        path.split('.').map(str::to_owned).collect()
    }

    pub fn eq(path: &str, value: impl Into<Value>) -> Self {
        Self::cmp(path, CmpOp::Eq, value)
    }

    pub fn cmp(path: &str, op: CmpOp, value: impl Into<Value>) -> Self {
        Filter::Cmp {
            path: Self::path(path),
            op,
            value: value.into(),
        }
    }

    pub fn holds(path: &str, text: &str) -> Self {
        Filter::Holds {
            path: Self::path(path),
            text: text.to_owned(),
        }
    }

    pub fn text(path: &str, mode: TextMode, text: &str, case_insensitive: bool) -> Self {
        Filter::Text {
            path: Self::path(path),
            mode,
            text: text.to_owned(),
            case_insensitive,
        }
    }
}
