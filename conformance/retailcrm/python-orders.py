"""The vendor's PyPI client `retailcrm` (pinned in requirements.txt) over orders against
Twin, unchanged: only its base URL and API key point it here.

    TWIN_BASE=http://127.0.0.1:8080 RCRM_KEY=demo-retailcrm-key RCRM_SITE=demo-shop \\
        python python-orders.py

Through the client's own methods: order create (a new customer made from the order) ->
a second order finding that customer by phone -> get by external id and by id -> edit
(status, items, contragent) -> list with filters (exactly the expected rows) -> upload ->
fix-external-ids -> combine (and the removed order's answer) -> history (every record
once with sinceId, one order's records) -> payments create, edit by external id and by
id, delete, with the order's `prepaySum` and their history records. Exits 1 with a message naming the failed step
on the first mismatch.
"""

import os
import sys

import retailcrm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from steps import check, equal, required, run, since_all, step  # noqa: E402
from answers import ok  # noqa: E402


def external_ids(body):
    return [o.get("externalId") for o in body["orders"]]


def main():
    client = retailcrm.v5(required("TWIN_BASE"), required("RCRM_KEY"))
    site = required("RCRM_SITE")

    step("order create")
    order = {
        "externalId": "py-o1",
        "firstName": "Python",
        "lastName": "Orders",
        "phone": "+7 900 765-43-21",
        "email": "py-orders@example.com",
        "delivery": {"code": "courier", "cost": 300, "address": {"city": "Самара"}},
        "items": [
            {"productName": "Чайник", "initialPrice": 1000, "quantity": 2, "offer": {"externalId": "kettle"}},
            {"productName": "Чашка", "initialPrice": 150, "quantity": 1},
        ],
    }
    created = ok(client.order_create(order, site), 201)
    oid = created["id"]
    equal(created["order"]["totalSumm"], 2450, "total")
    customer = created["order"]["customer"]
    equal(customer["firstName"], "Python", "new customer")

    step("order finds its customer by phone")
    second = ok(client.order_create({"externalId": "py-o2", "phone": "89007654321", "status": "complete"}, site), 201)
    equal(second["order"]["customer"]["id"], customer["id"], "customer of the second order")
    equal(second["order"]["firstName"], "Python", "contact from the customer")

    step("order get")
    got = ok(client.order("py-o1", "externalId", site))["order"]
    check(got["id"] == oid and got["number"] == f"{oid}A", f"by external id: {got}")
    by_id = ok(client.order(oid, "id", site))["order"]
    equal(by_id, got, "by id")
    missing = client.order("no-such", "externalId", site)
    check(missing.get_status_code() == 404 and missing.get_error_msg() == "Not found",
          f"missing: {missing.get_response()}")

    step("order edit")
    kettle = got["items"][0]["id"]
    edit = {
        "externalId": "py-o1",
        "status": "assembling",
        "items": [{"id": kettle, "quantity": 3}],
        "contragent": {"contragentType": "legal-entity", "legalName": "ООО Питон", "INN": "6300000001",
                       "OGRNIP": "304000000000000"},
    }
    edited = ok(client.order_edit(edit, "externalId", site))["order"]
    equal(edited["totalSumm"], 3300, "total after edit")
    equal(edited["contragent"], {"contragentType": "legal-entity", "legalName": "ООО Питон", "INN": "6300000001"},
          "contragent without what a legal entity lacks")

    step("orders list")
    listed = ok(client.orders({"externalIds": ["py-o1", "py-o2"], "sites": [site]}))
    equal(sorted(external_ids(listed)), ["py-o1", "py-o2"], "by external ids")
    equal(listed["pagination"]["totalCount"], 2, "total count")
    equal(external_ids(ok(client.orders({"extendedStatus": ["assembling"]}))), ["py-o1"], "by status")
    equal(external_ids(ok(client.orders({"product": "чайн", "city": "сама"}))), ["py-o1"], "by product and city")
    equal(external_ids(ok(client.orders({"contragentTypes": ["legal-entity"], "contragentInn": "6300000001"}))),
          ["py-o1"], "by contragent")
    equal(external_ids(ok(client.orders({"minPrice": 3000}, 20, 1))), ["py-o1"], "by price")
    equal(external_ids(ok(client.orders({"customer": "python", "statuses": ["complete"]}))), ["py-o2"],
          "by customer and status")
    bad = client.orders({}, 30)
    check(bad.get_status_code() == 400 and "limit" in bad.get_errors(), f"limit 30: {bad.get_response()}")

    step("orders upload")
    uploaded = ok(client.orders_upload([
        {"externalId": "py-o3", "email": "PY-ORDERS@example.com", "items": [{"productName": "Чашка", "initialPrice": 150}]},
        {"firstName": "Без id"},
    ], site), 201)["uploadedOrders"]
    equal(len(uploaded), 2, "uploaded")
    no_external = uploaded[1]["id"]
    third = ok(client.order("py-o3", "externalId", site))["order"]
    equal(third["customer"]["id"], customer["id"], "found by e-mail")

    step("orders fix-external-ids")
    ok(client.orders_fix_external_ids([{"id": no_external, "externalId": "py-o4"}], site))
    equal(ok(client.order("py-o4", "externalId", site))["order"]["id"], no_external, "fixed id")

    step("orders combine")
    ok(client.orders_combine({"id": third["id"]}, {"id": oid}, "summ"))
    combined = ok(client.order("py-o1", "externalId", site))["order"]
    equal([(i["productName"], i["quantity"]) for i in combined["items"]], [("Чайник", 3), ("Чашка", 1)],
          "items after combine")
    gone = client.order("py-o3", "externalId", site)
    body = gone.get_response()
    check(gone.get_status_code() == 404 and body.get("state") == "removed", f"removed: {body}")
    equal(body["combinedTo"]["id"], oid, "combinedTo")

    step("orders history")
    records = since_all(lambda since: ok(client.orders_history({"sinceId": since}, 20))["history"])
    mine = [r for r in records if r["order"]["id"] == oid]
    fields = [r["field"] for r in mine]
    expected = ["id", "contragent.inn", "contragent.contragent_type", "contragent.legal_name", "status",
                "order_product.quantity", "order_product", "order_product"]
    equal(fields, expected, "records of the order")
    check(mine[0].get("created") is True and mine[0]["order"]["items"][0]["productName"] == "Чайник",
          f"create: {mine[0]}")
    check(mine[4]["oldValue"] == {"code": "new"} and mine[4]["newValue"] == {"code": "assembling"}, f"status: {mine[4]}")
    check(mine[6]["oldValue"] == {"id": got["items"][1]["id"]} and mine[6]["newValue"] is None,
          f"removed item: {mine[6]}")
    check(mine[7]["oldValue"] is None and mine[7]["item"]["productName"] == "Чашка", f"combined item: {mine[7]}")
    check(all(r["apiKey"]["current"] is True and r["source"] == "api" for r in mine), f"key: {mine}")
    removed = [r for r in records if r["order"]["id"] == third["id"]]
    check([r["field"] for r in removed] == ["id", "id"] and removed[1].get("deleted") is True
          and removed[1]["combinedTo"]["id"] == oid, f"removed order: {removed}")
    one = ok(client.orders_history({"orderId": oid}, 100))
    equal([r["id"] for r in one["history"]], [r["id"] for r in mine], "orderId")
    fixed = ok(client.orders_history({"orderExternalId": "py-o4"}))
    equal([r["field"] for r in fixed["history"]], ["id", "external_id"], "fixed")

    step("order payments")
    last = records[-1]["id"]
    payment = {"order": {"externalId": "py-o1"}, "type": "cash", "status": "paid", "amount": 1000,
               "externalId": "py-pay-1"}
    pid = ok(client.order_payment_create(payment, site), 201)["id"]
    equal(ok(client.order("py-o1", "externalId", site))["order"]["prepaySum"], 1000, "prepaySum paid")
    ok(client.order_payment_edit({"externalId": "py-pay-1", "amount": 1500}, "externalId", site))
    equal(ok(client.order("py-o1", "externalId", site))["order"]["prepaySum"], 1500, "prepaySum by external id")
    ok(client.order_payment_edit({"id": pid, "status": "not-paid"}, "id", site))
    after = ok(client.order("py-o1", "externalId", site))["order"]
    check(after["prepaySum"] == 0 and after["payments"][str(pid)]["amount"] == 1500, f"not paid: {after}")
    ok(client.order_payment_delete(pid))
    check(not ok(client.order("py-o1", "externalId", site))["order"].get("payments"), "payment deleted")
    unknown = client.order_payment_delete(pid)
    check(unknown.get_status_code() == 404, f"deleted twice: {unknown.get_response()}")
    paid = ok(client.orders_history({"sinceId": last}, 20))["history"]
    equal([r["field"] for r in paid], ["payments", "payments.amount", "payments.status", "payments"],
          "payment records")
    check(paid[2]["oldValue"] == {"code": "paid"} and paid[2]["newValue"] == {"code": "not-paid"}
          and all(r["payment"]["id"] == pid for r in paid), f"payment records: {paid}")

    step("done")


if __name__ == "__main__":
    run(main)
