//! The allow-list of webhook destinations, for shared deployments where tenants must not
//! make Twin call into the network it runs in. Unset, webhooks may go anywhere (as the
//! vendors allow); set, a subscription to any other destination is refused when it is
//! made, and a delivery queued before the list changed is given up unsent.
//!
//! Entries, separated by commas: a host name (`hooks.example.com`, matched without
//! regard to case), a wildcard for its subdomains (`*.example.com`, not the name
//! itself), an IP address, or a CIDR block (`10.0.0.0/8`, `fd00::/8`). A URL's host is
//! matched as written: names against names, IP addresses against addresses and blocks;
//! names are not resolved, so list the names receivers use.

use std::net::IpAddr;
use std::str::FromStr;

/// Why a delivery was not sent, as recorded on its attempt.
pub const REFUSED: &str = "destination is not in the webhook allow-list";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Destinations {
    /// `None`: every destination is allowed.
    rules: Option<Vec<Rule>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Host(String),
    /// `*.suffix`, stored as `.suffix`.
    Subdomains(String),
    Block {
        network: IpAddr,
        prefix: u8,
    },
}

impl Destinations {
    /// Every destination allowed.
    pub fn anywhere() -> Self {
        Self::default()
    }

    pub fn is_restricted(&self) -> bool {
        self.rules.is_some()
    }

    /// Whether a webhook may be sent to `url` (an absolute http(s) URL; anything else is
    /// refused when the list is set).
    pub fn allows(&self, url: &str) -> bool {
        let Some(rules) = &self.rules else {
            return true;
        };
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return false;
        };
        let Some(written) = parsed.host_str() else {
            return false;
        };
        let bare = written.trim_start_matches('[').trim_end_matches(']');
        let host = match bare.parse::<IpAddr>() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(bare.to_ascii_lowercase()),
        };
        rules.iter().any(|rule| rule.matches(&host))
    }
}

enum Host {
    Name(String),
    Ip(IpAddr),
}

impl Rule {
    fn matches(&self, host: &Host) -> bool {
        match (self, host) {
            (Self::Host(name), Host::Name(host)) => name == host,
            (Self::Subdomains(suffix), Host::Name(host)) => host.ends_with(suffix.as_str()),
            (Self::Block { network, prefix }, Host::Ip(ip)) => in_block(*ip, *network, *prefix),
            _ => false,
        }
    }
}

/// Whether `ip` is inside `network/prefix` (IPv4-mapped IPv6 addresses count as IPv4).
fn in_block(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

impl FromStr for Destinations {
    type Err = String;

    /// Parses a comma-separated list; an empty one allows everything.
    fn from_str(list: &str) -> Result<Self, String> {
        let rules = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(rule)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            rules: (!rules.is_empty()).then_some(rules),
        })
    }
}

fn rule(entry: &str) -> Result<Rule, String> {
    let invalid =
        || format!("webhook allow-list entry `{entry}` is not a host, *.domain, IP or CIDR");
    if let Some((network, prefix)) = entry.split_once('/') {
        let network: IpAddr = network.parse().map_err(|_| invalid())?;
        let prefix: u8 = prefix.parse().map_err(|_| invalid())?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        if prefix > bits {
            return Err(invalid());
        }
        return Ok(Rule::Block { network, prefix });
    }
    if let Ok(ip) = entry
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        let prefix = if ip.is_ipv4() { 32 } else { 128 };
        return Ok(Rule::Block {
            network: ip,
            prefix,
        });
    }
    let name = entry.to_ascii_lowercase();
    let is_name = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    match name.strip_prefix("*.") {
        Some(suffix) if is_name(suffix) => Ok(Rule::Subdomains(format!(".{suffix}"))),
        None if is_name(&name) => Ok(Rule::Host(name)),
        _ => Err(invalid()),
    }
}
