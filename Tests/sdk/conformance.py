#!/usr/bin/env python3
"""The official Huawei Cloud Python SDK (huaweicloudsdkvpn) as a client of vpn-simulator.

Run by Tests/sdk/run.sh, which builds the venv and starts the simulator with the standard scenario.
Checks, one line each: the SDK's AK/SK signatures are accepted; every response deserialises into the
SDK's models without type warnings, each deserialised value equal to the JSON sent; each response's
raw JSON keys match the model's attribute_map both ways (nothing sent is unknown to the model, nothing the simulator should send is missing: see the
allow-lists below); JSON types match openapi_types; paging with limit 1, 2, 5 and 200 reaches every
customer gateway and every connection exactly once; every show_* equals its list item. Exit 1 on any
failure.
"""

import argparse
import datetime
import json
import re
import sys
import warnings

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkvpn.v5 import (ListCgwsRequest, ListVgwsRequest, ListVpnConnectionsRequest,
                                  ShowCgwRequest, ShowVgwRequest, ShowVpnConnectionRequest, VpnClient)
import huaweicloudsdkvpn.v5.model as models

# Model fields the simulator legitimately leaves out, per model, with the condition under which the
# real API leaves them out too (a predicate on the raw object). A field not listed here must be sent.
LEGITIMATELY_OMITTED = {
    "ResponseCustomerGateway": {
        # Only for a gateway with a bound CA certificate, or a BGP AS number (API.md: every field optional).
        "ca_certificate": lambda o: True,
        "bgp_asn": lambda o: True,
        # The old API generation (before 2024; marked by route_mode) has no id_type, id_value, tags.
        "id_type": lambda o: "route_mode" in o or set(o) == MINIMAL_CGW,
        "id_value": lambda o: "route_mode" in o and "id_type" not in o,
        "tags": lambda o: "route_mode" in o or set(o) == MINIMAL_CGW,
    },
    "ResponseVpnGateway": {
        # ER attachments only.
        "er_id": lambda o: o.get("attachment_type") != "er",
        "er_attachment_id": lambda o: o.get("attachment_type") != "er",
        # IPv6 (dual-stack) gateways only.
        "local_subnets_v6": lambda o: o.get("ip_version") == "ipv4",
        # Private network type only.
        "access_private_ip_1": lambda o: o.get("network_type") == "public",
        "access_private_ip_2": lambda o: o.get("network_type") == "public",
        # Certificate-authenticated gateways only (pre-shared key gateways have none).
        "certificate_id": lambda o: True,
        # Only while an upgrade is pending.
        "upgrade_info": lambda o: True,
    },
    "ResponseVpnConnection": {
        # IPv6 only.
        "peer_subnets_v6": lambda o: True,
        "policy_rules_v6": lambda o: True,
        # Routed (BGP) tunnels only.
        "tunnel_local_address": lambda o: o.get("style") != "BGP",
        "tunnel_peer_address": lambda o: o.get("style") != "BGP",
        "bgp_peer": lambda o: o.get("style") != "BGP",
        # Policy mode only.
        "policy_rules": lambda o: o.get("style") != "POLICY",
        # With NQA only.
        "connection_monitor_id": lambda o: not o.get("enable_nqa"),
    },
    # Sent only when the page is full (the last page has no next marker).
    "PageInfo": {"next_marker": lambda o: True},
}
# The documented minimal customer gateway list entry (API.md).
MINIMAL_CGW = {"id", "name", "id_value", "created_at", "updated_at"}
# Fields the simulator sends that the SDK's model does not know, on purpose: the old customer gateway
# generation that OTC still returns (VPN-SDK.md, discrepancy 1). Nothing else may be unknown.
KNOWN_EXTRA = {"ResponseCustomerGateway": {"route_mode", "ip"}}
# Conditional fields the standard scenario must show at least once, so the allow-list hides nothing.
MUST_APPEAR = {
    "ResponseVpnGateway": {"certificate_id"},
    "ResponseVpnConnection": {"bgp_peer", "tunnel_local_address", "tunnel_peer_address", "policy_rules",
                              "connection_monitor_id"},
    "ResponseCustomerGateway": {"ca_certificate", "bgp_asn", "id_type", "tags"},
}
SECRET = re.compile(r"psk|password|secret", re.IGNORECASE)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {label}")
        else:
            self.failed += 1
            print(f"FAIL  {label}: {detail}")
        return ok


def model_class(type_name):
    return getattr(models, type_name, None)


def type_problems(value, type_name, path):
    """JSON type of value against an openapi_types string; nested models are walked by shape()."""
    if type_name == "str" or type_name == "datetime":
        return [] if isinstance(value, str) else [f"{path}: {type_name} expected, got {json.dumps(value)}"]
    if type_name == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: int expected, got {json.dumps(value)}"]
    if type_name == "bool":
        return [] if isinstance(value, bool) else [f"{path}: bool expected, got {json.dumps(value)}"]
    match = re.fullmatch(r"list\[(.+)\]", type_name)
    if match:
        if not isinstance(value, list):
            return [f"{path}: list expected, got {json.dumps(value)}"]
        problems = []
        for index, item in enumerate(value):
            problems += type_problems(item, match.group(1), f"{path}[{index}]")
        return problems
    cls = model_class(type_name)
    if cls is None:
        return [f"{path}: unknown SDK type {type_name}"]
    if not isinstance(value, dict):
        return [f"{path}: object {type_name} expected, got {json.dumps(value)}"]
    return shape(value, cls, path)


SEEN = {}


def shape(raw, cls, path):
    """Raw JSON keys and types against a model class, both ways, recursively."""
    name = cls.__name__
    problems = []
    by_key = {key: attr for attr, key in cls.attribute_map.items() if "-" not in key}
    for key in raw:
        SEEN.setdefault(name, set()).add(key)
        if key not in by_key and key not in KNOWN_EXTRA.get(name, set()):
            problems.append(f"{path}.{key}: sent but unknown to {name}")
    for key, attr in by_key.items():
        if key not in raw:
            allowed = LEGITIMATELY_OMITTED.get(name, {}).get(key)
            if not (allowed and allowed(raw)):
                problems.append(f"{path}.{key}: {name} field missing")
            continue
        problems += type_problems(raw[key], cls.openapi_types[attr], f"{path}.{key}")
    return problems


def disagreements(model, raw, path):
    """Where the SDK's deserialised model objects differ from the raw JSON; parsed datetimes agree.

    Walks the objects' attributes, not to_dict(), which masks the models' sensitive fields with '****'.
    """
    if isinstance(model, datetime.datetime):
        return [] if isinstance(raw, str) else [f"{path}: datetime from a non-string"]
    if isinstance(raw, dict):
        if not hasattr(model, "attribute_map"):
            return [f"{path}: deserialised as {model!r}"]
        found = []
        for attr, key in model.attribute_map.items():
            if key in raw:
                found += disagreements(getattr(model, attr), raw[key], f"{path}.{key}")
        return found
    if isinstance(raw, list):
        if not isinstance(model, list) or len(model) != len(raw):
            return [f"{path}: deserialised as {model!r}"]
        found = []
        for index, (left, right) in enumerate(zip(model, raw)):
            found += disagreements(left, right, f"{path}[{index}]")
        return found
    return [] if model == raw and type(model) is type(raw) else [f"{path}: deserialised as {model!r}, sent {raw!r}"]


def secret_keys(value, path="$"):
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if SECRET.search(key):
                found.append(f"{path}.{key}")
            found += secret_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += secret_keys(item, f"{path}[{index}]")
    return found


class Conformance:
    def __init__(self, client, checks):
        self.client = client
        self.checks = checks
        self.date_warnings = 0

    def call(self, label, method, request, envelope):
        """Calls the SDK; checks no exception, no type warning, envelope shape and no secret; returns raw JSON."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                response = method(request)
            except Exception as error:  # noqa: BLE001 - any SDK exception is a failed check
                self.checks.check(False, f"{label}: signature accepted, answered", repr(error))
                return None, None
        dates = [w for w in caught if "to date" in str(w.message) or "dateutil" in str(w.message)]
        others = [str(w.message) for w in caught if w not in dates]
        self.date_warnings += len(dates)
        raw = json.loads(response.raw_content.decode("utf-8"))
        problems = shape(raw, envelope, "$") + [f"{p}: secret-looking field" for p in secret_keys(raw)]
        problems += disagreements(response, raw, "$")
        self.checks.check(
            not others and not problems, f"{label}: accepted, deserialised, fields match {envelope.__name__}",
            "; ".join(others + problems))
        return raw, response

    def follow(self, label, method, make_request, envelope, member, expected):
        for limit in (1, 2, 5, 200):
            ids, marker, pages = [], None, 0
            while pages < 1000:
                raw, _ = self.call(f"{label} limit={limit} page {pages + 1}", method, make_request(limit, marker),
                                   envelope)
                if raw is None:
                    break
                pages += 1
                ids += [item["id"] for item in raw[member]]
                marker = (raw.get("page_info") or {}).get("next_marker")
                if not marker:
                    break
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            self.checks.check(
                sorted(ids) == sorted(expected) and not duplicates,
                f"{label} limit={limit}: {len(ids)} items in {pages} pages, every one exactly once",
                f"expected {len(expected)}, duplicates {duplicates}, missing {sorted(set(expected) - set(ids))}")

    def run(self):
        c = self.client
        cgws, _ = self.call("list_cgws", c.list_cgws, ListCgwsRequest(), models.ListCgwsResponse)
        vgws, _ = self.call("list_vgws", c.list_vgws, ListVgwsRequest(), models.ListVgwsResponse)
        links, _ = self.call("list_vpn_connections", c.list_vpn_connections, ListVpnConnectionsRequest(),
                             models.ListVpnConnectionsResponse)
        if cgws is None or vgws is None or links is None:
            return
        cgw_items, vgw_items = cgws["customer_gateways"], vgws["vpn_gateways"]
        link_items = links["vpn_connections"]
        self.checks.check(len(vgw_items) > 0 and len(link_items) > 0,
                          f"{len(cgw_items)} customer gateways, {len(vgw_items)} VPN gateways, "
                          f"{len(link_items)} connections served")
        for item in cgw_items:
            raw, _ = self.call(f"show_cgw {item['id']}", c.show_cgw, ShowCgwRequest(customer_gateway_id=item["id"]),
                               models.ShowCgwResponse)
            self.same(raw, "customer_gateway", item, "show_cgw")
        for item in vgw_items:
            raw, _ = self.call(f"show_vgw {item['id']}", c.show_vgw, ShowVgwRequest(vgw_id=item["id"]),
                               models.ShowVgwResponse)
            self.same(raw, "vpn_gateway", item, "show_vgw")
            only, _ = self.call(f"list_vgws vgw_id={item['id']}", c.list_vgws, ListVgwsRequest(vgw_id=item["id"]),
                                models.ListVgwsResponse)
            self.checks.check(only is not None and [v["id"] for v in only["vpn_gateways"]] == [item["id"]],
                              f"list_vgws vgw_id={item['id']}: exactly that gateway")
        for item in link_items:
            raw, _ = self.call(f"show_vpn_connection {item['id']}", c.show_vpn_connection,
                               ShowVpnConnectionRequest(vpn_connection_id=item["id"]),
                               models.ShowVpnConnectionResponse)
            self.same(raw, "vpn_connection", item, "show_vpn_connection")
        addresses = {v["id"]: {v["eip1"]["ip_address"], v["eip2"]["ip_address"]} for v in vgw_items}
        cgw_ids = {g["id"] for g in cgw_items}
        for item in link_items:
            self.checks.check(
                item["cgw_id"] in cgw_ids and item.get("vgw_ip") in addresses.get(item["vgw_id"], set()),
                f"connection {item['id']}: cgw_id, vgw_id and vgw_ip name served resources")
        for vgw in vgw_items:
            used = sum(1 for item in link_items if item["vgw_id"] == vgw["id"])
            self.checks.check(vgw["used_connection_number"] == used,
                              f"VPN gateway {vgw['id']}: used_connection_number {used} matches its connections")
        self.follow("list_cgws", c.list_cgws, lambda limit, marker: ListCgwsRequest(limit=limit, marker=marker),
                    models.ListCgwsResponse, "customer_gateways", [g["id"] for g in cgw_items])
        self.follow("list_vpn_connections", c.list_vpn_connections,
                    lambda limit, marker: ListVpnConnectionsRequest(limit=limit, marker=marker),
                    models.ListVpnConnectionsResponse, "vpn_connections", [item["id"] for item in link_items])
        for name, fields in MUST_APPEAR.items():
            missing = fields - SEEN.get(name, set())
            self.checks.check(not missing, f"{name}: conditional fields {sorted(fields)} each sent at least once",
                              f"never sent: {sorted(missing)}")

    def same(self, raw, member, item, label):
        if raw is None:
            return
        self.checks.check(raw.get(member) == item, f"{label} {item['id']}: equals the list item",
                          f"show {json.dumps(raw.get(member), sort_keys=True)} list {json.dumps(item, sort_keys=True)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--project-id", required=True)
    parser.add_argument("--ak", required=True)
    parser.add_argument("--sk", required=True)
    args = parser.parse_args()
    client = (VpnClient.new_builder()
              .with_credentials(BasicCredentials(args.ak, args.sk, args.project_id))
              .with_endpoint(args.endpoint)
              .build())
    checks = Checks()
    conformance = Conformance(client, checks)
    conformance.run()
    print(f"sdk conformance: {checks.passed} passed, {checks.failed} failed "
          f"({conformance.date_warnings} timestamps the SDK kept as strings, as VPN-SDK.md describes)")
    return 1 if checks.failed or checks.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
