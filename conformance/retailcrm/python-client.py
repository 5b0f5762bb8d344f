"""The vendor's PyPI client `retailcrm` (pinned in requirements.txt) against Twin,
unchanged: only its base URL and API key point it here.

    TWIN_BASE=http://127.0.0.1:8080 RCRM_KEY=demo-retailcrm-key RCRM_SITE=demo-shop \\
        python python-client.py

Through the client's own methods: credentials -> customer create -> get by external id
and by id -> edit -> list with filters (exactly the expected rows) -> upload ->
fix-external-ids -> history (every record once with sinceId, one customer's records) ->
corporate customers: create with addresses and companies -> get -> edit -> addresses and
companies list/create/edit -> list with filters -> upload -> fix-external-ids -> history.
Exits 1 with a message naming the failed step on the first mismatch.
"""

import os
import sys

import retailcrm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from steps import check, required, run, since_all, step  # noqa: E402
from answers import ok  # noqa: E402


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
    records = since_all(lambda since: ok(client.customers_history({"sinceId": since}, 20))["history"])
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

    corporate(client, site)

    step("done")


def corporate(client, site):
    step("corporate create")
    doc = {
        "externalId": "py-corp-1",
        "nickName": "Python Corp",
        "addresses": [{"externalId": "py-a1", "name": "Office", "city": "Самара", "isMain": True}],
        "companies": [{"externalId": "py-c1", "name": "Python LLC", "address": {"externalId": "py-a1"},
                       "contragent": {"contragentType": "legal-entity", "INN": "6300000000"}}],
    }
    corp = ok(client.customer_corporate_create(doc, site), 201)["id"]

    step("corporate get")
    got = ok(client.customer_corporate("py-corp-1", "externalId", site))["customerCorporate"]
    check(got["id"] == corp and got["nickName"] == "Python Corp", f"by external id: {got}")
    check(got["mainAddress"]["externalId"] == "py-a1", f"main address: {got}")
    check(ok(client.customer_corporate(corp, "id", site))["customerCorporate"] == got, "by id")

    step("corporate edit")
    ok(client.customer_corporate_edit({"externalId": "py-corp-1", "nickName": "Python Corp 2"}, "externalId", site))
    got = ok(client.customer_corporate("py-corp-1", "externalId", site))["customerCorporate"]
    check(got["nickName"] == "Python Corp 2", f"edited: {got}")

    step("corporate addresses")
    # The client takes the corporate customer's id from the address document's own field.
    created = ok(client.customer_corporate_addresses_create({"id": corp, "text": "Склад"}, "id", site), 201)
    ok(client.customer_corporate_addresses_edit("py-corp-1", {"externalId": "py-a1", "city": "Тольятти"}, site=site))
    listed = ok(client.customer_corporate_addresses("py-corp-1", filters={"city": "тольят"}, site=site))
    check([a["externalId"] for a in listed["addresses"]] == ["py-a1"], f"by city: {listed}")
    everything = ok(client.customer_corporate_addresses(corp, "id", site=site))["addresses"]
    check([a["isMain"] for a in everything] == [True, False], f"main: {everything}")
    check(everything[1]["id"] == created["id"], f"ids: {everything}")

    step("corporate companies")
    ok(client.customer_corporate_companies_create({"id": corp, "externalId": "py-c2", "name": "Second"}, "id", site), 201)
    ok(client.customer_corporate_companies_edit("py-corp-1", {"externalId": "py-c2", "brand": "Brand"}, site=site))
    companies = ok(client.customer_corporate_companies("py-corp-1", site=site))["companies"]
    check([c["externalId"] for c in companies] == ["py-c1", "py-c2"], f"companies: {companies}")
    check(companies[0]["isMain"] is True and companies[0]["address"]["city"] == "Самара", f"first: {companies[0]}")
    check(companies[1]["brand"] == "Brand", f"second: {companies[1]}")

    step("corporate upload, fix-external-ids and list")
    uploaded = ok(client.customers_corporate_upload([{"nickName": "Uploaded"}], site), 201)["uploadedCustomers"]
    ok(client.customers_corporate_fix_external_ids([{"id": uploaded[0]["id"], "externalId": "py-corp-2"}], site))
    listed = ok(client.customers_corporate({"name": "python", "sites": [site]}))
    check([c["id"] for c in listed["customersCorporate"]] == [corp], f"by name: {listed}")
    listed = ok(client.customers_corporate({"externalIds": ["py-corp-1", "py-corp-2"]}, 20, 1))
    check(listed["pagination"]["totalCount"] == 2, f"by external ids: {listed}")

    step("corporate history")
    records = ok(client.customers_corporate_history({"customerId": corp}, 100))["history"]
    fields = [r["field"] for r in records]
    expected = ["id", "address", "company", "nick_name", "address", "address.city", "address.text",
                "company", "company.brand"]
    check(fields == expected, f"records: {fields}")
    check(records[3]["oldValue"] == "Python Corp" and records[3]["newValue"] == "Python Corp 2",
          f"edit: {records[3]}")
    check(records[0].get("created") is True and records[5]["oldValue"] == "Самара", f"records: {records}")
    check(all(r["customer"]["id"] == corp and r["apiKey"]["current"] is True for r in records), "owner")
    fixed = ok(client.customers_corporate_history({"customerExternalId": "py-corp-2"}))["history"]
    check([r["field"] for r in fixed] == ["id", "external_id"], f"fixed: {fixed}")


if __name__ == "__main__":
    run(main)
