"""The vendor's PyPI client `retailcrm` (pinned in requirements.txt) over the catalog and
its stock against Twin, unchanged: only its base URL and API key point it here.

    TWIN_BASE=http://127.0.0.1:8080 RCRM_KEY=demo-retailcrm-key RCRM_SITE=demo-shop \\
        python python-store.py

Through the client's own methods: a second store (stores_edit) -> product groups create
(a subgroup by its parent's external id), list with filters, edit by external id and by
id -> products batch create (a product with two offers, a service) -> batch edit (and
the products it does not find) -> inventories upload for two stores (and the offers it
does not find) -> inventories with details -> offers and products showing the stock and
filtered by it, by group and by property -> properties and their values. Exits 1 with a
message naming the failed step on the first mismatch.
"""

import os
import sys

import retailcrm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from steps import check, equal, required, run, step  # noqa: E402
from answers import ok  # noqa: E402


def ids(body, member):
    return [entry["id"] for entry in body[member]]


def main():
    client = retailcrm.v5(required("TWIN_BASE"), required("RCRM_KEY"))
    site = required("RCRM_SITE")
    catalog = ok(client.sites())["sites"][site]["id"]

    step("stores")
    ok(client.stores_edit({"code": "py-north", "name": "Север"}), 201)
    codes = [s["code"] for s in ok(client.stores())["stores"]]
    check("py-north" in codes, f"new store listed: {codes}")

    step("product groups")
    kitchen = ok(client.product_groups_create({"site": site, "name": "Кухня", "externalId": "py-kitchen"}), 201)["id"]
    kettles = ok(client.product_groups_create(
        {"site": site, "name": "Чайники", "externalId": "py-kettles", "parentExternalId": "py-kitchen"}), 201)["id"]
    listed = ok(client.product_groups({"parentGroupId": kitchen, "sites": [site]}))
    equal(ids(listed, "productGroup"), [kettles], "subgroups")
    equal(listed["productGroup"][0]["parentId"], kitchen, "parent")
    ok(client.product_groups_edit("py-kettles", {"name": "Электрочайники"}, "externalId", site))
    ok(client.product_groups_edit(kitchen, {"active": False}, "id"))
    equal(ids(ok(client.product_groups({"active": 1})), "productGroup"), [kettles], "active groups")
    missing = client.product_groups_edit("py-none", {"name": "X"}, "externalId", site)
    check(missing.get_status_code() == 404, f"missing group: {missing.get_response()}")

    step("products batch create")
    created = ok(client.products_batch_create([
        {"catalogId": catalog, "name": "Чайник", "externalId": "py-kettle", "article": "PK-1",
         "groups": [{"externalId": "py-kettles"}], "properties": {"material": "steel"},
         "offers": [
             {"externalId": "py-red", "xmlId": "py-x1", "price": 1000, "purchasePrice": 600,
              "properties": [{"code": "color", "name": "Цвет", "value": "red"}]},
             {"externalId": "py-blue", "price": 1200, "properties": {"color": "blue"}},
         ]},
        {"catalogId": catalog, "name": "Доставка", "type": "service"},
    ]), 201)
    equal(created["processedProductsCount"], 2, "processed")
    kettle, service = created["addedProducts"]
    too_many = client.products_batch_create([{"catalogId": catalog, "name": str(i)} for i in range(51)])
    check(too_many.get_status_code() == 400 and "products" in too_many.get_errors(),
          f"more than 50: {too_many.get_response()}")

    step("products batch edit")
    edited = ok(client.products_batch_edit([
        {"externalId": "py-kettle", "site": site, "popular": True},
        {"id": 999999, "name": "Nobody"},
    ]))
    equal(edited["processedProductsCount"], 1, "edited")
    equal(edited["notFoundProducts"], [{"id": 999999}], "not found")

    step("inventories upload")
    offers = {o["externalId"]: o["id"] for o in ok(client.offers({"sites": [site]}))["offers"] if "externalId" in o}
    uploaded = ok(client.inventories_upload([
        {"id": offers["py-red"], "stores": [{"code": "main-warehouse", "available": 3, "purchasePrice": 610},
                                            {"code": "py-north", "available": 2}]},
        {"externalId": "py-blue", "stores": [{"code": "py-north", "available": 5}]},
        {"xmlId": "py-nothing", "stores": [{"code": "py-north", "available": 1}]},
    ], site))
    equal(uploaded["processedOffersCount"], 2, "processed offers")
    equal(uploaded["notFoundOffers"], [{"xmlId": "py-nothing"}], "not found offers")

    step("inventories")
    details = ok(client.inventories({"details": 1, "offerExternalId": "py-red"}))["offers"]
    equal(details[0]["quantity"], 5, "sum over stores")
    equal(sorted((s["store"], s["quantity"]) for s in details[0]["stores"]),
          [("main-warehouse", 3), ("py-north", 2)], "per store")
    equal(details[0]["purchasePrice"], 610, "purchase price")

    step("offers and products show the stock")
    stocked = ok(client.offers({"minQuantity": 4}))["offers"]
    equal([o["externalId"] for o in stocked], ["py-red", "py-blue"], "offers with stock")
    products = ok(client.products({"ids": [kettle]}))["products"]
    equal(products[0]["quantity"], 10, "product stock")
    equal(products[0]["popular"], True, "edited")
    equal(ids(ok(client.products({"minQuantity": 1})), "products"), [kettle], "products with stock")
    equal(ids(ok(client.products({"groups": [kitchen]})), "products"), [kettle], "subgroups' products")
    equal(ids(ok(client.products({"properties": {"color": "blue"}})), "products"), [kettle], "by property")
    equal(ids(ok(client.products({"maxQuantity": 0})), "products"), [service], "the service")

    step("properties")
    properties = ok(client.products_properties())["properties"]
    equal([(p["code"], p["name"], p["variative"]) for p in properties],
          [("color", "Цвет", True), ("material", "material", False)], "properties")
    values = ok(client.products_properties_values({"code": "color"}))["productPropertyValues"]
    equal([v["value"] for v in values], ["red", "blue"], "values")

    step("done")


if __name__ == "__main__":
    run(main)
