//! Warehouses, a second organization, Russian and Uzbek counterparties (companies and
//! individual entrepreneurs, with INN, phone and address) and contracts with some of them.

use serde_json::json;

use super::names::{
    Region, RUSSIAN_CITIES, RUSSIAN_COMPANY_WORDS, RUSSIAN_FIRST, RUSSIAN_LAST, STORES,
    UZBEK_CITIES, UZBEK_COMPANY_WORDS, UZBEK_FIRST, UZBEK_LAST,
};
use super::rng::Rng;
use super::{Summary, Writer};

/// The account's warehouses: the main one and two more.
pub async fn stores(writer: &mut Writer<'_>, summary: &mut Summary) -> Result<Vec<String>, String> {
    let mut ids = vec![crate::seed::store_id(&writer.ctx.account)];
    for (n, (name, address)) in STORES.iter().enumerate() {
        let input = json!({ "name": name, "code": format!("W{}", n + 2), "address": address });
        ids.push(writer.create("store", input).await?);
        summary.stores += 1;
    }
    Ok(ids)
}

/// A person's full name, surname first, in the right gender.
fn person(rng: &mut Rng, uzbek: bool) -> String {
    let (first, feminine) = if uzbek {
        *rng.pick(&UZBEK_FIRST)
    } else {
        *rng.pick(&RUSSIAN_FIRST)
    };
    let last = if uzbek {
        rng.pick(&UZBEK_LAST)
    } else {
        rng.pick(&RUSSIAN_LAST)
    };
    let ending = if feminine { "а" } else { "" };
    format!("{last}{ending} {first}")
}

fn address(rng: &mut Rng, uzbek: bool) -> String {
    let region: &Region = if uzbek {
        rng.pick(&UZBEK_CITIES)
    } else {
        rng.pick(&RUSSIAN_CITIES)
    };
    format!(
        "{}, {}, {}, {}, д. {}",
        region.country,
        region.postcode,
        region.city,
        rng.pick(region.streets),
        rng.range(1, 120)
    )
}

fn phone(rng: &mut Rng, uzbek: bool) -> String {
    let (code, operator) = if uzbek {
        ("+998", format!("9{}", rng.digits(1)))
    } else {
        ("+7", format!("9{}", rng.digits(2)))
    };
    format!(
        "{code} {operator} {}-{}-{}",
        rng.digits(3),
        rng.digits(2),
        rng.digits(2)
    )
}

/// A Russian INN with valid check digits: 10 digits for a company, 12 for a person.
fn russian_inn(rng: &mut Rng, company: bool) -> String {
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let check = |digits: &[u32], weights: &[u32]| {
        digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
    };
    let mut digits: Vec<u32> = rng
        .digits(if company { 9 } else { 10 })
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    if company {
        digits.push(check(&digits, &W10));
    } else {
        digits.push(check(&digits, &W11));
        digits.push(check(&digits, &W12));
    }
    digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

/// An Uzbek taxpayer number (STIR): 9 digits, from 3 for companies, 4 to 6 for people.
fn uzbek_inn(rng: &mut Rng, company: bool) -> String {
    let first = if company { 3 } else { rng.range(4, 6) };
    format!("{first}{}", rng.digits(8))
}

pub async fn write(
    writer: &mut Writer<'_>,
    summary: &mut Summary,
    seed: u64,
    count: u64,
) -> Result<(), String> {
    let mut rng = Rng::new(seed, "parties");
    let organization = json!({
        "name": "ООО «Ипак Йули Трейд»",
        "legalTitle": "Общество с ограниченной ответственностью «Ипак Йули Трейд»",
        "inn": uzbek_inn(&mut rng, true),
        "actualAddress": address(&mut rng, true),
        "legalAddress": address(&mut rng, true),
        "code": "ORG2",
    });
    writer.create("organization", organization).await?;
    summary.organizations += 1;
    let own = crate::seed::organization_id(&writer.ctx.account);
    for n in 0..count {
        let uzbek = rng.chance(50);
        let company = rng.chance(60);
        let (name, legal_title) = match (uzbek, company) {
            (false, true) => {
                let word = rng.pick(&RUSSIAN_COMPANY_WORDS);
                (
                    format!("ООО «{word}»"),
                    format!("Общество с ограниченной ответственностью «{word}»"),
                )
            }
            (true, true) => {
                let word = rng.pick(&UZBEK_COMPANY_WORDS);
                (
                    format!("MChJ «{word}»"),
                    format!("«{word}» mas'uliyati cheklangan jamiyati"),
                )
            }
            (false, false) => {
                let person = person(&mut rng, false);
                (
                    format!("ИП {person}"),
                    format!("Индивидуальный предприниматель {person}"),
                )
            }
            (true, false) => {
                let person = person(&mut rng, true);
                (
                    format!("ЯТТ {person}"),
                    format!("Якка тартибдаги тадбиркор {person}"),
                )
            }
        };
        let inn = if uzbek {
            uzbek_inn(&mut rng, company)
        } else {
            russian_inn(&mut rng, company)
        };
        let address = address(&mut rng, uzbek);
        let domain = if uzbek { "example.uz" } else { "example.ru" };
        let input = json!({
            "name": name,
            "legalTitle": legal_title,
            "code": format!("C{:05}", n + 1),
            "inn": inn,
            "phone": phone(&mut rng, uzbek),
            "email": format!("client{}@{domain}", n + 1),
            "actualAddress": address,
            "legalAddress": address,
        });
        let counterparty = writer.create("counterparty", input).await?;
        summary.counterparties += 1;
        if n % 3 == 0 {
            let input = json!({
                "name": format!("ДП-{:05}", n / 3 + 1),
                "ownAgent": writer.reference("organization", &own),
                "agent": writer.reference("counterparty", &counterparty),
                "contractType": "Sales",
            });
            writer.create("contract", input).await?;
            summary.contracts += 1;
        }
    }
    Ok(())
}
