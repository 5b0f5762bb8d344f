#!/usr/bin/env python3
"""Regenerates conformance/salesdoc/*.json, the SalesDoc golden cases, from the vendor docs.

Usage: scripts/salesdoc-golden.py [REF_DIR] [OUT_DIR]
  REF_DIR defaults to ../shared/ref/salesdoc (the en/ and ru/ folders of the docs),
  OUT_DIR to conformance/salesdoc next to this script.

Every JSON request example of a method becomes one case, paired with the answer the same
section documents (or, where a section shows none, the answer named in FALLBACK_RESPONSE /
the common SET answer; see conformance/salesdoc/README.md). A ru example whose JSON differs
from its en twin becomes a second case, `<name>-ru`. The hand-written tables below say what
prose cannot be parsed into: which cases run first (GIVEN), the few blocks that are not JSON
(JSONC), the answers the docs give only in words. Files whose name is not generated here are
left alone; generated files are overwritten.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REF = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared/ref/salesdoc"
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "conformance/salesdoc"

# Cases sent first, in this order (each with its own GIVEN first): the records the example
# refers to by code_1C, and for get methods the records that make the list non-empty.
GIVEN = {
    "setProduct": ["setProductCategory", "setProductSubCategory", "setProductGroup", "setUnit", "setBrand"],
    "setProductCategory": ["fixture-unit-CODE_000001"],
    "setProductSubCategory": ["fixture-unit-CODE_000001"],
    "setPriceType": ["setPaymentType"],
    "setPrice": ["setProduct", "setPriceType"],
    "setClient": ["setClientCategory", "setClientType", "setClientChannel", "setTerritory", "setPriceType", "setAgent"],
    "setClientPhone": ["setClient"],
    "setVisit": ["setClient"],
    "setStock": ["setWarehouse", "setProduct", "fixture-product-000000016"],
    "setPurchase": ["setPriceType", "setWarehouse", "setProduct", "fixture-product-000000016"],
    "setMovement": ["setPurchase", "fixture-warehouse-WH002"],
    "setVsExchange": ["setPurchase", "setAgent"],
    "setMovingToFilial": ["fixture-purchase-FIL001", "fixture-warehouse-WH001-S-FIL002"],
    "setMovementBetweenFilial": ["fixture-purchase-FIL001"],
    "setMovementFilialPending": ["setMovementBetweenFilial"],
    "setSupplierReturn": ["setPurchase"],
    "setExcretion": ["setPurchase"],
    "setCorrection": ["setPurchase"],
    "setOrder": ["setClient", "setExpeditor", "setPrice", "setPurchase"],
    "setDeletedOrder": ["setOrder"],
    "setStatus": ["setOrder"],
    "setCode": ["setOrder"],
    "syncOrder": ["setOrder"],
    "setOrderDefect": ["setOrder"],
    "setPayment": ["setOrder"],
    "setBalance": ["setClient", "setPaymentType"],
    "setCurrentBalance": ["setClient", "setPaymentType"],
    "setConsumption": ["setPaymentType"],
    "setPhoto": ["setProduct"],
    "setPhoto-with-image-id": ["setPhoto-with-base64-data"],
    "getValyutaType": ["setValyutaType"],
    "getUnit": ["setUnit"],
    "getClientCategory": ["setClientCategory"],
    "getProduct": ["setProduct"],
    "getProductCategory": ["setProductCategory"],
    "getProductSubCategory": ["setProductSubCategory"],
    "getProductGroup": ["setProductGroup"],
    "getPriceType": ["setPriceType"],
    "getPrice": ["setPrice"],
    "getClient": ["setClient"],
    "getAgent": ["setAgent"],
    "getExpeditor": ["setExpeditor"],
    "getPaymentType": ["setPaymentType"],
    "getPayment": ["setPayment"],
    "getTerritory": ["setTerritory"],
    "getBrand": ["setBrand"],
    "getClientChannel": ["setClientChannel"],
    "getClientType": ["setClientType"],
    "getVisit": ["setVisit"],
    "getWarehouse": ["setWarehouse"],
    "getStock": ["setPurchase"],
    "getStockForDate": ["setPurchase"],
    "getOrder": ["setOrder"],
    "getOrderDefect": ["setOrderDefect"],
    "getBalance": ["setBalance"],
    "getConsumption": ["setConsumption"],
    "getInventory": ["setStock"],
    "getStoreLog": ["setPurchase"],
    "getCorrection": ["setCorrection"],
    "getPurchase": ["setPurchase"],
    "getMovement": ["setMovement"],
    "getVsExchange": ["setVsExchange"],
    "getMovementBetweenFilial": ["setMovementFilialPending", "fixture-warehouse-WH001-S-FIL002"],
    "getPhoto": ["setPhoto-with-base64-data"],
    "deleteClientPending": ["setClient"],
}

# Why a case's GIVEN is not the documented flow, per method.
GIVEN_NOTE = {
    "getMovementBetweenFilial": "given setMovementFilialPending, whose movement is approved in admin (`admin`): "
    "the example shows it received into the Samarkand warehouse `WH001-S`, which only an approved movement has",
    "deleteClientPending": "given setClient, whose category, type, channel, territory and agent the requests it "
    "deletes link",
}

# Hand-written setup cases, not documented examples: records that documented examples name
# by code_1C and no documented example creates (a link that finds nothing fails the item),
# or makes in a filial what documented examples make in none (FILIAL_FIXTURES).
FIXTURES = {
    "fixture-unit-CODE_000001": {
        "method": "setUnit",
        "section": "10.2",
        "issue": 10,
        "source": "fixture, not a documented example",
        "note": "setup only: setProductCategory, setProductSubCategory and setProduct (10.6-10.8) link the "
        "unit `CODE_000001`, which no documented example creates (setUnit's is `pc`); the unit is made here "
        "the way setUnit's example makes its own",
        "request": {
            "method": "setUnit",
            "auth": {"userId": "d0_1", "token": "..."},
            "data": {"unit": [{"code_1C": "CODE_000001", "name": "Piece", "short": "pc", "active": True}]},
        },
    },
    "fixture-warehouse-WH002": {
        "method": "setWarehouse",
        "section": "11.1",
        "issue": 11,
        "source": "fixture, not a documented example",
        "note": "setup only: setMovement (11.4) transfers to the warehouse `WH002`, which no documented example "
        "creates (setWarehouse's is `WH001`); it is made here the way setWarehouse's example makes its own",
        "request": {
            "method": "setWarehouse",
            "auth": {"userId": "d0_1", "token": "..."},
            "data": {"warehouse": [{"code_1C": "WH002", "name": "Agent warehouse", "active": True}]},
        },
    },
    "fixture-product-000000016": {
        "method": "setProduct",
        "section": "10.6",
        "issue": 10,
        "source": "fixture, not a documented example",
        "given": ["fixture-unit-CODE_000001"],
        "note": "setup only: setStock (11.2) and setPurchase (11.3) name the product `000000016`, which no "
        "documented example creates (setProduct's is `000000015`); it is made here the way setProduct's example makes its own",
        "request": {
            "method": "setProduct",
            "auth": {"userId": "d0_1", "token": "..."},
            "data": {"product": [{"code_1C": "000000016", "name": "Fanta 1.5L", "active": True,
                                  "unit": {"code_1C": "CODE_000001"}}]},
        },
    },
}

# The filials the examples name (getFilials' answer: FIL001 `F1`, FIL002 `F2`), made in
# admin (`PUT salesdoc/filials`, the same list each time) by every fixture that works in one.
FILIALS = {
    "method": "PUT",
    "path": "salesdoc/filials",
    "body": {"filials": [
        {"filial_id": "FIL001", "name": "Tashkent", "domain": "tashkent.example.com", "prefix": "F1"},
        {"filial_id": "FIL002", "name": "Samarkand", "domain": "samarkand.example.com", "prefix": "F2"},
    ]},
}
FILIAL_NOTE = (
    "; the filials FIL001 (`F1`) and FIL002 (`F2`) of getFilials' example are made in admin first (`admin`: "
    "no API method makes a filial)"
)


def in_filial(filial, like, given, note, data):
    """A fixture that sends `like`'s method in `filial` (`filial.filial_id`) with `data`."""
    method, section, issue = like
    case = {"method": method, "section": section, "issue": issue, "source": "fixture, not a documented example"}
    if given:
        case["given"] = given
    case["admin"] = [FILIALS]
    case["note"] = f"setup only: {note}{FILIAL_NOTE}"
    case["request"] = {
        "method": method,
        "auth": {"userId": "d0_1", "token": "..."},
        "filial": {"filial_id": filial},
        "data": data,
    }
    return case


# The movements between filials (11.6-11.8, 9.46) work in FIL001 and name what lives there:
# the price type `000000001`, the warehouse `WH001` (`F1-d0_1`: the account's first
# warehouse) with the stock they move, and in FIL002 the warehouse `WH001-S` (getMovement-
# BetweenFilial's `to_store`). No documented example makes them in a filial.
FILIAL_FIXTURES = {
    "fixture-payment-type-FIL001": in_filial(
        "FIL001", ("setPaymentType", "10.10", 10), None,
        "the price type of FIL001 links the payment type `000000001` of its filial; made there the way "
        "setPaymentType's example makes its own",
        {"paymentType": [{"code_1C": "000000001", "name": "Cash (UZS)", "short": "cash", "active": True}]},
    ),
    "fixture-price-type-FIL001": in_filial(
        "FIL001", ("setPriceType", "10.11", 10), ["fixture-payment-type-FIL001"],
        "the movements between filials (11.6, 11.7) name the price type `000000001` of FIL001; made there the "
        "way setPriceType's example makes its own",
        {"valyutaType": [{"code_1C": "UZS", "name": "UZS", "short": "UZS", "active": True}],
         "priceType": [{"code_1C": "000000001", "name": "Retail price", "active": True, "forClient": True,
                        "paymentType": {"code_1C": "000000001"}, "valyutaType": {"code_1C": "UZS"}}]},
    ),
    "fixture-warehouse-WH001-FIL001": in_filial(
        "FIL001", ("setWarehouse", "11.1", 11), None,
        "the movements between filials (11.6, 11.7) move from the warehouse `WH001` of FIL001 (`F1-d0_1`); "
        "made there the way setWarehouse's example makes its own",
        {"warehouse": [{"code_1C": "WH001", "name": "Main warehouse", "active": True}]},
    ),
    "fixture-warehouse-WH001-S-FIL002": in_filial(
        "FIL002", ("setWarehouse", "11.1", 11), None,
        "setMovingToFilial (11.6) moves into a warehouse of FIL002, and getMovementBetweenFilial (9.46) shows "
        "the movement received into `WH001-S` (Samarkand warehouse); made there the way setWarehouse's example "
        "makes its own",
        {"warehouse": [{"code_1C": "WH001-S", "name": "Samarkand warehouse", "active": True}]},
    ),
    "fixture-purchase-FIL001": in_filial(
        "FIL001", ("setPurchase", "11.3", 11),
        ["fixture-price-type-FIL001", "fixture-warehouse-WH001-FIL001", "setProduct", "fixture-product-000000016"],
        "the movements between filials (11.6, 11.7) move stock out of `WH001` of FIL001; setPurchase's example "
        "receives it there",
        {"purchase": [{"date": "2025-06-15 10:00:00", "comment": "Purchase from supplier",
                      "priceType": {"code_1C": "000000001"}, "store": {"code_1C": "WH001"},
                      "shipper": {"code_1C": "SHIP001"},
                      "products": [{"code_1C": "000000015", "quantity": 100, "price": 12000.0},
                                   {"code_1C": "000000016", "quantity": 50, "price": 11500.0,
                                    "mfg_date": "2025-01-10", "exp_date": "2026-01-10"}]}]},
    ),
}
FIXTURES.update(FILIAL_FIXTURES)


# Documented answers a fresh account cannot give, per method: (fix, note).
def no_trade(response):
    for product in response["result"]["product"]:
        product["trade"] = {"CS_id": None, "SD_id": None, "code_1C": None}
    return response


def null_at(*path):
    """A fix that sets the member at `path` to null: one no API call can fill."""

    def fix(response):
        target = response
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = None
        return response

    return fix


def null_members(*path):
    """A fix that keeps the object at `path` with every member null: a link no API call can make."""

    def fix(response):
        target = response
        for step in path:
            target = target[step]
        for member in target:
            target[member] = None
        return response

    return fix


def uncoded_consumption(response):
    consumption = response["result"]["consumption"][0]
    for member in (consumption, consumption["category_parent"], consumption["category_child"]):
        member["code_1C"] = None
    return response


RESPONSE_FIX = {
    "getVsExchange": (
        null_at("result", "vsExchange", 0, "code_1C"),
        "setVsExchange's example sends no `code_1C`, so the exchange it makes has none: `code_1C` is null",
    ),
    "getConsumption": (
        uncoded_consumption,
        "the operation setConsumption's example makes has no code_1C, nor have the categories it files it "
        "under (made by name): their `code_1C` is null",
    ),
    "getMovementBetweenFilial": (
        null_members("result", "movement", 0, "shipper"),
        "setMovementBetweenFilial takes no supplier (its fields name none), so a movement made through the API "
        "names none: `shipper` is shown with null members",
    ),
    "getProduct": (
        no_trade,
        "no documented method sets a product's trade direction (`trade`): in a fresh account it is "
        "shown with null identifiers",
    ),
    "getTerritory": (
        null_at("result", "city", 0, "region"),
        "regions have no SET method (seeded in admin only), so the city setTerritory made has no "
        "region: `city[].region` is null",
    ),
    "getClient": (
        null_at("result", "client", 0, "expeditor"),
        "setClient takes no expeditor, so a client made through the API has none: `expeditor` is null",
    ),
}

# Ids the twin makes up where the docs print theirs: JSON pointers into the documented
# answers of a case's given cases; the runner sends the twin's id where the request sends
# the documented one (conformance/salesdoc/README.md, `carry`).
CARRY = {
    "setPhoto-with-image-id": ["/result/imageId"],
    "getPhoto": ["/result/imageId"],
}
CARRY_NOTE = (
    "the `imageId` setPhoto's documented answer gives (`d0_15_abc123.jpg`) is the twin's own: the runner "
    "sends the one the twin answered (`carry`)"
)

# The docs' base64 ends in `...`; the case sends a whole 1x1 JPEG that starts with the printed text.
WHOLE_JPEG = (
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////////////////////////////////////////////////////"
    "//////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxD/2Q=="
)


def whole_image(request):
    assert WHOLE_JPEG.startswith(request["data"]["imageData"].rstrip("."))
    request["data"]["imageData"] = WHOLE_JPEG
    return request


def first_order(request):
    """The example's order `d0_300` becomes the first document a fresh account numbers, `d0_1`."""
    text = json.dumps(request).replace('"d0_300"', '"d0_1"')
    return json.loads(text)


def first_order_only(request):
    """syncOrder's example: its order as `d0_1`, without the exchange `d0_301`."""
    request = first_order(request)
    request["data"] = [item for item in request["data"] if "code_order" in item]
    return request


def twin_ids(ids):
    """A fix that sends, wherever the request sends a documented id (a key of `ids`), the
    twin's (its value)."""

    def fix(request):
        def walk(value):
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(v) for v in value]
            if not isinstance(value, bool) and value in ids:
                return ids[value]
            return value

        return walk(request)

    return fix


def main_cashbox(request):
    for consumption in request["data"]["consumption"]:
        consumption["cashbox"] = {"SD_id": "1"}
    return request


# Requests that cannot be sent as printed, per case: (fix, note).
REQUEST_FIX = {
    "setCode": (
        first_order,
        "the example names the order `d0_300`; in a fresh account the order setOrder's example made is the "
        "first document numbered, `d0_1`, which the case sends instead",
    ),
    "syncOrder": (
        first_order_only,
        "the example names the order `d0_300` and the exchange `d0_301`; in a fresh account the order setOrder's "
        "example made is `d0_1`, which the case sends instead, and exchanges are seeded in admin only (no API "
        "method makes one), so the exchange's item is left out (syncOrder on exchanges: salesdoc::orders)",
    ),
    "setConsumption": (
        main_cashbox,
        "its cashbox `SD_id` d0_1 is sent as `1`: every other example numbers cashboxes plainly (getCashbox, "
        "getPayment, getConsumption: `1`), and a fresh filial's main cashbox is `1`",
    ),
    "setPayment": (
        twin_ids({"d0_300": "d0_1"}),
        "its order link names the order `SD_id` d0_300; the case sends the twin's id for it, `d0_1`: the order "
        "setOrder's example made, a fresh account's first document (its trade direction `1` is the one seeded "
        "in admin for setOrder)",
    ),
    "setMovingToFilial": (
        twin_ids({"F2-d0_1": "F2-d0_2"}),
        "`storeFrom` F1-d0_1 is sent as printed (the account's first warehouse, `WH001` of FIL001), but "
        "`movingTo.storeTo` F2-d0_1 cannot exist beside it (SD_ids are numbered per account, not per filial): "
        "the case sends `F2-d0_2`, the twin's id of the FIL002 warehouse `WH001-S` made after it",
    ),
    "setMovementFilialPending": (
        twin_ids({95: "d0_1"}),
        "the example names the movement by the vendor's `SD_id` 95, which a fresh account has not; the case "
        "sends `d0_1`, the twin's id of the movement setMovementBetweenFilial's example made",
    ),
    "deleteClientPending": (
        twin_ids({"d0_500": "d0_1"}),
        "the example deletes the request `SD_id` d0_500, which a fresh account has not; the case sends `d0_1`, "
        "the twin's id of the first request seeded in admin (`PEND002` is seeded with its printed code)",
    ),
    "setPhoto-with-base64-data": (
        whole_image,
        "the docs cut `imageData` short (`/9j/4AAQSkZJRgABAQ...`, not base64): the case sends a whole 1x1 "
        "JPEG that begins with the printed text",
    ),
}

# Admin calls a case needs first, per case (en and ru): records no API method makes, made
# through the admin API after the case's `given` (conformance/salesdoc/README.md, `admin`).
VAN_OF_AGENT_3 = {
    "method": "POST",
    "path": "salesdoc/references/vanWarehouse",
    "body": {"records": [{"code_1C": "VAN000003", "name": "Van of agent 000000003",
                          "agent": {"code_1C": "000000003"}}]},
}
# The trade direction the examples name (`SD_id` 1, getTradeDirection's "Main direction",
# `TD001` as getOrder's filter alternative): an order takes its filial's first one.
MAIN_DIRECTION = {
    "method": "POST",
    "path": "salesdoc/references/tradeDirection",
    "body": {"records": [{"code_1C": "TD001", "name": "Main direction", "desc": "Description", "active": True}]},
}
# Two client requests as an agent makes them (setClient's example, `createdBy` its agent):
# the first numbered `d0_1`, the second with the printed code `PEND002`.
PENDING_REQUEST = {
    "shortName": "New Shop", "firmName": "New Shop LLC", "address": "15 Chilanzar St", "tel": "+998901234567",
    "clientCategory": {"code_1C": "000000001"}, "clientType": {"code_1C": "TP001"},
    "clientChannel": {"code_1C": "CH001"}, "territory": {"code_1C": "000000001"},
    "createdBy": {"code_1C": "000000003"},
}
CLIENT_REQUESTS = {
    "method": "POST",
    "path": "salesdoc/client-pending",
    "body": {"records": [PENDING_REQUEST, dict(PENDING_REQUEST, code_1C="PEND002", shortName="Corner")]},
}
# FIL002 receives the movement setMovementFilialPending sent (`d0_1`) into `WH001-S`.
APPROVE_MOVEMENT = {
    "method": "POST",
    "path": "salesdoc/filial-movements/d0_1/approve",
    "body": {"filial_id": "FIL001", "storeTo": {"code_1C": "WH001-S"}},
}
ADMIN = {
    "setVsExchange": (
        [VAN_OF_AGENT_3],
        "the agent `000000003` must sell from a van: its van warehouse is seeded in admin (`admin`), as no "
        "API method makes one",
    ),
    "setOrder": (
        [MAIN_DIRECTION],
        "the trade direction the examples name (getTradeDirection's `Main direction`) is seeded in admin first "
        "(`admin`: no API method makes one); the order takes it as its filial's first",
    ),
    "deleteClientPending": (
        [CLIENT_REQUESTS],
        "the two requests it deletes are seeded in admin first (`admin`: agents make them, no API method does)",
    ),
    "getMovementBetweenFilial": (
        [APPROVE_MOVEMENT],
        "FIL002's approval, which API V2 has no method for, is given in admin (`admin`), receiving the "
        "movement into `WH001-S`",
    ),
}

# The account clock the runner freezes first: getStoreLog answers only 20:00-07:00 server
# time (22:00 UTC is inside that window for any server zone from UTC-1 to UTC+9).
CLOCK = {"getStoreLog": "2025-06-30T22:00:00Z"}

# Sections whose answer is documented elsewhere: (section, method) -> (section, note).
FALLBACK_RESPONSE = {
    ("9.28", "getOrderReplace"): ("9.27", "the docs give getOrderDefect's answer (9.27) for it, with type 3"),
    ("15.2", "getStoreLog"): ("9.40", "15.2 refers to 9.40 for the answer"),
    ("15.3", "getClientPending"): ("9.41", "15.3 refers to 9.41 for the answer"),
}

# Answers the docs describe only in words.
PROSE_RESPONSE = {
    "getPhoto": (
        None,
        "the answer is the image itself (Content-Type image/*), not JSON",
    ),
    "syncOrder": (
        {"status": True, "result": {"completed": [{"SD_id": "d0_300", "code_order": "ORD000001", "status": 3}], "failed": []}},
        "answer inferred from 12.6's prose: arrays `completed` (the data items processed) and `failed` (items with `error`)",
    ),
}

# Sections the issues build them in (issue 10 is everything else).
ISSUE_11 = {
    "getWarehouse", "getDefectWarehouse", "getStock", "getStockForDate", "getInventory", "getShipper", "getStoreLog",
    "getCorrection", "getPurchase", "getMovement", "getVsExchange", "getMovementBetweenFilial", "setWarehouse",
    "setStock", "setPurchase", "setMovement", "setVsExchange", "setMovingToFilial", "setMovementBetweenFilial",
    "setMovementFilialPending", "setSupplierReturn", "setExcretion", "setCorrection",
}
ISSUE_12 = {
    "getOrder", "getOrderDefect", "getOrderReplace", "getPayment", "getBalance", "getConsumption", "getCashbox",
    "getPaymentConfirmation", "getBonus", "getPRCategory", "getPhotoReport", "getClientPending",
    "deleteClientPending", "setOrder", "setDeletedOrder", "setStatus", "setCode", "setOrderDefect", "syncOrder",
    "setPayment", "setBalance", "setCurrentBalance", "setConsumption", "setPhoto", "getPhoto",
}


def issue_of(method):
    return 11 if method in ISSUE_11 else 12 if method in ISSUE_12 else 10


def code_blocks(path):
    """(line, label, heading, text) of every fenced block; label is the last prose line before it."""
    lines = path.read_text().split("\n")
    heading, label, i = "", "", 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^#{2,4} ", line):
            heading, label = line.lstrip("#").strip(), ""
        elif line.startswith("```"):
            end = i + 1
            while not lines[end].startswith("```"):
                end += 1
            yield i + 1, label, heading, "\n".join(lines[i + 1 : end])
            i = end
        elif line.strip() and not line.startswith("|") and not line.startswith(">"):
            label = line.strip()
        i += 1


def jsonc(text):
    """The block as JSON: `//` comments and trailing commas removed (two blocks have them)."""
    text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def slug(label):
    text = re.sub(r"\(`[^)]*`\)|`[^`]*`|\*\*", "", label)
    text = re.sub(r"^\s*(\d+)\.\s*", lambda m: f"{int(m.group(1)):02d}-", text)
    text = re.sub(r"\brequest\b", "", text, flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def section_of(heading):
    found = re.match(r"(\d+\.\d+)\.\s+`(\w+)`", heading)
    return found.groups() if found else (None, None)


def examples(lang):
    """Every JSON request example of the docs in `lang`, with its section's answer."""
    sections = {}
    for path in sorted((REF / lang).glob("0*.md")):
        for line, label, heading, text in code_blocks(path):
            section, method = section_of(heading)
            if path.name.startswith("01"):
                if "`login`" in heading:
                    section, method = "2", "login"
                elif heading.startswith("5. "):
                    section, method = "5", "getProduct"
            if not method:
                continue
            try:
                body, fixed = json.loads(text), False
            except json.JSONDecodeError:
                body, fixed = jsonc(text), True
            entry = sections.setdefault((section, method), {"requests": [], "response": None})
            where = f"{lang}/{path.name}:{line}"
            if "method" in body:
                entry["requests"].append((where, label, body, fixed, text))
            elif "status" in body:
                entry["response"] = (where, body)
    return sections


def set_response(request):
    """The common SET answer (07, 'Common SET response format') keyed by the request's groups."""
    data = request.get("data")
    groups = [key for key, value in data.items() if isinstance(value, list)] if isinstance(data, dict) else []
    record = {"CS_id": "...", "SD_id": "...", "code_1C": "..."}
    keyed = {group: [dict(record)] for group in groups}
    answer = {"status": True, "result": {"completed": 1, "error": 0, "data": keyed}}
    if groups:
        return answer, "the common SET answer (07) with the request's groups as keys"
    return answer, "the common SET answer (07); the docs name no key for a `data` array, so any object"


def cases_of(lang):
    sections = examples(lang)
    seen_methods, out = set(), []
    for (section, method), entry in sections.items():
        requests = entry["requests"]
        if not requests:
            continue
        base = method
        if section == "5":
            base = f"{method}-pagination"
        elif method in seen_methods and section.startswith("15."):
            base = f"{method}-{section}"
        seen_methods.add(method)
        for where, label, request, fixed, text in requests:
            name = base
            if len(requests) > 1 and slug(label):
                name = f"{base}-{slug(label)}"
            notes, response = [], None
            if method == "login":
                notes.append("`auth` becomes the runner's own login and password (logins are unique across accounts)")
            if entry["response"]:
                response = entry["response"][1]
            elif section == "5":
                response = sections[("9.4", "getProduct")]["response"][1]
                notes.append("01-general §5's paging example; the answer is getProduct's (9.4)")
            elif (section, method) in FALLBACK_RESPONSE:
                other, note = FALLBACK_RESPONSE[(section, method)]
                response = next(e["response"][1] for (s, _), e in sections.items() if s == other)
                notes.append(note)
            elif method in PROSE_RESPONSE:
                response, note = PROSE_RESPONSE[method]
                notes.append(note)
            elif method.startswith(("set", "delete")):
                response, note = set_response(request)
                notes.append(note)
            else:
                raise SystemExit(f"{where}: no answer for {method}")
            if method in GIVEN_NOTE:
                notes.append(GIVEN_NOTE[method])
            if method in RESPONSE_FIX:
                fix, note = RESPONSE_FIX[method]
                response = fix(json.loads(json.dumps(response)))
                notes.append(note)
            variants = [(name, request)]
            if fixed:
                notes.append("the block is not JSON as printed (`//` comments, a trailing comma): sent without them")
                variants += alternatives(name, text)
            for variant, body in variants:
                case = {"method": method, "section": section, "issue": issue_of(method), "source": where}
                given = GIVEN.get(variant) or GIVEN.get(name) or GIVEN.get(method)
                if given:
                    case["given"] = given
                if method in CLOCK:
                    case["clock"] = CLOCK[method]
                extra = [] if variant == name else ["the commented-out identifier of the same block used instead"]
                if notes or extra:
                    case["note"] = "; ".join(notes + extra)
                case["request"], case["response"] = body, response
                out.append((variant, case))
    return out


def alternatives(name, text):
    """The commented-out identifiers of a block (`// "SD_id": "d0_1"`) as cases of their own."""
    found = re.findall(r'^\s*//\s*("(\w+)"\s*:\s*"[^"]*"),?\s*$', text, flags=re.M)
    out = []
    for pair, key in found:
        chosen = re.sub(r'^(\s*)"CS_id"\s*:\s*"[^"]*",?\s*$', r"\1" + pair, text, flags=re.M)
        out.append((f"{name}-by-{key.lower().replace('_', '-')}", jsonc(chosen)))
    return out


# Methods the first part of issue 10 builds first; every other case starts as a known failure.
FIRST = {"login", "getValyutaType", "setValyutaType", "getUnit", "setUnit"}


def write_known_failures(cases):
    """known-failures.txt on first generation only: afterwards it is edited by hand as
    methods land (a listed case that passes fails the run)."""
    path = OUT / "known-failures.txt"
    if path.exists():
        return
    lines = [
        "# Golden cases expected to fail now, `name: reason`. A listed case that passes fails the",
        "# run: take it off when its method lands.",
    ]
    for name, case in sorted(cases):
        if case["method"] in FIRST:
            continue
        issue = case["issue"]
        reason = "not built yet: issue 10, after the envelope" if issue == 10 else f"not built: issue {issue}"
        lines.append(f"{name}: {reason}")
    path.write_text("\n".join(lines) + "\n")


def write_counts(cases):
    """The README's table of cases per method and issue, between its `counts` markers."""
    readme = OUT / "README.md"
    if not readme.exists():
        return
    failing = {
        line.split(":")[0].strip()
        for line in (OUT / "known-failures.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    per_issue, per_method = {}, {}
    for name, case in cases:
        key = (case["issue"], case["method"])
        for table, k in ((per_issue, case["issue"]), (per_method, key)):
            total, fails = table.get(k, (0, 0))
            table[k] = (total + 1, fails + (name in failing))
    rows = ["| Issue | Cases | Known failures |", "|---|---:|---:|"]
    rows += [f"| {issue} | {t} | {f} |" for issue, (t, f) in sorted(per_issue.items())]
    total = sum(t for t, _ in per_issue.values())
    rows += [f"| all | {total} | {sum(f for _, f in per_issue.values())} |", ""]
    rows += ["| Issue | Method | Cases | Known failures |", "|---|---|---:|---:|"]
    rows += [f"| {i} | {m} | {t} | {f} |" for (i, m), (t, f) in sorted(per_method.items())]
    text = readme.read_text()
    start, end = "<!-- counts -->", "<!-- /counts -->"
    head, rest = text.split(start)
    _, tail = rest.split(end)
    readme.write_text(head + start + "\n" + "\n".join(rows) + "\n" + end + tail)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    english = cases_of("en")
    # The ru docs have the same blocks in the same order (their labels are not slugs).
    russian = [twin for _, twin in cases_of("ru")]
    assert len(russian) == len(english), "en and ru differ in their examples"
    written = 0
    for (name, case), twin in zip(english, russian):
        assert (twin["method"], twin["section"]) == (case["method"], case["section"]), name
        case, twin = adjusted(name, case), adjusted(name, twin)
        write(name, case)
        written += 1
        if (twin["request"], twin["response"]) != (case["request"], case["response"]):
            note = "ru docs: the same example with translated values"
            twin["note"] = f"{note}; {twin['note']}" if "note" in twin else note
            write(f"{name}-ru", twin)
            written += 1
    for name, case in FIXTURES.items():
        case = dict(case)
        case["response"], _ = set_response(case["request"])
        write(name, case)
    every = [(p.stem, json.loads(p.read_text())) for p in sorted(OUT.glob("*.json"))]
    write_known_failures(every)
    write_counts(every)
    print(f"{written} cases in {OUT}")


def adjusted(name, case):
    """The case (en or its ru twin, by the en name) with its CARRY, ADMIN and REQUEST_FIX."""
    notes = [case["note"]] if "note" in case else []
    if name in CARRY:
        case["carry"] = CARRY[name]
        notes.append(CARRY_NOTE)
    if name in ADMIN:
        case["admin"], note = ADMIN[name]
        notes.append(note)
    if name in REQUEST_FIX:
        fix, note = REQUEST_FIX[name]
        case["request"] = fix(json.loads(json.dumps(case["request"])))
        notes.append(note)
    if notes:
        case["note"] = "; ".join(notes)
    return dict(sorted(case.items(), key=lambda kv: ORDER.index(kv[0]) if kv[0] in ORDER else len(ORDER)))


# The members of a case file in the order they are written.
ORDER = ["method", "section", "issue", "source", "given", "admin", "clock", "carry", "note", "request", "response", "status"]


def write(name, case):
    (OUT / f"{name}.json").write_text(json.dumps(case, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
