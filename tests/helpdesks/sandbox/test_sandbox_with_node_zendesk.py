"""The sandbox driven by a Zendesk client we did not write: node-zendesk (npm), where node is installed.

Our own client and the sandbox were written by the same hands, so they can agree with each other and
both be wrong. node-zendesk makes the calls feedbackloop makes (show, update with tags and a comment,
comments, update_many with its job status, the incremental export, webhooks, triggers) its own way;
a call that works for zenpy and fails for node-zendesk is a sandbox bug until shown otherwise.

node-zendesk is pinned in node_client/package.json and package-lock.json and installed with `npm ci`
into node_client/node_modules (not in git). Without node or npm, or without the registry (offline and
no npm cache), the test is skipped and says why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN
from feedbackloop.helpdesks.sandbox import SandboxState

CLIENT = Path(__file__).parent / "node_client"
LOCKED_VERSION = json.loads((CLIENT / "package-lock.json").read_text())["packages"]["node_modules/node-zendesk"]["version"]


def node_zendesk() -> str:
    """The node binary, with node-zendesk installed from the lock file; skips the test with a reason."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to drive the sandbox with node-zendesk; they are not installed")
    installed = CLIENT / "node_modules" / "node-zendesk" / "package.json"
    if installed.exists() and json.loads(installed.read_text()).get("version") == LOCKED_VERSION:
        return node
    try:
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=CLIENT,
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.skip("`npm ci` for node-zendesk took over 5 minutes (offline?)")
    if done.returncode != 0:
        pytest.skip(f"`npm ci` could not install node-zendesk {LOCKED_VERSION} (offline?): {done.stderr.strip()[-300:]}")
    return node


def drive(node: str, config: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Run node_client/drive.js; its answers by call (a call made several times has several)."""
    done = subprocess.run([node, str(CLIENT / "drive.js"), json.dumps(config)], capture_output=True, text=True,
                          timeout=120, cwd=CLIENT)
    assert done.returncode == 0, done.stderr
    calls: dict[str, list[dict[str, Any]]] = {}
    for line in done.stdout.splitlines():
        entry = json.loads(line)
        calls.setdefault(entry["call"], []).append(entry)
    return calls


def result(calls: dict[str, list[dict[str, Any]]], name: str, index: int = -1) -> Any:
    """What node-zendesk returned (its `result` when it wraps one in `{response, result}`)."""
    value = calls[name][index]["result"]
    return value["result"] if isinstance(value, dict) and "result" in value and "response" in value else value


def test_node_zendesk_makes_our_calls_against_the_sandbox(sandbox: SandboxState, sandbox_server: Any) -> None:
    node = node_zendesk()
    sandbox.configure(export_lag=0)
    ids = []
    for n in range(3):
        ticket_id = sandbox.simulate_customer_ticket(subject="Help", body="It broke", email=f"n{n}@example.net")
        sandbox.simulate_agent_reply(ticket_id, "Fixed, I think.")
        sandbox.simulate_status(ticket_id, "solved")
        ids.append(ticket_id)

    calls = drive(node, {"endpointUri": sandbox_server.url + "/api/v2", "username": SANDBOX_EMAIL,
                         "token": SANDBOX_TOKEN, "ticketIds": ids, "webhookUrl": sandbox_server.url + "/__sandbox/state",
                         "startTime": int(time.time()) - 3600})

    failed = {name: entries[-1]["error"] for name, entries in calls.items() if not all(e["ok"] for e in entries)}
    assert failed == {}, "a call node-zendesk makes that the sandbox refuses is a sandbox bug until shown otherwise"
    assert result(calls, "tickets.show")["id"] == ids[0]
    updated = sandbox.ticket(ids[0])
    assert {"csat_sent", "node"} <= set(updated["tags"])  # safe_update with the stamp node-zendesk read
    assert sandbox.ticket_comments(ids[0])[-1]["body"] == "How did we do? (node-zendesk)"
    assert len(result(calls, "tickets.getComments")) == len(sandbox.ticket_comments(ids[0]))
    assert result(calls, "jobstatuses.show")["job_status"]["status"] == "completed"
    for ticket_id in ids[1:]:
        assert {"csat_5", "csat_good"} <= set(sandbox.ticket(ticket_id)["tags"])
        assert sandbox.ticket_comments(ticket_id)[-1]["body"] == "Customer feedback: 5/5"
    assert {t["id"] for t in result(calls, "ticketexport.exportCursor")["tickets"]} >= set(ids)
    assert result(calls, "webhooks.show")["name"] == "node-zendesk: ticket events"
    assert result(calls, "webhooks.getSigningSecret")["signing_secret"]["secret"]
    assert "invocations" in result(calls, "webhooks.listInvocations")
    assert result(calls, "triggers.update")["title"] == "node-zendesk: ticket solved (renamed)"
    assert sandbox.webhooks() == [] and sandbox.list_resources("triggers") == []  # both deleted again
