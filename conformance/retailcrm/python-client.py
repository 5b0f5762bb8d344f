"""The vendor's PyPI client `retailcrm` (pinned in requirements.txt) against Twin,
unchanged: only its base URL and API key point it here.

    TWIN_BASE=http://127.0.0.1:8080 RCRM_KEY=demo-retailcrm-key RCRM_SITE=demo-shop \\
        python python-client.py

Through the client's own methods: credentials -> customer create -> get by external id
and by id -> edit -> list with filters (exactly the expected rows) -> upload ->
fix-external-ids -> history (every record once with sinceId, one customer's records).
Exits 1 with a message naming the failed step on the first mismatch.
"""

import os
import sys
import traceback

import retailcrm

STEP = "start"


def fail(message):
    print(f'python-client: FAILED at "{STEP}": {message}', file=sys.stderr, flush=True)
    sys.exit(1)


def required(name):
    value = os.environ.get(name)
    if not value:
        fail(f"environment variable {name} is not set")
    return value


def check(condition, message):
    if not condition:
        fail(message)


def ok(response, status=200):
    body = response.get_response()
    check(response.get_status_code() == status, f"status {response.get_status_code()}: {body}")
    check(response.is_successful() and body.get("success") is True, f"not successful: {body}")
    return body


def step(name):
    global STEP
    STEP = name
    print(f"python-client: {name}", flush=True)


def main():
    client = retailcrm.v5(required("TWIN_BASE"), required("RCRM_KEY"))
    site = required("RCRM_SITE")

    step("credentials")
    body = ok(client.api_credentials())
    check(site in body["sitesAvailable"], f"site {site} not available: {body}")
    check("customer_write" in body["scopes"], f"scopes: {body}")

    step("customer create")
    customer = {
        "externalId": "py-1",
        "firstName": "Python",
        "lastName": "Client",
        "email": "py@example.com",
        "phones": [{"number": "+7 900 123-45-67"}],
        "address": {"city": "Самара"},
    }
    created = ok(client.customer_create(customer, site), 201)
    cid = created["id"]

    step("customer get")
    got = ok(client.customer("py-1", "externalId", site))["customer"]
    check(got["id"] == cid and got["email"] == "py@example.com", f"by external id: {got}")
    by_id = ok(client.customer(cid, "id", site))["customer"]
    check(by_id == got, f"by id: {by_id} != {got}")
    missing = client.customer("no-such", "externalId", site)
    check(missing.get_status_code() == 404, f"missing: {missing.get_response()}")
    check(missing.get_error_msg() == "Not found", f"missing: {missing.get_response()}")

    step("customer edit")
    ok(client.customer_edit({"externalId": "py-1", "lastName": "Клиент", "vip": True}, "externalId", site))
    edited = ok(client.customer("py-1", "externalId", site))["customer"]
    check(edited["lastName"] == "Клиент" and edited["vip"] is True, f"edited: {edited}")

    step("customers upload")
    uploaded = ok(client.customers_upload([{"externalId": "py-2", "firstName": "Второй"}, {"firstName": "Без id"}], site), 201)
    check(len(uploaded["uploadedCustomers"]) == 2, f"uploaded: {uploaded}")
    no_external = uploaded["uploadedCustomers"][1]["id"]

    step("customers fix-external-ids")
    ok(client.customers_fix_external_ids([{"id": no_external, "externalId": "py-3"}], site))
    check(ok(client.customer("py-3", "externalId", site))["customer"]["id"] == no_external, "fixed id")

    step("customers list")
    listed = ok(client.customers({"name": "python", "sites": [site]}))
    check([c["id"] for c in listed["customers"]] == [cid], f"by name: {listed}")
    listed = ok(client.customers({"externalIds": ["py-2", "py-3"]}, 20, 1))
    check(sorted(c["externalId"] for c in listed["customers"]) == ["py-2", "py-3"], f"by external ids: {listed}")
    check(listed["pagination"]["totalCount"] == 2, f"pagination: {listed}")
    listed = ok(client.customers({"vip": 1, "city": "сам"}))
    check([c["id"] for c in listed["customers"]] == [cid], f"vip in Samara: {listed}")
    everyone = ok(client.customers())
    check(everyone["pagination"]["totalCount"] >= 3, f"all: {everyone}")
    bad = client.customers({}, 30)
    check(bad.get_status_code() == 400 and "limit" in bad.get_errors(), f"limit 30: {bad.get_response()}")

    step("customers history")
    records = []
    since = 0
    while True:
        page = ok(client.customers_history({"sinceId": since}, 20))
        if not page["history"]:
            break
        records.extend(page["history"])
        since = page["history"][-1]["id"]
    ids = [r["id"] for r in records]
    check(ids == sorted(set(ids)), f"ids not increasing once each: {ids}")
    mine = [r for r in records if r["customer"]["id"] == cid]
    fields = [r["field"] for r in mine]
    check(fields == ["id", "last_name", "vip"], f"records of the customer: {fields}")
    check(mine[0].get("created") is True and mine[0]["customer"]["email"] == "py@example.com", f"create: {mine[0]}")
    check(mine[1]["oldValue"] == "Client" and mine[1]["newValue"] == "Клиент", f"edit: {mine[1]}")
    check(all(r["apiKey"]["current"] is True and r["source"] == "api" for r in mine), f"key: {mine}")
    one = ok(client.customers_history({"customerId": cid}))
    check([r["id"] for r in one["history"]] == [r["id"] for r in mine], f"customerId: {one}")
    fixed = ok(client.customers_history({"customerExternalId": "py-3"}))
    check([r["field"] for r in fixed["history"]] == ["id", "external_id"], f"fixed: {fixed}")

    step("done")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - any failure of the client is a failed run
        fail(traceback.format_exc())
