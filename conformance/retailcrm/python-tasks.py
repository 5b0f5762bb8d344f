"""The vendor's PyPI client `retailcrm` (pinned in requirements.txt) over tasks, telephony
calls and statistics against Twin, unchanged: only its base URL and API key point it here.

    TWIN_BASE=http://127.0.0.1:8080 RCRM_KEY=demo-retailcrm-key RCRM_SITE=demo-shop \\
        python python-tasks.py

Through the client's own methods: a customer to call -> task create (about the customer)
-> task get -> task edit (completed) -> tasks list with filters (exactly the expected
rows) -> tasks history (every record once with sinceId, one task's records) -> calls
upload (a duplicate named) -> statistic update and its refused retry. Exits 1 with a
message naming the failed step on the first mismatch.
"""

import os
import sys

import retailcrm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from steps import check, equal, required, run, since_all, step  # noqa: E402
from answers import ok  # noqa: E402


def ids(body):
    return [t["id"] for t in body["tasks"]]


def main():
    client = retailcrm.v5(required("TWIN_BASE"), required("RCRM_KEY"))
    site = required("RCRM_SITE")

    step("a customer to call")
    customer = {"externalId": "py-t-c", "firstName": "Python", "lastName": "Tasks",
                "phones": [{"number": "+7 900 222-33-44"}]}
    cid = ok(client.customer_create(customer, site), 201)["id"]

    step("task create")
    task = {"text": "Call back", "commentary": "about the order", "datetime": "2099-01-02 10:30",
            "performerId": 2, "customer": {"externalId": "py-t-c"}, "phone": "+79002223344"}
    tid = ok(client.task_create(task, site), 201)["id"]
    other = ok(client.task_create({"text": "Report", "performerId": 3}, site), 201)["id"]

    step("task get")
    got = ok(client.task(tid))["task"]
    equal(got["customer"], {"type": "customer", "id": cid, "externalId": "py-t-c", "site": site}, "customer")
    check(got["complete"] is False and got["datetime"] == "2099-01-02 10:30" and got["performer"] == 2,
          f"task: {got}")

    step("task edit")
    ok(client.task_edit({"id": tid, "complete": True, "text": "Called back"}, site))
    got = ok(client.task(tid))["task"]
    check(got["complete"] is True and got["text"] == "Called back" and "completedAt" in got, f"edited: {got}")

    step("tasks list")
    equal(ids(ok(client.tasks())), [tid, other], "all")
    equal(ids(ok(client.tasks({"status": "completed"}))), [tid], "completed")
    equal(ids(ok(client.tasks({"performers": [3]}))), [other], "performers")
    equal(ids(ok(client.tasks({"customer": "tasks"}, 50))), [tid], "customer")

    step("tasks history")
    records = since_all(lambda since: ok(client.tasks_history({"sinceId": since}, 20))["history"])
    equal([r["field"] for r in records], ["id", "id", "complete", "completed_at", "text"], "fields")
    check(records[0]["created"] is True and records[0]["task"]["text"] == "Call back", f"created: {records[0]}")
    one = ok(client.tasks_history({"taskId": other}))["history"]
    equal([r["task"]["id"] for r in one], [other], "taskId")

    step("telephony calls upload")
    calls = [{"date": "2024-05-01 10:00:00", "type": "in", "phone": "+79002223344", "userId": 2,
              "result": "answered", "duration": 60, "externalId": "py-call-1"}]
    answer = ok(client.telephony_calls_upload(calls))
    equal((answer["processedCallsCount"], answer["duplicateCalls"]), (1, []), "uploaded")
    answer = ok(client.telephony_calls_upload(calls))
    equal((answer["processedCallsCount"], answer["duplicateCalls"]), (0, ["py-call-1"]), "duplicate")

    step("statistic update")
    ok(client.statistic_update())
    again = client.statistic_update()
    check(again.get_status_code() == 400, f"retry within 60 s: {again.get_response()}")

    step("done")


if __name__ == "__main__":
    run(main)
