//! The catalogue: a folder tree by sections (depth at most 3), products with prices and
//! some with variants by color and size, services and bundles of products.

use serde_json::{json, Map, Value};

use super::names::{BRANDS, COLORS, SECTIONS, SERVICES, SIZES};
use super::rng::Rng;
use super::{Plan, Summary, Writer};
use crate::entities::goods::characteristics;

/// The deepest folder level.
const MAX_DEPTH: u8 = 3;

/// Products written together, then their variants together.
const CHUNK: usize = 500;

struct Folder {
    id: String,
    section: usize,
    depth: u8,
    children: usize,
}

/// What later parts need: the goods that hold stock, as `(type, id)`.
pub struct Catalog {
    pub stocked: Vec<(&'static str, String)>,
}

/// How many variants each product gets: a quarter of them get 1 to 3. Drawn apart from
/// the rest so the run's size is known before it starts.
pub fn variant_counts(seed: u64, products: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed, "variants");
    (0..products)
        .map(|_| {
            if rng.chance(25) {
                rng.range(1, 3) as u8
            } else {
                0
            }
        })
        .collect()
}

pub async fn write(
    writer: &mut Writer<'_>,
    summary: &mut Summary,
    seed: u64,
    plan: Plan,
    variant_counts: &[u8],
) -> Result<Catalog, String> {
    let mut rng = Rng::new(seed, "catalog");
    let folders = folders(writer, summary, &mut rng, plan.folders).await?;
    let color = characteristic(writer, "Цвет").await?;
    let size = characteristic(writer, "Размер").await?;
    let mut stocked = Vec::new();
    let mut products = Vec::new();
    for (chunk_index, chunk) in variant_counts.chunks(CHUNK).enumerate() {
        let mut inputs = Vec::with_capacity(chunk.len());
        let mut shapes = Vec::with_capacity(chunk.len());
        for (i, &variants) in chunk.iter().enumerate() {
            let folder = rng.pick(&folders);
            let section = &SECTIONS[folder.section];
            let noun = rng.pick(section.goods);
            let brand = rng.pick(&BRANDS);
            let prefix: String = brand.chars().take(2).collect();
            let model = format!("{}-{}", prefix.to_uppercase(), rng.digits(4));
            let price = rng.range(50, 50_000) * 100;
            let code = format!("P{:06}", chunk_index * CHUNK + i + 1);
            inputs.push(json!({
                "name": format!("{noun} {brand} {model}"),
                "code": code,
                "article": model,
                "productFolder": writer.reference("productfolder", &folder.id),
                "uom": writer.reference("uom", crate::seed::PIECE_UOM_ID),
                "salePrices": [{ "value": price }],
                "buyPrice": { "value": price * rng.range(55, 80) / 100 },
                "weight": rng.range(1, 5000) as f64 / 100.0,
            }));
            // Clothes and shoes vary in size too.
            shapes.push((variants, folder.section < 2, price, code));
        }
        let ids = writer.create_many("product", inputs).await?;
        summary.products += ids.len() as u64;
        let mut variant_inputs = Vec::new();
        for ((variants, sized, price, code), product) in shapes.iter().zip(&ids) {
            let first_color = rng.next_u64() as usize;
            for k in 0..usize::from(*variants) {
                let mut values =
                    vec![json!({ "id": color, "value": COLORS[(first_color + k) % COLORS.len()] })];
                if *sized {
                    values.push(json!({ "id": size, "value": rng.pick(&SIZES) }));
                }
                variant_inputs.push(json!({
                    "product": writer.reference("product", product),
                    "code": format!("{code}-{}", k + 1),
                    "characteristics": values,
                    "salePrices": [{ "value": price + rng.range(0, 10) * price / 100 }],
                }));
            }
        }
        let mut variant_ids = writer
            .create_many("variant", variant_inputs)
            .await?
            .into_iter();
        summary.variants += variant_ids.len() as u64;
        for ((variants, ..), product) in shapes.iter().zip(ids) {
            if *variants == 0 {
                stocked.push(("product", product.clone()));
            }
            stocked.extend(
                variant_ids
                    .by_ref()
                    .take(usize::from(*variants))
                    .map(|v| ("variant", v)),
            );
            products.push(product);
        }
    }
    let mut services = Vec::new();
    for n in 0..plan.services {
        let base = SERVICES[n as usize % SERVICES.len()];
        let round = n as usize / SERVICES.len();
        let name = if round == 0 {
            base.to_owned()
        } else {
            format!("{base}, тариф {}", round + 1)
        };
        services.push(json!({
            "name": name,
            "code": format!("S{:05}", n + 1),
            "salePrices": [{ "value": rng.range(5, 500) * 1000 }],
        }));
    }
    summary.services += writer.create_many("service", services).await?.len() as u64;
    let mut bundles = Vec::new();
    for n in 0..plan.bundles {
        let count = rng.range(2, 3) as usize;
        let start = rng.next_u64() as usize;
        let components: Vec<Value> = (0..count)
            .map(|k| {
                let product = &products[(start + k * 7) % products.len()];
                json!({
                    "assortment": writer.reference("product", product),
                    "quantity": rng.range(1, 3),
                })
            })
            .collect();
        bundles.push(json!({
            "name": format!("Набор «{}» №{}", rng.pick(&BRANDS), n + 1),
            "code": format!("B{:05}", n + 1),
            "salePrices": [{ "value": rng.range(100, 20_000) * 100 }],
            "components": components,
        }));
    }
    summary.bundles += writer.create_many("bundle", bundles).await?.len() as u64;
    Ok(Catalog { stocked })
}

/// The sections first, then subfolders under folders not yet at the deepest level.
async fn folders(
    writer: &mut Writer<'_>,
    summary: &mut Summary,
    rng: &mut Rng,
    count: u64,
) -> Result<Vec<Folder>, String> {
    let mut folders: Vec<Folder> = Vec::new();
    for n in 0..count as usize {
        let mut input = Map::new();
        input.insert("code".into(), json!(format!("F{:04}", n + 1)));
        let (section, depth, name) = if let Some(top) = SECTIONS.get(n) {
            (n, 1, top.name.to_owned())
        } else {
            let open: Vec<usize> = (0..folders.len())
                .filter(|&i| folders[i].depth < MAX_DEPTH)
                .collect();
            let parent = &mut folders[*rng.pick(&open)];
            let names = SECTIONS[parent.section].subsections;
            let round = parent.children / names.len();
            let base = names[parent.children % names.len()];
            parent.children += 1;
            input.insert(
                "productFolder".into(),
                writer.reference("productfolder", &parent.id),
            );
            let name = if round == 0 {
                base.to_owned()
            } else {
                format!("{base} {}", round + 1)
            };
            (parent.section, parent.depth + 1, name)
        };
        input.insert("name".into(), json!(name));
        let id = writer.create("productfolder", Value::Object(input)).await?;
        summary.folders += 1;
        folders.push(Folder {
            id,
            section,
            depth,
            children: 0,
        });
    }
    Ok(folders)
}

/// The id of the variant characteristic named `name`, created when missing.
async fn characteristic(writer: &mut Writer<'_>, name: &str) -> Result<String, String> {
    let by_name = Map::from_iter([("name".to_owned(), json!(name))]);
    let found = match characteristics::resolve(&writer.ctx, &by_name).await {
        Ok(found) => Value::Object(found),
        Err(_) => {
            characteristics::create_many(&writer.ctx, Value::Object(by_name))
                .await
                .map_err(|e| format!("creating characteristic {name}: {}", e.message))?
                .1
        }
    };
    found["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("characteristic {name} has no id"))
}
