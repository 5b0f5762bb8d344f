"""The official PyPI SDK `moysklad-remap-12-sdk` (pinned in requirements.txt) against Twin,
unchanged: only its Configuration (host, login, password) and a default
`Accept-Encoding: gzip` header point it here (the SDK sends no Accept-Encoding of its own,
and MoySklad answers 415 without it).

    TWIN_BASE=http://127.0.0.1:8080 MS_LOGIN=admin@demo MS_PASSWORD=demo python python-client.py

On productfolder and currency, through the SDK's generated methods: create -> get ->
update -> list with a filter (exactly the expected rows) -> mass create (the SDK's
`/batch` method) -> single delete and mass delete. Exits 1 with a message naming the failed
step on the first mismatch.
"""

import os
import sys

import moysklad_remap_12_sdk as ms
from moysklad_remap_12_sdk.exceptions import ApiException
from moysklad_remap_12_sdk.models import Currency, Meta, ProductFolder

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from steps import check, done, equal, fail, required, run, step  # noqa: E402

BASE = required("TWIN_BASE").rstrip("/")
check(BASE.startswith("http://"), f"TWIN_BASE must be an http:// URL, got {BASE}")
ROOT = f"{BASE}/api/remap/1.2"

config = ms.Configuration(host=ROOT, username=required("MS_LOGIN"), password=required("MS_PASSWORD"))
client = ms.ApiClient(config, header_name="Accept-Encoding", header_value="gzip")


def entity_of(result):
    """A mass-create element: the SDK wraps each in a polymorphic BatchResponseEntity."""
    return getattr(result, "actual_instance", None) or result


def check_entity(entity, kind, what):
    check(isinstance(entity.id, str) and len(entity.id) == 36, f"{what}: no id in {entity!r}")
    equal(entity.meta.type, kind, f"{what}: meta.type")
    equal(entity.meta.href, f"{ROOT}/entity/{kind}/{entity.id}", f"{what}: meta.href")


def check_fields(entity, fields, what):
    for field, value in fields.items():
        equal(getattr(entity, field), value, f"{what}: {field}")


def expect_not_found(fetch, entity_id, what):
    try:
        fetch(entity_id)
    except ApiException as error:
        equal(error.status, 404, f"{what}: status")
        check('"code":1021' in (error.body or "").replace(" ", ""), f"{what}: expected error 1021, got {error.body}")
        return
    fail(f"{what}: the entity is still there after it was deleted")


def lifecycle(kind, model, api, first, update, updated, filter_of, batch, key_of):
    """create -> get -> update -> filtered list -> mass create -> delete + mass delete"""
    create, get, put, lst, create_batch, delete, delete_batch = api

    step(f"{kind}: create")
    created = create(model(**first))
    check_entity(created, kind, f"{kind} create")
    check_fields(created, first, f"{kind} create")
    done()

    step(f"{kind}: get")
    got = get(created.id)
    equal(got.id, created.id, f"{kind} get: id")
    check_fields(got, first, f"{kind} get")
    done()

    step(f"{kind}: update")
    changed = put(created.id, model(**update))
    equal(changed.id, created.id, f"{kind} update: id")
    check_fields(changed, updated, f"{kind} update")
    check_fields(get(created.id), updated, f"{kind} get after update")
    done()

    step(f"{kind}: list with a filter")
    page = lst(filter=filter_of([key_of(changed)]), limit=10)
    equal(page.meta.size, 1, f"{kind} filtered list: meta.size")
    equal([row.id for row in page.rows], [created.id], f"{kind} filtered list: rows")
    done()

    step(f"{kind}: mass create (batch)")
    many = [entity_of(r) for r in create_batch([model(**fields) for fields in batch])]
    equal(len(many), len(batch), f"{kind} mass create: number of results")
    for i, (entity, fields) in enumerate(zip(many, batch)):
        check(isinstance(entity, model), f"{kind} mass create [{i}]: expected {model.__name__}, got {entity!r}")
        check_entity(entity, kind, f"{kind} mass create [{i}]")
        check_fields(entity, fields, f"{kind} mass create [{i}]")
    done()

    everything = [changed, *many]
    step(f"{kind}: list with an OR filter")
    page = lst(filter=filter_of([key_of(e) for e in everything]), limit=100)
    equal(page.meta.size, len(everything), f"{kind} OR-filtered list: meta.size")
    equal(sorted(r.id for r in page.rows), sorted(e.id for e in everything), f"{kind} OR-filtered list: rows")
    done()

    step(f"{kind}: delete")
    equal(delete(created.id), None, f"{kind} delete: result")
    expect_not_found(get, created.id, f"{kind} get after delete")
    done()

    step(f"{kind}: mass delete")
    refs = [
        model(meta=Meta(href=e.meta.href, type=kind, media_type="application/json")) for e in many
    ]
    results = delete_batch(refs)
    infos = [getattr(r.actual_instance, "info", None) for r in results]
    equal(infos, [f"Сущность '{kind}' с UUID: {e.id} успешно удалена" for e in many], f"{kind} mass delete: results")
    for e in many:
        expect_not_found(get, e.id, f"{kind} get after mass delete")
    page = lst(filter=filter_of([key_of(e) for e in everything]))
    equal(page.meta.size, 0, f"{kind} list after deletes: meta.size")
    done()


def main():
    folders = ms.ProductFoldersApi(client)
    lifecycle(
        "productfolder",
        ProductFolder,
        (
            folders.create_product_folder,
            folders.get_product_folder_by_id,
            folders.update_product_folder,
            folders.get_product_folders,
            folders.create_product_folders_batch,
            folders.delete_product_folder,
            folders.delete_product_folders_batch,
        ),
        first={"name": "py Овощи", "code": "py-veg", "description": "создано Python SDK"},
        update={"name": "py Овощи свежие", "vat": 10},
        updated={"name": "py Овощи свежие", "code": "py-veg", "vat": 10, "vat_enabled": True},
        # several `name=` conditions are OR-ed by the vendor
        filter_of=lambda names: ";".join(f"name={n}" for n in names),
        batch=[{"name": "py Фрукты", "code": "py-fruit"}, {"name": "py Ягоды", "code": "py-berry"}],
        key_of=lambda e: e.name,
    )

    currencies = ms.CurrenciesApi(client)
    lifecycle(
        "currency",
        Currency,
        (
            currencies.create_currency,
            currencies.get_currency_by_id,
            currencies.update_currency,
            currencies.get_currencies,
            currencies.create_currencies_batch,
            currencies.delete_currency,
            currencies.delete_currencies_batch,
        ),
        first={"name": "тенге", "code": "398", "iso_code": "KZT", "rate": 0.18},
        update={"rate": 0.2, "full_name": "Казахстанский тенге"},
        updated={"name": "тенге", "iso_code": "KZT", "rate": 0.2, "full_name": "Казахстанский тенге"},
        filter_of=lambda codes: ";".join(f"isoCode={c}" for c in codes),
        batch=[
            {"name": "белорусский рубль", "code": "933", "iso_code": "BYN", "rate": 28.5},
            {"name": "сум", "code": "860", "iso_code": "UZS", "rate": 0.0075},
        ],
        key_of=lambda e: e.iso_code,
    )


def explain(error):
    if isinstance(error, ApiException):
        return f"ApiException {error.status} {error.reason}: {error.body}"
    return None


run(main, explain)
print("python-client: all checks passed", flush=True)
