//! Sales channels (`getClientChannel` 9.19 / `setClientChannel` 10.4): per filial, a
//! `name` only. The GET answers a bare array in `result`, without `pagination` (as
//! documented); `limit` and `page` still cut it (*Inferred*).

use crate::reference::named::{read_members, render_members, Flag};
use crate::reference::rules::{plain, Rules};
use crate::reference::RefKind;

/// Key `clientChannel`; clients link one as `clientChannel` and show it as `channel`.
pub const CLIENT_CHANNEL: RefKind = RefKind {
    key: "clientChannel",
    read: |item, stored| read_members(item, stored, &[], Flag::None),
    render: |fields| render_members(fields, &[], Flag::None),
};

/// Numbered plainly (`"1"`), as the docs show sales channels.
pub const RULES: Rules = Rules {
    numbering: plain,
    ..Rules::PLAIN
};
