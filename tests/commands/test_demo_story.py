"""`feedbackloop demo` shows the AI loop: history to trend over, an AI whose decisions are compared with
people's, and an ending that says where to look and which commands to run next, commands that work
exactly as printed (run here from the printed lines)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import DEMO_ONCE


@DEMO_ONCE
def test_the_demo_ends_with_links_and_commands_that_work_as_printed(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}
    result = subprocess.run([sys.executable, "-m", "feedbackloop", "demo", "--once", "--tickets", "30", "--port", "0"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "history: " in out and "over the last 75 days" in out
    lines = out.splitlines()
    (dashboard,) = [line for line in lines if line.strip().startswith("dashboard ")]
    assert "/dashboard/" in dashboard and "log in with the admin token: " in dashboard
    assert len([line for line in lines if line.strip().startswith("a survey ")]) == 2
    commands = [line.strip() for line in lines if " feedbackloop " in line and line.strip().startswith("FEEDBACKLOOP_")]
    assert any(" report " in c for c in commands) and {"eval", "sft", "dpo"} <= {c.split(" export ")[1].split()[0]
                                                                                   for c in commands if " export " in c}
    for command in commands:
        words = shlex.split(command)
        variables = dict(word.split("=", 1) for word in words if "=" in word.split(" ")[0] and word[0].isupper())
        argv = words[len(variables):]
        assert argv[0] == "feedbackloop"
        ran = subprocess.run([sys.executable, "-m", "feedbackloop", *argv[1:]], env={**env, **variables}, cwd=tmp_path,
                             capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, (command, ran.stderr[-2000:])
        if " export " in command:
            written = tmp_path / argv[argv.index("--out") + 1]
            assert written.read_text().strip(), f"{command}: an empty export"
        else:
            assert "AI vs human on the same intents (Mantel" in ran.stdout
    # The AI loop's corrections arrive every way they do in production: the macro's tag and note, the
    # sidebar app (through Zendesk's signed load), the AI's user handing tickets to people, agents' edits.
    import sqlite3

    with sqlite3.connect(tmp_path / "feedbackloop-demo.db") as db:
        live = {(source, kind) for source, kind in db.execute(
            "SELECT source, kind FROM overrides WHERE dedupe_key NOT LIKE 'history-%'")}
    assert {("macro", "override"), ("sidebar", "override"), ("automatic", "handoff")} <= live, live
    with sqlite3.connect(tmp_path / "feedbackloop-demo.db") as db:  # reviewers solved tasks with a root cause
        verdicts = db.execute("SELECT count(*) FROM review_tasks WHERE verdict IS NOT NULL AND created_at >= "
                              "(SELECT min(created_at) FROM tickets WHERE ticket_id < 800000)").fetchone()[0]
    assert verdicts >= 1
